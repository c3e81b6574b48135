#include "wembed/vectors.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "wembed/error.h"
#include "wembed/io.h"
#include "wembed/tokenizer.h"

namespace wembed {

void saveWord2vec(const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                  bool binary) {
  AtomicFile f(path);
  writeWord2vec(f, words, m, binary);
  f.commit();
}

void writeWord2vec(AtomicFile& f, const std::vector<std::string>& words, const Matrix& m, bool binary) {
  const std::string& path = f.path();
  const int d = m.cols();
  f.puts(std::to_string(words.size()) + " " + std::to_string(d) + "\n");
  std::string line;
  char num[32];
  for (size_t i = 0; i < words.size(); ++i) {
    const float* r = m.row(static_cast<int64_t>(i));
    for (int j = 0; j < d; ++j)
      if (!std::isfinite(r[j]))
        throw Error("cannot write '" + path + "': the vector of '" + words[i] + "' (row " + std::to_string(i + 1) +
                    ") holds NaN or Inf (did the training diverge? try a smaller --alpha)");
    // A word must read back as itself: not empty, no whitespace (the separator).
    if (words[i].empty() ||
        std::any_of(words[i].begin(), words[i].end(), [](char c) { return isSpace(static_cast<unsigned char>(c)); }))
      throw Error("cannot write '" + path + "': word " + std::to_string(i + 1) +
                  (words[i].empty() ? " is empty" : " ('" + words[i] + "') contains whitespace"));
    line.assign(words[i]);
    if (binary) {
      line.push_back(' ');
      line.append(reinterpret_cast<const char*>(r), sizeof(float) * d);
    } else {
      for (int j = 0; j < d; ++j) {
        line.push_back(' ');
        auto res = std::to_chars(num, num + sizeof(num), r[j]);
        line.append(num, res.ptr);
      }
    }
    line.push_back('\n');
    f.puts(line);
  }
}

namespace {

struct FileCloser {
  void operator()(FILE* f) const {
    if (f) std::fclose(f);
  }
};

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw Error("bad vector file '" + path + "': " + what);
}

enum class Line { kOk, kEnd, kTooLong };

// One line without its '\n', at most max bytes (a longer line is consumed
// up to max + 1 bytes and reported as kTooLong).
Line readLine(FILE* f, std::string& line, size_t max) {
  line.clear();
  int c;
  while ((c = getc_unlocked(f)) != EOF) {
    if (c == '\n') return Line::kOk;
    if (line.size() >= max) return Line::kTooLong;
    line.push_back(static_cast<char>(c));
  }
  return line.empty() ? Line::kEnd : Line::kOk;
}

// Parses one number; false if there is none. out may be NaN or infinite
// (strtof's overflow gives an infinity): the caller rejects those.
bool parseFloat(const char*& p, const char* end, float& out) {
  while (p < end && isSpace(static_cast<unsigned char>(*p))) ++p;
  if (p == end) return false;
  char* e = nullptr;
  // strtof needs a terminated string; the line buffer is terminated by std::string.
  out = std::strtof(p, &e);
  if (e == p || (e < end && !isSpace(static_cast<unsigned char>(*e)))) return false;
  p = e;
  return true;
}

// For a line "word n1 n2 ...": how many numbers follow the word, or -1 if
// anything else does.
int numbersAfterWord(const std::string& line) {
  const char* p = line.c_str();
  const char* end = p + line.size();
  while (p < end && !isSpace(static_cast<unsigned char>(*p))) ++p;
  int n = 0;
  float v;
  while (parseFloat(p, end, v)) ++n;
  while (p < end && isSpace(static_cast<unsigned char>(*p))) ++p;
  return p == end ? n : -1;
}

std::string quoted(const char* b, const char* e) {
  std::string s(b, std::min<size_t>(static_cast<size_t>(e - b), 40));
  return "'" + s + (e - b > 40 ? "...'" : "'");
}

}  // namespace

Vectors loadWord2vec(const std::string& path, VectorFormat format) {
  uint64_t fsize = regularFileSize(path);
  std::unique_ptr<FILE, FileCloser> fp(std::fopen(path.c_str(), "rb"));
  if (!fp) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  FILE* f = fp.get();
  if (fsize == 0) bad(path, "the file is empty");
  std::string line;
  if (readLine(f, line, 256) != Line::kOk) bad(path, "line 1 is not a 'rows dims' header");
  long long rows = -1, cols = -1;
  char extra = 0;
  if (std::sscanf(line.c_str(), "%lld %lld %c", &rows, &cols, &extra) != 2 || rows < 0 || cols <= 0 ||
      cols > 100000)
    bad(path, "line 1 is not a 'rows dims' header");
  if (static_cast<unsigned long long>(rows) > fsize)
    bad(path, "header says " + std::to_string(rows) + " rows, more than the file can hold");
  const int d = static_cast<int>(cols);
  // Longest text row accepted: a word and d numbers of up to 100 characters.
  const size_t max_text_line = 10000 + 100 * static_cast<size_t>(d);

  long data_start = std::ftell(f);
  if (format == VectorFormat::kAuto) {
    // Text if the first row is "word" followed by exactly d numbers on one line.
    // A first row of only numbers but the wrong count is a malformed text file
    // (reported by the text reader) rather than binary data, if the next line
    // also reads as "word numbers" or there is no next line; otherwise the
    // binary reader would silently turn the text into garbage floats.
    format = VectorFormat::kWord2vecBinary;
    std::string first, second;
    if (readLine(f, first, max_text_line) == Line::kOk) {
      const int n = numbersAfterWord(first);
      if (n == d) {
        format = VectorFormat::kWord2vecText;
      } else if (n >= 1) {
        const Line l2 = readLine(f, second, max_text_line);
        if (l2 == Line::kEnd || (l2 == Line::kOk && numbersAfterWord(second) >= 1))
          format = VectorFormat::kWord2vecText;
      }
    }
    std::fseek(f, data_start, SEEK_SET);
  }
  const bool text = format == VectorFormat::kWord2vecText;
  // Refuse a header that promises more than the file holds before allocating
  // the matrix: a row takes at least 2d+1 bytes as text ("w 0 0"), 4d+2 in binary.
  const double min_row = text ? 2.0 * d + 1 : 4.0 * d + 2;
  if (static_cast<double>(rows) * min_row > static_cast<double>(fsize - static_cast<uint64_t>(data_start)))
    bad(path, "header says " + std::to_string(rows) + " rows of " + std::to_string(cols) +
                  " numbers, more than the file can hold");

  Vectors v;
  v.matrix = Matrix(rows, d);
  v.words.reserve(rows);
  auto notFinite = [&](const std::string& where, const std::string& word, const std::string& value) {
    bad(path, where + " ('" + word + "') has a value that is not a finite number (" + value + ")");
  };
  if (text) {
    for (long long r = 0; r < rows; ++r) {
      const std::string where = "line " + std::to_string(r + 2);
      const Line got = readLine(f, line, max_text_line);
      if (got == Line::kEnd) bad(path, "header says " + std::to_string(rows) + " rows but the file ends after " + std::to_string(r));
      if (got == Line::kTooLong) bad(path, where + " is longer than " + std::to_string(max_text_line) + " bytes");
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const char* p = line.c_str();
      const char* end = p + line.size();
      const char* w = p;
      while (p < end && !isSpace(static_cast<unsigned char>(*p))) ++p;
      if (p == w) bad(path, where + " has no word");
      v.words.emplace_back(w, p);
      float* row = v.matrix.row(r);
      for (int j = 0; j < d; ++j) {
        const char* num = p;
        if (!parseFloat(p, end, row[j]))
          bad(path, where + " ('" + v.words.back() + "') has " + std::to_string(j) + " numbers, expected " + std::to_string(d));
        if (!std::isfinite(row[j])) {
          while (num < p && isSpace(static_cast<unsigned char>(*num))) ++num;
          notFinite(where, v.words.back(), quoted(num, p));
        }
      }
      while (p < end && isSpace(static_cast<unsigned char>(*p))) ++p;
      if (p != end) bad(path, where + " ('" + v.words.back() + "') has more than " + std::to_string(d) + " numbers");
    }
    // Anything but blank lines after the last row: the header lies about the size.
    for (Line got; (got = readLine(f, line, max_text_line)) != Line::kEnd;) {
      if (got == Line::kTooLong || line.find_first_not_of(" \t\r\v\f") != std::string::npos)
        bad(path, "header says " + std::to_string(rows) + " rows but the file holds more");
    }
  } else {
    std::string word;
    for (long long r = 0; r < rows; ++r) {
      const std::string where = "row " + std::to_string(r + 1);
      word.clear();
      int c;
      while ((c = getc_unlocked(f)) != EOF && (c == '\n' || c == '\r')) {}
      while (c != EOF && c != ' ') {
        word.push_back(static_cast<char>(c));
        if (word.size() > 10000) bad(path, where + ": word longer than 10000 bytes (not a word2vec binary file?)");
        c = getc_unlocked(f);
      }
      if (c == EOF) bad(path, "header says " + std::to_string(rows) + " rows but the file ends in " + where);
      if (word.empty()) bad(path, where + " has no word");
      float* row = v.matrix.row(r);
      if (std::fread(row, sizeof(float), d, f) != static_cast<size_t>(d))
        bad(path, "the file ends in the middle of " + where + " ('" + word + "')");
      for (int j = 0; j < d; ++j)
        if (!std::isfinite(row[j])) notFinite(where, word, std::to_string(row[j]));
      v.words.push_back(word);
    }
    // word2vec ends each row with '\n'; anything else after the last row
    // means the header's sizes do not match the data.
    for (int c; (c = getc_unlocked(f)) != EOF;)
      if (!isSpace(static_cast<unsigned char>(c)))
        bad(path, "there is data after the header's " + std::to_string(rows) + " rows of " + std::to_string(cols) +
                      " numbers (the header does not match the file)");
  }
  if (std::ferror(f)) throw Error("cannot read '" + path + "': " + std::strerror(errno));
  return v;
}

}  // namespace wembed
