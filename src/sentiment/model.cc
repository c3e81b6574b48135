#include "wembed/sentiment/model.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <unordered_set>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

namespace wembed {

namespace {

constexpr char kMagic[8] = {'W', 'E', 'M', 'B', 'S', 'E', 'N', 'T'};

class HashingWriter {
 public:
  explicit HashingWriter(AtomicFile& f) : f_(f) { XXH3_64bits_reset(&st_); }
  void write(const void* p, size_t n) {
    f_.write(p, n);
    XXH3_64bits_update(&st_, p, n);
  }
  void u32(uint32_t v) { write(&v, 4); }
  void u64(uint64_t v) { write(&v, 8); }
  uint64_t digest() { return XXH3_64bits_digest(&st_); }

 private:
  AtomicFile& f_;
  XXH3_state_t st_;
};

class Reader {
 public:
  Reader(const std::string& path, const std::string& data, size_t end) : path_(path), d_(data), end_(end) {}
  void read(void* p, size_t n) {
    if (n > end_ - pos_) fail("the file is truncated");
    std::memcpy(p, d_.data() + pos_, n);
    pos_ += n;
  }
  uint32_t u32() {
    uint32_t v;
    read(&v, 4);
    return v;
  }
  uint64_t u64() {
    uint64_t v;
    read(&v, 8);
    return v;
  }
  size_t remaining() const { return end_ - pos_; }
  [[noreturn]] void fail(const std::string& what) const {
    throw Error("bad sentiment model " + quotedName(path_) + ": " + what);
  }

 private:
  const std::string& path_;
  const std::string& d_;
  size_t end_, pos_ = 0;
};

bool allFinite(const float* p, size_t n) {
  bool ok = true;
  for (size_t i = 0; i < n; ++i) ok &= std::isfinite(p[i]);
  return ok;
}

}  // namespace

void SentimentModel::save(const std::string& path) const {
  if (!allFinite(net.embeddings.data(), static_cast<size_t>(net.embeddings.size())) ||
      !allFinite(net.dense.data(), net.dense.size()))
    throw Error("cannot write " + quotedName(path) + ": the model's weights hold NaN or Inf (did the training diverge? try a smaller --lr)");
  AtomicFile f(path);
  HashingWriter w(f);
  const NetConfig& c = net.config;
  w.write(kMagic, sizeof(kMagic));
  w.u32(kSentimentModelVersion);
  w.u32(static_cast<uint32_t>(c.cell));
  w.u32(static_cast<uint32_t>(c.embed_dim));
  w.u32(static_cast<uint32_t>(c.hidden));
  w.u32(static_cast<uint32_t>(c.layers));
  w.u32(c.bidirectional ? 1u : 0u);
  w.u32(static_cast<uint32_t>(c.pooling));
  w.u32(static_cast<uint32_t>(max_len));
  w.u64(static_cast<uint64_t>(vocab.size()));
  for (const std::string& word : vocab.words()) {
    w.u32(static_cast<uint32_t>(word.size()));
    w.write(word.data(), word.size());
  }
  w.u64(static_cast<uint64_t>(net.embeddings.rows()));
  w.write(net.embeddings.data(), sizeof(float) * static_cast<size_t>(net.embeddings.size()));
  w.u64(net.dense.size());
  w.write(net.dense.data(), sizeof(float) * net.dense.size());
  const uint64_t h = w.digest();
  f.write(&h, 8);
  f.commit();
}

SentimentModel SentimentModel::load(const std::string& path) {
  const std::string data = readWholeFile(path);
  Reader r(path, data, data.size() < 8 ? data.size() : data.size() - 8);
  char magic[8];
  if (data.size() < sizeof(magic) || std::memcmp(data.data(), kMagic, sizeof(magic)) != 0)
    r.fail("not a wembed sentiment model (no WEMBSENT header)");
  r.read(magic, sizeof(magic));
  const uint32_t version = r.u32();
  if (version != kSentimentModelVersion)
    r.fail("format version " + std::to_string(version) + " (this wembed reads version " +
           std::to_string(kSentimentModelVersion) + ")");
  if (data.size() < 8 + 4 + 8) r.fail("the file is truncated");
  uint64_t stored;
  std::memcpy(&stored, data.data() + data.size() - 8, 8);
  if (XXH3_64bits(data.data(), data.size() - 8) != stored) r.fail("checksum mismatch (the file is corrupt or truncated)");

  NetConfig c;
  const uint32_t cell = r.u32();
  if (cell > 1) r.fail("unknown cell type " + std::to_string(cell));
  c.cell = static_cast<CellType>(cell);
  c.embed_dim = static_cast<int>(r.u32());
  c.hidden = static_cast<int>(r.u32());
  c.layers = static_cast<int>(r.u32());
  const uint32_t bidir = r.u32();
  if (bidir > 1) r.fail("bad bidirectional flag");
  c.bidirectional = bidir == 1;
  const uint32_t pooling = r.u32();
  if (pooling > 3) r.fail("unknown pooling " + std::to_string(pooling));
  c.pooling = static_cast<Pooling>(pooling);
  try {
    c.validate();
  } catch (const Error& e) {
    r.fail(e.what());
  }
  SentimentModel m;
  const uint32_t max_len = r.u32();
  if (max_len > static_cast<uint32_t>(INT32_MAX)) r.fail("bad text length limit " + std::to_string(max_len));
  m.max_len = static_cast<int>(max_len);
  const uint64_t nwords = r.u64();
  if (nwords > r.remaining() / 4) r.fail("the file is truncated");
  std::vector<std::string> words(nwords);
  for (auto& w : words) {
    const uint32_t len = r.u32();
    if (len > r.remaining()) r.fail("the file is truncated");
    w.resize(len);
    r.read(w.data(), len);
  }
  try {
    m.vocab = Vocabulary(std::move(words));
  } catch (const Error& e) {
    r.fail(e.what());
  }
  const uint64_t rows = r.u64();
  if (rows != nwords + 1) r.fail("embedding table has " + std::to_string(rows) + " rows for " +
                                 std::to_string(nwords) + " words");
  if (static_cast<uint64_t>(c.embed_dim) > r.remaining() / sizeof(float) / rows) r.fail("the file is truncated");
  // Nothing is allocated that the file cannot fill: the configuration's
  // weights must fit in what follows the embeddings.
  const uint64_t after = r.remaining() - rows * static_cast<uint64_t>(c.embed_dim) * sizeof(float);
  const NetLayout layout(c);
  if (after < 8 || layout.size > (after - 8) / sizeof(float))
    r.fail("the file is truncated (the configuration needs " + std::to_string(layout.size) + " weights)");
  m.net = NetParams<float>(c, static_cast<int64_t>(rows));
  r.read(m.net.embeddings.data(), sizeof(float) * static_cast<size_t>(m.net.embeddings.size()));
  const uint64_t ndense = r.u64();
  if (ndense != m.net.dense.size())
    r.fail(std::to_string(ndense) + " weights where the configuration needs " + std::to_string(m.net.dense.size()));
  r.read(m.net.dense.data(), sizeof(float) * m.net.dense.size());
  if (r.remaining() != 0) r.fail("unexpected bytes after the weights");
  if (!allFinite(m.net.embeddings.data(), static_cast<size_t>(m.net.embeddings.size())) ||
      !allFinite(m.net.dense.data(), m.net.dense.size()))
    r.fail("a weight is not a finite number (NaN or Inf)");
  return m;
}

Example SentimentModel::encode(std::string_view text, int label) const {
  Example e;
  e.ids = vocab.encode(text, max_len);
  e.label = label;
  return e;
}

VectorVocabulary classifierVocabulary(const std::vector<std::string>& vector_words, int64_t max_vocab) {
  VectorVocabulary v;
  std::unordered_set<std::string_view> seen;
  for (size_t i = 0; i < vector_words.size(); ++i) {
    if (max_vocab > 0 && static_cast<int64_t>(v.words.size()) >= max_vocab) break;
    const std::string& w = vector_words[i];
    if (w.empty() || !std::all_of(w.begin(), w.end(), [](char c) { return c >= 'a' && c <= 'z'; })) continue;
    if (!seen.insert(w).second) continue;  // a repeat: the first one stays
    v.words.push_back(w);
    v.rows.push_back(static_cast<int64_t>(i));
  }
  return v;
}

int64_t addComposedWords(VectorVocabulary& v, const std::vector<std::string>& vector_words, const Subwords& subwords,
                         const std::vector<std::string_view>& texts, int max_len) {
  const std::unordered_set<std::string_view> in_file(vector_words.begin(), vector_words.end());
  std::unordered_set<std::string> added;
  std::vector<std::string> words;
  std::vector<int32_t> ngrams;
  for (std::string_view t : texts) {
    TextCleaner c(t);
    std::string_view w;
    for (int n = 0; (max_len <= 0 || n < max_len) && c.next(w); ++n) {
      if (in_file.count(w) || added.count(std::string(w))) continue;
      ngrams.clear();
      appendSubwords(w, subwords.args, ngrams);
      if (ngrams.empty()) continue;
      added.emplace(w);
      words.emplace_back(w);
    }
  }
  const int d = subwords.buckets.cols();
  if (v.composed_dim != 0 && v.composed_dim != d) throw Error("addComposedWords: vectors of another dimension");
  v.composed_dim = d;
  AlignedBuffer buf(static_cast<size_t>(subwords.buckets.stride()));
  for (std::string& w : words) {
    const int64_t j = static_cast<int64_t>(v.composed.size() / static_cast<size_t>(d));
    subwords.compose(w, buf.data());
    v.composed.insert(v.composed.end(), buf.data(), buf.data() + d);
    v.words.push_back(std::move(w));
    v.rows.push_back(-1 - j);
  }
  return static_cast<int64_t>(words.size());
}

SentimentModel newSentimentModel(const Matrix& vectors, VectorVocabulary vocab, NetConfig config, int max_len,
                                 uint64_t seed) {
  SentimentModel model;
  model.max_len = max_len;
  config.embed_dim = vectors.cols();
  model.net = NetParams<float>(config, static_cast<int64_t>(vocab.words.size()) + 1);
  if (!vocab.composed.empty() && vocab.composed_dim != config.embed_dim)
    throw Error("the n-gram vectors have " + std::to_string(vocab.composed_dim) + " dimensions, the words " +
                std::to_string(config.embed_dim));
  for (size_t i = 0; i < vocab.rows.size(); ++i) {
    const int64_t r = vocab.rows[i];
    const float* src = r >= 0 ? vectors.row(r) : vocab.composed.data() + (-1 - r) * config.embed_dim;
    model.net.embeddings.row(static_cast<int64_t>(i) + 1) = ConstVecMap<float>(src, config.embed_dim);
  }
  model.vocab = Vocabulary(std::move(vocab.words));
  model.net.initialize(seed);
  return model;
}

}  // namespace wembed
