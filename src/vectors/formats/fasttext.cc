// fastText's model file (.bin), as fastText 0.9.2 writes it (FastText::saveModel,
// Args::save, Dictionary::save, DenseMatrix::save), little-endian, unpadded:
//   i32 magic 793712314, i32 version (12; 11 is read too: the same layout, and a
//       supervised model of version 11 has no character n-grams)
//   args: i32 dim, ws, epoch, minCount, neg, wordNgrams, loss, model, bucket, minn,
//       maxn, lrUpdateRate; f64 t
//   dictionary: i32 size, nwords, nlabels; i64 ntokens, pruneidx_size (-1: not
//       pruned); per entry (the nwords words, then the nlabels labels) its bytes, a
//       NUL byte, i64 count, i8 type (0 word, 1 label); pruneidx_size pairs of i32
//   u8 quant_input (1: quantized, a .ftz); the input matrix: i64 rows (nwords +
//       bucket: the words' own rows, then the n-gram rows), i64 cols (dim), then
//       rows x cols float32
//   u8 qout; the output matrix: i64 rows, i64 cols, rows x cols float32; the end.
//
// Reading: every size is checked against the file's before anything is
// allocated. The own rows go straight into Subwords::own and the n-gram rows
// into Subwords::buckets (read in pieces; the file is never mapped nor held
// whole), then each word's vector is composed into Vectors::matrix as
// fastText's getWordVector does. Labels (supervised models) are skipped. The
// output matrix is skipped too: its size is checked, its bytes never read
// (queries do not use it, and in a downloaded model it is as large as the word
// rows), so Subwords::output stays empty. A model without character n-grams
// (maxn 0, as supervised models) is read as plain vectors, each word's own row,
// without subwords (its n-gram rows are never read). Quantized and pruned
// models are refused.
//
// Writing: version 12; the input matrix from Subwords::own and ::buckets
// (without subwords: the matrix, no n-gram rows, minn = maxn = bucket = 0); the
// output layer from Subwords::output, cut or padded with zero rows to nwords
// (all zero when unknown); a count below 1 is written as 1 (gensim drops words
// counted less than once). Beside it, as fastText does, the composed vectors as
// word2vec text: X.bin gives X.vec, any other name name + ".vec".
#include <algorithm>
#include <climits>
#include <cstring>

#include "common.h"
#include "rows.h"
#include "table.h"
#include "wembed/core/error.h"
#include "wembed/core/kernels.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wembed's binary vector formats are read and written on little-endian machines only"
#endif

namespace wembed::formats {

namespace {

constexpr int32_t kMagicInt = 793712314;
constexpr std::string_view kMagic("\xba\x16\x4f\x2f", 4);
constexpr int32_t kVersion = 12;
constexpr int32_t kOldVersion = 11;
constexpr int32_t kSupervised = 3;  // fastText's model_name::sup
// Longest word read: fastText's words are whitespace-separated tokens.
constexpr size_t kMaxWord = size_t(1) << 20;

#pragma pack(push, 1)
struct Args {
  int32_t dim, ws, epoch, min_count, neg, word_ngrams, loss, model, bucket, minn, maxn, lr_update_rate;
  double t;
};
struct DictionaryHeader {
  int32_t size, nwords, nlabels;
  int64_t ntokens, pruneidx_size;
};
struct MatrixHeader {
  int64_t rows, cols;
};
#pragma pack(pop)
static_assert(sizeof(Args) == 56 && sizeof(DictionaryHeader) == 28 && sizeof(MatrixHeader) == 16, "fastText layout");

// Reads the content in order, through a buffer of 1 MiB (pread on a file).
class Cursor {
 public:
  explicit Cursor(const VectorSource& src) : src_(src) {}
  uint64_t offset() const { return off_; }
  uint64_t left() const { return src_.size() - off_; }
  void skip(uint64_t n) { off_ += std::min(n, left()); }
  [[noreturn]] void fail(const std::string& what) const { bad(src_.path(), what); }

  template <class T>
  T get(const char* where) {
    T x;
    if (left() < sizeof x) fail(std::string("the file is cut in its ") + where);
    std::memcpy(&x, at(sizeof x), sizeof x);
    off_ += sizeof x;
    return x;
  }

  // The bytes up to the next NUL byte, which is consumed; false if the content ends first.
  bool word(std::string& w, int64_t entry) {
    w.clear();
    while (left() > 0) {
      if (off_ < start_ || off_ >= start_ + buf_.size()) refill();
      const char* p = buf_.data() + (off_ - start_);
      const size_t n = static_cast<size_t>(start_ + buf_.size() - off_);
      const char* nul = static_cast<const char*>(std::memchr(p, '\0', n));
      const size_t k = nul ? static_cast<size_t>(nul - p) : n;
      if (w.size() + k > kMaxWord)
        fail("dictionary entry " + std::to_string(entry + 1) + " is longer than 1 MB (not a fastText model?)");
      w.append(p, k);
      off_ += k + (nul ? 1 : 0);
      if (nul) return true;
    }
    return false;
  }

 private:
  static constexpr size_t kBuffer = size_t(1) << 20;

  // The buffer from the offset on: up to kBuffer bytes.
  void refill() {
    buf_.resize(static_cast<size_t>(std::min<uint64_t>(kBuffer, left())));
    if (!src_.readAt(buf_.data(), buf_.size(), off_)) fail("the file is cut (it changed while read?)");
    start_ = off_;
  }
  // n (<= kBuffer, <= left()) bytes at the offset.
  const char* at(size_t n) {
    if (off_ < start_ || off_ + n > start_ + buf_.size()) refill();
    return buf_.data() + (off_ - start_);
  }

  const VectorSource& src_;
  uint64_t off_ = 0, start_ = 0;
  std::string buf_;
};

// What the header and the dictionary say, and where the input matrix's rows start.
struct Model {
  Args args{};
  DictionaryHeader dict{};
  uint64_t input = 0;  // offset of the input matrix's rows
};

Args readArgs(Cursor& c) {
  const int32_t magic = c.get<int32_t>("header");
  if (magic != kMagicInt) c.fail("not a fastText model (bad magic number)");
  const int32_t version = c.get<int32_t>("header");
  if (version != kVersion && version != kOldVersion)
    c.fail("fastText format version " + std::to_string(version) + "; wembed reads versions " +
           std::to_string(kOldVersion) + " and " + std::to_string(kVersion));
  Args a = c.get<Args>("settings");
  // As fastText: models of version 11 trained supervised had no character n-grams.
  if (version == kOldVersion && a.model == kSupervised) a.maxn = 0;
  if (a.dim < 1 || a.dim > kMaxDim)
    c.fail("the header says " + std::to_string(a.dim) + " dimensions; expected 1 to " + std::to_string(kMaxDim));
  if (a.bucket < 0 || a.minn < 0 || a.maxn < 0 || (a.maxn > 0 && a.bucket == 0))
    c.fail("the header says minn " + std::to_string(a.minn) + ", maxn " + std::to_string(a.maxn) + ", bucket " +
           std::to_string(a.bucket) + ", which no model has");
  return a;
}

// The dictionary: the words (and counts) of the first `want` entries kept;
// then the bytes up to the input matrix's rows, checked.
void readDictionary(Cursor& c, Model& m, int64_t limit, Vectors& v) {
  DictionaryHeader& d = m.dict;
  d = c.get<DictionaryHeader>("dictionary");
  if (d.nwords < 0 || d.nlabels < 0 || int64_t(d.size) != int64_t(d.nwords) + d.nlabels)
    c.fail("the dictionary says " + std::to_string(d.size) + " entries: " + std::to_string(d.nwords) + " words and " +
           std::to_string(d.nlabels) + " labels");
  if (static_cast<uint64_t>(d.size) > c.left() / 10)  // each entry: at least a NUL, a count and a type
    c.fail("the dictionary's " + std::to_string(d.size) + " entries do not fit the file (the file is cut?)");
  const int64_t want = limit > 0 ? std::min<int64_t>(limit, d.nwords) : d.nwords;
  std::string w;
  for (int64_t i = 0; i < d.size; ++i) {
    const auto entry = [i] { return "dictionary entry " + std::to_string(i + 1); };
    if (!c.word(w, i)) c.fail("the file ends inside " + entry());
    const int64_t count = c.get<int64_t>("dictionary");
    const int8_t type = c.get<int8_t>("dictionary");
    if (type != (i < d.nwords ? 0 : 1))
      c.fail(entry() + " (" + shown(w) + ") has type " + std::to_string(type) + "; fastText stores its " +
             std::to_string(d.nwords) + " words (type 0) first, then its labels (type 1)");
    if (i >= d.nwords) continue;
    if (w.empty()) c.fail(entry() + " is an empty word");
    if (count < 0) c.fail(entry() + " (" + shown(w) + ") has a negative count");
    if (i < want) {  // kept as they come: nothing is allocated for what the header claims
      v.words.push_back(w);
      v.counts.push_back(count);
    }
  }
  if (d.pruneidx_size < -1) c.fail("the dictionary's pruned index has " + std::to_string(d.pruneidx_size) + " entries");
  if (d.pruneidx_size > 0 && static_cast<uint64_t>(d.pruneidx_size) > c.left() / 8)
    c.fail("the dictionary's pruned index does not fit the file (the file is cut?)");
  c.skip(d.pruneidx_size > 0 ? static_cast<uint64_t>(d.pruneidx_size) * 8 : 0);
  const uint8_t quant = c.get<uint8_t>("input matrix");
  if (quant == 1)
    c.fail("this is a quantized fastText model (.ftz, made by 'fasttext quantize'); wembed reads full .bin models");
  if (quant != 0) c.fail("the byte saying whether the model is quantized is " + std::to_string(quant) + ", not 0 or 1");
  if (d.pruneidx_size >= 0)
    c.fail("a pruned fastText model that is not quantized (fastText itself refuses it: 'Invalid model file')");
}

// A matrix header: `rows` x dim float32 that must fit the rest of the file.
MatrixHeader readMatrixHeader(Cursor& c, const char* name, int32_t dim) {
  const MatrixHeader h = c.get<MatrixHeader>(name);
  if (h.cols != dim)
    c.fail(std::string("the ") + name + " has " + std::to_string(h.cols) + " columns; the header says " +
           std::to_string(dim) + " dimensions");
  if (h.rows < 0 || static_cast<uint64_t>(h.rows) > c.left() / 4 / static_cast<uint64_t>(dim))
    c.fail(std::string("the ") + name + "'s " + std::to_string(h.rows) + " rows do not fit the file (the file is cut?)");
  return h;
}

// Everything before the rows, checked against the file's size.
Model readModel(const VectorSource& src, int64_t limit, Vectors& v) {
  Cursor c(src);
  Model m;
  m.args = readArgs(c);
  readDictionary(c, m, limit, v);
  const int32_t dim = m.args.dim;
  const MatrixHeader in = readMatrixHeader(c, "input matrix", dim);
  if (in.rows != int64_t(m.dict.nwords) + m.args.bucket)
    c.fail("the input matrix has " + std::to_string(in.rows) + " rows; " + std::to_string(m.dict.nwords) + " words and " +
           std::to_string(m.args.bucket) + " n-gram buckets make " + std::to_string(int64_t(m.dict.nwords) + m.args.bucket));
  m.input = c.offset();
  c.skip(static_cast<uint64_t>(in.rows) * dim * sizeof(float));
  const uint8_t qout = c.get<uint8_t>("output matrix");
  if (qout > 1) c.fail("the byte saying whether the output layer is quantized is " + std::to_string(qout) + ", not 0 or 1");
  const MatrixHeader out = readMatrixHeader(c, "output matrix", dim);
  const uint64_t rest = static_cast<uint64_t>(out.rows) * dim * sizeof(float);
  if (c.left() > rest)
    c.fail(std::to_string(c.left() - rest) + " unexpected bytes after the output matrix (" +
           std::to_string(c.offset() + rest) + " bytes expected)");
  return m;
}

// Into the word rows of v.matrix, fastText's getWordVector of each word: its
// own row and its n-gram rows summed in order, times 1/n ("</s>": its own row).
void composeWords(const std::string& path, Vectors& v) {
  const Subwords& s = *v.subwords;
  const int64_t rows = v.matrix.rows();
  const int cols = v.matrix.cols();
  int64_t bad_row = rows;
#pragma omp parallel
  {
    std::vector<int32_t> ids;
#pragma omp for schedule(dynamic, 4096) reduction(min : bad_row)
    for (int64_t i = 0; i < rows; ++i) {
      ids.clear();
      appendSubwords(v.words[static_cast<size_t>(i)], s.args, ids);
      float* out = v.matrix.row(i);
      std::memcpy(out, s.own.row(i), sizeof(float) * static_cast<size_t>(cols));
      for (const int32_t b : ids) axpy(1.f, s.buckets.row(b), out, cols);
      if (!ids.empty()) scaleVec(static_cast<float>(1.0 / static_cast<double>(ids.size() + 1)), out, cols);
      if (!allFinite(out, cols)) bad_row = std::min(bad_row, i);
    }
  }
  if (bad_row < rows)
    bad(path, "row " + std::to_string(bad_row + 1) + " (" + shown(v.words[static_cast<size_t>(bad_row)]) +
                  "): the mean of its own and n-gram rows is not a finite number");
}

// Reads the rows of `m` at `offset`; a NaN or an infinity is an error naming the row.
void readFinite(const VectorSource& src, uint64_t offset, Matrix& m, const char* what, const char* unit,
                const std::vector<std::string>* words) {
  int64_t bad_row = 0;
  readRows(src, offset, m, false, what, &bad_row);
  if (bad_row == m.rows()) return;
  if (words) notFinite(src.path(), unit, bad_row, (*words)[static_cast<size_t>(bad_row)], m.row(bad_row), m.cols());
  bad(src.path(), std::string(unit) + " " + std::to_string(bad_row + 1) + " holds a value that is not a finite number");
}

Vectors read(const VectorSource& src, int64_t limit) {
  Vectors v;
  const Model m = readModel(src, limit, v);
  const Args& a = m.args;
  auto s = std::make_shared<Subwords>();
  s->args = SubwordArgs{a.minn, a.maxn, a.bucket};
  s->settings = {a.ws, a.epoch, a.min_count, a.neg, a.word_ngrams, a.loss, a.model, a.lr_update_rate, a.t,
                 m.dict.ntokens};
  const int64_t want = static_cast<int64_t>(v.words.size());
  s->own = Matrix(want, a.dim);
  readFinite(src, m.input, s->own, "input matrix", "own row", &v.words);
  if (!s->args.enabled()) {  // no character n-grams: each word's vector is its own row
    v.matrix = std::move(s->own);
    return v;
  }
  s->buckets = Matrix(a.bucket, a.dim);
  readFinite(src, m.input + static_cast<uint64_t>(m.dict.nwords) * a.dim * sizeof(float), s->buckets, "input matrix",
             "n-gram row", nullptr);
  v.matrix = Matrix(want, a.dim);
  v.subwords = std::move(s);
  composeWords(src.path(), v);
  return v;
}

std::string vecPath(const std::string& path) {
  const std::string ext = ".bin";
  if (path.size() > ext.size() && path.compare(path.size() - ext.size(), ext.size(), ext) == 0)
    return path.substr(0, path.size() - ext.size()) + ".vec";
  return path + ".vec";
}

std::vector<std::string> outputs(const std::string& path) { return {path, vecPath(path)}; }

template <class T>
void put(std::string& s, const T& x) {
  s.append(reinterpret_cast<const char*>(&x), sizeof x);
}

// The header, the settings and the dictionary.
std::string modelHeader(const std::string& path, const VectorsRef& v) {
  const Subwords* s = v.subwords;
  const Subwords::Settings t = s ? s->settings : Subwords::Settings{};
  const int32_t V = static_cast<int32_t>(v.words.size());
  const Args a{v.matrix.cols(), t.window, t.epochs, t.min_count, t.negative, t.word_ngrams, t.loss, t.model,
               s ? static_cast<int32_t>(s->args.bucket) : 0, s ? s->args.minn : 0, s ? s->args.maxn : 0,
               t.lr_update_rate, t.sample};
  std::string h;
  put(h, kMagicInt);
  put(h, kVersion);
  put(h, a);
  std::string entries;
  int64_t tokens = 0;
  for (int32_t i = 0; i < V; ++i) {
    const std::string& w = v.words[static_cast<size_t>(i)];
    if (w.find('\0') != std::string::npos)
      throw Error("cannot write " + quotedName(path) + " as fasttext: row " + std::to_string(i + 1) + "'s word " +
                  shown(w) + " contains a NUL byte, which ends a word in fastText's file");
    const int64_t count = v.counts ? std::max<int64_t>(1, (*v.counts)[static_cast<size_t>(i)]) : 1;
    entries += w;
    entries += '\0';
    put(entries, count);
    put(entries, int8_t{0});
    tokens = count > INT64_MAX - tokens ? INT64_MAX : tokens + count;  // huge counts: the sum saturates
  }
  put(h, DictionaryHeader{V, V, 0, s && t.tokens > 0 ? t.tokens : tokens, -1});
  return h + entries;
}

void write(PendingFiles& pf, const std::string& path, const VectorsRef& v) {
  const Matrix& m = v.matrix;
  const Subwords* s = v.subwords;
  const int64_t V = m.rows();
  if (V == 0) throw Error("cannot write " + quotedName(path) + " as fasttext: no words (fastText cannot load a model without any)");
  if (V > INT32_MAX) throw Error("cannot write " + quotedName(path) + " as fasttext: more than 2^31 - 1 words");
  const std::string header = modelHeader(path, v);
  const int64_t B = s ? s->buckets.rows() : 0;
  AtomicFile& out = pf.open(path);
  out.puts(header);
  out.write("\0", 1);  // quant_input
  const MatrixHeader in{V + B, m.cols()};
  out.write(&in, sizeof in);
  writeRows(out, s ? s->own : m, V);
  if (s) writeRows(out, s->buckets, B);
  out.write("\0", 1);  // qout
  const MatrixHeader output{V, m.cols()};
  out.write(&output, sizeof output);
  const int64_t known = s && s->output.cols() == m.cols() ? std::min(V, s->output.rows()) : 0;
  if (known) writeRows(out, s->output, known);
  const std::vector<float> zero(static_cast<size_t>(m.cols()), 0.f);
  for (int64_t r = known; r < V; ++r) out.write(zero.data(), sizeof(float) * zero.size());
  word2vecTextFormat().write(pf, vecPath(path), v);
}

}  // namespace

const FormatSpec& fasttextFormat() {
  static const FormatSpec spec{VectorFormat::kFastText, "fasttext", {}, {}, kMagic, nullptr, read, write,
                               outputs, " \t\n\r\v\f", /*empty_words=*/false, /*keeps_counts=*/true,
                               /*keeps_subwords=*/true};
  return spec;
}

}  // namespace wembed::formats
