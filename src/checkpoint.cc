#include "wembed/checkpoint.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <string_view>
#include <unordered_set>
#include <limits>

// GCC 12 reports false -Warray-bounds positives inside xxHash's inlined
// streaming update; the calls below pass whole objects.
#pragma GCC diagnostic ignored "-Warray-bounds"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "wembed/error.h"
#include "wembed/io.h"

namespace wembed {
namespace {

constexpr char kMagic[8] = {'W', 'E', 'M', 'B', 'C', 'K', 'P', 'T'};

// Appends to a file and to a running XXH64 of everything after the magic.
class Writer {
 public:
  explicit Writer(AtomicFile& f) : f_(f) { XXH64_reset(&h_, 0); }
  void raw(const void* p, size_t n) {
    f_.write(p, n);
    XXH64_update(&h_, p, n);
  }
  template <class T>
  void pod(T v) { raw(&v, sizeof v); }
  void str(const std::string& s) {
    pod<uint32_t>(static_cast<uint32_t>(s.size()));
    raw(s.data(), s.size());
  }
  void matrix(const Matrix& m) {
    pod<int64_t>(m.rows());
    pod<int32_t>(m.cols());
    for (int64_t r = 0; r < m.rows(); ++r) raw(m.row(r), sizeof(float) * m.cols());
  }
  uint64_t digest() { return XXH64_digest(&h_); }

 private:
  AtomicFile& f_;
  XXH64_state_t h_;
};

class Reader {
 public:
  Reader(const std::string& path) : path_(path), in_(path, std::ios::binary) {
    if (!in_) throw Error("cannot open checkpoint '" + path + "'");
    in_.seekg(0, std::ios::end);
    size_ = static_cast<uint64_t>(in_.tellg());
    in_.seekg(0);
    XXH64_reset(&h_, 0);
  }
  void raw(void* p, size_t n) {
    if (n > size_ - pos_) fail("truncated");
    in_.read(static_cast<char*>(p), static_cast<std::streamsize>(n));
    if (!in_) fail("read error");
    pos_ += n;
    XXH64_update(&h_, p, n);
  }
  template <class T>
  T pod() {
    T v;
    raw(&v, sizeof v);
    return v;
  }
  std::string str() {
    const uint32_t n = pod<uint32_t>();
    if (n > size_ - pos_) fail("truncated");
    std::string s(n, '\0');
    raw(s.data(), n);
    return s;
  }
  Matrix matrix() {
    const int64_t rows = pod<int64_t>();
    const int32_t cols = pod<int32_t>();
    if (rows < 0 || cols < 1 || cols > 100000 ||
        static_cast<uint64_t>(rows) > (size_ - pos_) / (sizeof(float) * static_cast<uint64_t>(cols)))
      fail("bad matrix size");
    Matrix m(rows, cols);
    for (int64_t r = 0; r < rows; ++r) raw(m.row(r), sizeof(float) * cols);
    return m;
  }
  uint64_t digest() { return XXH64_digest(&h_); }
  void restartDigest() { XXH64_reset(&h_, 0); }
  uint64_t remaining() const { return size_ - pos_; }
  [[noreturn]] void fail(const std::string& why) const {
    throw Error("checkpoint '" + path_ + "' is unusable: " + why);
  }

 private:
  std::string path_;
  std::ifstream in_;
  uint64_t size_ = 0, pos_ = 0;
  XXH64_state_t h_;
};

}  // namespace

void saveCheckpoint(const std::string& path, const Checkpoint& c, const Matrix& in, const Matrix& out) {
  AtomicFile f(path);
  f.write(kMagic, sizeof kMagic);
  Writer w(f);
  w.pod<uint32_t>(kCheckpointVersion);
  const TrainArgs& a = c.args;
  w.pod<int32_t>(static_cast<int32_t>(a.model));
  w.pod<int32_t>(static_cast<int32_t>(a.loss));
  w.pod<int32_t>(static_cast<int32_t>(a.update));
  w.pod<int32_t>(static_cast<int32_t>(a.format));
  w.pod<int32_t>(a.dim);
  w.pod<int32_t>(a.window);
  w.pod<int32_t>(a.negative);
  w.pod<int32_t>(a.epochs);
  w.pod<double>(a.sample);
  w.pod<double>(a.alpha);
  w.pod<double>(a.min_alpha_fraction);
  w.pod<int32_t>(a.threads);
  w.pod<uint64_t>(a.seed);
  w.pod<int32_t>(a.max_sentence);
  w.str(a.output);
  w.str(a.output_context);
  w.pod<uint32_t>(static_cast<uint32_t>(c.files.size()));
  for (size_t i = 0; i < c.files.size(); ++i) {
    w.str(c.files[i]);
    w.pod<uint64_t>(c.sizes[i]);
  }
  w.pod<uint32_t>(static_cast<uint32_t>(c.vocab.size()));
  for (const auto& e : c.vocab) {
    w.str(e.word);
    w.pod<int64_t>(e.count);
  }
  w.matrix(in);
  w.matrix(out);
  w.pod<int64_t>(c.words_done);
  w.pod<uint32_t>(static_cast<uint32_t>(c.epoch_words.size()));
  for (int64_t n : c.epoch_words) w.pod<int64_t>(n);
  w.pod<uint32_t>(static_cast<uint32_t>(c.threads.size()));
  for (const auto& t : c.threads) {
    w.pod<int32_t>(t.epoch);
    w.pod<int32_t>(t.segment);
    w.pod<uint64_t>(t.offset);
    w.pod<uint64_t>(t.rng);
    w.pod<uint32_t>(static_cast<uint32_t>(t.negs.size()));
    for (int32_t n : t.negs) w.pod<int32_t>(n);
  }
  w.pod<double>(c.seconds);
  const uint64_t sum = w.digest();
  f.write(&sum, sizeof sum);
  f.commit();
}

Checkpoint loadCheckpoint(const std::string& path) {
  checkReadable(path);
  Reader r(path);
  char magic[sizeof kMagic];
  if (r.remaining() < sizeof kMagic) r.fail("too short to be a checkpoint");
  r.raw(magic, sizeof magic);
  if (std::memcmp(magic, kMagic, sizeof kMagic) != 0) r.fail("not a wembed checkpoint (bad magic)");
  r.restartDigest();  // the checksum covers what follows the magic
  Checkpoint c;
  const uint32_t version = r.pod<uint32_t>();
  if (version != kCheckpointVersion)
    r.fail("version " + std::to_string(version) + " (this wembed reads version " +
           std::to_string(kCheckpointVersion) + ")");
  TrainArgs& a = c.args;
  const int32_t model = r.pod<int32_t>(), loss = r.pod<int32_t>(), update = r.pod<int32_t>(),
                format = r.pod<int32_t>();
  if (model < 0 || model > 1 || loss < 0 || loss > 1 || update < 0 || update > 2 || format < 0 ||
      format > static_cast<int32_t>(VectorFormat::kNpy))
    r.fail("bad settings");
  a.model = static_cast<ModelType>(model);
  a.loss = static_cast<LossType>(loss);
  a.update = static_cast<UpdateMode>(update);
  a.format = static_cast<VectorFormat>(format);
  a.dim = r.pod<int32_t>();
  a.window = r.pod<int32_t>();
  a.negative = r.pod<int32_t>();
  a.epochs = r.pod<int32_t>();
  a.sample = r.pod<double>();
  a.alpha = r.pod<double>();
  a.min_alpha_fraction = r.pod<double>();
  a.threads = r.pod<int32_t>();
  a.seed = r.pod<uint64_t>();
  a.max_sentence = r.pod<int32_t>();
  a.output = r.str();
  a.output_context = r.str();
  const uint32_t nf = r.pod<uint32_t>();
  for (uint32_t i = 0; i < nf && r.remaining() > 0; ++i) {
    c.files.push_back(r.str());
    c.sizes.push_back(r.pod<uint64_t>());
  }
  a.vocab.input = c.files;
  const uint32_t nv = r.pod<uint32_t>();
  for (uint32_t i = 0; i < nv; ++i) {
    std::string w = r.str();
    c.vocab.push_back({std::move(w), r.pod<int64_t>()});
  }
  c.in = r.matrix();
  c.out = r.matrix();
  c.words_done = r.pod<int64_t>();
  const uint32_t ne = r.pod<uint32_t>();
  if (ne > 1000000) r.fail("bad epoch count");
  for (uint32_t i = 0; i < ne; ++i) c.epoch_words.push_back(r.pod<int64_t>());
  const uint32_t nt = r.pod<uint32_t>();
  if (nt > 1024) r.fail("bad thread count");
  for (uint32_t i = 0; i < nt; ++i) {
    ThreadPosition t;
    t.epoch = r.pod<int32_t>();
    t.segment = r.pod<int32_t>();
    if (t.epoch < 0 || t.segment < 0) r.fail("bad thread position");
    t.offset = r.pod<uint64_t>();
    t.rng = r.pod<uint64_t>();
    const uint32_t nn = r.pod<uint32_t>();
    if (nn > 100000) r.fail("bad negative count");
    for (uint32_t k = 0; k < nn; ++k) t.negs.push_back(r.pod<int32_t>());
    c.threads.push_back(std::move(t));
  }
  c.seconds = r.pod<double>();
  const uint64_t expect = r.digest();
  uint64_t sum = 0;
  if (r.remaining() != sizeof sum) r.fail(r.remaining() < sizeof sum ? "truncated" : "trailing bytes");
  r.raw(&sum, sizeof sum);
  if (sum != expect) r.fail("checksum mismatch (corrupted)");
  // Consistency: the pieces must fit together before anyone trusts them.
  if (c.in.rows() != static_cast<int64_t>(c.vocab.size()) || c.in.cols() != a.dim || c.out.cols() != a.dim ||
      static_cast<int>(c.epoch_words.size()) != a.epochs || static_cast<int>(c.threads.size()) != a.threads ||
      c.files.size() != nf)
    r.fail("inconsistent contents");
  try {
    a.validate();
  } catch (const Error& e) {
    r.fail(std::string("bad settings: ") + e.what());
  }
  // Values the trainer uses as indices or counts: a file with a valid
  // checksum may still hold them wrong (a bug, a hand-made file).
  {
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < c.vocab.size(); ++i) {
      const auto& e = c.vocab[i];
      if (e.word.empty() || e.count < 1) r.fail("vocabulary entry " + std::to_string(i + 1) + " has an empty word or a count below 1");
      if (!seen.insert(e.word).second) r.fail("the word '" + e.word.substr(0, 40) + "' is in the vocabulary twice");
    }
  }
  const int64_t vocab_size = static_cast<int64_t>(c.vocab.size());
  for (const auto& t : c.threads)
    for (int32_t n : t.negs)
      if (n < 0 || n >= vocab_size) r.fail("a saved negative sample (" + std::to_string(n) + ") is not a word of the vocabulary");
  if (c.words_done < 0) r.fail("negative progress (" + std::to_string(c.words_done) + " words)");
  for (int64_t n : c.epoch_words)
    if (n < 0) r.fail("a negative word count for an epoch");
  if (!(c.seconds >= 0) || !std::isfinite(c.seconds)) r.fail("bad training time");
  for (const Matrix* m : {&c.in, &c.out})
    for (int64_t row = 0; row < m->rows(); ++row)
      for (int j = 0; j < m->cols(); ++j)
        if (!std::isfinite(m->row(row)[j])) r.fail("the saved vectors hold NaN or Inf (the run had diverged)");
  return c;
}

}  // namespace wembed
