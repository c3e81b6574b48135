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
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/error.h"
#include "wembed/vectors.h"

using testutil::TempDir;
using wembed::Matrix;
using wembed::VectorFormat;
using wembed::Vectors;

namespace {

const std::string kBin = WEMBED_BIN;

// Peak memory allowed for reading a 200 MB line (the reader must not hold
// the line). AddressSanitizer's shadow memory and quarantine add to it.
#if defined(__SANITIZE_ADDRESS__)
constexpr long kMaxRssKb = 600 * 1024;
#else
constexpr long kMaxRssKb = 150 * 1024;
#endif

// What a subcommand reads: the families of bad input differ per kind.
enum Kind { kCorpus, kVectors, kVocab, kAnalogy, kPairs };
// Must fail cleanly, must succeed, or either (never crash).
enum Expect { kFail, kOk, kAny };

// A way a subcommand reads one user file. In args: {IN} is the file under
// test, {OUT} the (initially empty) working and output directory, {MC} the
// case's --min-count; {CORPUS}, {VEC}, {VOCAB}, {Q}, {P} are good fixtures.
struct Reader {
  std::string name;
  Kind kind;
  std::string args;
  std::string output;  // file the command writes into {OUT} on success ("" if none)
  bool gzip = false;   // the input is gzip-compressed and named *.gz
  bool stdin = false;  // the input is standard input ("-"), not a named file
};

const std::string kTrainArgs = " --dim 4 --epochs 1 --threads 2 --window 2 --negative 2 -q";

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
  std::vector<FileCase> c = {
      {"missing file", "", kFail, FileCase::kMissing, "1", "No such file"},
      {"a directory", "", kFail, FileCase::kDirectory, "1", "directory"},
      {"empty file", "", kFail},
      {"whitespace only", " \n\t\r\n\n", kFail},
      {"binary garbage", garbage(4096, 7), corpus ? kAny : kFail},
      {"NUL bytes", std::string(1000, '\0'), corpus ? kAny : kFail},
      {"a 200 MB line without a newline", "", corpus ? kOk : kFail, FileCase::kBigLine},
  };
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

std::vector<FileCase> casesFor(Kind k) {
  switch (k) {
    case kCorpus: return corpusCases();
    case kVectors: return vectorCases();
    case kVocab: return vocabCases();
    case kAnalogy: return analogyCases();
    case kPairs: return pairsCases();
  }
  return {};
}

// --- running ----------------------------------------------------------------------

std::vector<std::string> splitArgs(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ' ') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

std::string substitute(std::string s, const std::map<std::string, std::string>& vars) {
  for (const auto& [k, v] : vars)
    for (size_t p; (p = s.find(k)) != std::string::npos;) s.replace(p, k.size(), v);
  return s;
}

std::string subcommandOf(const std::string& args) { return args.substr(0, args.find(' ')); }

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

// Shared fixtures for one test run.
struct Fixture {
  TempDir d;
  std::string corpus, vec, vocab, rvocab, questions, pairs;
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
    return {{"{IN}", in}, {"{OUT}", out}, {"{MC}", mc}, {"{CORPUS}", corpus}, {"{VEC}", vec},
            {"{VOCAB}", vocab}, {"{RVOCAB}", rvocab}, {"{Q}", questions}, {"{P}", pairs}};
  }

  std::string newOutDir() { return d.subdir("out" + std::to_string(runs++)); }
};

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
  for (const auto& a : splitArgs(rd.args)) argv.push_back(substitute(a, fx.vars(in, out, fc.min_count)));
  const auto r = testutil::runProcess(argv, out, "", rd.stdin ? in : "/dev/null");
  checkNoCrash(r);
  if (fc.shape == FileCase::kBigLine && rd.kind == kCorpus) {
    INFO("peak memory on a 200 MB line: " << r.max_rss_kb << " KB");
    CHECK(r.max_rss_kb < kMaxRssKb);
  }
  const Expect e = fc.expect;
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
    for (const FileCase& fc : casesFor(rd.kind)) runCase(fx, rd, fc);
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
      if (rd.kind != kVectors) continue;
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

// Subcommands that write a file: {DEST} is where.
struct Writer {
  std::string name;
  std::string args;
};

const std::vector<Writer> kWriters = {
    {"train --output", "train -i {CORPUS} -o {DEST} --min-count 1" + kTrainArgs},
    {"train --output-context", "train -i {CORPUS} -o {OUT}/v.bin --output-context {DEST} --min-count 1" + kTrainArgs},
    {"train --save-vocab", "train -i {CORPUS} -o {OUT}/v.bin --save-vocab {DEST} --min-count 1" + kTrainArgs},
    {"vocab --output", "vocab -i {CORPUS} -o {DEST} --min-count 1 -q"},
};

// Subcommands that print results: their stdout may be a full disk.
const std::vector<std::string> kPrinters = {
    "neighbors {VEC} w0 -k 3",
    "analogy {VEC} w0 w1 w2 -k 3",
    "eval {VEC} --analogy {Q} --similarity {P}",
    "eval {VEC} --analogy {Q} --similarity {P} --json",
};

}  // namespace

TEST_CASE("error matrix: outputs that cannot be written") {
  Fixture fx;
  const std::string blocker = fx.d.file("regular-file");
  testutil::writeFile(blocker, "x");
  const std::string fifo = fx.d.file("fifo.bin");
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  const std::string ro = fx.d.file("ro");
  testutil::TmpfsMount mount(ro, "ro,size=64k");
  if (!mount.ok()) MESSAGE("read-only output directory not tested: " << mount.why());

  struct Dest {
    std::string name, path, message;
  };
  std::vector<Dest> dests = {
      {"a missing directory", fx.d.file("no/such/dir/out.bin"), "does not exist"},
      {"a path under a regular file", blocker + "/out.bin", "not a directory"},
      {"a directory", fx.d.subdir("a-directory.bin"), "directory"},
      {"a FIFO", fifo, "not a regular file"},
      {"an empty path", "", ""},
  };
  if (mount.ok()) dests.push_back({"a read-only directory", ro + "/out.bin", "Read-only"});
  for (const Writer& w : kWriters) {
    for (const Dest& dst : dests) {
      INFO("writer: " << w.name << "; destination: " << dst.name);
      const std::string out = fx.newOutDir();
      auto vars = fx.vars("", out, "1");
      vars["{DEST}"] = dst.path;
      std::vector<std::string> argv{kBin};
      for (const auto& a : splitArgs(w.args)) argv.push_back(substitute(a, vars));
      const auto r = testutil::runProcess(argv, out);
      checkNoCrash(r);
      std::vector<std::string> must;
      if (!dst.message.empty()) must.push_back(dst.message);
      checkCleanFailure(r, subcommandOf(w.args), out, must);
      struct stat st;
      CHECK(::stat(fifo.c_str(), &st) == 0);
      CHECK(S_ISFIFO(st.st_mode));
      CHECK(testutil::readFile(blocker) == "x");
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
    for (const auto& a : splitArgs(p)) argv.push_back(substitute(a, fx.vars("", out, "1")));
    const auto r = testutil::runProcess(argv, out, "/dev/full");
    checkNoCrash(r);
    checkCleanFailure(r, subcommandOf(p), out, {"standard output"});
    // The same command with a real stdout succeeds (so the failure above is the disk's).
    const auto ok = testutil::runProcess(argv, out);
    CHECK(ok.status == 0);
  }
}

namespace {
// Flags with nonsense values; each must be refused before any work.
const std::vector<std::pair<std::string, std::string>> kBadFlags = {
    {"train: --dim -1", "train -i {CORPUS} -o {OUT}/v.bin --dim -1"},
    {"train: --dim 100000", "train -i {CORPUS} -o {OUT}/v.bin --dim 100000"},
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
    {"train: --seed -1", "train -i {CORPUS} -o {OUT}/v.bin --seed -1"},
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
    {"eval: --pairs-restrict -1", "eval {VEC} --similarity {P} --pairs-restrict -1"},
    {"eval: --threads -1", "eval {VEC} --analogy {Q} --threads -1"},
    {"eval: --threads 100000", "eval {VEC} --analogy {Q} --threads 100000"},
    {"eval: no vector file", "eval --analogy {Q}"},
    {"eval: two vector files", "eval {VEC} {VEC} --analogy {Q}"},
};
}  // namespace

TEST_CASE("error matrix: nonsensical flags") {
  Fixture fx;
  testutil::writeGzip(fx.d.file("c.gz"), goodCorpus());
  for (const auto& [name, args] : kBadFlags) {
    INFO("case: " << name);
    const std::string out = fx.newOutDir();
    testutil::writeFile(out + "/c.txt", goodCorpus());
    auto vars = fx.vars("", out, "1");
    vars["{GZ}"] = fx.d.file("c.gz");
    std::vector<std::string> argv{kBin};
    for (const auto& a : splitArgs(args)) argv.push_back(substitute(a, vars));
    const auto r = testutil::runProcess(argv, out);
    checkNoCrash(r);
    CHECK(testutil::readFile(out + "/c.txt") == goodCorpus());  // an input is never overwritten
    std::filesystem::remove(out + "/c.txt");
    checkCleanFailure(r, subcommandOf(args), out, {});
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
  };
  int n = 0;
  for (const Case& c : cases) {
    INFO("case: " << c.name);
    const std::string out = d.subdir("out" + std::to_string(n++));
    const std::string old = "the old output, which must survive\n";
    if (!c.dest.empty()) testutil::writeFile(full.path() + "/" + c.dest, old);
    std::vector<std::string> argv{kBin};
    for (const auto& a : splitArgs(c.args))
      argv.push_back(substitute(a, {{"{IN}", in}, {"{GZ}", d.file("corpus.txt.gz")}, {"{OUT}", out}, {"{FULL}", full.path()}}));
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
    int fds[2];
    REQUIRE(::pipe(fds) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::dup2(fds[0], 0);
      ::close(fds[1]);
      const int devnull = ::open("/dev/null", O_WRONLY);
      ::dup2(devnull, 1);
      ::dup2(devnull, 2);
      const std::string o = out + "/v.bin";
      ::execl(kBin.c_str(), kBin.c_str(), "train", "-i", "-", "-o", o.c_str(), "--tmp-dir", spool.c_str(), "-q",
              static_cast<char*>(nullptr));
      ::_exit(127);
    }
    ::close(fds[0]);
    const std::string text = goodCorpus();
    CHECK(::write(fds[1], text.data(), text.size()) == static_cast<ssize_t>(text.size()));
    // stdin stays open: wembed is spooling it. Wait for the spool file.
    bool spooling = false;
    for (int i = 0; i < 500 && !spooling; ++i) {
      spooling = !testutil::listDir(spool).empty();
      if (!spooling) ::usleep(10000);
    }
    CHECK(spooling);
    ::kill(pid, sig);
    int st = 0;
    ::waitpid(pid, &st, 0);
    ::close(fds[1]);
    CHECK(WIFSIGNALED(st));
    if (WIFSIGNALED(st)) CHECK(WTERMSIG(st) == sig);
    CHECK(testutil::listDir(spool).empty());
    CHECK(testutil::listDir(out).empty());
  }
}
