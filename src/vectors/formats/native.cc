// wembed's own binary format (.wev): the layout is documented in
// include/wembed/vectors/vectors.h.
//
// GCC 12 warns falsely (-Wmaybe-uninitialized in avx512fintrin.h) about
// xxhash's inlined AVX-512 streaming code; the pragma must precede the
// intrinsics headers to cover them.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <climits>
#include <cstring>

#include "common.h"
#include "rows.h"
#include "table.h"
#include "wembed/core/error.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wembed's binary vector formats are read and written on little-endian machines only"
#endif

namespace wembed::formats {

namespace {

constexpr char kMagic[8] = {'W', 'E', 'M', 'B', 'E', 'D', 'V', '\x1a'};
constexpr uint32_t kVersionPlain = 1;     // words, counts, matrix
constexpr uint32_t kVersionSubwords = 2;  // ... and a subword section after the matrix
constexpr uint32_t kVersionModel = 3;     // ... and a model section at the end (subwords or not)
constexpr size_t kHeaderBytes = 64;
constexpr uint64_t kFlagCounts = 1;
constexpr uint64_t kFlagSubwords = 2;
constexpr uint64_t kFlagModel = 4;

struct NativeHeader {
  char magic[8];
  uint32_t version;
  uint32_t dim;
  uint64_t rows;
  uint64_t vocab_bytes;
  uint64_t flags;
  uint64_t vocab_hash;
  uint64_t matrix_hash;
  uint64_t header_hash;
};
static_assert(sizeof(NativeHeader) == kHeaderBytes, "native header layout");

// The subword section's header (version 2): the model's n-gram settings and
// fastText's training settings, then the checksums of the own and bucket rows.
struct SubwordHeader {
  int32_t minn, maxn;
  int64_t bucket;
  int32_t window, epochs, min_count, negative, word_ngrams, loss, model, lr_update_rate;
  double sample;
  int64_t tokens;
  uint64_t own_hash, bucket_hash, header_hash;
};
constexpr size_t kSubwordHeaderBytes = 88;
static_assert(sizeof(SubwordHeader) == kSubwordHeaderBytes, "native subword header layout");

// The model section's header (version 3): the output rows and the settings text.
struct ModelHeader {
  uint64_t output_rows, settings_bytes, settings_hash, output_hash;
  uint64_t zero[3];
  uint64_t header_hash;
};
constexpr size_t kModelHeaderBytes = 64;
static_assert(sizeof(ModelHeader) == kModelHeaderBytes, "native model header layout");

// Where the sections of a file start (the subword ones only with flag bit 1,
// the model ones only in version 3).
struct Layout {
  uint64_t matrix = 0, subwords = 0, own = 0, buckets = 0, model = 0, output = 0;
  SubwordHeader sub{};
  ModelHeader mod{};
};

[[noreturn]] void cut(const std::string& path, uint64_t size, uint64_t expect) {
  bad(path, "the file is cut: " + std::to_string(size) + " bytes, the header describes " + std::to_string(expect));
}

// The subword section's header at l.subwords, checked, and where its rows start.
void readSubwordHeader(const VectorSource& src, const NativeHeader& h, Layout& l) {
  const std::string& path = src.path();
  const uint64_t size = src.size(), d = h.dim;
  if (size < l.subwords + kSubwordHeaderBytes) cut(path, size, l.subwords + kSubwordHeaderBytes);
  SubwordHeader& s = l.sub;
  if (!src.readAt(&s, kSubwordHeaderBytes, l.subwords)) bad(path, "the file is cut in its subword header");
  if (XXH3_64bits(&s, kSubwordHeaderBytes - 8) != s.header_hash)
    bad(path, "subword header checksum mismatch (the file is corrupted)");
  if (s.minn < 0 || s.maxn < 1 || s.bucket < 1 || s.bucket > INT32_MAX)
    bad(path, "the subword header says minn " + std::to_string(s.minn) + ", maxn " + std::to_string(s.maxn) +
                  ", bucket " + std::to_string(s.bucket) + ", which no model with subwords has");
  if (static_cast<uint64_t>(s.bucket) > size / 4 / d)
    bad(path, "the subword header's " + std::to_string(s.bucket) + " n-gram rows do not fit the file's " +
                  std::to_string(size) + " bytes (the file is cut?)");
  l.own = align(l.subwords + kSubwordHeaderBytes, 64);
  l.buckets = align(l.own + h.rows * d * sizeof(float), 64);
}

// The model section's header at l.model, checked; where the output rows start.
void readModelHeader(const VectorSource& src, const NativeHeader& h, Layout& l) {
  const std::string& path = src.path();
  const uint64_t size = src.size();
  if (size < l.model + kModelHeaderBytes) cut(path, size, l.model + kModelHeaderBytes);
  ModelHeader& m = l.mod;
  if (!src.readAt(&m, kModelHeaderBytes, l.model)) bad(path, "the file is cut in its model header");
  if (XXH3_64bits(&m, kModelHeaderBytes - 8) != m.header_hash)
    bad(path, "model header checksum mismatch (the file is corrupted)");
  if (m.settings_bytes > size || m.output_rows > size / 4 / h.dim)
    bad(path, "the model header's sizes do not fit the file's " + std::to_string(size) + " bytes (the file is cut?)");
  l.output = align(l.model + kModelHeaderBytes + m.settings_bytes, 64);
}

// The header, checked against the content's size; l receives where the sections start.
void readHeader(const VectorSource& src, NativeHeader& h, Layout& l) {
  const std::string& path = src.path();
  const uint64_t size = src.size();
  if (size == 0) bad(path, "the file is empty");
  if (size < kHeaderBytes)
    bad(path, "a wembed native file has a 64-byte header, this file has only " + plural(static_cast<int64_t>(size), "byte", "bytes"));
  if (!src.readAt(&h, kHeaderBytes, 0)) bad(path, "the file is cut in its header");
  if (std::memcmp(h.magic, kMagic, 8) != 0) bad(path, "not a wembed native file (bad magic number)");
  if (h.version < kVersionPlain || h.version > kVersionModel)
    bad(path, "native format version " + std::to_string(h.version) + "; this wembed reads versions " +
                  std::to_string(kVersionPlain) + " to " + std::to_string(kVersionModel));
  if (XXH3_64bits(&h, 56) != h.header_hash) bad(path, "header checksum mismatch (the header is corrupted)");
  if (h.dim < 1 || h.dim > static_cast<uint32_t>(kMaxDim))
    bad(path, "header says " + std::to_string(h.dim) + " dimensions; expected 1 to " + std::to_string(kMaxDim));
  if (h.flags & ~(kFlagCounts | kFlagSubwords | kFlagModel)) bad(path, "unknown flags in the header");
  const bool subwords = h.flags & kFlagSubwords, model = h.flags & kFlagModel;
  if (model != (h.version == kVersionModel))
    bad(path, "version " + std::to_string(h.version) + (model ? " with" : " without") +
                  " a model section (version 3 has one, versions 1 and 2 none)");
  if (!model && subwords != (h.version == kVersionSubwords))
    bad(path, "version " + std::to_string(h.version) + (subwords ? " with" : " without") +
                  " a subword section (version 2 has one, version 1 none)");
  const uint64_t d = h.dim;
  // Sizes in the header must describe exactly this file (no overflow: checked in steps).
  if (h.vocab_bytes > size || h.rows > size / 4 / d)
    bad(path, "header sizes do not fit the file's " + std::to_string(size) + " bytes (the file is cut?)");
  l.matrix = align(kHeaderBytes + h.vocab_bytes, 64);
  uint64_t expect = l.matrix + h.rows * d * sizeof(float);
  if (subwords) {
    l.subwords = align(expect, 64);
    readSubwordHeader(src, h, l);
    expect = l.buckets + static_cast<uint64_t>(l.sub.bucket) * d * sizeof(float);
  }
  if (model) {
    l.model = align(expect, 64);
    readModelHeader(src, h, l);
    expect = l.output + l.mod.output_rows * d * sizeof(float);
  }
  if (size < expect) cut(path, size, expect);
  if (size > expect)
    bad(path, std::to_string(size - expect) + " unexpected bytes after the " +
                  (model ? "output rows" : subwords ? "n-gram rows" : "matrix") + " (" + std::to_string(expect) +
                  " bytes expected)");
}

// The words (and counts) of the first `want` rows, checking the whole section.
void readVocabulary(const VectorSource& src, const NativeHeader& h, int64_t want, Vectors& v) {
  const std::string& path = src.path();
  std::string vocab(h.vocab_bytes, '\0');
  if (!src.readAt(vocab.data(), vocab.size(), kHeaderBytes)) bad(path, "the file is cut in its vocabulary");
  if (XXH3_64bits(vocab.data(), vocab.size()) != h.vocab_hash)
    bad(path, "vocabulary checksum mismatch (the file is corrupted)");
  const int64_t rows = static_cast<int64_t>(h.rows);
  v.words.resize(static_cast<size_t>(want));
  const char* p = vocab.data();
  const char* vend = p + vocab.size();
  for (int64_t r = 0; r < rows; ++r) {
    uint32_t n;
    if (vend - p < 4) bad(path, "the vocabulary section ends before row " + std::to_string(r + 1));
    std::memcpy(&n, p, 4);
    p += 4;
    if (static_cast<uint64_t>(vend - p) < n) bad(path, "the vocabulary section ends inside the word of row " + std::to_string(r + 1));
    if (r < want) v.words[r].assign(p, n);
    p += n;
  }
  if (h.flags & kFlagCounts) {
    const char* c = vocab.data() + align(static_cast<uint64_t>(p - vocab.data()), 8);
    if (c + 8 * h.rows != vend) bad(path, "the vocabulary section's counts do not fill it");
    v.counts.resize(static_cast<size_t>(want));
    if (want) std::memcpy(v.counts.data(), c, 8 * static_cast<size_t>(want));
    for (int64_t r = 0; r < want; ++r)
      if (v.counts[static_cast<size_t>(r)] < 0)
        bad(path, "row " + std::to_string(r + 1) + " (" + shown(v.words[static_cast<size_t>(r)]) + ") has a negative count");
  } else if (p != vend) {
    bad(path, "the vocabulary section has " + std::to_string(vend - p) + " bytes after the last word");
  }
}

// Reads the rows of one section into m (see rows.h) and checks them: the
// checksum when `expect` is given, then that every value is finite (unit:
// how a row is named; words: the rows' words, if they have any).
void readSection(const VectorSource& src, uint64_t offset, Matrix& m, const uint64_t* expect, const char* what,
                 const char* unit, const std::vector<std::string>* words) {
  int64_t bad_row = 0;
  const uint64_t hash = readRows(src, offset, m, expect != nullptr, what, &bad_row);
  if (expect && hash != *expect) bad(src.path(), std::string(what) + " checksum mismatch (the file is corrupted)");
  if (bad_row == m.rows()) return;
  if (words) notFinite(src.path(), unit, bad_row, (*words)[static_cast<size_t>(bad_row)], m.row(bad_row), m.cols());
  bad(src.path(), std::string(unit) + " " + std::to_string(bad_row + 1) + " holds a value that is not a finite number");
}

// The subword section: settings, the first `want` own rows, every bucket row.
std::shared_ptr<Subwords> readSubwords(const VectorSource& src, const NativeHeader& h, const Layout& l, int64_t want,
                                       const std::vector<std::string>& words) {
  auto s = std::make_shared<Subwords>();
  const SubwordHeader& sh = l.sub;
  s->args = SubwordArgs{sh.minn, sh.maxn, sh.bucket};
  s->settings = {sh.window, sh.epochs, sh.min_count, sh.negative, sh.word_ngrams, sh.loss, sh.model,
                 sh.lr_update_rate, sh.sample, sh.tokens};
  const int d = static_cast<int>(h.dim);
  s->own = Matrix(want, d);
  const bool all = want == static_cast<int64_t>(h.rows);
  readSection(src, l.own, s->own, all ? &sh.own_hash : nullptr, "own word rows", "own row", &words);
  s->buckets = Matrix(sh.bucket, d);
  readSection(src, l.buckets, s->buckets, &sh.bucket_hash, "n-gram rows", "n-gram row", nullptr);
  return s;
}

// The model section: the settings text and the output rows, checked.
std::shared_ptr<ModelState> readModel(const VectorSource& src, const NativeHeader& h, const Layout& l) {
  auto m = std::make_shared<ModelState>();
  m->settings.assign(l.mod.settings_bytes, '\0');
  if (!src.readAt(m->settings.data(), m->settings.size(), l.model + kModelHeaderBytes))
    bad(src.path(), "the file is cut in its model settings");
  if (XXH3_64bits(m->settings.data(), m->settings.size()) != l.mod.settings_hash)
    bad(src.path(), "model settings checksum mismatch (the file is corrupted)");
  m->output = Matrix(static_cast<int64_t>(l.mod.output_rows), static_cast<int>(h.dim));
  readSection(src, l.output, m->output, &l.mod.output_hash, "output rows", "output row", nullptr);
  return m;
}

// The header and the vocabulary, then each section in 4 MiB pieces on all
// threads: each piece is read into a buffer that stays in cache, hashed there
// and copied to its padded rows, so the bytes are read once and the matrix
// written once. With a limit the rest of the matrix (and of the own rows) is
// never read, and its checksum not checked.
Vectors read(const VectorSource& src, int64_t limit) {
  NativeHeader h;
  Layout l;
  readHeader(src, h, l);
  const int64_t rows = static_cast<int64_t>(h.rows);
  const int64_t want = limit > 0 ? std::min<int64_t>(limit, rows) : rows;
  Vectors v;
  readVocabulary(src, h, want, v);
  v.matrix = Matrix(want, static_cast<int>(h.dim));
  if (want == 0 && !(h.flags & (kFlagSubwords | kFlagModel))) return v;
  readSection(src, l.matrix, v.matrix, want == rows ? &h.matrix_hash : nullptr, "matrix", "row", &v.words);
  if (h.flags & kFlagSubwords) v.subwords = readSubwords(src, h, l, want, v.words);
  if ((h.flags & kFlagModel) && want == rows) v.model = readModel(src, h, l);
  return v;
}

std::string vocabularySection(const VectorsRef& v) {
  std::string vocab;
  size_t total = 0;
  for (const auto& w : v.words) total += 4 + w.size();
  vocab.reserve(total + 8 + (v.counts ? 8 * v.words.size() : 0));
  for (const auto& w : v.words) {
    const uint32_t n = static_cast<uint32_t>(w.size());
    vocab.append(reinterpret_cast<const char*>(&n), 4);
    vocab += w;
  }
  if (v.counts) {
    vocab.resize(align(vocab.size(), 8), '\0');
    vocab.append(reinterpret_cast<const char*>(v.counts->data()), 8 * v.counts->size());
  }
  return vocab;
}

// Zero bytes from `at` up to the next multiple of 64.
void padTo64(AtomicFile& out, uint64_t at) { out.puts(std::string(align(at, 64) - at, '\0')); }

// The subword section (version 2), starting at `at` (a multiple of 64).
void writeSubwords(AtomicFile& out, const Subwords& s, int64_t rows, uint64_t at) {
  const Subwords::Settings& t = s.settings;
  SubwordHeader sh{s.args.minn, s.args.maxn, s.args.bucket, t.window, t.epochs, t.min_count, t.negative,
                   t.word_ngrams, t.loss, t.model, t.lr_update_rate, t.sample, t.tokens, 0, 0, 0};
  sh.own_hash = rowsChecksum(s.own);
  sh.bucket_hash = rowsChecksum(s.buckets);
  sh.header_hash = XXH3_64bits(&sh, kSubwordHeaderBytes - 8);
  out.write(&sh, kSubwordHeaderBytes);
  padTo64(out, at + kSubwordHeaderBytes);
  writeRows(out, s.own, rows);
  padTo64(out, align(at + kSubwordHeaderBytes, 64) + static_cast<uint64_t>(rows) * sizeof(float) * s.own.cols());
  writeRows(out, s.buckets, s.buckets.rows());
}

// The model section (version 3), starting at `at` (a multiple of 64).
void writeModel(AtomicFile& out, const VectorsRef::Model& m, uint64_t at) {
  ModelHeader mh{};
  mh.output_rows = static_cast<uint64_t>(m.output.rows());
  mh.settings_bytes = m.settings.size();
  mh.settings_hash = XXH3_64bits(m.settings.data(), m.settings.size());
  mh.output_hash = rowsChecksum(m.output);
  mh.header_hash = XXH3_64bits(&mh, kModelHeaderBytes - 8);
  out.write(&mh, kModelHeaderBytes);
  out.puts(m.settings);
  padTo64(out, at + kModelHeaderBytes + m.settings.size());
  writeRows(out, m.output, m.output.rows());
}

void write(PendingFiles& pf, const std::string& path, const VectorsRef& v) {
  const Matrix& m = v.matrix;
  const std::string vocab = vocabularySection(v);
  NativeHeader h;
  std::memcpy(h.magic, kMagic, 8);
  h.version = v.model ? kVersionModel : v.subwords ? kVersionSubwords : kVersionPlain;
  h.dim = static_cast<uint32_t>(m.cols());
  h.rows = v.words.size();
  h.vocab_bytes = vocab.size();
  h.flags = (v.counts ? kFlagCounts : 0) | (v.subwords ? kFlagSubwords : 0) | (v.model ? kFlagModel : 0);
  h.vocab_hash = XXH3_64bits(vocab.data(), vocab.size());
  h.matrix_hash = rowsChecksum(m);
  h.header_hash = XXH3_64bits(&h, 56);

  AtomicFile& out = pf.open(path);
  out.write(&h, kHeaderBytes);
  out.puts(vocab);
  padTo64(out, kHeaderBytes + vocab.size());
  writeRows(out, m, m.rows());
  uint64_t end = align(kHeaderBytes + vocab.size(), 64) + h.rows * h.dim * sizeof(float);
  if (v.subwords) {
    padTo64(out, end);
    const uint64_t at = align(end, 64);
    writeSubwords(out, *v.subwords, m.rows(), at);
    const uint64_t own = align(at + kSubwordHeaderBytes, 64);
    end = align(own + h.rows * h.dim * sizeof(float), 64) +
          static_cast<uint64_t>(v.subwords->buckets.rows()) * h.dim * sizeof(float);
  }
  if (!v.model) return;
  padTo64(out, end);
  writeModel(out, *v.model, align(end, 64));
}

}  // namespace

const FormatSpec& nativeFormat() {
  static const FormatSpec spec{VectorFormat::kNative, "native", {"wev", "wembed"}, {".wev"},
                               std::string_view(kMagic, 8), nullptr, read, write, nullptr, nullptr,
                               /*empty_words=*/true, /*keeps_counts=*/true, /*keeps_subwords=*/true};
  return spec;
}

}  // namespace wembed::formats
