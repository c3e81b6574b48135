// fastText's print-word-vectors and print-sentence-vectors on any vector file.
#include "wembed/vectors/print_vectors.h"

#include <cmath>
#include <cstring>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/kernels.h"

namespace wembed {

namespace {

// Lines of words and sentences are text; a longer one is not (cat /dev/zero).
constexpr size_t kMaxInputLine = size_t{64} << 20;

// The C locale's isspace, which fastText's `std::cin >> word` splits on.
bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r'; }

// Calls f(word) for each blank-separated word of line.
template <class F>
void forEachWord(std::string_view line, F f) {
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && isBlank(line[i])) ++i;
    const size_t start = i;
    while (i < line.size() && !isBlank(line[i])) ++i;
    if (i > start) f(std::string(line.substr(start, i - start)));
  }
}

void put(const std::string& s, std::FILE* out) {
  if (std::fwrite(s.data(), 1, s.size(), out) != s.size()) throw sysError("cannot write to standard output");
}

}  // namespace

WordVectors::WordVectors(Vectors v)
    : words_(std::move(v.words)), matrix_(std::move(v.matrix)), subwords_(composingSubwords(std::move(v.subwords))) {
  if (subwords_ && subwords_->buckets.cols() != matrix_.cols())
    throw Error("the n-gram rows have " + std::to_string(subwords_->buckets.cols()) + " dimensions, the words " +
                std::to_string(matrix_.cols()));
}

WordSource WordVectors::vector(const std::string& word, float* out) const {
  const int32_t w = words_.find(word);
  if (w >= 0) {
    std::memcpy(out, matrix_.row(words_.sourceRow(w)), sizeof(float) * static_cast<size_t>(stride()));
    return WordSource::kVocabulary;
  }
  if (subwords_ && subwords_->compose(word, out)) return WordSource::kComposed;
  zeroVec(out, stride());
  return WordSource::kNone;
}

void PrintCounts::add(const std::string& word, WordSource s) {
  ++words;
  if (s == WordSource::kComposed) ++composed;
  if (s != WordSource::kNone) return;
  ++unknown;
  if (unknown_words.size() < 10) unknown_words.push_back(word);
}

std::string formatVector(const float* v, int d) {
  std::string s;
  char buf[32];
  for (int j = 0; j < d; ++j) {
    const int n = std::snprintf(buf, sizeof buf, "%.5g ", static_cast<double>(v[j]));
    s.append(buf, static_cast<size_t>(n));
  }
  return s;
}

void sentenceVector(const WordVectors& v, std::string_view line, float* out, PrintCounts* counts) {
  const int d = v.stride();
  AlignedBuffer word(static_cast<size_t>(d));
  zeroVec(out, d);
  int32_t n = 0;
  forEachWord(line, [&](const std::string& w) {
    const WordSource s = v.vector(w, word.data());
    if (counts) counts->add(w, s);
    // fastText's arithmetic (this file is built without fused multiply-adds):
    // Vector::norm sums the squares in float, mul(1.0 / norm) scales by the
    // quotient rounded to float, addVector adds the scaled vector.
    float ss = 0;
    for (int j = 0; j < v.dim(); ++j) ss += word.data()[j] * word.data()[j];
    const float norm = std::sqrt(ss);
    if (norm > 0) {
      scaleVec(static_cast<float>(1.0 / norm), word.data(), d);
      axpy(1.f, word.data(), out, d);  // 1 * x is exact: one rounding, as x + y
      ++n;
    }
  });
  if (n > 0) scaleVec(static_cast<float>(1.0 / n), out, d);
}

void printWordVectors(const WordVectors& v, const std::vector<std::string>& words, std::FILE* out,
                      PrintCounts& counts) {
  AlignedBuffer buf(static_cast<size_t>(v.stride()));
  for (const std::string& w : words) {
    counts.add(w, v.vector(w, buf.data()));
    put(w + " " + formatVector(buf.data(), v.dim()) + "\n", out);
  }
}

void printWordVectorsFrom(const WordVectors& v, const std::string& input, std::FILE* out, PrintCounts& counts) {
  LineReader in(input, kMaxInputLine);
  std::string line;
  std::vector<std::string> words;
  while (in.next(line)) {
    words.clear();
    forEachWord(line, [&](std::string w) { words.push_back(std::move(w)); });
    printWordVectors(v, words, out, counts);
  }
}

void printSentenceVectors(const WordVectors& v, const std::string& input, std::FILE* out, PrintCounts& counts) {
  LineReader in(input, kMaxInputLine);
  AlignedBuffer buf(static_cast<size_t>(v.stride()));
  std::string line;
  while (in.next(line)) {
    sentenceVector(v, line, buf.data(), &counts);
    put(formatVector(buf.data(), v.dim()) + "\n", out);
  }
}

}  // namespace wembed
