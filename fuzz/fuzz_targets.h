#pragma once
// The bodies of the libFuzzer targets, shared with the regression test
// (tests/cli/test_fuzz_regressions.cc replays fuzz/regressions/<target>/* through
// the same functions). Each takes arbitrary bytes, writes them to a scratch
// file (the loaders read paths), and runs a loader: a wembed::Error is a clean
// rejection; anything else (a crash, a sanitizer report, another exception, a
// broken invariant) is a finding. Invariants checked where the data allows:
// save/reload round trips, byte-range tokenization equal to whole-file
// tokenization, gzip equal to plain, finite similarity scores.
#include <fcntl.h>
#include <lzma.h>
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

#include "../tests/checksums.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/glove/cooccur.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/error.h"
#include "wembed/vectors/evaluate.h"
#include "wembed/glove/trainer.h"
#include "wembed/glove/checkpoint.h"
#include "wembed/core/io.h"
#include "wembed/vectors/index.h"
#include "wembed/sentiment/data.h"
#include "wembed/sentiment/model.h"
#include "wembed/sentiment/checkpoint.h"
#include "wembed/sentiment/train.h"
#include "wembed/corpus/tokenizer.h"
#include "wembed/vectors/vectors.h"

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

inline bool sameMatrixBits(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (int64_t r = 0; r < a.rows(); ++r)
    if (std::memcmp(a.row(r), b.row(r), sizeof(float) * a.cols()) != 0) return false;
  return true;
}

// The same n-gram settings and rows (both without subwords: the same too).
inline bool sameSubwords(const Vectors& a, const Vectors& b) {
  if (!a.subwords || !b.subwords) return !a.subwords && !b.subwords;
  const Subwords &x = *a.subwords, &y = *b.subwords;
  return x.args.minn == y.args.minn && x.args.maxn == y.args.maxn && x.args.bucket == y.args.bucket &&
         sameMatrixBits(x.own, y.own) && sameMatrixBits(x.buckets, y.buckets);
}

// What every successfully loaded vector file must satisfy, and what the
// query code must survive. format: the round trip's (kAuto: word2vec,
// binary or text as `binary` says).
inline void checkLoadedVectors(const Vectors& v, bool binary, VectorFormat format = VectorFormat::kAuto) {
  FUZZ_CHECK(static_cast<int64_t>(v.words.size()) == v.matrix.rows());
  FUZZ_CHECK(v.counts.empty() || v.counts.size() == v.words.size());
  // Subwords: enabled, the own rows beside the words, one row per bucket.
  if (v.subwords) {
    FUZZ_CHECK(v.subwords->args.enabled());
    FUZZ_CHECK(v.subwords->own.rows() == v.matrix.rows() && v.subwords->own.cols() == v.matrix.cols());
    FUZZ_CHECK(v.subwords->buckets.rows() == v.subwords->args.bucket);
  }
  for (int64_t r = 0; r < v.matrix.rows(); ++r) {
    if (format != VectorFormat::kNative) FUZZ_CHECK(!v.words[r].empty());  // native files keep any word
    for (int j = 0; j < v.matrix.stride(); ++j) {
      const float x = v.matrix.row(r)[j];
      FUZZ_CHECK(std::isfinite(x));
      if (j >= v.matrix.cols()) FUZZ_CHECK(x == 0.f);  // padding stays zero
    }
  }
  // Round trip through the same format: the same words, bit-exact values.
  // (The writer refuses words it could not read back, such as a binary word
  // holding a tab; that is a clean Error.)
  if (format == VectorFormat::kAuto) format = binary ? VectorFormat::kWord2vecBinary : VectorFormat::kWord2vecText;
  const std::string out = scratchDir() + "/roundtrip";
  bool saved = false;
  try {
    saveVectors(out, v.words, v.matrix, format, v.counts.empty() ? nullptr : &v.counts, v.subwords.get());
    saved = true;
  } catch (const Error&) {
  }
  if (saved) {
    const Vectors back = loadVectors(out, format);
    FUZZ_CHECK(sameVectors(v, back));
    FUZZ_CHECK(format != VectorFormat::kNative || back.counts == v.counts);
    FUZZ_CHECK(keepsSubwords(format) ? sameSubwords(v, back) : !back.subwords);
  }
  if (v.words.empty()) return;
  // Queries: similarity scores are never NaN, whatever the values.
  Vectors copy;
  copy.words = v.words;
  copy.matrix = Matrix(v.matrix.rows(), v.matrix.cols());
  for (int64_t r = 0; r < v.matrix.rows(); ++r)
    std::memcpy(copy.matrix.row(r), v.matrix.row(r), sizeof(float) * v.matrix.stride());
  VectorIndex idx(std::move(copy));
  for (const auto& [w, s] : idx.nearest(v.words[0], 3)) FUZZ_CHECK(!std::isnan(s));
  Vectors copy2;
  copy2.words = v.words;
  copy2.matrix = Matrix(v.matrix.rows(), v.matrix.cols());
  for (int64_t r = 0; r < v.matrix.rows(); ++r)
    std::memcpy(copy2.matrix.row(r), v.matrix.row(r), sizeof(float) * v.matrix.stride());
  const VectorIndex e(std::move(copy2));
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
inline const VectorIndex& evalEmbeddings() {
  static const VectorIndex e = [] {
    const char* words[] = {"a", "b", "c", "d", "A", "\xc3\x9f", "SS", "\xc3\xa9", "zero", "e"};
    Vectors v;
    v.matrix = Matrix(10, 3);
    for (int i = 0; i < 10; ++i) {
      v.words.push_back(words[i]);
      for (int j = 0; j < 3; ++j) v.matrix.row(i)[j] = i == 8 ? 0.f : static_cast<float>((i * 5 + j * 3) % 7) - 3.f;
    }
    return VectorIndex(std::move(v));
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


// --- loaders of the later subcommands --------------------------------------------

// The first `limit` rows of a load equal a load with that --limit (which must
// succeed whenever the whole file loads).
inline void checkLimit(const std::string& p, VectorFormat f, const Vectors& all, int64_t limit) {
  const Vectors part = loadVectors(p, f, limit);
  const int64_t n = std::min<int64_t>(limit, all.matrix.rows());
  FUZZ_CHECK(part.matrix.rows() == n);
  FUZZ_CHECK(part.matrix.cols() == all.matrix.cols());
  for (int64_t r = 0; r < n; ++r) {
    FUZZ_CHECK(part.words[r] == all.words[r]);
    FUZZ_CHECK(std::memcmp(part.matrix.row(r), all.matrix.row(r), sizeof(float) * all.matrix.cols()) == 0);
  }
  FUZZ_CHECK(all.counts.empty() ? part.counts.empty()
                                : std::equal(part.counts.begin(), part.counts.end(), all.counts.begin()));
}

// GloVe text (no header), format forced and detected: finite values, the
// GloVe round trip, --limit.
inline int fuzzGloveText(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int64_t limit = 1 + data[0] % 4;
  const std::string p = scratchFile("in.glove", data + 1, size - 1);
  try {
    const Vectors v = loadVectors(p, VectorFormat::kGlove);
    checkLoadedVectors(v, false, VectorFormat::kGlove);
    checkLimit(p, VectorFormat::kGlove, v, limit);
  } catch (const Error&) {
  }
  try {
    const Vectors v = loadVectors(p);
    checkLoadedVectors(v, false, detectVectorFormat(p));
  } catch (const Error&) {
  }
  return 0;
}

// wembed's native format. Byte 0, bit 0: recompute the checksums first, so
// that the rest of the reader (sizes, vocabulary, counts, NaN) is reached;
// bits 1-2: the --limit tried. Round trip with counts, bit-exact.
inline int fuzzNative(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const bool fix = data[0] & 1;
  const int64_t limit = 1 + ((data[0] >> 1) & 3);
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (fix) testutil::fixNativeChecksums(bytes);
  const std::string p = scratchFile("in.wev", reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  try {
    const Vectors v = loadVectors(p, VectorFormat::kNative);
    checkLoadedVectors(v, true, VectorFormat::kNative);
    checkLimit(p, VectorFormat::kNative, v, limit);
    // Auto-detection takes it for what it is.
    FUZZ_CHECK(detectVectorFormat(p) == VectorFormat::kNative);
    FUZZ_CHECK(sameVectors(loadVectors(p), v));
  } catch (const Error&) {
  }
  return 0;
}

// Any vector file through auto-detection (what every subcommand does):
// whatever loads, loads the same with its detected format named, and with a
// --limit gives the first rows. Native content gets its checksums fixed.
inline int fuzzVectorsAny(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const int64_t limit = 1 + data[0] % 3;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (bytes.compare(0, 8, std::string("WEMBEDV\x1a", 8)) == 0 && (data[0] & 0x80)) testutil::fixNativeChecksums(bytes);
  const std::string p = scratchFile("in.vec", reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  try {
    const Vectors v = loadVectors(p);
    const VectorFormat f = detectVectorFormat(p);
    FUZZ_CHECK(sameVectors(loadVectors(p, f), v));
    checkLimit(p, VectorFormat::kAuto, v, limit);
    checkLoadedVectors(v, f == VectorFormat::kWord2vecBinary, f);
  } catch (const Error&) {
  }
  return 0;
}

// A co-occurrence file: the reader's checks (header, size, ids, counts),
// every record read in odd-sized chunks; then, when small, one GloVe epoch
// on it, whose vectors must be finite.
inline int fuzzCooccur(const uint8_t* data, size_t size) {
  const std::string p = scratchFile("in.cooc", data, size);
  try {
    CooccurReader r(p);
    const int32_t V = r.header().vocab_size;
    FUZZ_CHECK(V > 0);
    std::vector<CooccurRecord> all, buf(7);
    for (uint64_t at = 0;;) {
      const size_t n = r.read(at, buf.data(), buf.size());
      if (n == 0) break;
      for (size_t i = 0; i < n; ++i) {
        FUZZ_CHECK(buf[i].word >= 0 && buf[i].word < V);
        FUZZ_CHECK(buf[i].context >= 0 && buf[i].context < V);
        FUZZ_CHECK(buf[i].count > 0.f && std::isfinite(buf[i].count));
        all.push_back(buf[i]);
      }
      at += n;
    }
    FUZZ_CHECK(all.size() == r.records());
    if (V <= 64 && !all.empty()) {
      GloveArgs a;
      a.dim = 2;
      a.epochs = 1;
      a.threads = 1;
      a.memory_gb = 0.01;
      GloveTrainer t(a, V);
      t.train(r);
      const Matrix m = t.sumVectors();
      for (int64_t i = 0; i < m.rows(); ++i)
        for (int j = 0; j < m.cols(); ++j) FUZZ_CHECK(std::isfinite(m.row(i)[j]));
    }
  } catch (const Error&) {
  }
  return 0;
}

// Labelled sentiment TSV. Byte 0 picks the columns asked for and whether
// labels are required. Every row has a label in {0, 1} (or -1 without a
// label column); the cleaner gives words of a-z only; encoding respects
// --max-len and the vocabulary.
inline int fuzzSentimentTsv(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  static const char* const kText[] = {"", "text", "review", "sentence"};
  static const char* const kLabel[] = {"label", "y"};
  const std::string text_col = kText[data[0] & 3], label_col = kLabel[(data[0] >> 2) & 1];
  const bool required = data[0] & 8;
  const int max_len = (data[0] >> 4) & 7;
  const std::string p = scratchFile("in.tsv", data + 1, size - 1);
  static const Vocabulary vocab({"the", "good", "bad", "movie", "one", "two"});
  try {
    const auto rows = readLabeledTsv(p, text_col, label_col, required);
    for (const auto& row : rows) {
      FUZZ_CHECK(row.label >= -1 && row.label <= 1);
      FUZZ_CHECK(!required || row.label >= 0);
      FUZZ_CHECK(row.text.find('\n') == std::string::npos);
      for (const auto& w : cleanWords(row.text)) {
        FUZZ_CHECK(!w.empty());
        for (char c : w) FUZZ_CHECK(c >= 'a' && c <= 'z');
      }
      int64_t unknown = 0, total = 0;
      const auto ids = vocab.encode(row.text, max_len, &unknown, &total);
      FUZZ_CHECK(!ids.empty());
      FUZZ_CHECK(max_len == 0 || static_cast<int>(ids.size()) <= max_len);
      for (int32_t id : ids) FUZZ_CHECK(id >= 0 && id <= vocab.size());
      FUZZ_CHECK(unknown <= total);
    }
  } catch (const Error&) {
  }
  return 0;
}

// A sentiment model file. Byte 0, bit 0: fix the checksum first. A model
// that loads saves back to the same bytes and predicts finite probabilities.
inline int fuzzSentimentModel(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) testutil::fixSentimentChecksum(bytes);
  const std::string p = scratchFile("in.sent", reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  try {
    const SentimentModel m = SentimentModel::load(p);
    FUZZ_CHECK(m.net.embeddings.rows() == static_cast<int64_t>(m.vocab.size()) + 1);
    const std::string out = scratchDir() + "/resaved.sent";
    m.save(out);
    std::FILE* f = std::fopen(out.c_str(), "rb");
    FUZZ_CHECK(f != nullptr);
    std::string back;
    char buf[4096];
    for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) back.append(buf, n);
    std::fclose(f);
    FUZZ_CHECK(back == bytes);
    const std::vector<Example> ex = {m.encode("the movie was good"), m.encode(""), m.encode("1984 \xc3\xa9t\xc3\xa9")};
    // Absurd but finite weights may overflow to NaN; anything else is a probability.
    for (float q : predictProbabilities(m.net, ex, 1)) FUZZ_CHECK(std::isnan(q) || (q >= 0.f && q <= 1.f));
  } catch (const Error&) {
  }
  return 0;
}

inline std::string fileBytes(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) std::abort();
  std::string out;
  char buf[4096];
  for (size_t n; (n = std::fread(buf, 1, sizeof buf, f)) > 0;) out.append(buf, n);
  std::fclose(f);
  return out;
}

// The input with byte 0 taken off; bit 0 of byte 0: recompute the checkpoint
// checksum (XXH64 after the magic, as every kind frames it) first, so that
// the checks behind it are reached.
inline std::string checkpointInput(const uint8_t* data, size_t size, const char* name) {
  std::string bytes(reinterpret_cast<const char*>(data + 1), size - 1);
  if (data[0] & 1) testutil::fixCheckpointChecksum(bytes);
  return scratchFile(name, reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
}

// A word2vec training checkpoint. One that loads saves back to the same
// bytes; its negatives are words of the vocabulary.
inline int fuzzCheckpoint(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string p = checkpointInput(data, size, "in.ckpt");
  try {
    const Word2VecCheckpoint c = loadWord2VecCheckpoint(p);
    const SubwordArgs& sw = c.args.subwords;
    FUZZ_CHECK(c.in.rows() == static_cast<int64_t>(c.vocab.size()) + (sw.enabled() ? sw.bucket : 0));
    FUZZ_CHECK(static_cast<int>(c.threads.size()) == c.args.threads);
    for (const auto& t : c.threads)
      for (int32_t n : t.negs) FUZZ_CHECK(n >= 0 && n < static_cast<int64_t>(c.vocab.size()));
    const std::string out = scratchDir() + "/resaved.ckpt";
    saveWord2VecCheckpoint(out, c, c.in, c.out);
    // The current version saves back to the same bytes; an older one (read
    // as well) to a current file that does.
    uint32_t version = 0;
    const std::string in_bytes = fileBytes(p);
    std::memcpy(&version, in_bytes.data() + 8, 4);
    if (version == kWord2VecCheckpointVersion) {
      FUZZ_CHECK(fileBytes(out) == in_bytes);
    } else {
      const Word2VecCheckpoint again = loadWord2VecCheckpoint(out);
      const std::string out2 = scratchDir() + "/resaved2.ckpt";
      saveWord2VecCheckpoint(out2, again, again.in, again.out);
      FUZZ_CHECK(fileBytes(out2) == fileBytes(out));
    }
  } catch (const Error&) {
  }
  return 0;
}

// A GloVe training checkpoint: one that loads saves back to the same bytes
// (an older version, read as well, to a current file that does); a
// distributed one holds a share for every rank.
inline int fuzzGloveCheckpoint(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string p = checkpointInput(data, size, "in.gckpt");
  try {
    const GloveCheckpoint c = loadGloveCheckpoint(p);
    FUZZ_CHECK(c.w.rows() == c.c.rows() && c.w.rows() > 0);
    FUZZ_CHECK(c.epochs_done >= 0 && c.epochs_done <= c.args.epochs);
    FUZZ_CHECK(c.ranks == 1 ? c.shares.empty() : static_cast<int32_t>(c.shares.size()) == c.ranks);
    const std::string out = scratchDir() + "/resaved.gckpt";
    saveGloveCheckpoint(out, c, c.w, c.c);
    uint32_t version = 0;
    const std::string in_bytes = fileBytes(p);
    std::memcpy(&version, in_bytes.data() + 8, 4);
    if (version == kGloveCheckpointVersion) {
      FUZZ_CHECK(fileBytes(out) == in_bytes);
    } else {
      const GloveCheckpoint again = loadGloveCheckpoint(out);
      const std::string out2 = scratchDir() + "/resaved2.gckpt";
      saveGloveCheckpoint(out2, again, again.w, again.c);
      FUZZ_CHECK(fileBytes(out2) == fileBytes(out));
    }
  } catch (const Error&) {
  }
  return 0;
}

// A sentiment training checkpoint: one that loads saves back to the same
// bytes, its arrays sized as its network and table say.
inline int fuzzSentimentCheckpoint(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string p = checkpointInput(data, size, "in.sckpt");
  try {
    const SentimentCheckpoint c = loadSentimentCheckpoint(p);
    const NetLayout layout(c.config);
    FUZZ_CHECK(c.dense.size() == layout.size && c.best_dense.size() == layout.size);
    FUZZ_CHECK(c.adam.m.size() == layout.size && c.adam.v.size() == layout.size);
    FUZZ_CHECK(c.rows.cols() == c.config.embed_dim && c.best_rows.rows() == c.rows.rows());
    FUZZ_CHECK(c.adam.tm.rows() == c.rows.rows() && c.adam.tv.rows() == c.rows.rows());
    SentimentArrays a;
    a.dense = c.dense.data();
    a.rows = c.rows.data();
    a.m = c.adam.m.data();
    a.v = c.adam.v.data();
    a.tm = c.adam.tm.data();
    a.tv = c.adam.tv.data();
    a.best_dense = c.best_dense.data();
    a.best_rows = c.best_rows.data();
    a.dense_size = c.dense.size();
    a.table_rows = c.rows.rows();
    a.adam_t = c.adam.t;
    const std::string out = scratchDir() + "/resaved.sckpt";
    saveSentimentCheckpoint(out, c, a);
    FUZZ_CHECK(fileBytes(out) == fileBytes(p));
  } catch (const Error&) {
  }
  return 0;
}

// xz input (sentiment data may be .xz): arbitrary bytes under a .xz name are
// read or rejected cleanly; the same bytes compressed (one stream, or two
// concatenated) read back as themselves.
inline int fuzzXz(const uint8_t* data, size_t size) {
  const std::string raw = scratchFile("raw.xz", data, size);
  try {
    readWholeFile(raw);
  } catch (const Error&) {
  }
  std::vector<uint8_t> packed(lzma_stream_buffer_bound(size) + 64);
  size_t pos = 0;
  if (lzma_easy_buffer_encode(1, LZMA_CHECK_CRC32, nullptr, data, size, packed.data(), &pos, packed.size()) != LZMA_OK)
    std::abort();
  const size_t one = pos;
  const std::string p1 = scratchFile("packed.xz", packed.data(), one);
  FUZZ_CHECK(readWholeFile(p1) == std::string(reinterpret_cast<const char*>(data), size));
  packed.resize(one + lzma_stream_buffer_bound(size) + 64);
  if (lzma_easy_buffer_encode(0, LZMA_CHECK_NONE, nullptr, data, size, packed.data(), &pos, packed.size()) != LZMA_OK)
    std::abort();
  const std::string p2 = scratchFile("twice.xz", packed.data(), pos);
  const std::string once(reinterpret_cast<const char*>(data), size);
  FUZZ_CHECK(readWholeFile(p2) == once + once);
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
      {"glove_text", fuzzGloveText}, {"native", fuzzNative},           {"vectors_any", fuzzVectorsAny},
      {"cooccur", fuzzCooccur},      {"sentiment_tsv", fuzzSentimentTsv}, {"sentiment_model", fuzzSentimentModel},
      {"checkpoint", fuzzCheckpoint}, {"xz", fuzzXz},           {"glove_checkpoint", fuzzGloveCheckpoint},
      {"sentiment_checkpoint", fuzzSentimentCheckpoint},
  };
  return t;
}

}  // namespace wembed::fuzz
