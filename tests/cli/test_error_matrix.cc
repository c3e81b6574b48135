// The error-path matrix: every subcommand that reads a user file is fed the
// same families of bad input (missing, directory, empty, garbage, invalid
// UTF-8, a 200 MB line, truncations, lying headers, NaN/Inf, ...), every
// subcommand that writes a file is pointed at places it cannot write, and
// every flag gets nonsense values. A failure must be exactly one line
// "wembed CMD: error: ..." on stderr naming the problem, exit status 1, no
// signal, and no file left behind. Table-driven: a new subcommand or loader
// is one more row in kReaders / kWriters / kBadFlags.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <csignal>

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/glove/pipeline.h"
#include "wembed/glove/cooccur.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"
#include "wembed/word2vec/trainer.h"
#include "wembed/vectors/vectors.h"
#include "core/testing_hooks.h"

using testutil::TempDir;
using wembed::Matrix;
using wembed::VectorFormat;
using wembed::Vectors;

namespace {

using testutil::kBin;

// Peak memory allowed for reading a 200 MB line (the reader must not hold
// the line). AddressSanitizer's shadow memory and quarantine add to it.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxRssKb = 600 * 1024;
#else
constexpr long kMaxRssKb = 150 * 1024;
#endif

// What a subcommand reads: the families of bad input differ per kind.
// kCooccur: a co-occurrence file; kSentTsv: labelled sentiment TSV; kSentText:
// texts to classify, one per line; kSentModel: a sentiment model file;
// kCheckpoint: a training checkpoint.
enum Kind { kCorpus, kVectors, kVocab, kAnalogy, kPairs, kCooccur, kSentTsv, kSentText, kSentModel, kCheckpoint };
// Must fail cleanly, must succeed, or either (never crash).
enum Expect { kFail, kOk, kAny };

// A way a subcommand reads one user file. In args: {IN} is the file under
// test, {OUT} the (initially empty) working and output directory, {MC} the
// case's --min-count; {CORPUS}, {VEC}, {VOCAB}, {Q}, {P}, {GVOCAB} (the
// vocabulary of {COOC}), {COOC}, {SVEC}, {STRAIN}, {SDEV}, {SMODEL}, {CKPT}
// are good fixtures.
struct Reader {
  std::string name;
  Kind kind;
  std::string args;
  std::string output;   // file the command writes into {OUT} on success ("" if none)
  bool gzip = false;    // the input is gzip-compressed and named *.gz
  bool stdin = false;   // the input is standard input ("-"), not a named file
  bool subset = false;  // the same loader as an earlier reader: only a sample of the cases
  bool any_ok = false;  // inputs good for the loader may still be refused (kOk -> kAny)
  bool filter = false;  // a text filter (phrases): a corpus with no word to count is good input too
};

// The cases a text filter may take as good input: its output is as empty.
bool emptyForFilter(const std::string& case_name) {
  return case_name == "empty file" || case_name == "whitespace only" || case_name == "no word reaches min-count" ||
         case_name == "min-count above 2^31";
}

const std::string kTrainArgs = " --dim 4 --epochs 1 --threads 2 --window 2 --negative 2 -q";
const std::string kGloveArgs = " --dim 4 --epochs 1 --threads 2 --window 2 --memory 0.05 -q";
const std::string kSentArgs = " --epochs 1 --hidden 4 --threads 1 --max-len 20 -q";

const std::vector<Reader> kReaders = {
    {"train: corpus", kCorpus, "train -i {IN} -o {OUT}/v.bin --min-count {MC}" + kTrainArgs, "v.bin"},
    {"train: corpus (.gz)", kCorpus, "train -i {IN} -o {OUT}/v.bin --tmp-dir {OUT} --min-count {MC}" + kTrainArgs,
     "v.bin", true},
    {"train: corpus (stdin)", kCorpus, "train -i - -o {OUT}/v.bin --tmp-dir {OUT} --min-count {MC}" + kTrainArgs,
     "v.bin", false, true},
    {"train: corpus with --read-vocab", kCorpus,
     "train -i {IN} --read-vocab {RVOCAB} -o {OUT}/v.bin --min-count {MC}" + kTrainArgs, "v.bin"},
    {"vocab: corpus", kCorpus, "vocab -i {IN} -o {OUT}/vocab.txt --min-count {MC} -q", "vocab.txt"},
    {"vocab: corpus (stdin)", kCorpus, "vocab -i - -o {OUT}/vocab.txt --min-count {MC} -q", "vocab.txt", false, true},
    {"vocab: corpus (.gz)", kCorpus, "vocab -i {IN} -o {OUT}/vocab.txt --min-count {MC} -q", "vocab.txt", true},
    {"train: --read-vocab", kVocab, "train -i {CORPUS} --read-vocab {IN} -o {OUT}/v.bin --min-count {MC}" + kTrainArgs,
     "v.bin"},
    {"neighbors: vectors", kVectors, "neighbors {IN} w0 -k 3", ""},
    {"analogy: vectors", kVectors, "analogy {IN} w0 w1 w2 -k 3", ""},
    {"eval: vectors", kVectors, "eval {IN} --analogy {Q} --similarity {P} --threads 1", ""},
    {"eval: --analogy file", kAnalogy, "eval {VEC} --analogy {IN} --threads 1", ""},
    {"eval: --similarity file", kPairs, "eval {VEC} --similarity {IN}", ""},
    // Subcommands that landed later. The vector loader is the one above:
    // these get a sample of its cases.
    {"export: vectors", kVectors, "export {IN} {OUT}/v.wev -q", "v.wev", false, false, true},
    {"export: vectors to tsv", kVectors, "export {IN} {OUT}/tsv --format tsv -q", "tsv", false, false, true},
    {"info: vectors", kVectors, "info {IN}", "", false, false, true},
    {"vectors: vectors", kVectors, "vectors {IN} w0 w1", "", false, false, true},
    {"plot: vectors", kVectors, "plot {IN} --words w0,w1,w2 -o {OUT}/m.svg", "m.svg", false, false, true},
    {"sentiment train: --vectors", kVectors,
     "sentiment train --vectors {IN} --train {STRAIN} --dev {SDEV} --model {OUT}/m.sent" + kSentArgs, "m.sent", false,
     false, true, true},
    {"cooccur: corpus", kCorpus, "cooccur -i {IN} -o {OUT}/c.cooc --min-count {MC} --window 2 --memory 0.05 -q", "c.cooc"},
    {"cooccur: corpus (stdin)", kCorpus,
     "cooccur -i - -o {OUT}/c.cooc --tmp-dir {OUT} --min-count {MC} --window 2 --memory 0.05 -q", "c.cooc", false, true},
    {"cooccur: --vocab", kVocab, "cooccur -i {CORPUS} --vocab {IN} -o {OUT}/c.cooc --min-count {MC} --memory 0.05 -q",
     "c.cooc"},
    // (A corpus of one word has no co-occurrences: GloVe may refuse what word2vec trains on.)
    {"train --model glove: corpus", kCorpus,
     "train --model glove -i {IN} -o {OUT}/g.bin --tmp-dir {OUT} --min-count {MC}" + kGloveArgs, "g.bin", false, false,
     false, true},
    {"train --model glove: corpus (.gz)", kCorpus,
     "train --model glove -i {IN} -o {OUT}/g.bin --tmp-dir {OUT} --min-count {MC}" + kGloveArgs, "g.bin", true, false,
     false, true},
    {"train --model glove: --cooccur", kCooccur,
     "train --model glove --cooccur {IN} --read-vocab {GVOCAB} -o {OUT}/g.bin --min-count 1" + kGloveArgs, "g.bin"},
    {"sentiment train: --train", kSentTsv,
     "sentiment train --vectors {SVEC} --train {IN} --dev {SDEV} --model {OUT}/m.sent" + kSentArgs, "m.sent"},
    {"sentiment train: --train (.gz)", kSentTsv,
     "sentiment train --vectors {SVEC} --train {IN} --dev {SDEV} --model {OUT}/m.sent" + kSentArgs, "m.sent", true},
    {"sentiment train: --dev", kSentTsv,
     "sentiment train --vectors {SVEC} --train {STRAIN} --dev {IN} --model {OUT}/m.sent" + kSentArgs, "m.sent", false,
     false, true},
    {"sentiment eval: --data", kSentTsv, "sentiment eval --model {SMODEL} --data {IN} --threads 1", ""},
    {"sentiment eval: --data (stdin)", kSentTsv, "sentiment eval --model {SMODEL} --data - --threads 1", "", false, true},
    {"sentiment predict: texts", kSentText, "sentiment predict --model {SMODEL} {IN} --threads 1", ""},
    {"sentiment predict: texts (stdin)", kSentText, "sentiment predict --model {SMODEL} --threads 1", "", false, true},
    {"sentiment eval: --model", kSentModel, "sentiment eval --model {IN} --data {SDEV} --threads 1", ""},
    {"sentiment predict: --model", kSentModel, "sentiment predict --model {IN} {STRAIN} --threads 1", "", false, false,
     true},
    {"train --resume", kCheckpoint, "train --resume {IN} -o {OUT}/v.bin -q", "v.bin"},
    // Phrases: the corpus counted, or a saved table applied to it (by phrases and by train).
    {"phrases: corpus", kCorpus, "phrases -i {IN} -o {OUT}/p.txt --min-count {MC} -q", "p.txt", false, false, false,
     false, true},
    {"phrases: corpus (stdin)", kCorpus, "phrases -i - -o {OUT}/p.txt --tmp-dir {OUT} --min-count {MC} -q", "p.txt",
     false, true, false, false, true},
    {"phrases --phrases: corpus", kCorpus, "phrases -i {IN} -o {OUT}/p.txt --phrases {PTABLE} -q", "p.txt", false,
     false, false, false, true},
    {"train --phrases: corpus", kCorpus, "train -i {IN} --phrases {PTABLE} -o {OUT}/v.bin --min-count {MC}" + kTrainArgs,
     "v.bin"},
    {"train --phrases: corpus (stdin)", kCorpus,
     "train -i - --phrases {PTABLE} -o {OUT}/v.bin --tmp-dir {OUT} --min-count {MC}" + kTrainArgs, "v.bin", false, true},
};

// One bad (or tricky) input.
struct FileCase {
  enum Shape { kRegular, kMissing, kDirectory, kBigLine, kBigLineAfterHeader };
  FileCase(std::string n, std::string c, Expect e, Shape s = kRegular, std::string mc = "1", std::string msg = "")
      : name(std::move(n)), content(std::move(c)), expect(e), shape(s), min_count(std::move(mc)), message(std::move(msg)) {}
  std::string name;
  std::string content;
  Expect expect;
  Shape shape = kRegular;
  std::string min_count = "1";
  std::string message;  // the error line must contain this ("" : only the file name)
};

// --- fixtures -----------------------------------------------------------------

const int kDim = 4;
const char* const kWords[] = {"w0", "w1", "w2", "w3", "w4", "w5"};

std::string goodCorpus() {
  std::string s;
  for (int i = 0; i < 20; ++i) s += "w0 w1 w2 w3 w4 w5 w1 w3\n";
  return s;
}

std::vector<float> rowValues(int r) {
  std::vector<float> v(kDim);
  for (int j = 0; j < kDim; ++j) v[j] = 0.25f * static_cast<float>((r * 7 + j * 3) % 11) - 1.0f;
  return v;
}

std::string textVectors(const std::vector<std::string>& words, const std::string& header = "",
                        const std::function<std::string(int, int)>& value = nullptr) {
  std::string s = header.empty() ? std::to_string(words.size()) + " " + std::to_string(kDim) + "\n" : header;
  for (size_t r = 0; r < words.size(); ++r) {
    s += words[r];
    const auto v = rowValues(static_cast<int>(r));
    for (int j = 0; j < kDim; ++j) s += " " + (value ? value(static_cast<int>(r), j) : std::to_string(v[j]));
    s += "\n";
  }
  return s;
}

std::string binaryVectors(const std::vector<std::string>& words, const std::string& header = "",
                          const std::function<float(int, int)>& value = nullptr, int dim = kDim) {
  std::string s = header.empty() ? std::to_string(words.size()) + " " + std::to_string(dim) + "\n" : header;
  for (size_t r = 0; r < words.size(); ++r) {
    s += words[r] + " ";
    const auto v = rowValues(static_cast<int>(r));
    for (int j = 0; j < dim; ++j) {
      const float f = value ? value(static_cast<int>(r), j) : v[j % kDim];
      s.append(reinterpret_cast<const char*>(&f), sizeof f);
    }
    s += "\n";
  }
  return s;
}

const std::vector<std::string> kVocabWords(std::begin(kWords), std::end(kWords));

std::string garbage(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

// --- the cases ------------------------------------------------------------------

std::vector<FileCase> commonCases(Kind kind) {
  const bool corpus = kind == kCorpus;
  const bool texts = kind == kSentText;  // any bytes are texts to classify, even none
  std::vector<FileCase> c = {
      {"missing file", "", kFail, FileCase::kMissing, "1", "No such file"},
      {"a directory", "", kFail, FileCase::kDirectory, "1", "directory"},
      {"empty file", "", texts ? kOk : kFail},
      {"whitespace only", " \n\t\r\n\n", texts ? kAny : kFail},
      {"binary garbage", garbage(4096, 7), corpus || texts ? kAny : kFail},
      {"NUL bytes", std::string(1000, '\0'), corpus || texts ? kAny : kFail},
  };
  // 200 MB without a newline: for the readers that must not hold a line in
  // memory (or that must fail fast on one). The readers of whole files
  // (sentiment data, models, checkpoints, co-occurrence files) get 1 MB.
  if (kind == kCorpus || kind == kVectors || kind == kVocab || kind == kAnalogy || kind == kPairs)
    c.push_back({"a 200 MB line without a newline", "", corpus ? kOk : kFail, FileCase::kBigLine});
  else
    c.push_back({"a 1 MB line without a newline", std::string(1 << 20, 'a'), texts ? kAny : kFail});
  return c;
}

std::vector<FileCase> corpusCases() {
  auto c = commonCases(kCorpus);
  const std::string good = goodCorpus();
  c.push_back({"invalid UTF-8 words", "w0 \xff\xfe w1 \xc3 caf\xc3\xa9 \xed\xa0\x80 \xc0\xaf\n" + good, kOk});
  c.push_back({"a 100 KB token", std::string(100000, 'x') + " " + good, kOk});
  c.push_back({"CR and CRLF line ends", "w0 w1 w2\r\nw3 w4\rw5 w0\r\n", kOk});
  c.push_back({"no word reaches min-count", good, kFail, FileCase::kRegular, "1000", "min-count"});
  c.push_back({"min-count above 2^31", good, kFail, FileCase::kRegular, "99999999999", "min-count"});
  return c;
}

std::vector<FileCase> vectorCases() {
  auto c = commonCases(kVectors);
  c.push_back({"a 200 MB line after a valid header", "", kFail, FileCase::kBigLineAfterHeader});
  const auto& W = kVocabWords;
  auto withWords = [&](std::vector<std::string> extra) {
    auto w = W;
    w.insert(w.end(), extra.begin(), extra.end());
    return w;
  };
  // Good files (sanity: the matrix would be meaningless if these failed).
  c.push_back({"good text file", textVectors(W), kOk});
  c.push_back({"good binary file", binaryVectors(W), kOk});
  c.push_back({"text with CRLF line ends", [&] {
                 std::string s = textVectors(W), o;
                 for (char ch : s) o += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
                 return o;
               }(), kOk});
  c.push_back({"text without the last newline", [&] { auto s = textVectors(W); s.pop_back(); return s; }(), kOk});
  c.push_back({"binary without the last newline", [&] { auto s = binaryVectors(W); s.pop_back(); return s; }(), kOk});
  c.push_back({"text separated by tabs", [&] {
                 std::string s = textVectors(W);
                 for (size_t i = s.find('\n'); i < s.size(); ++i) if (s[i] == ' ') s[i] = '\t';
                 return s;
               }(), kOk});
  // Words that are not UTF-8 are bytes like any other.
  c.push_back({"text: invalid UTF-8 words", textVectors(withWords({"\xff\xfe", "caf\xc3", "\xed\xa0\x80"})), kOk});
  c.push_back({"binary: invalid UTF-8 words", binaryVectors(withWords({"\xff\xfe", "caf\xc3", "\xed\xa0\x80"})), kOk});
  // Repeated words: the first occurrence wins (as gensim's loader).
  c.push_back({"text: duplicate words", textVectors(withWords({"w0", "w1"})), kOk});
  c.push_back({"binary: duplicate words", binaryVectors(withWords({"w0", "w1"})), kOk});
  c.push_back({"all-zero vectors", textVectors(W, "", [](int, int) { return std::string("0"); }), kOk});
  c.push_back({"huge values (1e38)", textVectors(W, "", [](int r, int j) { return std::string((r + j) % 2 ? "1e38" : "-3e38"); }), kOk});
  c.push_back({"tiny values (1e-45)", textVectors(W, "", [](int, int) { return std::string("1e-45"); }), kOk});
  // Wrong row lengths.
  c.push_back({"text: a row with too few numbers", [&] {
                 std::string s = textVectors(W);
                 const size_t l3 = s.find("\nw3 ");
                 const size_t e = s.find('\n', l3 + 1);
                 const size_t sp = s.rfind(' ', e);
                 return s.erase(sp, e - sp);
               }(), kFail, FileCase::kRegular, "1", "line 5"});
  c.push_back({"text: a row with too many numbers", [&] {
                 std::string s = textVectors(W);
                 const size_t e = s.find('\n', s.find("\nw3 ") + 1);
                 return s.insert(e, " 0.5");
               }(), kFail, FileCase::kRegular, "1", "line 5"});
  c.push_back({"text: a row without a word", textVectors(W) + " 0.1 0.2 0.3 0.4\n", kFail});
  c.push_back({"text: a blank line between rows", [&] {
                 std::string s = textVectors(W);
                 return s.insert(s.find("\nw3 ") + 1, "\n");
               }(), kFail});
  c.push_back({"binary: rows longer than the header says", binaryVectors(W, "6 3\n", nullptr, kDim), kFail});
  c.push_back({"binary: rows shorter than the header says", binaryVectors(W, "6 5\n", nullptr, kDim), kFail});
  c.push_back({"binary: a 20000-byte word", binaryVectors(withWords({std::string(20000, 'z')}), "7 4\n"), kFail});
  // NaN and infinities.
  for (const char* bad : {"nan", "NaN", "inf", "-inf", "Infinity", "1e999", "-1e400"}) {
    const bool overflow = bad[0] == '1' || bad[1] == '1';
    c.push_back({std::string("text: value ") + bad, textVectors(W, "", [bad](int r, int j) {
                   return r == 2 && j == 1 ? std::string(bad) : std::string("0.5");
                 }), kFail, FileCase::kRegular, "1", overflow ? "float32 range" : "finite"});
  }
  c.push_back({"binary: a NaN value", binaryVectors(W, "", [](int r, int j) {
                 return r == 3 && j == 2 ? std::numeric_limits<float>::quiet_NaN() : 0.5f;
               }), kFail, FileCase::kRegular, "1", "finite"});
  c.push_back({"binary: an infinite value", binaryVectors(W, "", [](int r, int j) {
                 return r == 0 && j == 0 ? -std::numeric_limits<float>::infinity() : 0.5f;
               }), kFail, FileCase::kRegular, "1", "finite"});
  // Headers that lie or are not headers.
  for (const auto& [h, what] : std::vector<std::pair<std::string, std::string>>{
           {"7 4\n", "one row more than the file holds"},
           {"5 4\n", "one row less than the file holds"},
           {"0 4\n", "zero rows"},
           {"-6 4\n", "negative rows"},
           {"6 0\n", "zero dimensions"},
           {"6 -4\n", "negative dimensions"},
           {"6 5\n", "one dimension more"},
           {"6 3\n", "one dimension less"},
           {"99999999999 4\n", "rows far beyond the file size"},
           {"6 99999999\n", "dimensions far beyond the file size"},
           {"99999999999999999999999 4\n", "rows beyond 64 bits"},
           {"6 4 7\n", "three numbers"},
           {"6\n", "one number"},
           {"six four\n", "words"},
       }) {
    c.push_back({"text header: " + what, textVectors(W, h), kFail});
    c.push_back({"binary header: " + what, binaryVectors(W, h), kFail});
  }
  // Detection that names the real problem.
  const std::string bom = "\xEF\xBB\xBF";
  c.push_back({"text: a UTF-8 byte-order mark before the header (skipped)", bom + textVectors(W), kOk});
  c.push_back({"text: a word where row 1 has a number (text, not a broken binary file)",
               textVectors(W, "", [](int r, int j) { return r == 0 && j == 1 ? std::string("x") : std::string("0.5"); }),
               kFail, FileCase::kRegular, "1", "line 2 ('w0') value 2 'x' is not a number"});
  for (int row : {0, 2})
    c.push_back({"text: a hexadecimal float in row " + std::to_string(row + 1) + " (refused, as gensim does)",
                 textVectors(W, "", [row](int r, int j) { return r == row && j == 0 ? std::string("0x1p-3") : std::string("0.5"); }),
                 kFail, FileCase::kRegular, "1", "line " + std::to_string(row + 2) + " ('w" + std::to_string(row) +
                 "') value 1 '0x1p-3' is a hexadecimal float"});
  c.push_back({"text header: 'six 4' above the rows (a bad header, not GloVe)", textVectors(W, "six 4\n"), kFail,
               FileCase::kRegular, "1", "line 1 'six 4' is not a valid 'rows dimensions' header"});
  c.push_back({"text header: a million digits", textVectors(W, std::string(1000000, '7') + " 4\n"), kFail,
               FileCase::kRegular, "1", "line 1 (header) says '777"});
  c.push_back({"UTF-16 text", std::string("\xFF\xFE" "6\0 \0" "4\0\n\0", 10), kFail, FileCase::kRegular, "1", "UTF-16"});
  // GloVe: the rows alone, no header; the first row sets the dimension.
  const std::string glove = textVectors(W).substr(4);
  c.push_back({"glove: good file (no header)", glove, kOk});
  c.push_back({"glove: a row with too few numbers", [&] {
                 std::string s = glove;
                 const size_t e = s.find('\n', s.find("\nw2 ") + 1);
                 return s.erase(s.rfind(' ', e), e - s.rfind(' ', e));
               }(), kFail, FileCase::kRegular, "1", "line 3"});
  c.push_back({"glove: a row with too many numbers", glove + "w9 1 2 3 4 5\n", kFail, FileCase::kRegular, "1", "line 7"});
  c.push_back({"glove: a NaN value", glove + "w9 1 nan 3 4\n", kFail, FileCase::kRegular, "1", "finite"});
  c.push_back({"glove: a blank line between rows", [&] {
                 std::string s = glove;
                 return s.insert(s.find("\nw3 ") + 1, "\n");
               }(), kFail, FileCase::kRegular, "1", "line 4"});
  c.push_back({"glove: a first row of words only", "w0 w1 w2\n" + glove, kFail});
  c.push_back({"glove: a UTF-8 byte-order mark (skipped)", bom + glove, kOk});
  c.push_back({"glove: a hexadecimal float in row 1", "w0 0.5 0x1p-3 0.5 0.5\n" + glove.substr(glove.find('\n') + 1), kFail,
               FileCase::kRegular, "1", "line 1 ('w0') value 2 '0x1p-3' is a hexadecimal float"});
  // fastText .vec: word2vec text with a space before each newline.
  c.push_back({"fastText .vec rows ending in a space", [&] {
                 std::string s = textVectors(W), o;
                 for (char ch : s) o += ch == '\n' ? std::string(" \n") : std::string(1, ch);
                 return o.substr(0, o.find('\n') - 1) + o.substr(o.find('\n'));
               }(), kOk});
  // The native format: cut anywhere, a flipped bit anywhere, bytes after it.
  {
    TempDir d;
    Vectors v;
    v.words = W;
    v.matrix = Matrix(static_cast<int64_t>(W.size()), kDim);
    for (size_t r = 0; r < W.size(); ++r) {
      const auto x = rowValues(static_cast<int>(r));
      std::copy(x.begin(), x.end(), v.matrix.row(static_cast<int64_t>(r)));
    }
    v.counts.assign(W.size(), 3);
    wembed::saveVectors(d.file("v.wev"), v, VectorFormat::kNative);
    const std::string wev = testutil::readFile(d.file("v.wev"));
    c.push_back({"native: good file", wev, kOk});
    for (size_t cut : {size_t(7), size_t(40), size_t(63), size_t(64), size_t(80), wev.size() - 60, wev.size() - 1})
      c.push_back({"native: cut at byte " + std::to_string(cut), wev.substr(0, cut), kFail});
    for (size_t at : {size_t(0), size_t(9), size_t(12), size_t(17), size_t(33), size_t(64), size_t(70), wev.size() - 5}) {
      std::string s = wev;
      s[at] = static_cast<char>(s[at] ^ 0x40);
      c.push_back({"native: byte " + std::to_string(at) + " flipped", s, kFail});
    }
    c.push_back({"native: bytes after the matrix", wev + "junk", kFail, FileCase::kRegular, "1", "unexpected bytes"});
  }
  // fastText's .bin model (with subwords): cut anywhere, sizes that lie, a NaN, quantized.
  {
    TempDir d;
    Vectors v;
    v.words = W;
    v.matrix = Matrix(static_cast<int64_t>(W.size()), kDim);
    auto s = std::make_shared<wembed::Subwords>();
    s->args = wembed::SubwordArgs{2, 3, 10};
    s->own = Matrix(static_cast<int64_t>(W.size()), kDim);
    for (size_t r = 0; r < W.size(); ++r) {
      const auto x = rowValues(static_cast<int>(r));
      std::copy(x.begin(), x.end(), s->own.row(static_cast<int64_t>(r)));
    }
    s->buckets = Matrix(10, kDim);
    s->buckets.uniform(0.5f, 1);
    v.subwords = std::move(s);
    wembed::saveVectors(d.file("v.bin"), v, VectorFormat::kFastText);
    const std::string bin = testutil::readFile(d.file("v.bin"));
    const size_t quant = 92 + 6 * 12;  // header 64, dictionary header 28, 6 entries "wN\0" + count + type
    const auto with = [&](size_t at, const void* p, size_t n) {
      std::string x = bin;
      std::memcpy(&x[at], p, n);
      return x;
    };
    c.push_back({"fasttext: good file", bin, kOk});
    for (size_t cut : {size_t(3), size_t(7), size_t(30), size_t(70), size_t(100), quant + 8, bin.size() - 60,
                       bin.size() - 1})
      c.push_back({"fasttext: cut at byte " + std::to_string(cut), bin.substr(0, cut), kFail});
    const int32_t dim = 5, version = 13;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    c.push_back({"fasttext: version 13", with(4, &version, 4), kFail, FileCase::kRegular, "1", "version 13"});
    c.push_back({"fasttext: dimensions not those of its matrix", with(8, &dim, 4), kFail, FileCase::kRegular, "1",
                 "columns"});
    c.push_back({"fasttext: a NaN in an n-gram row", with(quant + 17 + 6 * 16 + 4, &nan, 4), kFail,
                 FileCase::kRegular, "1", "not a finite number"});
    c.push_back({"fasttext: quantized (.ftz)", with(quant, "\1", 1), kFail, FileCase::kRegular, "1",
                 "quantized fastText model"});
    c.push_back({"fasttext: bytes after the output matrix", bin + "junk", kFail, FileCase::kRegular, "1",
                 "unexpected bytes"});
  }
  c.push_back({"only a header", "6 4\n", kFail});
  c.push_back({"text: trailing garbage after the rows", textVectors(W) + "junk\n", kFail});
  c.push_back({"binary: trailing garbage after the rows", binaryVectors(W) + "junk", kFail});
  return c;
}

std::vector<FileCase> vocabCases() {
  auto c = commonCases(kVocab);
  c.push_back({"good file", "w0 5\nw1 4\nw2 3\n", kOk});
  c.push_back({"CRLF, blank lines and extra spaces", "w0 5\r\n\r\n  w1   4  \r\nw2 3", kOk});
  c.push_back({"invalid UTF-8 words", "w0 5\n\xff\xfe 3\ncaf\xc3 2\n", kOk});
  c.push_back({"a word without a count", "w0 5\nw1\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"a negative count", "w0 5\nw1 -4\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"a count that is not a number", "w0 5\nw1 four\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"a 20-digit count", "w0 5\nw1 12345678901234567890\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"three fields", "w0 5\nw1 4 3\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"a duplicate word", "w0 5\nw1 4\nw0 3\n", kFail, FileCase::kRegular, "1", "duplicate"});
  c.push_back({"counts adding up past 2^63", [] {
                 std::string s;
                 for (int i = 0; i < 12; ++i) s += "w" + std::to_string(i) + " 999999999999999999\n";
                 return s;
               }(), kFail});
  c.push_back({"no word reaches min-count", "w0 5\nw1 4\n", kFail, FileCase::kRegular, "1000", "min-count"});
  c.push_back({"only zero counts", "w0 0\nw1 0\n", kFail, FileCase::kRegular, "1", "min-count"});
  return c;
}

std::vector<FileCase> analogyCases() {
  auto c = commonCases(kAnalogy);
  c.push_back({"good file", ": s\nw0 w1 w2 w3\nw1 w2 w3 w4\n", kOk});
  c.push_back({"CRLF line ends", ": s\r\nw0 w1 w2 w3\r\n", kOk});
  c.push_back({"invalid UTF-8 words", ": s\n\xff w1 w2 w3\nw0 w1 caf\xc3 w3\nw0 w1 w2 w3\n", kOk});
  c.push_back({"unknown words only", ": s\nx0 x1 x2 x3\n", kOk});
  c.push_back({"sections but no questions", ": s\n: t\n", kFail, FileCase::kRegular, "1", "no questions"});
  c.push_back({"three words", ": s\nw0 w1 w2\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"five words", ": s\nw0 w1 w2 w3 w4\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"a question before the first section", "w0 w1 w2 w3\n: s\n", kFail, FileCase::kRegular, "1", "line 1"});
  return c;
}

std::vector<FileCase> pairsCases() {
  auto c = commonCases(kPairs);
  c.push_back({"good file", "w0\tw1\t5\nw2\tw3\t3.5\nw1\tw4\t1\n", kOk});
  c.push_back({"comments and CR line ends", "# x\rw0\tw1\t5\rw2\tw3\t3.5\r\nw1\tw4\t1\r", kOk});
  c.push_back({"invalid UTF-8 words", "w0\t\xff\t5\nw2\tw3\t3.5\nw1\tw4\t1\n", kOk});
  c.push_back({"NaN and infinite scores", "w0\tw1\tnan\nw2\tw3\tinf\nw1\tw4\t1\n", kAny});
  c.push_back({"comments only", "# nothing\n# here\n", kFail, FileCase::kRegular, "1", "no word pairs"});
  c.push_back({"two fields", "w0\tw1\t5\nw2\tw3\n", kFail, FileCase::kRegular, "1", "line 2"});
  c.push_back({"four fields", "w0\tw1\t5\t6\n", kFail, FileCase::kRegular, "1", "line 1"});
  c.push_back({"a score that is not a number", "w0\tw1\tfive\n", kFail, FileCase::kRegular, "1", "line 1"});
  return c;
}

// A co-occurrence file over the 6 words of {GVOCAB}: 32-byte header, then
// (word, context, count) records.
struct CoocRecord {
  int32_t w, c;
  float x;
};
std::string cooccurBytes(const std::vector<CoocRecord>& recs, int32_t vocab = 6, uint32_t version = 1,
                         int64_t claimed = -1, const char* magic = "WEMBCOOC") {
  std::string s(magic, 8);
  auto put = [&s](const void* p, size_t n) { s.append(static_cast<const char*>(p), n); };
  const uint32_t flags = 3;  // symmetric, shuffled
  const int32_t window = 2;
  const uint64_t n = claimed >= 0 ? static_cast<uint64_t>(claimed) : recs.size();
  put(&version, 4);
  put(&flags, 4);
  put(&vocab, 4);
  put(&window, 4);
  put(&n, 8);
  for (const auto& r : recs) {
    put(&r.w, 4);
    put(&r.c, 4);
    put(&r.x, 4);
  }
  return s;
}

std::vector<CoocRecord> goodRecords() {
  std::vector<CoocRecord> r;
  for (int32_t i = 0; i < 6; ++i)
    for (int32_t j = 0; j < 6; ++j)
      if (i != j) r.push_back({i, j, 1.f + static_cast<float>((i + j) % 3)});
  return r;
}

std::vector<FileCase> cooccurCases() {
  auto c = commonCases(kCooccur);
  const auto good = goodRecords();
  const std::string ok = cooccurBytes(good);
  c.push_back({"good file", ok, kOk});
  c.push_back({"a corpus instead", goodCorpus(), kFail, FileCase::kRegular, "1", "magic"});
  c.push_back({"a wembed native vector file instead", "WEMBEDV\x1a" + ok.substr(8), kFail, FileCase::kRegular, "1", "magic"});
  c.push_back({"version 2", cooccurBytes(good, 6, 2), kFail, FileCase::kRegular, "1", "version"});
  c.push_back({"only 20 bytes of header", ok.substr(0, 20), kFail, FileCase::kRegular, "1", "truncated"});
  c.push_back({"cut inside a record", ok.substr(0, ok.size() - 5), kFail, FileCase::kRegular, "1", "truncated"});
  c.push_back({"cut after a record", ok.substr(0, ok.size() - 12), kFail, FileCase::kRegular, "1", "truncated"});
  c.push_back({"bytes after the records", ok + "junk", kFail, FileCase::kRegular, "1", "records"});
  c.push_back({"the header claims 2^63 records", cooccurBytes(good, 6, 1, INT64_MAX), kFail, FileCase::kRegular, "1",
               "records"});
  c.push_back({"the header claims 0 records", cooccurBytes(good, 6, 1, 0), kFail});
  c.push_back({"no records", cooccurBytes({}), kFail, FileCase::kRegular, "1", "no co-occurrence records"});
  c.push_back({"counted over 7 words (the vocabulary has 6)", cooccurBytes(good, 7), kFail, FileCase::kRegular, "1",
               "7 words"});
  c.push_back({"vocabulary size 0", cooccurBytes(good, 0), kFail, FileCase::kRegular, "1", "vocabulary size"});
  c.push_back({"vocabulary size -6", cooccurBytes(good, -6), kFail, FileCase::kRegular, "1", "vocabulary size"});
  for (const auto& [what, rec] : std::vector<std::pair<std::string, CoocRecord>>{
           {"a word id equal to the vocabulary size", {6, 1, 1.f}},
           {"a negative context id", {0, -1, 1.f}},
           {"a word id of 2^31-1", {INT32_MAX, 0, 1.f}},
           {"a zero count", {0, 1, 0.f}},
           {"a negative count", {0, 1, -2.f}},
           {"a NaN count", {0, 1, std::numeric_limits<float>::quiet_NaN()}},
           {"an infinite count", {0, 1, std::numeric_limits<float>::infinity()}},
       }) {
    auto recs = good;
    recs[7] = rec;
    c.push_back({"record 7: " + what, cooccurBytes(recs), kFail, FileCase::kRegular, "1", "record 7"});
  }
  return c;
}

const char* const kSentPos[] = {"good", "great"};
const char* const kSentNeg[] = {"bad", "awful"};
const char* const kSentFill[] = {"the", "movie", "plot", "actor"};

std::string sentimentTsv(int n, unsigned seed, const std::string& header = "sentence\tlabel") {
  std::mt19937 rng(seed);
  std::string s = header + "\n";
  for (int i = 0; i < n; ++i) {
    const int label = i % 2;
    for (int t = 0; t < 4; ++t) s += std::string(kSentFill[rng() % 4]) + " ";
    s += std::string(label ? kSentPos[rng() % 2] : kSentNeg[rng() % 2]) + "\t" + std::to_string(label) + "\n";
  }
  return s;
}

std::vector<FileCase> sentTsvCases() {
  auto c = commonCases(kSentTsv);
  const std::string good = sentimentTsv(20, 3);
  c.push_back({"good file", good, kOk});
  c.push_back({"CRLF line ends", [&] {
                 std::string o;
                 for (char ch : good) o += ch == '\n' ? std::string("\r\n") : std::string(1, ch);
                 return o;
               }(), kOk});
  c.push_back({"a 'text' column, an extra column first", [&] {
                 const std::string s = sentimentTsv(20, 3, "text\tlabel");
                 std::string o;
                 int row = 0;
                 for (size_t b = 0, e; (e = s.find('\n', b)) != std::string::npos; b = e + 1, ++row)
                   o += (row ? std::to_string(row) : std::string("id")) + "\t" + s.substr(b, e - b + 1);
                 return o;
               }(), kOk});
  c.push_back({"blank lines between rows", [&] {
                 std::string s = good;
                 return s.insert(s.find('\n', 40) + 1, "\n  \n");
               }(), kOk});
  c.push_back({"invalid UTF-8 in a text", good + "caf\xc3 \xff\xfe good\t1\n", kOk});
  c.push_back({"a header only", "sentence\tlabel\n", kFail, FileCase::kRegular, "1", "no rows"});
  c.push_back({"no text column", "words\tlabel\nthe movie\t1\n", kFail, FileCase::kRegular, "1", "text column"});
  c.push_back({"no label column", "sentence\tscore\nthe movie\t1\n", kFail, FileCase::kRegular, "1", "label column"});
  c.push_back({"no header (a row first)", good.substr(good.find('\n') + 1), kFail, FileCase::kRegular, "1", "line 1"});
  c.push_back({"a label 2", good + "the movie\t2\n", kFail, FileCase::kRegular, "1", "line 22"});
  c.push_back({"a label 'positive'", good + "the movie\tpositive\n", kFail, FileCase::kRegular, "1", "line 22"});
  c.push_back({"an empty label", good + "the movie\t\n", kFail, FileCase::kRegular, "1", "line 22"});
  c.push_back({"a 100 KB label", good + "the movie\t" + std::string(100000, '7') + "\n", kFail,
               FileCase::kRegular, "1", "line 22"});
  c.push_back({"a row with one column", good + "the movie\n", kFail, FileCase::kRegular, "1", "line 22"});
  c.push_back({"a row with three columns", good + "the\tmovie\t1\n", kFail, FileCase::kRegular, "1", "line 22"});
  return c;
}

std::vector<FileCase> sentTextCases() {
  auto c = commonCases(kSentText);
  c.push_back({"good texts", "the movie was good\nawful plot\n", kOk});
  c.push_back({"blank lines, CRLF, invalid UTF-8", "good\r\n\r\n\xff\xfe bad\n\n", kOk});
  c.push_back({"a 1 MB text", std::string(1 << 20, 'x') + "\n", kOk});
  return c;
}

std::vector<FileCase> casesFor(Kind k) {
  switch (k) {
    case kCorpus: return corpusCases();
    case kVectors: return vectorCases();
    case kVocab: return vocabCases();
    case kAnalogy: return analogyCases();
    case kPairs: return pairsCases();
    case kCooccur: return cooccurCases();
    case kSentTsv: return sentTsvCases();
    case kSentText: return sentTextCases();
    default: return {};  // kSentModel, kCheckpoint: made from the fixture (see below)
  }
}

// The sample of a kind's cases that a reader with subset = true gets: the
// common ones and these.
bool inSubset(const FileCase& fc) {
  static const char* const kNames[] = {
      "good text file", "good binary file", "glove: good file (no header)", "native: good file",
      "text: value nan", "binary: a NaN value", "glove: a row with too few numbers", "native: byte 70 flipped",
      "native: cut at byte 80", "text header: one row more than the file holds", "fasttext: good file",
      "fasttext: cut at byte 100",
      "binary header: rows far beyond the file size", "text: trailing garbage after the rows",
      "good file", "no label column", "a label 2", "a row with three columns"};
  for (const char* n : kNames)
    if (fc.name == n) return true;
  return fc.shape == FileCase::kMissing || fc.shape == FileCase::kDirectory || fc.name == "empty file" ||
         fc.name == "binary garbage";
}

// --- running ----------------------------------------------------------------------

std::string substitute(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars)
    for (size_t p; (p = s.find(k)) != std::string::npos;) s.replace(p, k.size(), v);
  return s;
}

// "train", or for the sentiment commands "sentiment train".
std::string subcommandOf(const std::string& args) {
  const size_t sp = args.find(' ');
  if (args.compare(0, sp, "sentiment") == 0 && sp != std::string::npos) {
    const std::string sub = args.substr(sp + 1, args.find(' ', sp + 1) - sp - 1);
    for (const char* known : {"train", "eval", "predict", "tokenize"})
      if (sub == known) return "sentiment " + sub;
  }
  return args.substr(0, sp);
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The contract of a clean failure.
void checkCleanFailure(const testutil::ProcResult& r, const std::string& cmd, const std::string& outdir,
                       const std::vector<std::string>& must_contain) {
  INFO("stderr: " << r.err);
  CHECK(r.signal == 0);
  CHECK(r.status == 1);
  const auto lines = testutil::nonEmptyLines(r.err);
  CHECK(lines.size() == 1);
  if (!lines.empty()) {
    const std::string prefix = "wembed " + cmd + ": error: ";
    CHECK(lines[0].compare(0, prefix.size(), prefix) == 0);
    CHECK(lines[0].size() < 600);  // one readable line, whatever the input held
    for (const auto& m : must_contain) {
      INFO("the error line should mention: " << m);
      CHECK(lower(lines[0]).find(lower(m)) != std::string::npos);
    }
  }
  const auto left = testutil::listDir(outdir);
  INFO("left behind: " << (left.empty() ? std::string() : left.front()));
  CHECK(left.empty());
}

void checkNoCrash(const testutil::ProcResult& r) {
  INFO("stderr: " << r.err);
  CHECK(r.signal == 0);
  CHECK((r.status == 0 || r.status == 1));
  CHECK(r.err.find("Sanitizer") == std::string::npos);
  CHECK(r.err.find("runtime error") == std::string::npos);
}

// Trains 2 epochs on corpus with checkpoints to ckpt, stopped (as a kill
// would) after the n-th.
void stoppedWord2VecRun(const std::string& corpus, const std::string& ckpt, int n) {
  wembed::TrainArgs a;
  a.vocab.input = {corpus};
  a.vocab.min_count = 1;
  a.output = ckpt.substr(0, ckpt.rfind('/')) + "/never-written.bin";
  a.dim = kDim;
  a.window = 2;
  a.negative = 2;
  a.epochs = 2;
  a.threads = 1;
  const wembed::Dictionary dict = wembed::buildVocabulary(a.vocab, nullptr);
  wembed::Word2VecTrainer t(a, dict);
  t.checkpointing.path = ckpt;
  t.checkpointing.every_seconds = 0;
  wembed::testing::StopAfterCheckpoints stop_hook(n);
  REQUIRE(t.train(a.vocab.input).interrupted);
}

// Shared fixtures for one test run.
struct Fixture {
  TempDir d;
  std::string corpus, vec, vocab, rvocab, questions, pairs;
  std::string gvocab, cooc, svec, strain, sdev, smodel, ckpt, ptable;
  std::string big, big_header, big_gz;
  int runs = 0;

  Fixture() {
    const std::string in = d.subdir("fixtures");
    corpus = in + "/corpus.txt";
    vec = in + "/vec.txt";
    vocab = in + "/vocab.txt";
    questions = in + "/questions.txt";
    pairs = in + "/pairs.tsv";
    testutil::writeFile(corpus, goodCorpus());
    testutil::writeFile(vec, textVectors(kVocabWords));
    testutil::writeFile(vocab, "w0 5\nw1 4\n");
    // For training a bad corpus with a given vocabulary: the words of the good
    // corpus, and the 100-byte cut of the 200 MB line.
    rvocab = in + "/rvocab.txt";
    testutil::writeFile(rvocab, "w0 5\nw1 4\n" + std::string(100, 'a') + " 3\n");
    testutil::writeFile(questions, ": s\nw0 w1 w2 w3\n");
    testutil::writeFile(pairs, "w0\tw1\t5\nw2\tw3\t3\nw1\tw4\t1\n");
    // A phrase table over the corpus's words (train --phrases, phrases --phrases).
    ptable = in + "/phrases.tsv";
    testutil::writeFile(ptable, "# delimiter _\nw0_w1\t20\nw1_w3\t12\n");
    // GloVe: a vocabulary of the 6 words and co-occurrence records over it.
    gvocab = in + "/gvocab.txt";
    cooc = in + "/good.cooc";
    testutil::writeFile(gvocab, "w1 40\nw3 40\nw0 20\nw2 20\nw4 20\nw5 20\n");
    testutil::writeFile(cooc, cooccurBytes(goodRecords()));
    // Sentiment: vectors of lower-case words, data, and a model trained on them.
    svec = in + "/svec.txt";
    strain = in + "/strain.tsv";
    sdev = in + "/sdev.tsv";
    smodel = in + "/model.sent";
    {
      std::vector<std::string> w;
      for (const auto* list : {kSentPos, kSentNeg}) w.insert(w.end(), list, list + 2);
      w.insert(w.end(), std::begin(kSentFill), std::end(kSentFill));
      testutil::writeFile(svec, textVectors(w));
    }
    testutil::writeFile(strain, sentimentTsv(20, 1));
    testutil::writeFile(sdev, sentimentTsv(10, 2));
    const auto r = testutil::runProcess({kBin, "sentiment", "train", "--vectors", svec, "--train", strain, "--dev", sdev,
                                         "--model", smodel, "--epochs", "1", "--hidden", "4", "--threads", "1", "-q"},
                                        in);
    REQUIRE_MESSAGE(r.status == 0, r.err);
    // A checkpoint of a run on the corpus, stopped after its third checkpoint.
    ckpt = in + "/run.ckpt";
    stoppedWord2VecRun(corpus, ckpt, 3);
  }

  // 200 MB of one non-blank byte, no newline (made once, on first use).
  const std::string& bigLine(bool after_header, bool gz) {
    std::string& path = gz ? big_gz : after_header ? big_header : big;
    if (!path.empty()) return path;
    path = d.file(gz ? "big.txt.gz" : after_header ? "big-header.txt" : "big.txt");
    const std::string chunk(1 << 20, 'a');
    if (gz) {
      gzFile g = gzopen(path.c_str(), "wb1");
      REQUIRE(g != nullptr);
      for (int i = 0; i < 200; ++i) REQUIRE(gzwrite(g, chunk.data(), static_cast<unsigned>(chunk.size())) > 0);
      gzclose(g);
    } else {
      std::ofstream f(path, std::ios::binary);
      if (after_header) f << "6 4\n";
      for (int i = 0; i < 200; ++i) f.write(chunk.data(), static_cast<std::streamsize>(chunk.size()));
      REQUIRE(f.good());
    }
    return path;
  }

  std::map<std::string, std::string> vars(const std::string& in, const std::string& out, const std::string& mc) const {
    return {{"{IN}", in},         {"{OUT}", out},     {"{MC}", mc},         {"{CORPUS}", corpus}, {"{VEC}", vec},
            {"{VOCAB}", vocab},   {"{RVOCAB}", rvocab}, {"{Q}", questions}, {"{P}", pairs},       {"{GVOCAB}", gvocab},
            {"{COOC}", cooc},     {"{SVEC}", svec},   {"{STRAIN}", strain}, {"{SDEV}", sdev},     {"{SMODEL}", smodel},
            {"{CKPT}", ckpt},     {"{PTABLE}", ptable}};
  }

  std::string newOutDir() { return d.subdir("out" + std::to_string(runs++)); }
};

void putU32(std::string& s, size_t at, uint32_t v) { std::memcpy(&s[at], &v, 4); }

std::vector<FileCase> modelCases(const Fixture& fx) {
  auto c = commonCases(kSentModel);
  const std::string good = testutil::readFile(fx.smodel);
  auto fixed = [](std::string s) {
    testutil::fixSentimentChecksum(s);
    return s;
  };
  c.push_back({"good model", good, kOk});
  c.push_back({"a vector file instead", testutil::readFile(fx.svec), kFail, FileCase::kRegular, "1", "not a wembed sentiment model"});
  for (size_t cut : {size_t(4), size_t(8), size_t(12), size_t(30), size_t(48), good.size() / 2, good.size() - 9,
                     good.size() - 8, good.size() - 1})
    c.push_back({"cut at byte " + std::to_string(cut), good.substr(0, cut), kFail});
  {
    std::string s = good;
    s[s.size() / 2] = static_cast<char>(s[s.size() / 2] ^ 0x21);
    c.push_back({"a flipped byte", s, kFail, FileCase::kRegular, "1", "checksum"});
  }
  // Corrupt in its structure, with a valid checksum.
  auto field = [&](const std::string& what, size_t at, uint32_t v, const std::string& msg) {
    std::string s = good;
    putU32(s, at, v);
    c.push_back({what + " (checksum fixed)", fixed(s), kFail, FileCase::kRegular, "1", msg});
  };
  field("version 2", 8, 2, "version");
  field("cell type 7", 12, 7, "cell");
  field("embedding dimension 0", 16, 0, "");
  field("embedding dimension 2^31-1", 16, INT32_MAX, "");
  field("hidden 8192", 20, 8192, "");
  field("hidden 2^32-1", 20, UINT32_MAX, "hidden");
  field("max-len 2^32-1", 36, UINT32_MAX, "");
  field("pooling 9", 32, 9, "pooling");
  {
    std::string s = good;
    putU32(s, 20, 8192);  // the biggest network there is: hidden 8192, 16 layers, both directions
    putU32(s, 24, 16);
    putU32(s, 28, 1);
    c.push_back({"the biggest configuration on a small file (checksum fixed)", fixed(s), kFail});
  }
  {
    std::string s = good;
    const uint64_t words = uint64_t(1) << 40;
    std::memcpy(&s[40], &words, 8);
    c.push_back({"2^40 words (checksum fixed)", fixed(s), kFail, FileCase::kRegular, "1", "truncated"});
  }
  {
    std::string s = good;
    const float nan = std::numeric_limits<float>::quiet_NaN();
    std::memcpy(&s[s.size() - 12], &nan, 4);  // the last weight
    c.push_back({"a NaN weight (checksum fixed)", fixed(s), kFail, FileCase::kRegular, "1", "finite"});
  }
  {
    std::string s = good;
    s.insert(s.size() - 8, "junk");
    c.push_back({"bytes after the weights (checksum fixed)", fixed(s), kFail, FileCase::kRegular, "1", "unexpected"});
  }
  {
    std::string s = good;
    const std::string the("\x03\0\0\0the", 7);
    const size_t at = s.find(the, 48);
    if (at != std::string::npos) {
      s.replace(at + 4, 3, "bad");
      c.push_back({"a word twice (checksum fixed)", fixed(s), kFail, FileCase::kRegular, "1", "twice"});
    }
  }
  return c;
}

std::vector<FileCase> checkpointCases(const Fixture& fx) {
  auto c = commonCases(kCheckpoint);
  const std::string good = testutil::readFile(fx.ckpt);
  c.push_back({"good checkpoint", good, kOk});
  c.push_back({"a vector file instead", testutil::readFile(fx.vec), kFail, FileCase::kRegular, "1", "magic"});
  for (size_t cut : {size_t(4), size_t(8), size_t(12), size_t(40), good.size() / 2, good.size() - 8, good.size() - 1})
    c.push_back({"cut at byte " + std::to_string(cut), good.substr(0, cut), kFail});
  {
    std::string s = good;
    s[s.size() / 2] = static_cast<char>(s[s.size() / 2] ^ 0x21);
    c.push_back({"a flipped byte", s, kFail});  // caught by a check of what it hit, or by the checksum
    s = good;
    putU32(s, 8, wembed::kWord2VecCheckpointVersion + 1);
    testutil::fixCheckpointChecksum(s);
    c.push_back({"a version from the future (checksum fixed)", s, kFail, FileCase::kRegular, "1", "version"});
  }
  c.push_back({"bytes after it", good + "junk", kFail});
  // Consistent files (written by the library) that do not fit the run.
  TempDir d;
  auto variant = [&](const std::string& what, const std::function<void(wembed::Word2VecCheckpoint&)>& change,
                     const std::string& msg, Expect e = kFail) {
    wembed::Word2VecCheckpoint k = wembed::loadWord2VecCheckpoint(fx.ckpt);
    change(k);
    wembed::saveWord2VecCheckpoint(d.file("v.ckpt"), k, k.in, k.out);
    c.push_back({what, testutil::readFile(d.file("v.ckpt")), e, FileCase::kRegular, "1", msg});
  };
  variant("a negative id among the drawn negatives", [](wembed::Word2VecCheckpoint& k) { k.threads[0].negs = {-1, 0}; }, "negative");
  variant("a drawn negative beyond the vocabulary", [](wembed::Word2VecCheckpoint& k) { k.threads[0].negs = {1000000, 0}; }, "negative");
  variant("a corpus offset beyond the file", [](wembed::Word2VecCheckpoint& k) { k.threads[0].offset = uint64_t(1) << 40; }, "position");
  variant("a segment beyond the input", [](wembed::Word2VecCheckpoint& k) { k.threads[0].segment = 5; }, "position");
  variant("a thread already past the last epoch", [](wembed::Word2VecCheckpoint& k) { k.threads[0].epoch = 999; }, "", kAny);
  variant("three epochs counted for two", [](wembed::Word2VecCheckpoint& k) { k.epoch_words.push_back(0); }, "inconsistent");
  variant("an input file that is gone", [](wembed::Word2VecCheckpoint& k) {
    k.files = {"/no/such/corpus.txt"};
    k.args.vocab.input = k.files;
  }, "corpus.txt");
  variant("an input file of another size", [](wembed::Word2VecCheckpoint& k) { k.inputs[0].size = 1; }, "bytes then");
  variant("an input file of another content", [](wembed::Word2VecCheckpoint& k) { k.inputs[0].hash ^= 1; },
          "the same size, other content");
  variant("a negative word count", [](wembed::Word2VecCheckpoint& k) { k.vocab[1].count = -5; }, "count");
  variant("a word twice in the vocabulary", [](wembed::Word2VecCheckpoint& k) { k.vocab[1].word = k.vocab[0].word; }, "");
  variant("a NaN in the vectors", [](wembed::Word2VecCheckpoint& k) { k.in.row(2)[1] = std::numeric_limits<float>::quiet_NaN(); },
          "NaN");
  variant("dimension 5 for 4-wide matrices", [](wembed::Word2VecCheckpoint& k) { k.args.dim = 5; }, "inconsistent");
  variant("0 epochs", [](wembed::Word2VecCheckpoint& k) {
    k.args.epochs = 0;
    k.epoch_words.clear();
  }, "");
  variant("threads 0 (all cores) for one saved thread", [](wembed::Word2VecCheckpoint& k) { k.args.threads = 0; }, "");
  variant("negative progress", [](wembed::Word2VecCheckpoint& k) { k.words_done = -5; }, "progress");
  variant("NaN seconds", [](wembed::Word2VecCheckpoint& k) { k.seconds = std::numeric_limits<double>::quiet_NaN(); }, "");
  return c;
}

// The cases a reader gets.
std::vector<FileCase> casesFor(const Reader& rd, const Fixture& fx) {
  std::vector<FileCase> all = rd.kind == kSentModel    ? modelCases(fx)
                              : rd.kind == kCheckpoint ? checkpointCases(fx)
                                                       : casesFor(rd.kind);
  std::vector<FileCase> out;
  for (auto& fc : all) {
    if (rd.subset && !inSubset(fc)) continue;
    if (rd.any_ok && fc.expect == kOk) fc.expect = kAny;
    out.push_back(std::move(fc));
  }
  return out;
}

// Runs one reader on one case and checks the outcome.
// given_in: an input already in place (written by the caller, used as it is).
void runCase(Fixture& fx, const Reader& rd, const FileCase& fc, const std::string& given_in = "") {
  INFO("reader: " << rd.name << "; case: " << fc.name);
  if (rd.stdin && fc.shape == FileCase::kMissing) return;  // the shell, not wembed, fails to open it
  const std::string out = fx.newOutDir();
  const std::string cases = fx.d.subdir("cases");
  std::string in = cases + "/input" + std::to_string(fx.runs) + (rd.gzip ? ".txt.gz" : ".txt");
  if (!given_in.empty()) in = given_in;
  else switch (fc.shape) {
    case FileCase::kRegular:
      if (rd.gzip) testutil::writeGzip(in, fc.content);
      else testutil::writeFile(in, fc.content);
      break;
    case FileCase::kMissing:
      break;
    case FileCase::kDirectory:
      in = fx.d.subdir("cases/dir" + std::to_string(fx.runs) + (rd.gzip ? ".gz" : ""));
      break;
    case FileCase::kBigLine:
    case FileCase::kBigLineAfterHeader:
      in = fx.bigLine(fc.shape == FileCase::kBigLineAfterHeader, rd.gzip);
      break;
  }
  std::vector<std::string> argv{kBin};
  for (const auto& a : testutil::splitWords(rd.args)) argv.push_back(substitute(a, fx.vars(in, out, fc.min_count)));
  const auto r = testutil::runProcess(argv, out, "", rd.stdin ? in : "/dev/null");
  checkNoCrash(r);
  if (fc.shape == FileCase::kBigLine && rd.kind == kCorpus) {
    INFO("peak memory on a 200 MB line: " << r.max_rss_kb << " KB");
    CHECK(r.max_rss_kb < kMaxRssKb);
  }
  const Expect e = rd.filter && fc.expect == kFail && emptyForFilter(fc.name) ? kAny : fc.expect;
  if (e == kFail || (e == kAny && r.status != 0)) {
    std::vector<std::string> must;
    const std::string base = in.substr(in.rfind('/') + 1);
    if (!(rd.kind == kCorpus && fc.message == "min-count")) must.push_back(rd.stdin ? "standard input" : base);
    if (rd.stdin && fc.message == "No such file") must.clear();
    if (!fc.message.empty()) must.push_back(fc.message);
    if (e == kFail) CHECK_MESSAGE(r.status != 0, "expected a failure, got exit 0; stdout: " << r.out);
    checkCleanFailure(r, subcommandOf(rd.args), out, must);
  } else {
    CHECK_MESSAGE(r.status == 0, "expected success; stderr: " << r.err);
    if (!rd.output.empty()) CHECK(testutil::listDir(out) == std::vector<std::string>{rd.output});
    if (rd.kind == kVectors) {
      std::string printed = r.out;
      for (size_t p; (p = printed.find(in)) != std::string::npos;) printed.erase(p, in.size());
      CHECK(printed.find("nan") == std::string::npos);
      CHECK(printed.find("inf") == std::string::npos);
    }
  }
  std::error_code ec;
  if (fc.shape == FileCase::kRegular) std::filesystem::remove(in, ec);
}

}  // namespace

TEST_CASE("error matrix: every reader x every bad input") {
  Fixture fx;
  for (const Reader& rd : kReaders) {
    for (const FileCase& fc : casesFor(rd, fx)) runCase(fx, rd, fc);
  }
}

TEST_CASE("error matrix: vector files truncated at every length (header, mid-word, mid-float)") {
  Fixture fx;
  const std::vector<std::string> words = {"w0", "w1", "w2"};
  for (bool binary : {false, true}) {
    const std::string full = binary ? binaryVectors(words) : textVectors(words);
    // A text file cut inside its last number is a shorter number, which no
    // reader can detect; every other cut must fail. A binary file may only
    // lose its final newline.
    const size_t undetectable = binary ? full.size() - 1 : full.rfind(' ') + 1;
    // In-process: the loader itself, every length.
    TempDir d;
    for (size_t len = 0; len < full.size(); ++len) {
      INFO((binary ? "binary" : "text") << " cut at " << len << " of " << full.size());
      testutil::writeFile(d.file("v"), full.substr(0, len));
      if (len < undetectable) {
        CHECK_THROWS_AS(wembed::loadWord2vec(d.file("v")), wembed::Error);
      } else {
        try {
          wembed::loadWord2vec(d.file("v"));
        } catch (const wembed::Error&) {
        }
      }
    }
    // Through the subcommands: the first vector reader at every length, the
    // others (the same loader) at every 5th length and the last few bytes.
    bool first = true;
    for (const Reader& rd : kReaders) {
      if (rd.kind != kVectors || rd.subset) continue;
      const bool every = first;
      first = false;
      for (size_t len = 0; len < full.size(); ++len) {
        if (!every && len % 5 != 0 && len + 3 < full.size()) continue;
        FileCase fc{std::string(binary ? "binary" : "text") + " cut at byte " + std::to_string(len),
                    full.substr(0, len), len < undetectable ? kFail : kAny};
        runCase(fx, rd, fc);
      }
    }
  }
}

TEST_CASE("error matrix: truncated and corrupt gzip corpora") {
  Fixture fx;
  TempDir d;
  testutil::writeGzip(d.file("c.gz"), goodCorpus());
  const std::string gz = testutil::readFile(d.file("c.gz"));
  const Reader vocab{"vocab: raw .gz", kCorpus, "vocab -i {IN} -o {OUT}/vocab.txt --min-count 1 -q", "vocab.txt"};
  const Reader train{"train: raw .gz", kCorpus, "train -i {IN} -o {OUT}/v.bin --tmp-dir {OUT} --min-count 1" + kTrainArgs,
                     "v.bin"};
  // runCase would compress again: the raw bytes go in place under a .gz name.
  auto runRaw = [&](const Reader& rd, const std::string& name, const std::string& bytes, Expect e) {
    const std::string path = d.file("raw" + std::to_string(fx.runs) + ".gz");
    testutil::writeFile(path, bytes);
    runCase(fx, rd, FileCase{name, "", e}, path);
  };
  for (size_t len = 1; len < gz.size(); ++len) {
    // Cut before the end of the deflate stream or the trailer: truncated. A
    // single byte is not yet a gzip header; zlib reads it as plain text.
    runRaw(vocab, "gzip cut at " + std::to_string(len), gz.substr(0, len), len == 1 ? kAny : kFail);
  }
  for (size_t len : {size_t(10), gz.size() / 2, gz.size() - 4})
    runRaw(train, "gzip cut at " + std::to_string(len), gz.substr(0, len), kFail);
  std::string flipped = gz;
  flipped[gz.size() - 6] ^= 0x55;  // CRC
  runRaw(vocab, "gzip with a bad CRC", flipped, kFail);
  runRaw(train, "gzip with a bad CRC", flipped, kFail);
}

namespace {

// Subcommands that write a file: {DEST} is where (a name ending in ext).
struct Writer {
  std::string name;
  std::string args;
  std::string ext = ".bin";
};

const std::string kGloveFromCooc = "train --model glove --cooccur {COOC} --read-vocab {GVOCAB} --min-count 1" + kGloveArgs;
const std::string kSentTrain = "sentiment train --vectors {SVEC} --train {STRAIN} --dev {SDEV}" + kSentArgs;

const std::vector<Writer> kWriters = {
    {"train --output", "train -i {CORPUS} -o {DEST} --min-count 1" + kTrainArgs},
    {"train --output-context", "train -i {CORPUS} -o {OUT}/v.bin --output-context {DEST} --min-count 1" + kTrainArgs},
    {"train --save-vocab", "train -i {CORPUS} -o {OUT}/v.bin --save-vocab {DEST} --min-count 1" + kTrainArgs},
    {"train --checkpoint", "train -i {CORPUS} -o {OUT}/v.bin --checkpoint {DEST} --min-count 1" + kTrainArgs},
    {"vocab --output", "vocab -i {CORPUS} -o {DEST} --min-count 1 -q"},
    {"cooccur --output", "cooccur -i {CORPUS} -o {DEST} --min-count 1 --memory 0.05 -q"},
    {"cooccur --save-vocab", "cooccur -i {CORPUS} -o {OUT}/c.cooc --save-vocab {DEST} --min-count 1 --memory 0.05 -q"},
    {"train --model glove --output", kGloveFromCooc + " -o {DEST}"},
    {"train --model glove --output-context", kGloveFromCooc + " -o {OUT}/g.bin --output-context {DEST}"},
    {"train --model glove --save-cooccur",
     "train --model glove -i {CORPUS} -o {OUT}/g.bin --save-cooccur {DEST} --tmp-dir {OUT} --min-count 1" + kGloveArgs},
    {"sentiment train --model", kSentTrain + " --model {DEST}"},
    {"sentiment tokenize --output", "sentiment tokenize --data {STRAIN} --output {DEST}"},
    {"export (w2v-bin)", "export {VEC} {DEST} --format w2v-bin -q"},
    {"export (npy)", "export {VEC} {DEST} --format npy -q", ".npy"},
    {"export (fasttext: .bin and .vec)", "export {VEC} {DEST} --format fasttext -q"},
    {"plot --out (svg)", "plot {VEC} --words w0,w1,w2 -o {DEST} -q", ".svg"},
    {"plot --out (png)", "plot {VEC} --words w0,w1,w2 -o {DEST} -q", ".png"},
    {"phrases --output", "phrases -i {CORPUS} -o {DEST} --min-count 1 -q", ".txt"},
    {"phrases --save-phrases", "phrases -i {CORPUS} -o {OUT}/p.txt --save-phrases {DEST} --min-count 1 -q", ".tsv"},
    {"train --phrases --output", "train -i {CORPUS} --phrases {PTABLE} -o {DEST} --min-count 1" + kTrainArgs},
};

// Subcommands that print results: their stdout may be a full disk.
const std::vector<std::string> kPrinters = {
    "neighbors {VEC} w0 -k 3",
    "analogy {VEC} w0 w1 w2 -k 3",
    "eval {VEC} --analogy {Q} --similarity {P}",
    "eval {VEC} --analogy {Q} --similarity {P} --json",
    "info {VEC}",
    "vectors {VEC} w0 w1",
    "sentiment eval --model {SMODEL} --data {SDEV} --threads 1",
    "sentiment eval --model {SMODEL} --data {SDEV} --threads 1 --json",
    "sentiment predict --model {SMODEL} {STRAIN} --threads 1",
    "sentiment tokenize --data {STRAIN} --format fasttext",
    "plot {VEC} --words w0,w1,w2 -o m.svg -q",
};

}  // namespace

TEST_CASE("error matrix: outputs that cannot be written") {
  Fixture fx;
  const std::string blocker = fx.d.file("regular-file");
  testutil::writeFile(blocker, "x");
  const std::string ro = fx.d.file("ro");
  testutil::TmpfsMount mount(ro, "ro,size=64k");
  if (!mount.ok()) MESSAGE("read-only output directory not tested: " << mount.why());

  struct Dest {
    std::string name, path, message;
  };
  for (const Writer& w : kWriters) {
    const std::string fifo = fx.d.file("fifo" + w.ext);
    if (!std::filesystem::exists(fifo)) REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
    const std::string dir = fx.d.file("a-directory" + w.ext);
    std::filesystem::create_directories(dir);
    std::vector<Dest> dests = {
        {"a missing directory", fx.d.file("no/such/dir/out" + w.ext), "does not exist"},
        {"a path under a regular file", blocker + "/out" + w.ext, "not a directory"},
        {"a directory", dir, "directory"},
        {"a FIFO", fifo, "not a regular file"},
        {"an empty path", "", ""},
    };
    if (mount.ok()) dests.push_back({"a read-only directory", ro + "/out" + w.ext, "Read-only"});
    for (const Dest& dst : dests) {
      INFO("writer: " << w.name << "; destination: " << dst.name);
      const std::string out = fx.newOutDir();
      auto vars = fx.vars("", out, "1");
      vars["{DEST}"] = dst.path;
      std::vector<std::string> argv{kBin};
      for (const auto& a : testutil::splitWords(w.args)) argv.push_back(substitute(a, vars));
      const auto r = testutil::runProcess(argv, out);
      checkNoCrash(r);
      std::vector<std::string> must;
      if (!dst.message.empty()) must.push_back(dst.message);
      checkCleanFailure(r, subcommandOf(w.args), out, must);
      struct stat st;
      CHECK(::stat(fifo.c_str(), &st) == 0);
      CHECK(S_ISFIFO(st.st_mode));
      CHECK(testutil::readFile(blocker) == "x");
      CHECK(testutil::listDir(dir).empty());
      if (mount.ok()) CHECK(testutil::listDir(ro).empty());
    }
  }
}

TEST_CASE("error matrix: results printed to a full disk (/dev/full)") {
  struct stat st;
  if (::stat("/dev/full", &st) != 0 || !S_ISCHR(st.st_mode)) {
    MESSAGE("/dev/full is not available; skipped");
    return;
  }
  Fixture fx;
  for (const std::string& p : kPrinters) {
    INFO("command: " << p);
    const std::string out = fx.newOutDir();
    std::vector<std::string> argv{kBin};
    for (const auto& a : testutil::splitWords(p)) argv.push_back(substitute(a, fx.vars("", out, "1")));
    const auto r = testutil::runProcess(argv, out, "/dev/full");
    checkNoCrash(r);
    checkCleanFailure(r, subcommandOf(p), out, {"standard output"});
    // The same command with a real stdout succeeds (so the failure above is the disk's).
    const auto ok = testutil::runProcess(argv, out);
    CHECK(ok.status == 0);
  }
}

namespace {
const std::string kTrainFlags = "train -i {CORPUS} -o {OUT}/v.bin --min-count 1";
const std::string kGloveFlags = "train --model glove -i {CORPUS} -o {OUT}/g.bin --min-count 1";
const std::string kPhrasesFlags = "phrases -i {CORPUS} -o {OUT}/p.txt";
const std::string kTsneFlags = "plot {VEC} --words w0,w1,w2 --method tsne -o {OUT}/m.svg";
const std::string kSentFlags = "sentiment train --vectors {SVEC} --train {STRAIN} --dev {SDEV} --model {OUT}/m.sent";
// Flags with nonsense values; each must be refused before any work, the
// error line naming what `mention` says (a numeric flag: its range).
struct BadFlag {
  BadFlag(std::string n, std::string a, std::string m = "") : name(std::move(n)), args(std::move(a)), mention(std::move(m)) {}
  std::string name, args, mention;
};
const std::vector<BadFlag> kBadFlags = {
    {"train: --dim -1", "train -i {CORPUS} -o {OUT}/v.bin --dim -1"},
    {"train: --dim 100000", "train -i {CORPUS} -o {OUT}/v.bin --dim 100000", "--dim must be in [1, 10000]"},
    {"train: --dim 1e9", "train -i {CORPUS} -o {OUT}/v.bin --dim 1e9"},
    {"train: --dim 99999999999", "train -i {CORPUS} -o {OUT}/v.bin --dim 99999999999"},
    {"train: --window -3", "train -i {CORPUS} -o {OUT}/v.bin --window -3"},
    {"train: --negative -1", "train -i {CORPUS} -o {OUT}/v.bin --negative -1"},
    {"train: --epochs -1", "train -i {CORPUS} -o {OUT}/v.bin --epochs -1"},
    {"train: --threads -1", "train -i {CORPUS} -o {OUT}/v.bin --threads -1"},
    {"train: --threads 100000", "train -i {CORPUS} -o {OUT}/v.bin --threads 100000"},
    {"train: --alpha -0.1", "train -i {CORPUS} -o {OUT}/v.bin --alpha -0.1"},
    {"train: --alpha nan", "train -i {CORPUS} -o {OUT}/v.bin --alpha nan"},
    {"train: --alpha inf", "train -i {CORPUS} -o {OUT}/v.bin --alpha inf"},
    {"train: --sample -1", "train -i {CORPUS} -o {OUT}/v.bin --sample -1"},
    {"train: --sample nan", "train -i {CORPUS} -o {OUT}/v.bin --sample nan"},
    {"train: --min-count -1", "train -i {CORPUS} -o {OUT}/v.bin --min-count -1"},
    {"train: --max-vocab -1", "train -i {CORPUS} -o {OUT}/v.bin --max-vocab -1"},
    {"train: --prune-at 0", "train -i {CORPUS} -o {OUT}/v.bin --prune-at 0"},
    {"train: --max-sentence 0", "train -i {CORPUS} -o {OUT}/v.bin --max-sentence 0"},
    {"train: --seed -1", "train -i {CORPUS} -o {OUT}/v.bin --seed -1", "--seed must be at least 0"},
    {"train: --seed abc", "train -i {CORPUS} -o {OUT}/v.bin --seed abc"},
    {"train: --tmp-dir missing (gzip input)", "train -i {GZ} -o {OUT}/v.bin --tmp-dir {OUT}/nope --min-count 1"},
    {"train: --dim twice", "train -i {CORPUS} -o {OUT}/v.bin --dim 4 --dim 5"},
    {"train: --dim without a value", "train -i {CORPUS} -o {OUT}/v.bin --dim"},
    {"train: same file for --output and --save-vocab", "train -i {CORPUS} -o {OUT}/v.txt --save-vocab {OUT}/v.txt --min-count 1"},
    {"train: --output equals the input", "train -i {OUT}/c.txt -o {OUT}/c.txt --min-count 1"},
    {"vocab: --min-count 0", "vocab -i {CORPUS} -o {OUT}/v.txt --min-count 0"},
    {"vocab: --max-vocab -5", "vocab -i {CORPUS} -o {OUT}/v.txt --max-vocab -5"},
    {"vocab: --prune-at -1", "vocab -i {CORPUS} -o {OUT}/v.txt --prune-at -1"},
    {"vocab: no input", "vocab -o {OUT}/v.txt"},
    {"neighbors: -k 0", "neighbors {VEC} w0 -k 0"},
    {"neighbors: -k -1", "neighbors {VEC} w0 -k -1"},
    {"neighbors: -k abc", "neighbors {VEC} w0 -k abc"},
    {"neighbors: -k 99999999999", "neighbors {VEC} w0 -k 99999999999"},
    {"neighbors: no vector file", "neighbors"},
    {"neighbors: an unknown word", "neighbors {VEC} w0 nosuchword"},
    {"neighbors: two unknown words", "neighbors {VEC} nosuch1 nosuch2"},
    {"neighbors: unknown flag", "neighbors {VEC} w0 --bogus"},
    {"analogy: -k 0", "analogy {VEC} w0 w1 w2 -k 0"},
    {"analogy: two words", "analogy {VEC} w0 w1"},
    {"analogy: --method foo", "analogy {VEC} w0 w1 w2 --method foo"},
    {"analogy: --restrict -1", "analogy {VEC} w0 w1 w2 --restrict -1"},
    {"analogy: an unknown word", "analogy {VEC} w0 w1 nosuchword"},
    {"eval: nothing to evaluate", "eval {VEC}"},
    {"eval: --restrict -1", "eval {VEC} --analogy {Q} --restrict -1"},
    {"eval: --pairs-restrict -1", "eval {VEC} --similarity {P} --pairs-restrict -1", "--pairs-restrict must be in [0, 1e9]"},
    {"eval: --threads -1", "eval {VEC} --analogy {Q} --threads -1"},
    {"eval: --threads 100000", "eval {VEC} --analogy {Q} --threads 100000"},
    {"eval: no vector file", "eval --analogy {Q}"},
    {"eval: two vector files", "eval {VEC} {VEC} --analogy {Q}"},
    {"eval: --format tsv", "eval {VEC} --analogy {Q} --format tsv"},
    {"eval: --format foo", "eval {VEC} --analogy {Q} --format foo"},
    {"neighbors: --limit -1", "neighbors {VEC} w0 --limit -1"},
    {"neighbors: --restrict -1", "neighbors {VEC} w0 --restrict -1"},
    {"vectors: no vector file", "vectors"},
    {"vectors: --sentences with words", "vectors {VEC} w0 --sentences"},
    {"vectors: --limit -1", "vectors {VEC} w0 --limit -1"},
    // train: checkpoints and output formats.
    {"train: --checkpoint-every 0", "train -i {CORPUS} -o {OUT}/v.bin --checkpoint {OUT}/c.ckpt --checkpoint-every 0"},
    {"train: --checkpoint-every nan", "train -i {CORPUS} -o {OUT}/v.bin --checkpoint {OUT}/c.ckpt --checkpoint-every nan"},
    {"train: --checkpoint with stdin input", "train -i - -o {OUT}/v.bin --checkpoint {OUT}/c.ckpt --min-count 1"},
    {"train: --checkpoint equals --output", "train -i {CORPUS} -o {OUT}/v.bin --checkpoint {OUT}/v.bin --min-count 1"},
    {"train: --checkpoint equals the input", "train -i {OUT}/c.txt -o {OUT}/v.bin --checkpoint {OUT}/c.txt --min-count 1"},
    {"train: --resume of a missing file", "train --resume {OUT}/none.ckpt"},
    {"train: --resume with --dim", "train --resume {CKPT} -o {OUT}/v.bin --dim 8"},
    {"train: --resume with --input", "train --resume {CKPT} -i {CORPUS} -o {OUT}/v.bin"},
    {"train: --resume onto itself as --output", "train --resume {OUT}/r.ckpt -o {OUT}/r.ckpt"},
    {"train: --format tsv", "train -i {CORPUS} -o {OUT}/v --format tsv --min-count 1"},
    {"train: --format foo", "train -i {CORPUS} -o {OUT}/v.bin --format foo"},
    {"train: an output name without a known extension", "train -i {CORPUS} -o {OUT}/v.xyz --min-count 1"},
    {"train: --update foo", "train -i {CORPUS} -o {OUT}/v.bin --update foo"},
    {"train: a glove flag without --model glove", "train -i {CORPUS} -o {OUT}/v.bin --x-max 10"},
    // train --model glove.
    {"glove: --x-max 0", "train --model glove -i {CORPUS} -o {OUT}/g.bin --x-max 0"},
    {"glove: --x-max nan", "train --model glove -i {CORPUS} -o {OUT}/g.bin --x-max nan"},
    {"glove: --eta -1", "train --model glove -i {CORPUS} -o {OUT}/g.bin --eta -1"},
    {"glove: --eta inf", "train --model glove -i {CORPUS} -o {OUT}/g.bin --eta inf"},
    {"glove: --alpha-weight nan", "train --model glove -i {CORPUS} -o {OUT}/g.bin --alpha-weight nan"},
    {"glove: --grad-clip -1", "train --model glove -i {CORPUS} -o {OUT}/g.bin --grad-clip -1"},
    {"glove: --glove-vectors foo", "train --model glove -i {CORPUS} -o {OUT}/g.bin --glove-vectors foo"},
    {"glove: --memory 0", "train --model glove -i {CORPUS} -o {OUT}/g.bin --memory 0"},
    {"glove: --memory -1", "train --model glove -i {CORPUS} -o {OUT}/g.bin --memory -1"},
    {"glove: --max-open 1", "train --model glove -i {CORPUS} -o {OUT}/g.bin --max-open 1"},
    {"glove: --window 0", "train --model glove -i {CORPUS} -o {OUT}/g.bin --window 0"},
    {"glove: --dim 0", "train --model glove -i {CORPUS} -o {OUT}/g.bin --dim 0"},
    {"glove: --epochs 0", "train --model glove -i {CORPUS} -o {OUT}/g.bin --epochs 0"},
    {"glove: --threads -1", "train --model glove -i {CORPUS} -o {OUT}/g.bin --threads -1"},
    {"glove: --seed -1", "train --model glove -i {CORPUS} -o {OUT}/g.bin --seed -1"},
    {"glove: --loss hs", "train --model glove -i {CORPUS} -o {OUT}/g.bin --loss hs"},
    {"glove: --alpha (word2vec's)", "train --model glove -i {CORPUS} -o {OUT}/g.bin --alpha 0.1"},
    {"glove: --checkpoint-every 0", "train --model glove -i {CORPUS} -o {OUT}/g.bin --checkpoint {OUT}/c.ckpt --checkpoint-every 0"},
    {"glove: --cooccur without --read-vocab", "train --model glove --cooccur {COOC} -o {OUT}/g.bin"},
    {"glove: --cooccur and --input", "train --model glove --cooccur {COOC} --read-vocab {GVOCAB} -i {CORPUS} -o {OUT}/g.bin"},
    {"glove: --save-cooccur with --cooccur",
     "train --model glove --cooccur {COOC} --read-vocab {GVOCAB} -o {OUT}/g.bin --save-cooccur {OUT}/x.cooc"},
    {"glove: no input", "train --model glove -o {OUT}/g.bin"},
    {"glove: no output", "train --model glove -i {CORPUS}"},
    {"glove: --format tsv", "train --model glove -i {CORPUS} -o {OUT}/g --format tsv --min-count 1"},
    {"glove: --output equals the input", "train --model glove -i {OUT}/c.txt -o {OUT}/c.txt --min-count 1"},
    {"glove: --save-cooccur equals --output",
     "train --model glove -i {CORPUS} -o {OUT}/g.bin --save-cooccur {OUT}/g.bin --min-count 1"},
    {"glove: --output equals --cooccur", "train --model glove --cooccur {OUT}/c.txt --read-vocab {GVOCAB} -o {OUT}/c.txt"},
    // cooccur.
    {"cooccur: no input", "cooccur -o {OUT}/c.cooc"},
    {"cooccur: no output", "cooccur -i {CORPUS}"},
    {"cooccur: --window 0", "cooccur -i {CORPUS} -o {OUT}/c.cooc --window 0"},
    {"cooccur: --window 5000", "cooccur -i {CORPUS} -o {OUT}/c.cooc --window 5000", "--window must be in [1, 1000]"},
    {"cooccur: --memory 0", "cooccur -i {CORPUS} -o {OUT}/c.cooc --memory 0"},
    {"cooccur: --memory nan", "cooccur -i {CORPUS} -o {OUT}/c.cooc --memory nan"},
    {"cooccur: --max-open 1", "cooccur -i {CORPUS} -o {OUT}/c.cooc --max-open 1"},
    {"cooccur: --threads -1", "cooccur -i {CORPUS} -o {OUT}/c.cooc --threads -1"},
    {"cooccur: --min-count 0", "cooccur -i {CORPUS} -o {OUT}/c.cooc --min-count 0"},
    {"cooccur: --seed -1", "cooccur -i {CORPUS} -o {OUT}/c.cooc --seed -1"},
    {"cooccur: --tmp-dir missing", "cooccur -i {CORPUS} -o {OUT}/c.cooc --tmp-dir {OUT}/nope"},
    {"cooccur: --vocab and --save-vocab", "cooccur -i {CORPUS} -o {OUT}/c.cooc --vocab {GVOCAB} --save-vocab {OUT}/v.txt"},
    {"cooccur: --output equals the input", "cooccur -i {OUT}/c.txt -o {OUT}/c.txt --min-count 1"},
    {"cooccur: --save-vocab equals --output", "cooccur -i {CORPUS} -o {OUT}/c.cooc --save-vocab {OUT}/c.cooc --min-count 1"},
    // sentiment.
    {"sentiment: no subcommand", "sentiment"},
    {"sentiment: unknown subcommand", "sentiment fly"},
    {"sentiment train: no --vectors", "sentiment train --train {STRAIN} --dev {SDEV} --model {OUT}/m.sent"},
    {"sentiment train: no --model", "sentiment train --vectors {SVEC} --train {STRAIN} --dev {SDEV}"},
    {"sentiment train: --cell foo", kSentTrain + " --model {OUT}/m.sent --cell foo"},
    {"sentiment train: --pooling foo", kSentTrain + " --model {OUT}/m.sent --pooling foo"},
    {"sentiment train: --hidden 0", kSentFlags + " --hidden 0", "--hidden must be in [1, 8192], not 0"},
    {"sentiment train: --hidden 100000", kSentFlags + " --hidden 100000", "--hidden must be in [1, 8192]"},
    {"sentiment train: --layers 0", kSentTrain + " --model {OUT}/m.sent --layers 0"},
    {"sentiment train: --dropout 1.5", kSentTrain + " --model {OUT}/m.sent --dropout 1.5"},
    {"sentiment train: --dropout nan", kSentTrain + " --model {OUT}/m.sent --dropout nan"},
    {"sentiment train: --lr -1", kSentTrain + " --model {OUT}/m.sent --lr -1"},
    {"sentiment train: --lr inf", kSentTrain + " --model {OUT}/m.sent --lr inf"},
    {"sentiment train: --clip nan", kSentTrain + " --model {OUT}/m.sent --clip nan"},
    {"sentiment train: --batch 0", kSentTrain + " --model {OUT}/m.sent --batch 0"},
    {"sentiment train: --bucket 0", kSentTrain + " --model {OUT}/m.sent --bucket 0"},
    {"sentiment train: --epochs 0", kSentFlags + " --epochs 0", "--epochs must be in [1, 100000], not 0"},
    {"sentiment train: --patience -1", kSentTrain + " --model {OUT}/m.sent --patience -1"},
    {"sentiment train: --max-len -1", kSentFlags + " --max-len -1", "--max-len must be in [0, 1e6] (0: all), not -1"},
    {"sentiment train: --max-vocab -1", kSentTrain + " --model {OUT}/m.sent --max-vocab -1"},
    {"sentiment train: --threads -1", kSentFlags + " --threads -1", "--threads must be in [0, 1024]"},
    {"sentiment train: --seed -1", kSentTrain + " --model {OUT}/m.sent --seed -1"},
    {"sentiment train: --parallel foo", kSentTrain + " --model {OUT}/m.sent --parallel foo"},
    {"sentiment train: --model equals --train",
     "sentiment train --vectors {SVEC} --train {OUT}/t.tsv --dev {SDEV} --model {OUT}/t.tsv" + kSentArgs},
    {"sentiment eval: no --model", "sentiment eval --data {SDEV}"},
    {"sentiment eval: no --data", "sentiment eval --model {SMODEL}"},
    {"sentiment eval: --threads -1", "sentiment eval --model {SMODEL} --data {SDEV} --threads -1"},
    {"sentiment eval: --label-column missing", "sentiment eval --model {SMODEL} --data {SDEV} --label-column nope"},
    {"sentiment predict: no --model", "sentiment predict {STRAIN}"},
    {"sentiment tokenize: no --data", "sentiment tokenize"},
    {"sentiment tokenize: --format foo", "sentiment tokenize --data {STRAIN} --format foo"},
    {"sentiment tokenize: --max-len -1", "sentiment tokenize --data {STRAIN} --max-len -1"},
    {"sentiment tokenize: --output equals --data", "sentiment tokenize --data {OUT}/t.tsv --output {OUT}/t.tsv"},
    {"sentiment predict: --threads -1", "sentiment predict --model {SMODEL} {STRAIN} --threads -1"},
    // export, info, plot.
    {"export: no arguments", "export"},
    {"export: no output", "export {VEC}"},
    {"export: --format foo", "export {VEC} {OUT}/x.bin --format foo"},
    {"export: an output name without a known extension", "export {VEC} {OUT}/x.xyz"},
    {"export: --input-format tsv", "export {VEC} {OUT}/x.bin --input-format tsv"},
    {"export: --input-format native (a text file)", "export {VEC} {OUT}/x.bin --input-format native"},
    {"export: --limit -1", "export {VEC} {OUT}/x.bin --limit -1"},
    {"export: tsv onto a file", "export {VEC} {OUT}/c.txt --format tsv"},
    {"export: onto the input", "export {OUT}/v.txt {OUT}/v.txt --format w2v-bin"},
    {"info: no file", "info"},
    {"info: --limit -1", "info {VEC} --limit -1", "--limit must be in [0, 1e9]"},
    {"info: --format npy", "info {VEC} --format npy"},
    {"info: --format glove (a word2vec file)", "info {VEC} --format glove"},
    {"plot: no --out", "plot {VEC} --words w0,w1"},
    {"plot: --out x.jpg", "plot {VEC} --words w0,w1 -o {OUT}/m.jpg"},
    {"plot: neither --words nor --top", "plot {VEC} -o {OUT}/m.svg"},
    {"plot: both --words and --top", "plot {VEC} --words w0,w1 --top 3 -o {OUT}/m.svg"},
    {"plot: --top 1", "plot {VEC} --top 1 -o {OUT}/m.svg"},
    {"plot: --top -5", "plot {VEC} --top -5 -o {OUT}/m.svg"},
    {"plot: one known word", "plot {VEC} --words w0,nosuch -o {OUT}/m.svg"},
    {"plot: --method foo", "plot {VEC} --words w0,w1 --method foo -o {OUT}/m.svg"},
    {"plot: --metric foo", "plot {VEC} --words w0,w1 --metric foo -o {OUT}/m.svg"},
    {"plot: --perplexity 0", "plot {VEC} --words w0,w1,w2 --method tsne --perplexity 0 -o {OUT}/m.svg"},
    {"plot: --perplexity nan", "plot {VEC} --words w0,w1,w2 --method tsne --perplexity nan -o {OUT}/m.svg"},
    {"plot: --iterations 0", "plot {VEC} --words w0,w1,w2 --method tsne --iterations 0 -o {OUT}/m.svg"},
    {"plot: --learning-rate -1", "plot {VEC} --words w0,w1,w2 --method tsne --learning-rate -1 -o {OUT}/m.svg"},
    {"plot: --width 50", "plot {VEC} --words w0,w1 --width 50 -o {OUT}/m.svg"},
    {"plot: --width 99999", "plot {VEC} --words w0,w1 --width 99999 -o {OUT}/m.svg"},
    {"plot: --font-size 1", "plot {VEC} --words w0,w1 --font-size 1 -o {OUT}/m.svg"},
    {"plot: --font-size nan", "plot {VEC} --words w0,w1 --font-size nan -o {OUT}/m.svg"},
    {"plot: --threads -1", "plot {VEC} --words w0,w1 --threads -1 -o {OUT}/m.svg"},
    // One --threads rule for every command (resolveThreads): a million threads crashed OpenMP.
    {"plot: --threads 1000000", "plot {VEC} --words w0,w1,w2 --method tsne --threads 1000000 -o {OUT}/m.svg"},
    {"sentiment eval: --threads 1000000", "sentiment eval --model {SMODEL} --data {SDEV} --threads 1000000"},
    {"sentiment predict: --threads 1000000", "sentiment predict --model {SMODEL} {STRAIN} --threads 1000000"},
    {"sentiment train: --threads 1025", kSentFlags + " --threads 1025", "--threads must be in [0, 1024]"},
    {"eval: --threads 1000000", "eval {VEC} --analogy {Q} --threads 1000000"},
    {"cooccur: --threads 1000000", "cooccur -i {CORPUS} -o {OUT}/c.cooc --threads 1000000"},
    {"glove: --threads 1000000", "train --model glove -i {CORPUS} -o {OUT}/g.bin --threads 1000000"},
    {"plot: --seed -1", "plot {VEC} --words w0,w1,w2 --method tsne --seed -1 -o {OUT}/m.svg"},
    // Every numeric flag has a finite range (Range, core/range_check.h), named in the message.
    {"train: --alpha -1 (no longer 'the default')", kTrainFlags + " --alpha -1", "--alpha must be in (0, 1], not -1"},
    {"train: --alpha 1e9", kTrainFlags + " --alpha 1e9", "--alpha must be in (0, 1], not 1e9"},
    {"train: --alpha 0", kTrainFlags + " --alpha 0", "--alpha must be in (0, 1]"},
    {"train: --min-alpha above --alpha", kTrainFlags + " --alpha 0.05 --min-alpha 0.1", "--min-alpha must be in [0, 0.05]"},
    {"train: --min-alpha -1", kTrainFlags + " --min-alpha -1", "--min-alpha must be in [0, 0.025]"},
    {"train: --sample 1", kTrainFlags + " --sample 1", "--sample must be in [0, 1) (0: off)"},
    {"train: --sample inf", kTrainFlags + " --sample inf", "--sample must be in [0, 1)"},
    {"train: --window 5000", kTrainFlags + " --window 5000", "--window must be in [1, 1000]"},
    {"train: --negative 5000", kTrainFlags + " --negative 5000", "--negative must be in [1, 1000]"},
    {"train: --epochs 1000000", kTrainFlags + " --epochs 1000000", "--epochs must be in [1, 100000]"},
    {"train: --min-count 0 (the bound)", "train -i {CORPUS} -o {OUT}/v.bin --min-count 0", "--min-count must be in [1, 1e12]"},
    {"train: --max-vocab 2000000000", kTrainFlags + " --max-vocab 2000000000", "--max-vocab must be in [0, 1e9] (0: all)"},
    {"train: --prune-at 999", kTrainFlags + " --prune-at 999", "--prune-at must be in [1000, 1e9]"},
    {"train: --max-sentence 2000000", kTrainFlags + " --max-sentence 2000000", "--max-sentence must be in [1, 1e6]"},
    {"train: --checkpoint-every 1e12", kTrainFlags + " --checkpoint {OUT}/c.ckpt --checkpoint-every 1e12",
     "--checkpoint-every must be in (0, 1e9]"},
    {"train: --checkpoint-every inf", kTrainFlags + " --checkpoint {OUT}/c.ckpt --checkpoint-every inf",
     "--checkpoint-every must be in (0, 1e9]"},
    {"train: --threads 1025", kTrainFlags + " --threads 1025", "--threads must be in [0, 1024] (0: all cores)"},
    {"train: --min-count 0 with --read-vocab", "train -i {CORPUS} -o {OUT}/v.bin --read-vocab {VOCAB} --min-count 0",
     "--min-count must be in"},
    {"glove: --x-max inf", kGloveFlags + " --x-max inf", "--x-max must be in (0, 1e9]"},
    {"glove: --alpha-weight 11", kGloveFlags + " --alpha-weight 11", "--alpha-weight must be in [0, 10]"},
    {"glove: --eta 100", kGloveFlags + " --eta 100", "--eta must be in (0, 10]"},
    {"glove: --grad-clip 1e7", kGloveFlags + " --grad-clip 1e7", "--grad-clip must be in [0, 1e6] (0: off)"},
    {"glove: --memory 1e7", kGloveFlags + " --memory 1e7", "--memory must be in (0, 1e6]"},
    {"glove: --max-open 200000", kGloveFlags + " --max-open 200000", "--max-open must be in [2, 100000]"},
    {"glove: --dim 10001", kGloveFlags + " --dim 10001", "--dim must be in [1, 10000]"},
    {"glove: --min-count 0 with --cooccur",
     "train --model glove --cooccur {COOC} --read-vocab {GVOCAB} -o {OUT}/g.bin --min-count 0", "--min-count must be in"},
    {"cooccur: --memory -1e-9", "cooccur -i {CORPUS} -o {OUT}/c.cooc --memory -1e-9", "--memory must be in (0, 1e6]"},
    {"cooccur: --prune-at 10", "cooccur -i {CORPUS} -o {OUT}/c.cooc --prune-at 10", "--prune-at must be in [1000, 1e9]"},
    {"cooccur: --max-vocab -1 with --vocab", "cooccur -i {CORPUS} -o {OUT}/c.cooc --vocab {GVOCAB} --max-vocab -1",
     "--max-vocab must be in [0, 1e9]"},
    {"vocab: --min-count 10000000000000", "vocab -i {CORPUS} -o {OUT}/v.txt --min-count 10000000000000",
     "--min-count must be in [1, 1e12]"},
    {"vocab: --prune-at 2000000000", "vocab -i {CORPUS} -o {OUT}/v.txt --prune-at 2000000000", "--prune-at must be in [1000, 1e9]"},
    {"neighbors: -k 2000000", "neighbors {VEC} w0 -k 2000000", "-k must be in [1, 1e6]"},
    {"neighbors: --restrict 2000000000", "neighbors {VEC} w0 --restrict 2000000000", "--restrict must be in [0, 1e9] (0: all words)"},
    {"neighbors: --limit 2000000000", "neighbors {VEC} w0 --limit 2000000000", "--limit must be in [0, 1e9] (0: all rows)"},
    {"analogy: -k 2000000", "analogy {VEC} w0 w1 w2 -k 2000000", "-k must be in [1, 1e6]"},
    {"eval: --restrict 2000000000", "eval {VEC} --analogy {Q} --restrict 2000000000", "--restrict must be in [0, 1e9]"},
    {"eval: --limit -1", "eval {VEC} --analogy {Q} --limit -1", "--limit must be in [0, 1e9]"},
    {"export: --limit 2000000000", "export {VEC} {OUT}/x.bin --limit 2000000000", "--limit must be in [0, 1e9]"},
    {"plot: --perplexity 1e5", kTsneFlags + " --perplexity 1e5", "--perplexity must be in (0, 10000]"},
    {"plot: --perplexity inf", kTsneFlags + " --perplexity inf", "--perplexity must be in (0, 10000]"},
    {"plot: --iterations 1000000", kTsneFlags + " --iterations 1000000", "--iterations must be in [1, 100000]"},
    // A step size of 1e30 drew an SVG of cx="-nan" (the positions diverged).
    {"plot: --learning-rate 1e30", kTsneFlags + " --learning-rate 1e30", "--learning-rate must be 0 (auto) or in (0, 100000]"},
    {"plot: --learning-rate inf", kTsneFlags + " --learning-rate inf", "--learning-rate must be 0 (auto) or in (0, 100000]"},
    {"plot: --learning-rate nan", kTsneFlags + " --learning-rate nan", "--learning-rate must be"},
    {"plot: --height 50", "plot {VEC} --words w0,w1 --height 50 -o {OUT}/m.svg", "--height must be 0 (auto) or in [100, 20000]"},
    {"plot: --font-size 300", "plot {VEC} --words w0,w1 --font-size 300 -o {OUT}/m.svg", "--font-size must be in [4, 200]"},
    {"plot: --top 20000", "plot {VEC} --top 20000 -o {OUT}/m.svg", "--top must be in [2, 10000]"},
    {"plot: --limit -1", "plot {VEC} --words w0,w1 --limit -1 -o {OUT}/m.svg", "--limit must be in [0, 1e9]"},
    {"sentiment train: --lr 100", kSentTrain + " --model {OUT}/m.sent --lr 100", "--lr must be in (0, 10]"},
    {"sentiment train: --batch 1000000", kSentTrain + " --model {OUT}/m.sent --batch 1000000", "--batch must be in [1, 100000]"},
    {"sentiment train: --epochs 1000000", kSentFlags + " --epochs 1000000", "--epochs must be in [1, 100000]"},
    {"sentiment train: --patience 1000000", kSentTrain + " --model {OUT}/m.sent --patience 1000000",
     "--patience must be in [0, 100000] (0: no early stopping)"},
    {"sentiment train: --dropout 1", kSentTrain + " --model {OUT}/m.sent --dropout 1", "--dropout must be in [0, 1)"},
    {"sentiment train: --clip 1e7", kSentTrain + " --model {OUT}/m.sent --clip 1e7", "--clip must be in [0, 1e6] (0: off)"},
    {"sentiment train: --max-len 2000000", kSentFlags + " --max-len 2000000", "--max-len must be in [0, 1e6] (0: all)"},
    {"sentiment train: --max-vocab 2000000000", kSentTrain + " --model {OUT}/m.sent --max-vocab 2000000000",
     "--max-vocab must be in [0, 1e9] (0: all)"},
    {"sentiment train: --layers 17", kSentTrain + " --model {OUT}/m.sent --layers 17", "--layers must be in [1, 16]"},
    {"sentiment train: --bucket 1000000", kSentTrain + " --model {OUT}/m.sent --bucket 1000000", "--bucket must be in [1, 100000]"},
    {"sentiment train: --checkpoint-every 0", kSentTrain + " --model {OUT}/m.sent --checkpoint {OUT}/c.ckpt --checkpoint-every 0",
     "--checkpoint-every must be in (0, 1e9]"},
    {"sentiment tokenize: --max-len 2000000", "sentiment tokenize --data {STRAIN} --max-len 2000000", "--max-len must be in [0, 1e6]"},
    {"phrases: --min-count 0", kPhrasesFlags + " --min-count 0", "--min-count must be at least 1"},
    {"phrases: --threshold nan", kPhrasesFlags + " --threshold nan", "--threshold"},
    {"phrases: --threshold 0", kPhrasesFlags + " --threshold 0", "--threshold must be positive"},
    {"phrases: --scoring npmi --threshold 5", kPhrasesFlags + " --scoring npmi --threshold 5",
     "--threshold must be between -1 and 1"},
    {"phrases: --scoring bogus", kPhrasesFlags + " --scoring bogus", "--scoring"},
    {"phrases: --max-vocab 0", kPhrasesFlags + " --max-vocab 0", "--max-vocab must be at least 1"},
    {"phrases: --passes 0", kPhrasesFlags + " --passes 0", "--passes"},
    {"phrases: --threads -1", kPhrasesFlags + " --threads -1", "--threads"},
    {"phrases: --phrases missing", kPhrasesFlags + " --phrases {OUT}/nope.tsv", "nope.tsv"},
    {"phrases: --phrases a corpus, not a table", kPhrasesFlags + " --phrases {OUT}/c.txt",
     "--phrases"},
    {"phrases: --phrases with --passes", kPhrasesFlags + " --phrases {PTABLE} --passes 2", "--passes"},
    {"phrases: --output equals the input", "phrases -i {OUT}/c.txt -o {OUT}/c.txt"},
    {"phrases: no output", "phrases -i {CORPUS}"},
    {"train: --phrases missing", kTrainFlags + " --phrases {OUT}/nope.tsv", "--phrases: cannot open"},
    {"train: --phrases a corpus, not a table", kTrainFlags + " --phrases {OUT}/c.txt", "--phrases"},
    {"train: --phrases an empty table", kTrainFlags + " --phrases /dev/null", "--phrases"},
    {"train: --phrases with --checkpoint", kTrainFlags + " --phrases {PTABLE} --checkpoint {OUT}/c.ckpt",
     "--phrases cannot be checkpointed"},
    {"train: --phrases equals --output", "train -i {CORPUS} --phrases {OUT}/v.txt -o {OUT}/v.txt --min-count 1"},
    {"train --model glove: --phrases", kGloveFlags + " --phrases {PTABLE}", "--phrases does not apply to --model glove"},
};
}  // namespace

TEST_CASE("error matrix: nonsensical flags") {
  Fixture fx;
  testutil::writeGzip(fx.d.file("c.gz"), goodCorpus());
  // Inputs inside the output directory, which the flags may name as outputs too.
  const std::map<std::string, std::string> inputs = {{"c.txt", goodCorpus()},
                                                     {"v.txt", textVectors(kVocabWords)},
                                                     {"t.tsv", sentimentTsv(20, 1)},
                                                     {"r.ckpt", testutil::readFile(fx.ckpt)}};
  for (const auto& [name, args, mention] : kBadFlags) {
    INFO("case: " << name);
    const std::string out = fx.newOutDir();
    for (const auto& [f, content] : inputs) testutil::writeFile(out + "/" + f, content);
    auto vars = fx.vars("", out, "1");
    vars["{GZ}"] = fx.d.file("c.gz");
    std::vector<std::string> argv{kBin};
    for (const auto& a : testutil::splitWords(args)) argv.push_back(substitute(a, vars));
    const auto r = testutil::runProcess(argv, out);
    checkNoCrash(r);
    for (const auto& [f, content] : inputs) {
      CHECK(testutil::readFile(out + "/" + f) == content);  // an input is never overwritten
      std::filesystem::remove(out + "/" + f);
    }
    checkCleanFailure(r, subcommandOf(args), out, mention.empty() ? std::vector<std::string>{} : std::vector<std::string>{mention});
  }
}

TEST_CASE("error matrix: a full disk (1 MB tmpfs) - clean error, no temporary file, the old output untouched") {
  TempDir d;
  testutil::TmpfsMount full(d.file("full"), "size=1m");
  if (!full.ok()) {
    MESSAGE("full-disk test skipped: " << full.why());
    return;
  }
  // 120,000 distinct words, each twice: a 1.3 MB vocabulary and a 2.6 MB corpus.
  std::string corpus;
  char w[16];
  for (int rep = 0; rep < 2; ++rep)
    for (int i = 0; i < 120000; ++i) {
      std::snprintf(w, sizeof w, "word%06d", i);
      corpus += w;
      corpus += (i % 20 == 19) ? '\n' : ' ';
    }
  const std::string in = d.file("corpus.txt");
  testutil::writeFile(in, corpus);
  testutil::writeGzip(d.file("corpus.txt.gz"), corpus);
  const std::string small = " --max-vocab 3000 --dim 100 --epochs 1 --threads 2 -q --min-count 2";
  const std::string many = " --max-vocab 30000 --dim 4 --epochs 1 --threads 2 --window 2 -q --min-count 2";
  struct Case {
    std::string name, args, dest;  // dest: the output on the full disk ("" : only temporary files go there)
  };
  const std::vector<Case> cases = {
      {"train --output (1.2 MB of vectors)", "train -i {IN} -o {FULL}/v.bin" + small, "v.bin"},
      {"train --output-context", "train -i {IN} -o {OUT}/v.bin --output-context {FULL}/c.txt" + small, "c.txt"},
      {"train --save-vocab", "train -i {IN} -o {OUT}/v.bin --save-vocab {FULL}/vocab.txt --min-count 2 --dim 4 --epochs 1 -q",
       "vocab.txt"},
      {"vocab --output", "vocab -i {IN} -o {FULL}/vocab.txt --min-count 1 -q", "vocab.txt"},
      {"train: .gz input spooled to --tmp-dir", "train -i {GZ} -o {OUT}/v.bin --tmp-dir {FULL}" + small, ""},
      {"train --checkpoint (2.4 MB)",
       "train -i {IN} -o {OUT}/v.bin --checkpoint {FULL}/c.ckpt --checkpoint-every 0.001 --epochs 20 --max-vocab 3000 "
       "--dim 100 --threads 2 -q --min-count 2",
       "c.ckpt"},
      {"train --model glove --output", "train --model glove -i {IN} -o {FULL}/g.bin --tmp-dir {OUT} --memory 0.1" + small,
       "g.bin"},
      {"train --model glove: counts (2 MB) in --tmp-dir",
       "train --model glove -i {IN} -o {OUT}/g.bin --tmp-dir {FULL} --memory 0.1" + many, ""},
      {"train --model glove --save-cooccur (2 MB)",
       "train --model glove -i {IN} -o {OUT}/g.bin --save-cooccur {FULL}/c.cooc --tmp-dir {OUT} --memory 0.1" + many,
       "c.cooc"},
      {"cooccur --output (12 MB of records)", "cooccur -i {IN} -o {FULL}/c.cooc --min-count 2 --window 2 --memory 0.1 -q",
       "c.cooc"},
      {"export (npy)", "export {BIGVEC} {FULL}/e.npy -q", "e.npy"},
      {"export (tsv): the directory made for it is removed again", "export {BIGVEC} {FULL}/tsv --format tsv -q", ""},
      {"export (native)", "export {BIGVEC} {FULL}/e.wev -q", "e.wev"},
  };
  // 3000 x 100 vectors (1.2 MB in any format) to export.
  {
    Matrix m(3000, 100);
    m.uniform(1.f, 5);
    std::vector<std::string> words;
    for (int i = 0; i < 3000; ++i) words.push_back("v" + std::to_string(i));
    wembed::saveVectors(d.file("big.bin"), words, m, VectorFormat::kWord2vecBinary);
  }
  int n = 0;
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    const std::string out = d.subdir("out" + std::to_string(n++));
    const std::string old = "the old output, which must survive\n";
    if (!c.dest.empty()) testutil::writeFile(full.path() + "/" + c.dest, old);
    std::vector<std::string> argv{kBin};
    for (const auto& a : testutil::splitWords(c.args))
      argv.push_back(substitute(a, {{"{IN}", in},
                                    {"{GZ}", d.file("corpus.txt.gz")},
                                    {"{OUT}", out},
                                    {"{FULL}", full.path()},
                                    {"{BIGVEC}", d.file("big.bin")}}));
    const auto r = testutil::runProcess(argv, out);
    checkNoCrash(r);
    checkCleanFailure(r, subcommandOf(c.args), out, {"No space left on device"});
    if (!c.dest.empty()) {
      CHECK(testutil::readFile(full.path() + "/" + c.dest) == old);
      CHECK(testutil::listDir(full.path()) == std::vector<std::string>{c.dest});
      std::filesystem::remove(full.path() + "/" + c.dest);
    } else {
      CHECK(testutil::listDir(full.path()).empty());
    }
  }
}

TEST_CASE("error matrix: SIGTERM or SIGINT mid-run leaves no spool file and no output") {
  TempDir d;
  for (int sig : {SIGTERM, SIGINT}) {
    INFO("signal " << sig);
    const std::string spool = d.subdir("spool" + std::to_string(sig));
    const std::string out = d.subdir("out" + std::to_string(sig));
    // stdin holds the corpus and stays open: wembed is spooling it. Wait for the spool file.
    int fds[2];
    REQUIRE(::pipe2(fds, O_CLOEXEC) == 0);  // the child keeps only its stdin
    const std::string text = goodCorpus();    // fits in the pipe
    CHECK(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    const auto r = testutil::runUntil({kBin, "train", "-i", "-", "-o", out + "/v.bin", "--tmp-dir", spool, "-q"},
                                      [&] { return !testutil::listDir(spool).empty(); }, std::chrono::seconds(5), sig,
                                      fds[0], true);
    ::close(fds[0]);
    ::close(fds[1]);
    CHECK(r.ready);
    CHECK(WIFSIGNALED(r.status));
    if (WIFSIGNALED(r.status)) CHECK(WTERMSIG(r.status) == sig);
    CHECK(testutil::listDir(spool).empty());
    CHECK(testutil::listDir(out).empty());
  }
  // cooccur spilling sorted runs into its private directory under --tmp-dir:
  // the run files and the directory go too.
  std::string corpus;
  std::mt19937 rng(9);
  for (int line = 0; line < 120000; ++line) {
    for (int i = 0; i < 12; ++i) corpus += "w" + std::to_string(rng() % 40000) + " ";
    corpus += "\n";
  }
  testutil::writeFile(d.file("big.txt"), corpus);
  const std::string tmp = d.subdir("cooc-tmp"), out = d.subdir("cooc-out");
  const auto r = testutil::runUntil(
      {kBin, "cooccur", "-i", d.file("big.txt"), "-o", out + "/c.cooc", "--tmp-dir", tmp, "--memory", "0.001",
       "--min-count", "1", "--threads", "1", "-q"},
      [&] {
        for (const auto& sub : testutil::listDir(tmp))
          if (std::filesystem::is_directory(tmp + "/" + sub) && !testutil::listDir(tmp + "/" + sub).empty()) return true;
        return false;
      },
      std::chrono::seconds(15), SIGTERM, -1, true);
  CHECK(r.ready);  // spilled
  CHECK(WIFSIGNALED(r.status));
  CHECK(testutil::listDir(tmp).empty());
  CHECK(testutil::listDir(out).empty());
}

// --- the core I/O layer: links, long names, signals at commit, pipes and
// devices, xz, quoting (issue 16) --------------------------------------------

namespace {

// wembed with argv, killed after 60 s (a hang fails the case, never the suite).
testutil::ProcResult runBounded(const std::vector<std::string>& args, const std::string& cwd,
                                const std::string& stdin_path = "/dev/null") {
  std::vector<std::string> argv{"/usr/bin/timeout", "-s", "KILL", "60", kBin};
  argv.insert(argv.end(), args.begin(), args.end());
  return testutil::runProcess(argv, cwd, "", stdin_path);
}

// A shell script (bash: <(...)), killed after 60 s; {BIN} is wembed.
testutil::ProcResult runScript(const std::string& script, const std::string& cwd) {
  return testutil::runProcess({"/usr/bin/timeout", "-s", "KILL", "60", "/bin/bash", "-c",
                               substitute(script, {{"{BIN}", kBin}})},
                              cwd);
}

std::vector<std::string> argsOf(const std::string& args, const std::map<std::string, std::string>& vars) {
  std::vector<std::string> out;
  for (const auto& a : testutil::splitWords(args)) out.push_back(substitute(a, vars));
  return out;
}

bool printable(const std::string& err) {
  for (char c : err)
    if (c == '\x1b' || c == '\0' || c == '\r') return false;
  return true;
}

std::string xzOf(const std::string& path) {
  REQUIRE(testutil::run("xz -k -f '" + path + "'", "/tmp").status == 0);
  return path + ".xz";
}

}  // namespace

// --- one file under two names ------------------------------------------------------
//
// An output that is an input, or two outputs that are one file, whatever the
// names: a file written beside the one named (a .npy matrix's word list, the
// counts kept beside a GloVe checkpoint), a hard or symbolic link, 'a/../x',
// or an input a resumed run takes from its checkpoint. Refused before any
// work: one line naming both flags, exit 1, every file as it was, nothing new.

namespace {

// files: made in {OUT} first. Content: a fixture's name ({CORPUS}, {VEC},
// ...) for a copy of it, "=NAME" a hard link to NAME, "->NAME" a symbolic
// link, "/" a directory (a name ending in '/').
struct Collision {
  std::string name;
  std::vector<std::pair<std::string, std::string>> files;
  std::string args;
  std::string message;  // the error line holds it
};

const std::vector<Collision> kCollisions = {
    // Files written beside the one named.
    {"train: -o x.npy writes x.vocab.txt, the corpus", {{"x.vocab.txt", "{CORPUS}"}},
     "train -i {OUT}/x.vocab.txt -o {OUT}/x.npy --min-count 1" + kTrainArgs, "of --output"},
    {"train: --output-context x.npy writes x.vocab.txt, the corpus", {{"x.vocab.txt", "{CORPUS}"}},
     "train -i {OUT}/x.vocab.txt -o {OUT}/v.npy --output-context {OUT}/x.npy --min-count 1" + kTrainArgs,
     "of --output-context"},
    {"train: --save-vocab is the word list of -o v.npy", {{"c.txt", "{CORPUS}"}},
     "train -i {OUT}/c.txt -o {OUT}/v.npy --save-vocab {OUT}/v.vocab.txt --min-count 1" + kTrainArgs,
     "name the same file"},
    {"glove: -o x.npy writes x.vocab.txt, the --read-vocab file", {{"x.vocab.txt", "{GVOCAB}"}},
     "train --model glove --cooccur {COOC} --read-vocab {OUT}/x.vocab.txt -o {OUT}/x.npy --min-count 1" + kGloveArgs,
     "of --output"},
    {"glove: the corpus is the counts kept beside --checkpoint", {{"c.ckpt.cooccur", "{CORPUS}"}},
     "train --model glove -i {OUT}/c.ckpt.cooccur -o {OUT}/g.bin --checkpoint {OUT}/c.ckpt --min-count 1" + kGloveArgs,
     "of --checkpoint"},
    {"glove: --output is the counts kept beside --checkpoint", {{"c.txt", "{CORPUS}"}},
     "train --model glove -i {OUT}/c.txt -o {OUT}/c.ckpt.cooccur --format w2v-bin --checkpoint {OUT}/c.ckpt "
     "--min-count 1" + kGloveArgs,
     "name the same file"},
    {"glove: --save-vocab is the counts kept beside --checkpoint", {{"c.txt", "{CORPUS}"}},
     "train --model glove -i {OUT}/c.txt -o {OUT}/g.bin --save-vocab {OUT}/c.ckpt.cooccur --checkpoint {OUT}/c.ckpt "
     "--min-count 1" + kGloveArgs,
     "name the same file"},
    {"export: OUT x.npy writes x.vocab.txt, which is IN", {{"x.vocab.txt", "{VEC}"}},
     "export {OUT}/x.vocab.txt {OUT}/x.npy -q", "is also an input"},
    {"export: OUT is the word list IN x.npy is read with", {{"x.npy", "{NPY}"}, {"x.vocab.txt", "{NPYWORDS}"}},
     "export {OUT}/x.npy {OUT}/x.vocab.txt -q", "of IN"},
    {"export: a tsv directory holding IN", {{"d/", "/"}, {"d/vectors.tsv", "{VEC}"}},
     "export {OUT}/d/vectors.tsv {OUT}/d --format tsv -q", "of OUT"},
    {"sentiment train: --model-file is the word list of --vectors x.npy",
     {{"x.npy", "{SNPY}"}, {"x.vocab.txt", "{SNPYWORDS}"}},
     "sentiment train --vectors {OUT}/x.npy --train {STRAIN} --dev {SDEV} --model {OUT}/x.vocab.txt" + kSentArgs,
     "of --vectors"},
    // The same file under another name.
    {"train: --output is a hard link of the corpus", {{"c.txt", "{CORPUS}"}, {"h.txt", "=c.txt"}},
     "train -i {OUT}/c.txt -o {OUT}/h.txt --min-count 1" + kTrainArgs, "is also an input (--input"},
    {"train: --save-vocab is a symbolic link to the corpus", {{"c.txt", "{CORPUS}"}, {"l.txt", "->c.txt"}},
     "train -i {OUT}/c.txt -o {OUT}/v.bin --save-vocab {OUT}/l.txt --min-count 1" + kTrainArgs, "--save-vocab"},
    {"train: --output spelled sub/../c.txt", {{"c.txt", "{CORPUS}"}, {"sub/", "/"}},
     "train -i {OUT}/c.txt -o {OUT}/sub/../c.txt --min-count 1" + kTrainArgs, "is also an input"},
    {"train: --save-vocab spelled sub/../ as --output", {{"sub/", "/"}},
     "train -i {CORPUS} -o {OUT}/v.txt --save-vocab {OUT}/sub/../v.txt --min-count 1" + kTrainArgs,
     "name the same file"},
    {"train: --output is --read-vocab", {{"r.txt", "{VOCAB}"}},
     "train -i {CORPUS} --read-vocab {OUT}/r.txt -o {OUT}/r.txt --min-count 1" + kTrainArgs, "--read-vocab"},
    {"train: --plot-loss is a hard link of the corpus", {{"c.txt", "{CORPUS}"}, {"p.svg", "=c.txt"}},
     "train -i {OUT}/c.txt -o {OUT}/v.bin --plot-loss {OUT}/p.svg --min-count 1" + kTrainArgs, "--plot-loss"},
    {"glove: --plot-loss is --save-cooccur", {},
     "train --model glove -i {CORPUS} -o {OUT}/g.bin --save-cooccur {OUT}/p.svg --plot-loss {OUT}/p.svg "
     "--min-count 1" + kGloveArgs,
     "name the same file"},
    {"glove: --output is --read-vocab", {{"r.txt", "{GVOCAB}"}},
     "train --model glove --cooccur {COOC} --read-vocab {OUT}/r.txt -o {OUT}/r.txt --min-count 1" + kGloveArgs,
     "--read-vocab"},
    {"cooccur: --output is --vocab", {{"v.txt", "{GVOCAB}"}},
     "cooccur -i {CORPUS} --vocab {OUT}/v.txt -o {OUT}/v.txt --min-count 1 --memory 0.05 -q", "--vocab"},
    {"cooccur: --save-vocab is a hard link of the corpus", {{"c.txt", "{CORPUS}"}, {"h.txt", "=c.txt"}},
     "cooccur -i {OUT}/c.txt -o {OUT}/c.cooc --save-vocab {OUT}/h.txt --min-count 1 --memory 0.05 -q", "--save-vocab"},
    {"vocab: --output spelled sub/../c.txt", {{"c.txt", "{CORPUS}"}, {"sub/", "/"}},
     "vocab -i {OUT}/c.txt -o {OUT}/sub/../c.txt --min-count 1 -q", "is also an input"},
    {"plot: --output is a hard link of the vectors", {{"v.txt", "{VEC}"}, {"m.svg", "=v.txt"}},
     "plot {OUT}/v.txt --words w0,w1,w2 -o {OUT}/m.svg", "--vectors"},
    {"sentiment train: --checkpoint is --train", {{"t.tsv", "{STRAIN}"}},
     "sentiment train --vectors {SVEC} --train {OUT}/t.tsv --dev {SDEV} --model {OUT}/m.sent --checkpoint {OUT}/t.tsv" +
         kSentArgs,
     "--train"},
    {"sentiment train: --checkpoint is --vectors", {{"v.txt", "{SVEC}"}},
     "sentiment train --vectors {OUT}/v.txt --train {STRAIN} --dev {SDEV} --model {OUT}/m.sent --checkpoint "
     "{OUT}/v.txt" + kSentArgs,
     "--vectors"},
    {"sentiment train: --plot-loss is --checkpoint", {},
     kSentTrain + " --model {OUT}/m.sent --checkpoint {OUT}/p.svg --plot-loss {OUT}/p.svg", "name the same file"},
    {"sentiment tokenize: --output is a symbolic link to --data", {{"t.tsv", "{STRAIN}"}, {"l.tsv", "->t.tsv"}},
     "sentiment tokenize --data {OUT}/t.tsv --output {OUT}/l.tsv", "--data"},
    // A resumed run: its inputs come from the checkpoint; it may write the checkpoint again, nothing else may.
    {"train --resume: --output is the corpus the checkpoint names", {}, "train --resume {CKPT} -o {CORPUS} -q",
     "--input"},
    {"train --resume: --checkpoint is the corpus the checkpoint names", {},
     "train --resume {CKPT} -o {OUT}/v.bin --checkpoint {CORPUS} -q", "--input"},
    {"train --resume: --plot-loss is the checkpoint", {{"r.svg", "{CKPT}"}},
     "train --resume {OUT}/r.svg -o {OUT}/v.bin --checkpoint {OUT}/c.ckpt --plot-loss {OUT}/r.svg -q", "--resume"},
    {"train --resume: the corpus has the name of a temporary file of --output", {},
     "train --resume {TCKPT} -o {TDIR}/v.bin -q", "has the name of a temporary file of --output"},
    {"train: the corpus has the name of a temporary file of --output", {{"v.bin.tmp.abc123", "{CORPUS}"}},
     "train -i {OUT}/v.bin.tmp.abc123 -o {OUT}/v.bin --checkpoint {OUT}/c.ckpt --min-count 1" + kTrainArgs,
     "temporary file"},
    {"glove --resume: --checkpoint is the counts it keeps", {},
     "train --resume {GCKPT} -o {OUT}/g.bin --checkpoint {GCKPT}.cooccur -q", "of --resume"},
    {"sentiment train --resume: --model-file is the --train file the checkpoint names", {},
     "sentiment train --resume {SCKPT} --model {STRAIN} -q", "--train"},
    {"sentiment train --resume: --checkpoint is the --vectors file the checkpoint names", {},
     "sentiment train --resume {SCKPT} --model {OUT}/m.sent --checkpoint {SVEC} -q", "--vectors"},
};

// The fixtures the collisions need beyond Fixture's, in fx.d/collisions: a
// .npy copy of {VEC} and of {SVEC}, a GloVe and a word2vec run stopped at
// their first checkpoint (the GloVe counts kept beside it) and a finished
// sentiment run's checkpoint.
std::map<std::string, std::string> collisionFixtures(Fixture& fx) {
  const std::string dir = fx.d.subdir("collisions");
  std::map<std::string, std::string> v = fx.vars("", "", "1");
  wembed::saveVectors(dir + "/v.npy", wembed::loadVectors(fx.vec), VectorFormat::kNpy);
  wembed::saveVectors(dir + "/s.npy", wembed::loadVectors(fx.svec), VectorFormat::kNpy);
  v["{NPY}"] = dir + "/v.npy";
  v["{NPYWORDS}"] = dir + "/v.vocab.txt";
  v["{SNPY}"] = dir + "/s.npy";
  v["{SNPYWORDS}"] = dir + "/s.vocab.txt";
  wembed::GloveTrainArgs g;
  g.vocab.input = {fx.corpus};
  g.vocab.min_count = 1;
  g.output = dir + "/never-written.bin";
  g.glove.dim = kDim;
  g.glove.epochs = 3;
  g.glove.threads = g.counting.threads = 1;
  g.counting.window = 2;
  g.glove.memory_gb = g.counting.memory_gb = 0.05;
  v["{GCKPT}"] = dir + "/g.ckpt";
  {
    wembed::testing::StopAfterCheckpoints stop(1);
    REQUIRE(wembed::runGlove(g, {v["{GCKPT}"], 0, {}}).stats.interrupted);
  }
  REQUIRE(std::filesystem::exists(v["{GCKPT}"] + ".cooccur"));
  // A word2vec run stopped at its first checkpoint, on a corpus with the name
  // of a temporary file of the output a resume is given (which it would remove).
  v["{TDIR}"] = dir;
  v["{TCKPT}"] = dir + "/t.ckpt";
  testutil::writeFile(dir + "/v.bin.tmp.abc123", testutil::readFile(fx.corpus));
  stoppedWord2VecRun(dir + "/v.bin.tmp.abc123", v["{TCKPT}"], 1);
  v["{SCKPT}"] = dir + "/s.ckpt";
  // (A checkpoint is written between epochs: two are needed.)
  const auto r = runBounded(argsOf("sentiment train --vectors {SVEC} --train {STRAIN} --dev {SDEV} --epochs 2 --hidden 4 "
                                   "--threads 1 --max-len 20 -q --model " + dir + "/s.sent --checkpoint-every 1e-9 "
                                   "--checkpoint {SCKPT}", v),
                            dir);
  REQUIRE_MESSAGE(r.status == 0, r.err);
  return v;
}

// Every regular file below dir (not following links) and its content.
std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir))
    if (e.is_regular_file() && !e.is_symlink()) out[e.path().string()] = testutil::readFile(e.path().string());
  return out;
}

}  // namespace

TEST_CASE("error matrix: one file under two names (files written beside, links, '..', resumed inputs)") {
  Fixture fx;
  const std::map<std::string, std::string> fixtures = collisionFixtures(fx);
  const auto before = snapshot(fx.d.path());
  for (const Collision& c : kCollisions) {
    INFO("case: " << c.name);
    const std::string out = fx.newOutDir();
    for (const auto& [name, what] : c.files) {
      const std::string path = out + "/" + name;
      if (what == "/") std::filesystem::create_directory(path);
      else if (what.rfind("=", 0) == 0) std::filesystem::create_hard_link(out + "/" + what.substr(1), path);
      else if (what.rfind("->", 0) == 0) std::filesystem::create_symlink(what.substr(2), path);
      else testutil::writeFile(path, testutil::readFile(fixtures.at(what)));
    }
    const auto given = snapshot(out);
    auto vars = fixtures;
    vars["{OUT}"] = out;
    const auto r = runBounded(argsOf(c.args, vars), out);
    checkNoCrash(r);
    CHECK(snapshot(out) == given);  // every file as it was
    for (auto it = c.files.rbegin(); it != c.files.rend(); ++it) {
      const std::string path = out + "/" + it->first;
      CHECK((it->second.rfind("->", 0) == 0 ? std::filesystem::is_symlink(path) : std::filesystem::exists(path)));
      std::error_code ec;  // a directory something was left in stays, and is reported below
      std::filesystem::remove(path, ec);
    }
    checkCleanFailure(r, subcommandOf(c.args), out, {c.message});
  }
  // No fixture was touched (the resumed runs' inputs and checkpoints are there).
  auto after = snapshot(fx.d.path());
  for (auto it = after.begin(); it != after.end();)
    it = it->first.rfind(fx.d.path() + "/out", 0) == 0 ? after.erase(it) : std::next(it);
  auto kept = before;
  for (auto it = kept.begin(); it != kept.end();)
    it = it->first.rfind(fx.d.path() + "/out", 0) == 0 ? kept.erase(it) : std::next(it);
  CHECK(after == kept);
}

TEST_CASE("error matrix: an output that is a dangling symlink is written through; the link stays") {
  Fixture fx;
  int n = 0;
  for (const Writer& w : kWriters) {
    INFO("writer: " << w.name);
    const std::string links = fx.d.subdir("links" + std::to_string(n++));
    const std::string link = links + "/link" + w.ext, target = links + "/target" + w.ext;
    std::filesystem::create_symlink("target" + w.ext, link);  // relative, target not there yet
    const std::string out = fx.newOutDir();
    auto vars = fx.vars("", out, "1");
    vars["{DEST}"] = link;
    const auto r = runBounded(argsOf(w.args, vars), out);
    checkNoCrash(r);
    CHECK_MESSAGE(r.status == 0, r.err);
    CHECK(std::filesystem::is_symlink(link));
    if (w.name != "train --checkpoint") CHECK(std::filesystem::is_regular_file(target));
    CHECK_FALSE(testutil::hasTmpFile(links));
    // A link into a directory that does not exist: one line, the link untouched.
    const std::string bad = links + "/bad" + w.ext;
    std::filesystem::create_symlink("nodir/target" + w.ext, bad);
    vars["{DEST}"] = bad;
    const std::string out2 = fx.newOutDir();
    vars["{OUT}"] = out2;
    const auto r2 = runBounded(argsOf(w.args, vars), out2);
    checkNoCrash(r2);
    checkCleanFailure(r2, subcommandOf(w.args), out2, {"symbolic link", "does not exist"});
    CHECK(std::filesystem::is_symlink(bad));
  }
  // Two outputs that are one file through a dangling link: refused before any work.
  const std::string links = fx.d.subdir("links-same");
  std::filesystem::create_symlink("t.txt", links + "/v.txt");
  const std::string out = fx.newOutDir();
  const auto r = runBounded({"train", "-i", fx.corpus, "-o", links + "/v.txt", "--save-vocab", links + "/t.txt",
                             "--min-count", "1", "-q"},
                            out);
  checkCleanFailure(r, "train", out, {"the same file"});
  CHECK(testutil::listDir(links) == std::vector<std::string>{"v.txt"});
}

TEST_CASE("error matrix: output names of 246 to 255 bytes (temporary names stay short)") {
  Fixture fx;
  for (const Writer& w : kWriters) {
    if (w.ext == ".npy") continue;  // writes NAME.vocab.txt beside it: too long for a 255-byte NAME
    for (size_t len : {size_t(246), size_t(255)}) {
      INFO("writer: " << w.name << "; name of " << len << " bytes");
      const std::string out = fx.newOutDir();
      const std::string dest = out + "/" + std::string(len - w.ext.size(), 'n') + w.ext;
      auto vars = fx.vars("", out, "1");
      vars["{DEST}"] = dest;
      const auto r = runBounded(argsOf(w.args, vars), out);
      checkNoCrash(r);
      // A checkpoint of a finished run may be gone; a glove checkpoint's
      // counts are named after it (FILE.cooccur), which may be too long.
      if (w.name.find("checkpoint") != std::string::npos) continue;
      CHECK_MESSAGE(r.status == 0, r.err);
      CHECK(std::filesystem::is_regular_file(dest));
      CHECK_FALSE(testutil::hasTmpFile(out));
    }
  }
}

TEST_CASE("error matrix: a signal during a multi-output commit leaves the set all old or all new") {
  Fixture fx;
  std::string corpus;
  for (int i = 0; i < 300; ++i) corpus += goodCorpus();
  testutil::writeFile(fx.d.file("c300.txt"), corpus);
  const std::vector<std::string> outputs = {"v.bin", "c.bin", "vocab.txt"};
  const std::string old = "old\n";
  int all_old = 0, all_new = 0;
  for (int delay_ms = 0; delay_ms <= 300; delay_ms += 15) {
    INFO("SIGTERM after " << delay_ms << " ms");
    const std::string out = fx.newOutDir();
    for (const auto& o : outputs) testutil::writeFile(out + "/" + o, old);
    const auto start = std::chrono::steady_clock::now();
    const auto r = testutil::runUntil(
        {kBin, "train", "-i", fx.d.file("c300.txt"), "-o", out + "/v.bin", "--output-context", out + "/c.bin",
         "--save-vocab", out + "/vocab.txt", "--dim", "8", "--epochs", "3", "--threads", "2", "--min-count", "1", "-q"},
        [&] { return std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(delay_ms); },
        std::chrono::seconds(10), SIGTERM, -1, true);
    int olds = 0;
    for (const auto& o : outputs) olds += testutil::readFile(out + "/" + o) == old;
    CHECK((olds == 0 || olds == 3));
    all_old += olds == 3;
    all_new += olds == 0;
    CHECK_FALSE(testutil::hasTmpFile(out));
    if (olds == 0) CHECK((!WIFSIGNALED(r.status) || WTERMSIG(r.status) == SIGTERM));
  }
  MESSAGE("all old: " << all_old << ", all new: " << all_new);
}

TEST_CASE("error matrix: export --format tsv interrupted leaves no directory behind") {
  Fixture fx;
  {
    Matrix m(60000, 50);
    m.uniform(1.f, 3);
    std::vector<std::string> words;
    for (int i = 0; i < 60000; ++i) words.push_back("v" + std::to_string(i));
    wembed::saveVectors(fx.d.file("big.bin"), words, m, VectorFormat::kWord2vecBinary);
  }
  for (int delay_ms : {0, 5, 20, 60}) {
    INFO("SIGTERM " << delay_ms << " ms after the directory appeared");
    const std::string out = fx.newOutDir();
    const std::string tsv = out + "/tsv";
    std::chrono::steady_clock::time_point seen{};
    const auto r = testutil::runUntil(
        {kBin, "export", fx.d.file("big.bin"), tsv, "--format", "tsv", "-q"},
        [&] {
          if (seen == std::chrono::steady_clock::time_point{} && std::filesystem::exists(tsv))
            seen = std::chrono::steady_clock::now();
          return seen != std::chrono::steady_clock::time_point{} &&
                 std::chrono::steady_clock::now() - seen >= std::chrono::milliseconds(delay_ms);
        },
        std::chrono::seconds(20), SIGTERM, -1, true);
    if (WIFSIGNALED(r.status)) {
      CHECK(testutil::listDir(out).empty());
    } else {  // finished first: the whole set
      CHECK(testutil::listDir(tsv) == std::vector<std::string>{"metadata.tsv", "vectors.tsv"});
    }
  }
}

TEST_CASE("error matrix: pipes, /dev/stdin and <(...) are read once as streams; devices and bzip2 are refused") {
  Fixture fx;
  const std::string ref_dir = fx.newOutDir();
  REQUIRE(runBounded({"vocab", "-i", fx.corpus, "-o", ref_dir + "/vocab.txt", "--min-count", "1", "-q"}, ref_dir)
              .status == 0);
  const std::string ref_vocab = testutil::readFile(ref_dir + "/vocab.txt");
  // Streams: the data is there, so the command ends, with the file's result.
  struct Stream {
    std::string name, script;
    bool vocab_out;  // writes vocab.txt, compared with the plain file's
  };
  const auto v = fx.vars("", "", "1");
  const std::vector<Stream> streams = {
      {"vocab -i <(...)", "{BIN} vocab -i <(cat {CORPUS}) -o vocab.txt --min-count 1 -q", true},
      {"vocab -i /dev/stdin (a pipe)", "cat {CORPUS} | {BIN} vocab -i /dev/stdin -o vocab.txt --min-count 1 -q", true},
      {"vocab -i FIFO", "mkfifo f && (cat {CORPUS} > f &) && {BIN} vocab -i f -o vocab.txt --min-count 1 -q && rm f", true},
      {"neighbors <(...)", "{BIN} neighbors <(cat {VEC}) w0 -k 3", false},
      {"eval --analogy <(...)", "{BIN} eval {VEC} --analogy <(cat {Q}) --threads 1", false},
      {"sentiment eval --data <(...)", "{BIN} sentiment eval --model {SMODEL} --data <(cat {SDEV}) --threads 1", false},
      {"sentiment predict <(...)", "{BIN} sentiment predict --model {SMODEL} <(cat {STRAIN}) --threads 1", false},
      {"sentiment predict FIFO",
       "mkfifo f && (cat {STRAIN} > f &) && {BIN} sentiment predict --model {SMODEL} f --threads 1 && rm f", false},
  };
  for (const Stream& s : streams) {
    INFO("case: " << s.name);
    const std::string out = fx.newOutDir();
    const auto r = runScript(substitute(s.script, v), out);
    CHECK_MESSAGE(r.status == 0, r.err);
    if (s.vocab_out) CHECK(testutil::readFile(out + "/vocab.txt") == ref_vocab);
  }
  // Training splits its input into byte ranges: a stream is spooled first (isStreamInput).
  for (const std::string& cmd : std::vector<std::string>{
           "train -i <(cat {CORPUS}) -o v.bin --tmp-dir . --min-count 1" + kTrainArgs,
           "cooccur -i <(cat {CORPUS}) -o c.cooc --tmp-dir . --min-count 1 --memory 0.05 -q"}) {
    INFO("case: " << cmd);
    const std::string out = fx.newOutDir();
    const auto r = runScript("{BIN} " + substitute(cmd, v), out);
    CHECK_MESSAGE(r.status == 0, r.err);
    CHECK(testutil::listDir(out).size() == 1);  // the output; no spool left behind
  }
  // Devices: /dev/zero never ends and /dev/null is no file: refused by name, at once.
  const std::vector<std::string> device_reads = {
      "vocab -i {IN} -o {OUT}/v.txt",
      "train -i {IN} -o {OUT}/v.bin" + kTrainArgs,
      "train -i {CORPUS} --read-vocab {IN} -o {OUT}/v.bin" + kTrainArgs,
      "cooccur -i {IN} -o {OUT}/c.cooc",
      "train --model glove -i {IN} -o {OUT}/g.bin" + kGloveArgs,
      "neighbors {IN} w0",
      "info {IN}",
      "export {IN} {OUT}/x.bin",
      "eval {VEC} --analogy {IN}",
      "eval {VEC} --similarity {IN}",
      "sentiment eval --model {SMODEL} --data {IN}",
      "sentiment eval --model {IN} --data {SDEV}",
      "sentiment predict --model {SMODEL} {IN}",
      "sentiment train --vectors {SVEC} --train {IN} --dev {SDEV} --model {OUT}/m.sent" + kSentArgs,
      "train --resume {IN} -o {OUT}/v.bin",
  };
  for (const char* dev : {"/dev/zero", "/dev/null"})
    for (const std::string& cmd : device_reads) {
      INFO("case: " << cmd << " with " << dev);
      const std::string out = fx.newOutDir();
      const auto r = runBounded(argsOf(cmd, fx.vars(dev, out, "1")), out);
      checkNoCrash(r);
      checkCleanFailure(r, subcommandOf(cmd), out, {dev, "device"});
    }
  // Standard input that never ends a line: the line cap, in bounded memory.
  const std::vector<std::pair<std::string, std::string>> capped = {
      {"sentiment eval --model {SMODEL} --data - --threads 1", "longer than"},
      {"sentiment predict --model {SMODEL} --threads 1", "longer than"},
      {"neighbors {VEC}", "longer than"},
      {"analogy {VEC}", "longer than"},
  };
  for (const auto& [cmd, why] : capped) {
    INFO("case: " << cmd << " < /dev/zero");
    const std::string out = fx.newOutDir();
    auto r = runBounded(argsOf(cmd, fx.vars("", out, "1")), out, "/dev/zero");
    checkNoCrash(r);
    r.err = std::regex_replace(r.err, std::regex("Enter [^\n]*: \n"), "");  // the prompt's own line
    checkCleanFailure(r, subcommandOf(cmd), out, {"standard input", why});
    CHECK(r.max_rss_kb < kMaxRssKb);
  }
  // bzip2 is refused by name, not read as raw bytes.
  testutil::writeFile(fx.d.file("c.txt.bz2"), "BZh91AY&SY" + std::string(40, '\0'));
  testutil::writeFile(fx.d.file("v.txt.bz2"), "BZh91AY&SY" + std::string(40, '\0'));
  for (const char* cmd : {"vocab -i {D}/c.txt.bz2 -o {OUT}/v.txt", "train -i {D}/c.txt.bz2 -o {OUT}/v.bin",
                                "neighbors {D}/v.txt.bz2 w0"}) {
    INFO("case: " << cmd);
    const std::string out = fx.newOutDir();
    auto vars = fx.vars("", out, "1");
    vars["{D}"] = fx.d.path();
    const auto r = runBounded(argsOf(cmd, vars), out);
    checkNoCrash(r);
    checkCleanFailure(r, subcommandOf(cmd), out, {".bz2", "bzip2 is not supported"});
  }
}

TEST_CASE("error matrix: .xz inputs are decoded by every reader") {
  Fixture fx;
  const std::string xd = fx.d.subdir("xz");
  auto copyXz = [&](const std::string& from, const std::string& name) {
    testutil::writeFile(xd + "/" + name, testutil::readFile(from));
    return xzOf(xd + "/" + name);
  };
  // Named as the plain fixtures, so that the outputs, which name them, compare.
  const std::string corpus = copyXz(fx.corpus, "corpus.txt"), vec = copyXz(fx.vec, "vec.txt"),
                    q = copyXz(fx.questions, "questions.txt"), pairs = copyXz(fx.pairs, "pairs.tsv"),
                    sdev = copyXz(fx.sdev, "sdev.tsv"), strain = copyXz(fx.strain, "strain.tsv"),
                    vocab = copyXz(fx.rvocab, "rvocab.txt");
  const std::string fixtures = fx.corpus.substr(0, fx.corpus.rfind('/'));
  // Each command on the xz file prints what it prints on the plain one.
  const std::vector<std::pair<std::string, std::string>> same = {
      {"neighbors " + vec + " w0 -k 3", "neighbors {VEC} w0 -k 3"},
      {"eval {VEC} --analogy " + q + " --similarity " + pairs + " --threads 1",
       "eval {VEC} --analogy {Q} --similarity {P} --threads 1"},
      {"sentiment eval --model {SMODEL} --data " + sdev + " --threads 1",
       "sentiment eval --model {SMODEL} --data {SDEV} --threads 1"},
      {"sentiment predict --model {SMODEL} " + strain + " --threads 1",
       "sentiment predict --model {SMODEL} {STRAIN} --threads 1"},
  };
  for (const auto& [xz, plain] : same) {
    INFO("case: " << xz);
    const std::string out = fx.newOutDir();
    const auto a = runBounded(argsOf(xz, fx.vars("", out, "1")), out);
    const auto b = runBounded(argsOf(plain, fx.vars("", out, "1")), out);
    CHECK_MESSAGE(a.status == 0, a.err);
    CHECK(b.status == 0);
    CHECK(!a.out.empty());
    if (xz.rfind("sentiment eval", 0) == 0) continue;  // prints its time too
    // The same words and numbers (the columns are as wide as the file names; times differ).
    auto norm = [&](std::string o) {
      for (const auto& [x, p] : {std::pair<std::string, std::string>{xd, fixtures}, {".xz", ""}})
        for (size_t at; (at = o.find(x)) != std::string::npos;) o.replace(at, x.size(), p);
      o = std::regex_replace(o, std::regex("[0-9.]+ s\\)"), "s)");
      return std::regex_replace(o, std::regex(" +"), " ");
    };
    CHECK(norm(a.out) == norm(b.out));
  }
  {  // vocab: the same vocabulary
    const std::string out = fx.newOutDir();
    REQUIRE(runBounded({"vocab", "-i", corpus, "-o", out + "/x.txt", "--min-count", "1", "-q"}, out).status == 0);
    REQUIRE(runBounded({"vocab", "-i", fx.corpus, "-o", out + "/p.txt", "--min-count", "1", "-q"}, out).status == 0);
    CHECK(testutil::readFile(out + "/x.txt") == testutil::readFile(out + "/p.txt"));
  }
  {  // train --read-vocab an .xz vocabulary
    const std::string out = fx.newOutDir();
    const auto r = runBounded(argsOf("train -i {CORPUS} --read-vocab " + vocab + " -o {OUT}/v.bin --min-count 1" +
                                         kTrainArgs, fx.vars("", out, "1")), out);
    CHECK_MESSAGE(r.status == 0, r.err);
  }
  // Training corpora: spooled as gzip is, never read as raw bytes: the same
  // vectors as from the plain file (one thread, one seed).
  for (const std::string& cmd :
       {"train -i " + corpus + " -o {OUT}/v.bin --tmp-dir {OUT} --min-count 1 --dim 4 --epochs 1 --threads 1 -q",
        "cooccur -i " + corpus + " -o {OUT}/c.cooc --tmp-dir {OUT} --min-count 1 --memory 0.05 --threads 1 -q"}) {
    INFO("case: " << cmd);
    const std::string out = fx.newOutDir();
    const auto r = runBounded(argsOf(cmd, fx.vars("", out, "1")), out);
    CHECK_MESSAGE(r.status == 0, r.err);
    std::string plain = cmd;
    plain.replace(plain.find(corpus), corpus.size(), fx.corpus);
    const std::string out2 = fx.newOutDir();
    REQUIRE(runBounded(argsOf(plain, fx.vars("", out2, "1")), out2).status == 0);
    const std::string name = cmd.rfind("train", 0) == 0 ? "/v.bin" : "/c.cooc";
    CHECK(testutil::readFile(out + name) == testutil::readFile(out2 + name));
  }
  // Damaged xz: one line naming the file.
  const std::string packed = testutil::readFile(corpus);
  testutil::writeFile(xd + "/cut.txt.xz", packed.substr(0, packed.size() / 2));
  testutil::writeFile(xd + "/raw.txt.xz", goodCorpus());
  for (const auto& [name, why] : {std::pair<std::string, std::string>{"cut.txt.xz", "truncated"}, {"raw.txt.xz", "not in xz format"}}) {
    for (const char* cmd : {"vocab -i {IN} -o {OUT}/v.txt -q", "neighbors {IN} w0",
                                  "sentiment eval --model {SMODEL} --data {IN}"}) {
      INFO("case: " << cmd << " on " << name);
      const std::string out = fx.newOutDir();
      const auto r = runBounded(argsOf(cmd, fx.vars(xd + "/" + name, out, "1")), out);
      checkNoCrash(r);
      checkCleanFailure(r, subcommandOf(cmd), out, {name, why});
    }
  }
}

TEST_CASE("error matrix: user data in a message is quoted: one short printable line") {
  Fixture fx;
  const std::string in = fx.d.subdir("quoting");
  // A binary vector file whose word holds a newline and a terminal escape, with a NaN.
  testutil::writeFile(in + "/esc.bin", binaryVectors({"w0", "bad\x1b[31m\rword", "w2"}, "",
                                                     [](int r, int j) { return r == 1 && j == 2 ? NAN : 0.5f; }));
  // A header of a million digits.
  testutil::writeFile(in + "/digits.txt", std::string(1000000, '7') + " 4\nw0 1 2 3 4\n");
  // A 60 KB word twice in a vocabulary.
  const std::string big(60000, 'x');
  testutil::writeFile(in + "/dup.txt", big + " 5\n" + big + " 4\n");
  // A 500 KB similarity score.
  testutil::writeFile(in + "/pairs.tsv", "w0\tw1\t" + std::string(500000, '9') + "x\n");
  // A label holding a NUL and an escape.
  static const char kLabels[] = "sentence\tlabel\nthe movie\t1\x1b[2J\0z\n";
  testutil::writeFile(in + "/labels.tsv", std::string(kLabels, sizeof(kLabels) - 1));
  struct Case {
    std::string name, args, must;
  };
  const std::vector<Case> cases = {
      {"a word with an escape and CR in a binary file", "neighbors " + in + "/esc.bin w0", "\\x1b[31m\\rword"},
      {"a header of a million digits", "neighbors " + in + "/digits.txt w0", "says '777777777777777777777777...' (1000000 bytes) rows"},
      {"a 60 KB duplicate word", "train -i {CORPUS} --read-vocab " + in + "/dup.txt -o {OUT}/v.bin", "(60000 bytes)"},
      {"a 500 KB score", "eval {VEC} --similarity " + in + "/pairs.tsv", "(500001 bytes)"},
      {"a label with a NUL and an escape", "sentiment eval --model {SMODEL} --data " + in + "/labels.tsv",
       "1\\x1b[2J\\x00z"},
      {"a query word with a newline and an escape", "neighbors {VEC} w0 \"nos\nuch\x1b]0;title\x07\"", "uch\\x1b]0;title\\x07"},
      {"a missing file whose name holds a newline", "neighbors \"" + in + "/no\nsuch\x1b[1m.txt\" w0", "no\\nsuch"},
      {"a label column with an escape", "sentiment eval --model {SMODEL} --data {SDEV} --label-column \"l\x1b[0m\"",
       "l\\x1b[0m"},
  };
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    const std::string out = fx.newOutDir();
    std::vector<std::string> args;
    // Arguments with blanks inside quotes are kept whole.
    const std::string line = substitute(c.args, fx.vars("", out, "1"));
    std::string cur;
    bool inq = false;
    for (char ch : line) {
      if (ch == '"') inq = !inq;
      else if (ch == ' ' && !inq) {
        if (!cur.empty()) args.push_back(cur);
        cur.clear();
      } else cur += ch;
    }
    if (!cur.empty()) args.push_back(cur);
    const auto r = runBounded(args, out);
    checkNoCrash(r);
    checkCleanFailure(r, subcommandOf(c.args), out, {c.must});
    CHECK(printable(r.err));
  }
}

namespace {

// Overwrites bytes of a file where they are (same inode, same size) and puts
// its modification time back, as an edit that keeps the size and the mtime.
void editInPlace(const std::string& path, size_t at, const std::string& bytes) {
  const auto mtime = std::filesystem::last_write_time(path);
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekp(static_cast<std::streamoff>(at));
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  f.close();
  REQUIRE(f.good());
  std::filesystem::last_write_time(path, mtime);
}

}  // namespace

TEST_CASE("error matrix: --resume after an input was edited in place to its size is one line; nothing is touched") {
  TempDir d;
  const std::string in = d.subdir("in");
  std::map<std::string, std::string> v = {{"{CORPUS}", in + "/corpus.txt"}, {"{GVOCAB}", in + "/gvocab.txt"},
                                          {"{COOC}", in + "/good.cooc"},    {"{SVEC}", in + "/svec.txt"},
                                          {"{STRAIN}", in + "/strain.tsv"}, {"{SDEV}", in + "/sdev.tsv"}};
  struct Case {
    std::string name, start, resume;
    std::string edited;                       // the input edited, a key of v
    std::function<size_t(const std::string&)> at;  // where, in its content
    std::string bytes;                        // what replaces the bytes there ("x": another digit)
  };
  const std::string ck = " --checkpoint {OUT}/run.ckpt --checkpoint-every 1e-9";
  // Batches of 4: checkpoints between them (none follows an epoch's last batch or the last epoch).
  const std::string sent = "sentiment train --vectors {SVEC} --train {STRAIN} --dev {SDEV} --model {OUT}/m.sent --batch 4" + kSentArgs;
  const auto second_line = [](const std::string& s) { return s.find('\n') + 1; };
  const auto last_label = [](const std::string& s) { return s.rfind('\t') + 1; };
  const std::vector<Case> cases = {
      {"train: the corpus (two words swapped on line 2)", "train -i {CORPUS} -o {OUT}/v.bin --min-count 1" + kTrainArgs + ck,
       "train --resume {OUT}/run.ckpt -q", "{CORPUS}", second_line, "w1 w0"},
      {"train --model glove: the --cooccur file (the last count)",
       "train --model glove --cooccur {COOC} --read-vocab {GVOCAB} -o {OUT}/g.bin --min-count 1" + kGloveArgs + ck,
       "train --resume {OUT}/run.ckpt -q", "{COOC}", [](const std::string& s) { return s.size() - 4; },
       std::string("\0\0\x20\x40", 4)},  // 2.5f
      {"sentiment train: --train (the last label flipped)",
       sent + ck,
       "sentiment train --resume {OUT}/run.ckpt -q", "{STRAIN}", last_label, "x"},
      {"sentiment train: --dev (the last label flipped)",
       sent + ck,
       "sentiment train --resume {OUT}/run.ckpt -q", "{SDEV}", last_label, "x"},
      {"sentiment train: --vectors (a digit of the last row)",
       sent + ck,
       "sentiment train --resume {OUT}/run.ckpt -q", "{SVEC}", [](const std::string& s) { return s.size() - 2; }, "x"},
  };
  std::vector<std::string> words;
  for (const auto* list : {kSentPos, kSentNeg}) words.insert(words.end(), list, list + 2);
  words.insert(words.end(), std::begin(kSentFill), std::end(kSentFill));
  int n = 0;
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    testutil::writeFile(v["{CORPUS}"], goodCorpus());
    testutil::writeFile(v["{GVOCAB}"], "w1 40\nw3 40\nw0 20\nw2 20\nw4 20\nw5 20\n");
    testutil::writeFile(v["{COOC}"], cooccurBytes(goodRecords()));
    testutil::writeFile(v["{SVEC}"], textVectors(words));
    testutil::writeFile(v["{STRAIN}"], sentimentTsv(20, 1));
    testutil::writeFile(v["{SDEV}"], sentimentTsv(10, 2));
    v["{OUT}"] = d.subdir("out" + std::to_string(n++));
    const auto first = runBounded(argsOf(c.start, v), v["{OUT}"]);
    REQUIRE_MESSAGE(first.status == 0, first.err);
    std::map<std::string, std::string> before;  // every file of the run: the checkpoint and the outputs
    for (const auto& f : testutil::listDir(v["{OUT}"])) before[f] = testutil::readFile(v["{OUT}"] + "/" + f);
    REQUIRE(before.count("run.ckpt") == 1);

    const std::string path = v[c.edited];
    const std::string text = testutil::readFile(path);
    std::string bytes = c.bytes;
    if (bytes == "x") bytes = text[c.at(text)] == '0' ? "1" : "0";  // another digit
    editInPlace(path, c.at(text), bytes);
    REQUIRE(testutil::readFile(path).size() == text.size());
    REQUIRE(testutil::readFile(path) != text);

    const auto r = runBounded(argsOf(c.resume, v), v["{OUT}"]);
    checkNoCrash(r);
    INFO("stderr: " << r.err);
    CHECK(r.status == 1);
    const auto lines = testutil::nonEmptyLines(r.err);
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].rfind("wembed " + subcommandOf(c.resume) + ": error: ", 0) == 0);
    for (const std::string& must : {"'" + path + "' changed since", std::string("run.ckpt"), std::string("the same size, other content")})
      CHECK_MESSAGE(lines[0].find(must) != std::string::npos, "the error line should mention: " << must);
    std::map<std::string, std::string> after;
    for (const auto& f : testutil::listDir(v["{OUT}"])) after[f] = testutil::readFile(v["{OUT}"] + "/" + f);
    CHECK(after == before);
  }
}
