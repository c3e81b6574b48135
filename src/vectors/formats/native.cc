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
#include <cstring>

#include "common.h"
#include "table.h"
#include "wembed/core/error.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wembed's binary vector formats are read and written on little-endian machines only"
#endif

namespace wembed::formats {

namespace {

constexpr char kMagic[8] = {'W', 'E', 'M', 'B', 'E', 'D', 'V', '\x1a'};
constexpr uint32_t kNativeVersion = 1;
constexpr size_t kHeaderBytes = 64;
constexpr uint64_t kFlagCounts = 1;

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

// The matrix checksum is the XXH3-64 of the XXH3-64 hashes (u64 each, in
// order) of the matrix section's consecutive 4 MiB pieces, the last one
// shorter, so that pieces can be read and checked on all threads.
constexpr uint64_t kPiece = uint64_t(4) << 20;

// Runs piece(off, n, buf) for each piece of a section of `total` bytes on all
// threads, with buf holding n bytes (piece fills it or reads it); returns the
// matrix checksum over the pieces, or 0 when piece reports a failure (false)
// or hash is false.
template <class Piece>
uint64_t forEachPiece(uint64_t total, bool hash, Piece&& piece) {
  const int64_t pieces = static_cast<int64_t>((total + kPiece - 1) / kPiece);
  std::vector<uint64_t> hashes(static_cast<size_t>(pieces));
  bool ok = true;
#pragma omp parallel
  {
    std::vector<char> buf;
#pragma omp for schedule(dynamic, 1) reduction(&& : ok)
    for (int64_t i = 0; i < pieces; ++i) {
      const uint64_t off = static_cast<uint64_t>(i) * kPiece, n = std::min(kPiece, total - off);
      buf.resize(static_cast<size_t>(n));
      if (!piece(off, n, buf.data())) {
        ok = false;
        continue;
      }
      if (hash) hashes[static_cast<size_t>(i)] = XXH3_64bits(buf.data(), buf.size());
    }
  }
  return ok && hash ? XXH3_64bits(hashes.data(), hashes.size() * sizeof(uint64_t)) : 0;
}

// Copies bytes [off, off + n) of the matrix as if stored unpadded (rows of
// row_bytes) from src into the padded rows of m, or (gather) the other way.
void scatter(Matrix& m, size_t row_bytes, uint64_t off, uint64_t n, const char* src) {
  while (n) {
    const int64_t r = static_cast<int64_t>(off / row_bytes);
    const size_t c = static_cast<size_t>(off % row_bytes);
    const size_t k = static_cast<size_t>(std::min<uint64_t>(n, row_bytes - c));
    std::memcpy(reinterpret_cast<char*>(m.row(r)) + c, src, k);
    src += k;
    off += k;
    n -= k;
  }
}
void gather(const Matrix& m, size_t row_bytes, uint64_t off, uint64_t n, char* dst) {
  while (n) {
    const int64_t r = static_cast<int64_t>(off / row_bytes);
    const size_t c = static_cast<size_t>(off % row_bytes);
    const size_t k = static_cast<size_t>(std::min<uint64_t>(n, row_bytes - c));
    std::memcpy(dst, reinterpret_cast<const char*>(m.row(r)) + c, k);
    dst += k;
    off += k;
    n -= k;
  }
}

// The header, checked against the content's size; returns the matrix offset.
uint64_t readHeader(const VectorSource& src, NativeHeader& h) {
  const std::string& path = src.path();
  const uint64_t size = src.size();
  if (size == 0) bad(path, "the file is empty");
  if (size < kHeaderBytes)
    bad(path, "a wembed native file has a 64-byte header, this file has only " + plural(static_cast<int64_t>(size), "byte", "bytes"));
  if (!src.readAt(&h, kHeaderBytes, 0)) bad(path, "the file is cut in its header");
  if (std::memcmp(h.magic, kMagic, 8) != 0) bad(path, "not a wembed native file (bad magic number)");
  if (h.version != kNativeVersion)
    bad(path, "native format version " + std::to_string(h.version) + "; this wembed reads version " +
                  std::to_string(kNativeVersion));
  if (XXH3_64bits(&h, 56) != h.header_hash) bad(path, "header checksum mismatch (the header is corrupted)");
  if (h.dim < 1 || h.dim > static_cast<uint32_t>(kMaxDim))
    bad(path, "header says " + std::to_string(h.dim) + " dimensions; expected 1 to " + std::to_string(kMaxDim));
  if (h.flags & ~kFlagCounts) bad(path, "unknown flags in the header");
  const uint64_t d = h.dim;
  // Sizes in the header must describe exactly this file (no overflow: checked in steps).
  if (h.vocab_bytes > size || h.rows > size / 4 / d)
    bad(path, "header sizes do not fit the file's " + std::to_string(size) + " bytes (the file is cut?)");
  const uint64_t matrix_off = align(kHeaderBytes + h.vocab_bytes, 64);
  const uint64_t expect = matrix_off + h.rows * d * sizeof(float);
  if (size < expect)
    bad(path, "the file is cut: " + std::to_string(size) + " bytes, the header describes " + std::to_string(expect));
  if (size > expect)
    bad(path, std::to_string(size - expect) + " unexpected bytes after the matrix (" + std::to_string(expect) +
                  " bytes expected)");
  return matrix_off;
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

// The header and the vocabulary, then the matrix in 4 MiB pieces on all
// threads: each piece is read into a buffer that stays in cache, hashed there
// and copied to its padded rows, so the bytes are read once and the matrix
// written once. With a limit the rest of the matrix is never read, and its
// checksum not checked.
Vectors read(const VectorSource& src, int64_t limit) {
  const std::string& path = src.path();
  NativeHeader h;
  const uint64_t matrix_off = readHeader(src, h);
  const int64_t rows = static_cast<int64_t>(h.rows);
  const int64_t want = limit > 0 ? std::min<int64_t>(limit, rows) : rows;
  Vectors v;
  readVocabulary(src, h, want, v);
  v.matrix = Matrix(want, static_cast<int>(h.dim));
  if (want == 0) return v;
  const size_t row_bytes = sizeof(float) * h.dim;
  const bool check = want == rows;
  const uint64_t total = static_cast<uint64_t>(want) * row_bytes;
  std::string failure;
  uint64_t first_bad = total;  // byte offset of the first NaN or infinity
  const uint64_t hash = forEachPiece(total, check, [&](uint64_t off, uint64_t n, char* buf) {
    std::string err;
    try {
      if (src.readAt(buf, n, matrix_off + off)) {
        const uint64_t k = firstNotFinite(buf, n / sizeof(float));  // pieces and rows hold whole floats
        if (k < n / sizeof(float)) {
#pragma omp critical(wembed_native_read)
          first_bad = std::min(first_bad, off + k * sizeof(float));
        }
        scatter(v.matrix, row_bytes, off, n, buf);
        return true;
      }
      err = "bad vector file " + quotedName(path) + ": the file is cut in its matrix";
    } catch (const std::exception& e) {
      err = e.what();
    }
#pragma omp critical(wembed_native_read)
    if (failure.empty()) failure = err;
    return false;
  });
  if (!failure.empty()) throw Error(failure);
  if (check && hash != h.matrix_hash) bad(path, "matrix checksum mismatch (the file is corrupted)");
  if (first_bad < total) {
    const int64_t r = static_cast<int64_t>(first_bad / row_bytes);
    notFinite(path, "row", r, v.words[static_cast<size_t>(r)], v.matrix.row(r), static_cast<int>(h.dim));
  }
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

void write(PendingFiles& pf, const std::string& path, const VectorsRef& v) {
  const Matrix& m = v.matrix;
  const std::string vocab = vocabularySection(v);
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  NativeHeader h;
  std::memcpy(h.magic, kMagic, 8);
  h.version = kNativeVersion;
  h.dim = static_cast<uint32_t>(m.cols());
  h.rows = v.words.size();
  h.vocab_bytes = vocab.size();
  h.flags = v.counts ? kFlagCounts : 0;
  h.vocab_hash = XXH3_64bits(vocab.data(), vocab.size());
  h.matrix_hash = forEachPiece(static_cast<uint64_t>(m.rows()) * row_bytes, true, [&](uint64_t off, uint64_t n, char* buf) {
    gather(m, row_bytes, off, n, buf);
    return true;
  });
  h.header_hash = XXH3_64bits(&h, 56);

  AtomicFile& out = pf.open(path);
  out.write(&h, kHeaderBytes);
  out.puts(vocab);
  const std::string pad(align(kHeaderBytes + vocab.size(), 64) - (kHeaderBytes + vocab.size()), '\0');
  out.puts(pad);
  for (int64_t r = 0; r < m.rows(); ++r) out.write(m.row(r), row_bytes);
}

}  // namespace

const FormatSpec& nativeFormat() {
  static const FormatSpec spec{VectorFormat::kNative, "native", {"wev", "wembed"}, {".wev"},
                               std::string_view(kMagic, 8), nullptr, read, write, nullptr, nullptr,
                               /*empty_words=*/true, /*keeps_counts=*/true};
  return spec;
}

}  // namespace wembed::formats
