#include "wembed/sentiment/data.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/utf8.h"

namespace wembed {

namespace {

const char* const kDigitNames[10] = {"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"};

// ASCII letters of the Latin-1 Supplement and Latin Extended-A letters
// (U+00C0..U+017F) after NFKD without combining marks, lower-cased, with the
// corpus's extra rules (ß ss, æ ae, œ oe, ø o, ł l, þ th, ð d); nullptr for
// characters with no such form (× ÷ đ ħ ı ĸ ŋ ŧ).
const char* foldLatin(uint32_t cp) {
  static const char* const k00C0[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",         // C0-CF
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "ss",   // D0-DF
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i", "i",         // E0-EF
      "d", "n", "o", "o", "o", "o", "o", nullptr, "o", "u", "u", "u", "u", "y", "th", "y"};   // F0-FF
  static const char* const k0100[128] = {
      "a", "a", "a", "a", "a", "a", "c", "c", "c", "c", "c", "c", "c", "c", "d", "d",              // 100-10F
      nullptr, nullptr, "e", "e", "e", "e", "e", "e", "e", "e", "e", "e", "g", "g", "g", "g",      // 110-11F
      "g", "g", "g", "g", "h", "h", nullptr, nullptr, "i", "i", "i", "i", "i", "i", "i", "i",      // 120-12F
      "i", nullptr, "ij", "ij", "j", "j", "k", "k", nullptr, "l", "l", "l", "l", "l", "l", "l",   // 130-13F
      "l", "l", "l", "n", "n", "n", "n", "n", "n", "n", nullptr, nullptr, "o", "o", "o", "o",      // 140-14F
      "o", "o", "oe", "oe", "r", "r", "r", "r", "r", "r", "s", "s", "s", "s", "s", "s",            // 150-15F
      "s", "s", "t", "t", "t", "t", nullptr, nullptr, "u", "u", "u", "u", "u", "u", "u", "u",      // 160-16F
      "u", "u", "u", "u", "w", "w", "y", "y", "y", "z", "z", "z", "z", "z", "z", "s"};             // 170-17F
  if (cp >= 0xC0 && cp < 0x100) return k00C0[cp - 0xC0];
  if (cp >= 0x100 && cp < 0x180) return k0100[cp - 0x100];
  switch (cp) {
    case 0xAA: return "a";  // ª
    case 0xBA: return "o";  // º
    case 0xFB00: return "ff";
    case 0xFB01: return "fi";
    case 0xFB02: return "fl";
    case 0xFB03: return "ffi";
    case 0xFB04: return "ffl";
    case 0xFB05:
    case 0xFB06: return "st";
    default: return nullptr;
  }
}

// Digits a code point stands for after NFKD (superscripts, vulgar fractions;
// the fraction slash separates), or nullptr.
const char* digitsOf(uint32_t cp) {
  switch (cp) {
    case 0xB9: return "1";
    case 0xB2: return "2";
    case 0xB3: return "3";
    case 0xBC: return "14";
    case 0xBD: return "12";
    case 0xBE: return "34";
    default: return nullptr;
  }
}

bool isAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// An HTML character reference at s[pos] ('&'): its code point and length.
bool parseEntity(std::string_view s, size_t pos, uint32_t& cp, size_t& len) {
  const size_t semi = s.find(';', pos + 1);
  if (semi == std::string_view::npos || semi - pos > 12 || semi == pos + 1) return false;
  std::string_view name = s.substr(pos + 1, semi - pos - 1);
  len = semi - pos + 1;
  if (name[0] == '#') {
    uint32_t v = 0;
    const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
    const size_t start = hex ? 2 : 1;
    if (start >= name.size()) return false;
    for (size_t i = start; i < name.size(); ++i) {
      const char c = name[i];
      int d;
      if (c >= '0' && c <= '9') d = c - '0';
      else if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      else return false;
      v = v * (hex ? 16 : 10) + static_cast<uint32_t>(d);
      if (v > 0x10FFFF) return false;
    }
    cp = v;
    return true;
  }
  for (char c : name)
    if (!isAsciiAlpha(c)) return false;
  static const struct {
    const char* name;
    uint32_t cp;
  } kNamed[] = {{"amp", '&'},      {"lt", '<'},       {"gt", '>'},       {"quot", '"'},     {"apos", '\''},
                {"nbsp", ' '},     {"szlig", 0xDF},   {"aelig", 0xE6},   {"AElig", 0xC6},   {"oelig", 0x153},
                {"OElig", 0x152},  {"eth", 0xF0},     {"ETH", 0xD0},     {"thorn", 0xFE},   {"THORN", 0xDE},
                {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013}, {"laquo", 0xAB},   {"raquo", 0xBB}};
  for (const auto& e : kNamed)
    if (name == e.name) {
      cp = e.cp;
      return true;
    }
  // Letter + accent (&eacute; &Ouml; ...): the letter.
  static const char* const kAccents[] = {"acute", "grave", "circ", "uml", "tilde", "ring", "cedil", "slash"};
  if (name.size() >= 4)
    for (const char* a : kAccents)
      if (name.substr(1) == a) {
        cp = static_cast<unsigned char>(name[0]);
        return true;
      }
  return false;
}

}  // namespace

std::string readWholeFile(const std::string& path) {
  ByteReader r(path);
  std::string text;
  std::vector<char> buf(1 << 20);
  size_t n;
  while ((n = r.read(buf.data(), buf.size())) > 0) text.append(buf.data(), n);
  return text;
}

bool TextCleaner::emitLetters(uint32_t cp) {
  if (cp < 0x80) {
    const char c = static_cast<char>(cp);
    if (c >= 'a' && c <= 'z') {
      word_.push_back(c);
      return true;
    }
    if (c >= 'A' && c <= 'Z') {
      word_.push_back(static_cast<char>(c - 'A' + 'a'));
      return true;
    }
    return false;
  }
  const char* f = foldLatin(cp);
  if (!f) return false;
  word_ += f;
  return true;
}

bool TextCleaner::next(std::string_view& word) {
  if (pending_ && *pending_) {
    word = kDigitNames[*pending_ - '0'];
    ++pending_;
    return true;
  }
  pending_ = nullptr;
  word_.clear();
  while (pos_ < s_.size()) {
    uint32_t cp = 0xFFFD;  // an ill-formed byte: U+FFFD over one byte
    size_t len = static_cast<size_t>(std::max(1, decodeUtf8(s_, pos_, cp)));
    if (cp == '&') {
      uint32_t e;
      size_t elen;
      if (parseEntity(s_, pos_, e, elen)) {
        cp = e;
        len = elen;
      }
    }
    pos_ += len;
    static const char* const kAsciiDigits[10] = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
    const char* digits = cp >= '0' && cp <= '9' ? kAsciiDigits[cp - '0'] : digitsOf(cp);
    if (digits) {  // each digit is a word of its own
      if (!word_.empty()) {
        pending_ = digits;
        word = word_;
        return true;
      }
      word = kDigitNames[*digits - '0'];
      pending_ = digits + 1;
      return true;
    }
    if (!emitLetters(cp) && !word_.empty()) {
      word = word_;
      return true;
    }
  }
  if (!word_.empty()) {
    word = word_;
    return true;
  }
  return false;
}

std::vector<std::string> cleanWords(std::string_view text) {
  std::vector<std::string> out;
  TextCleaner c(text);
  std::string_view w;
  while (c.next(w)) out.emplace_back(w);
  return out;
}

namespace {

std::vector<std::string_view> splitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      out.push_back(line.substr(start));
      return out;
    }
    out.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::vector<LabeledText> readLabeledTsv(const std::string& path, const std::string& text_column,
                                        const std::string& label_column, bool labels_required) {
  LineReader in(path, kMaxTextLine);
  std::string buf;
  auto nextLine = [&](std::string_view& line) {
    if (!in.next(buf)) return false;
    line = buf;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    return true;
  };
  std::string_view line;
  if (!nextLine(line)) throw Error(quotedName(path) + " is empty (expected a header line with column names)");
  std::vector<std::string> header;  // owned: buf holds the next line from now on
  for (std::string_view h : splitTabs(line)) header.emplace_back(h);
  int text_idx = -1, label_idx = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    const std::string_view h = trim(std::string_view(header[i]));
    if (!text_column.empty() ? h == text_column : (text_idx < 0 && (h == "sentence" || h == "text")))
      text_idx = static_cast<int>(i);
    if (h == label_column) label_idx = static_cast<int>(i);
  }
  if (text_idx < 0)
    throw Error(quotedName(path) + " line 1: no text column " +
                (text_column.empty() ? std::string("('sentence' or 'text')") : quote(text_column)) +
                " in the header");
  if (label_idx < 0 && labels_required)
    throw Error(quotedName(path) + " line 1: no label column " + quote(label_column) + " in the header");
  std::vector<LabeledText> rows;
  while (nextLine(line)) {
    if (trim(line).empty()) continue;
    const std::vector<std::string_view> f = splitTabs(line);
    if (f.size() != header.size())
      throw Error(quotedName(path) + " line " + std::to_string(in.lineNumber()) + ": " + std::to_string(f.size()) +
                  " columns, the header has " + std::to_string(header.size()));
    LabeledText row;
    row.text.assign(f[text_idx]);
    if (label_idx >= 0) {
      const std::string_view l = trim(f[label_idx]);
      if (l == "0") row.label = 0;
      else if (l == "1") row.label = 1;
      else
        throw Error(quotedName(path) + " line " + std::to_string(in.lineNumber()) + ": label " + quote(l, 40) +
                    " is not 0 or 1");
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

Vocabulary::Vocabulary(std::vector<std::string> words) : words_(std::move(words)) {
  size_t cap = 16;
  while (cap < 2 * words_.size()) cap <<= 1;
  slots_.assign(cap, -1);
  mask_ = cap - 1;
  for (size_t i = 0; i < words_.size(); ++i) {
    size_t h = std::hash<std::string_view>()(words_[i]) & mask_;
    while (slots_[h] >= 0) {
      if (words_[slots_[h]] == words_[i]) throw Error("the word " + quote(words_[i]) + " occurs twice in the vocabulary");
      h = (h + 1) & mask_;
    }
    slots_[h] = static_cast<int32_t>(i);
  }
}

int32_t Vocabulary::find(std::string_view word) const {
  if (slots_.empty()) return 0;
  size_t h = std::hash<std::string_view>()(word) & mask_;
  while (slots_[h] >= 0) {
    if (words_[slots_[h]] == word) return slots_[h] + 1;
    h = (h + 1) & mask_;
  }
  return 0;
}

std::vector<int32_t> Vocabulary::encode(std::string_view text, int max_len, int64_t* unknown, int64_t* total) const {
  std::vector<int32_t> ids;
  TextCleaner c(text);
  std::string_view w;
  while ((max_len <= 0 || static_cast<int>(ids.size()) < max_len) && c.next(w)) {
    const int32_t id = find(w);
    if (unknown && id == 0) ++*unknown;
    ids.push_back(id);
  }
  if (total) *total += static_cast<int64_t>(ids.size());
  if (ids.empty()) ids.push_back(0);
  return ids;
}

}  // namespace wembed
