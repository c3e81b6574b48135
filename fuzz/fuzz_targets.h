#pragma once
// The bodies of the libFuzzer targets, shared with the regression test
// (tests/test_fuzz_regressions.cc replays fuzz/regressions/<target>/* through
// the same functions). Each takes arbitrary bytes, writes them to a scratch
// file (the loaders read paths), and runs a loader: a wembed::Error is a clean
// rejection; anything else (a crash, a sanitizer report, another exception, a
// broken invariant) is a finding. Invariants checked where the data allows:
// save/reload round trips, byte-range tokenization equal to whole-file
// tokenization, gzip equal to plain, finite similarity scores.
#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "wembed/dictionary.h"
#include "wembed/error.h"
#include "wembed/evaluate.h"
#include "wembed/io.h"
#include "wembed/neighbors.h"
#include "wembed/tokenizer.h"
#include "wembed/vectors.h"

// A broken invariant: abort (libFuzzer saves the input) unless the includer
// defines another reaction (the regression test throws).
#ifndef FUZZ_FAIL
#define FUZZ_FAIL(msg)                                   \
  do {                                                   \
    std::fprintf(stderr, "fuzz invariant: %s\n", (msg)); \
    std::abort();                                        \
  } while (0)
#endif
#define FUZZ_CHECK(cond) \
  do {                   \
    if (!(cond)) FUZZ_FAIL(#cond); \
  } while (0)

namespace wembed::fuzz {

// A private scratch directory (tmpfs when there is one), removed at exit;
// under $WEMBED_FUZZ_SCRATCH if set (run.sh sets it and removes it, in case
// a run ends without exit handlers).
inline const std::string& scratchDir() {
  static const std::string dir = [] {
    const char* env = std::getenv("WEMBED_FUZZ_SCRATCH");
    std::string base = env && *env ? env : std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : defaultTmpDir();
    std::string tmpl = base + "/wembed-fuzz.XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) std::abort();
    static std::string made = buf.data();
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(made, ec);
    });
    return made;
  }();
  return dir;
}

inline std::string scratchFile(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratchDir() + "/" + name;
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) std::abort();
  for (size_t off = 0; off < size;) {
    const ssize_t w = ::write(fd, data + off, size - off);
    if (w <= 0) std::abort();
    off += static_cast<size_t>(w);
  }
  ::close(fd);
  return path;
}

inline bool sameVectors(const Vectors& a, const Vectors& b) {
  if (a.words != b.words || a.matrix.rows() != b.matrix.rows() || a.matrix.cols() != b.matrix.cols()) return false;
  for (int64_t r = 0; r < a.matrix.rows(); ++r)
    if (std::memcmp(a.matrix.row(r), b.matrix.row(r), sizeof(float) * a.matrix.cols()) != 0) return false;
  return true;
}

// What every successfully loaded vector file must satisfy, and what the
// query code must survive.
inline void checkLoadedVectors(const Vectors& v, bool binary) {
  FUZZ_CHECK(static_cast<int64_t>(v.words.size()) == v.matrix.rows());
  for (int64_t r = 0; r < v.matrix.rows(); ++r) {
    FUZZ_CHECK(!v.words[r].empty());
    for (int j = 0; j < v.matrix.stride(); ++j) {
      const float x = v.matrix.row(r)[j];
      FUZZ_CHECK(std::isfinite(x));
      if (j >= v.matrix.cols()) FUZZ_CHECK(x == 0.f);  // padding stays zero
    }
  }
  // Round trip through the same format: the same words, bit-exact values.
  // (The writer refuses words it could not read back, such as a binary word
  // holding a tab; that is a clean Error.)
  const std::string out = scratchDir() + (binary ? "/roundtrip.bin" : "/roundtrip.txt");
  bool saved = false;
  try {
    saveWord2vec(out, v.words, v.matrix, binary);
    saved = true;
  } catch (const Error&) {
  }
  if (saved) {
    const Vectors back = loadWord2vec(out, binary ? VectorFormat::kWord2vecBinary : VectorFormat::kWord2vecText);
    FUZZ_CHECK(sameVectors(v, back));
  }
  if (v.words.empty()) return;
  // Queries: similarity scores are never NaN, whatever the values.
  Vectors copy;
  copy.words = v.words;
  copy.matrix = Matrix(v.matrix.rows(), v.matrix.cols());
  for (int64_t r = 0; r < v.matrix.rows(); ++r)
    std::memcpy(copy.matrix.row(r), v.matrix.row(r), sizeof(float) * v.matrix.stride());
  NeighborIndex idx(std::move(copy));
  for (const auto& [w, s] : idx.nearest(v.words[0], 3)) FUZZ_CHECK(!std::isnan(s));
  Vectors copy2;
  copy2.words = v.words;
  copy2.matrix = Matrix(v.matrix.rows(), v.matrix.cols());
  for (int64_t r = 0; r < v.matrix.rows(); ++r)
    std::memcpy(copy2.matrix.row(r), v.matrix.row(r), sizeof(float) * v.matrix.stride());
  const Embeddings e(std::move(copy2));
  if (e.size() >= 3)
    for (AnalogyMethod m : {AnalogyMethod::kAdd, AnalogyMethod::kMul})
      for (const Scored& s : analogy(e, 0, 1, 2, 3, m)) FUZZ_CHECK(!std::isnan(s.score));
}

// word2vec binary, format forced.
inline int fuzzW2vBinary(const uint8_t* data, size_t size) {
  const std::string p = scratchFile("in.bin", data, size);
  try {
    const Vectors v = loadWord2vec(p, VectorFormat::kWord2vecBinary);
    checkLoadedVectors(v, true);
  } catch (const Error&) {
  }
  return 0;
}

// word2vec text, through format auto-detection (as every subcommand loads).
inline int fuzzW2vText(const uint8_t* data, size_t size) {
  const std::string p = scratchFile("in.txt", data, size);
  try {
    const Vectors v = loadWord2vec(p);
    checkLoadedVectors(v, false);
  } catch (const Error&) {
  }
  try {
    const Vectors v = loadWord2vec(p, VectorFormat::kWord2vecText);
    checkLoadedVectors(v, false);
  } catch (const Error&) {
  }
  return 0;
}

// Vocabulary file ("word count" lines): load, save, load again: the same.
inline int fuzzVocab(const uint8_t* data, size_t size) {
  const std::string p = scratchFile("vocab.txt", data, size);
  try {
    Dictionary d = Dictionary::load(p);
    d.finalize(1, 0);
    const std::string out = scratchDir() + "/vocab-out.txt";
    d.save(out);
    Dictionary back = Dictionary::load(out);
    back.finalize(1, 0);
    FUZZ_CHECK(back.size() == d.size());
    for (int32_t i = 0; i < d.size(); ++i) {
      FUZZ_CHECK(back[i].word == d[i].word);
      FUZZ_CHECK(back[i].count == d[i].count);
      FUZZ_CHECK(d.find(d[i].word) == i);
    }
  } catch (const Error&) {
  }
  return 0;
}

// The reference tokenization: maximal runs of non-whitespace bytes, cut to
// kMaxTokenBytes at a UTF-8 boundary.
inline std::vector<std::string> referenceWords(const uint8_t* data, size_t size) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < size) {
    while (i < size && isSpace(data[i])) ++i;
    const size_t b = i;
    while (i < size && !isSpace(data[i])) ++i;
    if (i > b) {
      const char* t = reinterpret_cast<const char*>(data + b);
      out.emplace_back(t, utf8SafeLength(t, i - b, kMaxTokenBytes));
    }
  }
  return out;
}

inline std::vector<std::string> tokenWords(Tokenizer& t, std::vector<int>* eos_after = nullptr) {
  std::vector<std::string> out;
  for (;;) {
    const Tokenizer::Kind k = t.next();
    if (k == Tokenizer::kEnd) break;
    if (k == Tokenizer::kWord) out.emplace_back(t.word());
    else if (eos_after) eos_after->push_back(static_cast<int>(out.size()));
  }
  return out;
}

// Tokenizer on arbitrary bytes, with a tiny read buffer (every refill path)
// and the byte ranges the training threads use: the words of the ranges,
// concatenated, are the words of the whole file.
inline int fuzzTokenizer(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  const size_t buffer = 1 + data[0] % 17;
  const uint8_t cut_seed = data[1];
  data += 2;
  size -= 2;
  const std::string p = scratchFile("corpus.txt", data, size);
  const auto expected = referenceWords(data, size);
  Tokenizer whole({p}, buffer);
  std::vector<int> eos;
  FUZZ_CHECK(tokenWords(whole, &eos) == expected);
  // A sentence ends at each newline after a word and at the end of the input.
  for (size_t i = 1; i < eos.size(); ++i) FUZZ_CHECK(eos[i] > eos[i - 1]);
  if (!expected.empty()) FUZZ_CHECK(!eos.empty() && eos.back() == static_cast<int>(expected.size()));
  // Three ranges with cut points from the seed byte.
  const uint64_t n = size;
  uint64_t c1 = n * (cut_seed & 0x0F) / 16, c2 = n * (8 + (cut_seed >> 4) / 2) / 16;
  if (c1 > c2) std::swap(c1, c2);
  std::vector<std::string> joined;
  for (auto [b, e] : {std::pair<uint64_t, uint64_t>{0, c1}, {c1, c2}, {c2, n}}) {
    Tokenizer part(p, b, e, buffer);
    const auto w = tokenWords(part);
    joined.insert(joined.end(), w.begin(), w.end());
  }
  FUZZ_CHECK(joined == expected);
  return 0;
}

// gzip input: arbitrary bytes under a .gz name must be read or rejected
// cleanly; the same bytes compressed must tokenize as the plain file does.
inline int fuzzTokenizerGz(const uint8_t* data, size_t size) {
  const std::string raw = scratchFile("raw.gz", data, size);
  try {
    Tokenizer t({raw}, 4096);
    tokenWords(t);
  } catch (const Error&) {
  }
  const std::string gz = scratchDir() + "/packed.gz";
  gzFile g = gzopen(gz.c_str(), "wb");
  if (!g) std::abort();
  if (size) gzwrite(g, data, static_cast<unsigned>(size));
  gzclose(g);
  Tokenizer t({gz}, 1 + size % 31);
  FUZZ_CHECK(tokenWords(t) == referenceWords(data, size));
  return 0;
}

// Counting a corpus (what vocab and train do): the Dictionary's table,
// pruning, rehashing and finalize against a reference count.
inline int fuzzCount(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  const int64_t prune_at = data[0] & 0x80 ? INT64_MAX : 2 + data[0] % 16;
  const int64_t min_count = 1 + data[1] % 3, max_vocab = data[2] % 6;
  data += 3;
  size -= 3;
  const auto words = referenceWords(data, size);
  std::map<std::string, int64_t> ref;
  std::vector<std::string> first_seen;
  for (const auto& w : words)
    if (ref[w]++ == 0) first_seen.push_back(w);
  Dictionary d;
  d.setPruneAt(prune_at);
  for (const auto& w : words) d.add(w);
  FUZZ_CHECK(d.tokensSeen() == static_cast<int64_t>(words.size()));
  for (int32_t i = 0; i < d.size(); ++i) {
    FUZZ_CHECK(d.find(d[i].word) == i);
    FUZZ_CHECK(d[i].count <= ref[d[i].word]);  // pruning only loses counts
    if (d.pruneEvents() == 0) FUZZ_CHECK(d[i].count == ref[d[i].word]);
  }
  if (d.pruneEvents() == 0) FUZZ_CHECK(d.size() == static_cast<int32_t>(ref.size()));
  d.finalize(min_count, max_vocab);
  for (int32_t i = 0; i < d.size(); ++i) {
    FUZZ_CHECK(d.find(d[i].word) == i);
    FUZZ_CHECK(d[i].count >= min_count);
    if (i > 0) FUZZ_CHECK(d[i - 1].count >= d[i].count);
  }
  if (max_vocab > 0) FUZZ_CHECK(d.size() <= max_vocab);
  if (d.pruneEvents() == 0) {
    // Without pruning: exactly the reference, sorted by count, ties in first-seen order.
    std::vector<std::pair<std::string, int64_t>> expect;
    for (const auto& w : first_seen)
      if (ref[w] >= min_count) expect.emplace_back(w, ref[w]);
    std::stable_sort(expect.begin(), expect.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (max_vocab > 0 && static_cast<int64_t>(expect.size()) > max_vocab) expect.resize(max_vocab);
    FUZZ_CHECK(static_cast<size_t>(d.size()) == expect.size());
    for (int32_t i = 0; i < d.size() && static_cast<size_t>(i) < expect.size(); ++i) {
      FUZZ_CHECK(d[i].word == expect[i].first);
      FUZZ_CHECK(d[i].count == expect[i].second);
    }
  }
  return 0;
}

// A few words for the evaluation targets, with case variants and non-ASCII.
inline const Embeddings& evalEmbeddings() {
  static const Embeddings e = [] {
    const char* words[] = {"a", "b", "c", "d", "A", "\xc3\x9f", "SS", "\xc3\xa9", "zero", "e"};
    Vectors v;
    v.matrix = Matrix(10, 3);
    for (int i = 0; i < 10; ++i) {
      v.words.push_back(words[i]);
      for (int j = 0; j < 3; ++j) v.matrix.row(i)[j] = i == 8 ? 0.f : static_cast<float>((i * 5 + j * 3) % 7) - 3.f;
    }
    return Embeddings(std::move(v));
  }();
  return e;
}

// questions-words analogy file, then the evaluation on it.
inline int fuzzAnalogies(const uint8_t* data, size_t size) {
  const std::string p = scratchFile("questions.txt", data, size);
  try {
    const AnalogySet set = readAnalogies(p);
    for (const auto& q : set.questions) FUZZ_CHECK(q.section >= 0 && q.section < static_cast<int32_t>(set.sections.size()));
    for (int64_t restrict : {0, 4}) {
      const AnalogyReport r = evaluateAnalogies(evalEmbeddings(), set, restrict);
      FUZZ_CHECK(r.total.answered + r.total.skipped == static_cast<int64_t>(set.questions.size()));
      FUZZ_CHECK(r.total.correct <= r.total.answered);
    }
  } catch (const Error&) {
  }
  return 0;
}

// Word-pair similarity file, then the correlation on it.
inline int fuzzPairs(const uint8_t* data, size_t size) {
  const std::string p = scratchFile("pairs.tsv", data, size);
  try {
    const auto pairs = readWordPairs(p);
    const PairsReport r = evaluateWordPairs(evalEmbeddings(), pairs, 0);
    FUZZ_CHECK(r.pairs + r.oov == static_cast<int64_t>(pairs.size()));
    FUZZ_CHECK(std::isnan(r.spearman) || (r.spearman >= -1.0 && r.spearman <= 1.0));
    FUZZ_CHECK(std::isnan(r.pearson) || (r.pearson >= -1.0 && r.pearson <= 1.0));
  } catch (const Error&) {
  }
  return 0;
}

// The targets by name (fuzz/<name>.cc, fuzz/corpus/<name>/, fuzz/regressions/<name>/).
struct Target {
  const char* name;
  int (*run)(const uint8_t*, size_t);
};
inline const std::vector<Target>& targets() {
  static const std::vector<Target> t = {
      {"w2v_binary", fuzzW2vBinary}, {"w2v_text", fuzzW2vText},       {"vocab", fuzzVocab},
      {"tokenizer", fuzzTokenizer},  {"tokenizer_gz", fuzzTokenizerGz}, {"analogies", fuzzAnalogies},
      {"pairs", fuzzPairs},          {"count", fuzzCount},
  };
  return t;
}

}  // namespace wembed::fuzz
