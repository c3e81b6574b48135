// The phrase file (--save-phrases, --phrases) and the word list of --common-words.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/corpus/tokenizer.h"
#include "wembed/phrases/phrases.h"

namespace wembed {

namespace {

std::string shortest(double x) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, x);
  return std::string(buf, r.ptr);
}

std::string joinWords(const std::vector<std::string>& words) {
  std::string s;
  for (const auto& w : words) s += " " + w;
  return s;
}

bool hasSpace(std::string_view s) {
  for (const char c : s)
    if (isSpace(static_cast<unsigned char>(c))) return true;
  return false;
}

std::vector<std::string> splitWords(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && isSpace(static_cast<unsigned char>(s[i]))) ++i;
    size_t j = i;
    while (j < s.size() && !isSpace(static_cast<unsigned char>(s[j]))) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

// A header line ("# key value..."): the delimiter, the connector words or
// the start of a pass; other keys are notes.
void readHeader(const std::string& line, PhraseModel& m, const std::string& where) {
  const std::vector<std::string> f = splitWords(std::string_view(line).substr(2));
  if (f.empty()) return;
  if (f[0] == "delimiter") {
    if (f.size() != 2) throw Error(where + ": '# delimiter' takes one delimiter");
    m.delimiter = f[1];
  } else if (f[0] == "connector-words") {
    m.connector_words.assign(f.begin() + 1, f.end());
  } else if (f[0] == "pass") {
    if (f.size() != 2 || f[1] != std::to_string(m.passes.size() + 1))
      throw Error(where + ": expected '# pass " + std::to_string(m.passes.size() + 1) + "'");
    m.passes.emplace_back();
  }
}

void readPhraseLine(const std::string& line, PhraseModel& m, const std::string& where) {
  const size_t tab = line.find('\t');
  const std::string_view phrase = std::string_view(line).substr(0, tab == std::string::npos ? 0 : tab);
  if (tab == std::string::npos || phrase.empty() || hasSpace(phrase))
    throw Error(where + ": expected 'phrase<TAB>score', not " + quote(line));
  const std::string score = line.substr(tab + 1);
  double s = 0;
  const auto r = std::from_chars(score.data(), score.data() + score.size(), s);
  if (r.ec != std::errc() || r.ptr != score.data() + score.size() || !std::isfinite(s))
    throw Error(where + ": the score " + quote(score) + " is not a number");
  if (m.passes.empty()) m.passes.emplace_back();
  m.passes.back().phrases.emplace_back(std::string(phrase), s);
}

}  // namespace

void writePhraseModel(const PhraseModel& model, const PhraseSettings& settings, std::FILE* out) {
  std::string h = "# wembed phrases: phrase<TAB>score per line, highest first; '# pass N' starts pass N\n";
  h += "# delimiter " + model.delimiter + "\n";
  h += "# connector-words" + joinWords(model.connector_words) + "\n";
  h += std::string("# scoring ") + phraseScoringName(settings.scoring) + " min-count " +
       std::to_string(settings.min_count) + " threshold " + shortest(settings.threshold) + "\n";
  std::fputs(h.c_str(), out);
  for (size_t p = 0; p < model.passes.size(); ++p) {
    std::fprintf(out, "# pass %zu\n", p + 1);
    for (const auto& [phrase, score] : model.passes[p].phrases) {
      std::fwrite(phrase.data(), 1, phrase.size(), out);
      std::fputc('\t', out);
      std::fputs(shortest(score).c_str(), out);
      std::fputc('\n', out);
    }
  }
}

PhraseModel readPhraseModel(const std::string& path) {
  PhraseModel m;
  LineReader in(path);
  std::string line;
  while (in.next(line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const std::string where = "--phrases " + quotedName(path) + ": line " + std::to_string(in.lineNumber());
    if (line.empty()) continue;
    if (line.rfind("# ", 0) == 0)
      readHeader(line, m, where);
    else
      readPhraseLine(line, m, where);
  }
  if (m.passes.empty()) throw Error("--phrases " + quotedName(path) + ": no phrase table in it");
  return m;
}

std::vector<std::string> readWordList(const std::string& path, const std::string& flag) {
  std::vector<std::string> words;
  Tokenizer t({path});
  for (Tokenizer::Kind k; (k = t.next()) != Tokenizer::kEnd;)
    if (k == Tokenizer::kWord) words.emplace_back(t.word());
  if (words.empty()) throw Error(flag + " " + quotedName(path) + ": no words in it");
  return words;
}

}  // namespace wembed
