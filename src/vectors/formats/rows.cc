// GCC 12 warns falsely (-Wmaybe-uninitialized in avx512fintrin.h) about
// xxhash's inlined AVX-512 streaming code; the pragma must precede the
// intrinsics headers to cover them.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "rows.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "common.h"
#include "wembed/core/error.h"

namespace wembed::formats {

namespace {

// The section is hashed in pieces so that they can be read and checked on all threads.
constexpr uint64_t kPiece = uint64_t(4) << 20;

// Runs piece(off, n, buf) for each piece of a section of `total` bytes on all
// threads, with buf holding n bytes (piece fills it or reads it); returns the
// checksum over the pieces, or 0 when piece reports a failure (false) or hash
// is false.
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

// Copies bytes [off, off + n) of the rows as if stored unpadded (rows of
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

}  // namespace

uint64_t readRows(const VectorSource& src, uint64_t offset, Matrix& m, bool hash, const char* what,
                  int64_t* first_bad) {
  *first_bad = m.rows();
  if (m.rows() == 0) return hash ? XXH3_64bits(nullptr, 0) : 0;
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  const uint64_t total = static_cast<uint64_t>(m.rows()) * row_bytes;
  std::string failure;
  uint64_t bad_at = total;  // byte offset of the first NaN or infinity
  const uint64_t h = forEachPiece(total, hash, [&](uint64_t off, uint64_t n, char* buf) {
    std::string err;
    try {
      if (src.readAt(buf, n, offset + off)) {
        const uint64_t k = firstNotFinite(buf, n / sizeof(float));  // pieces and rows hold whole floats
        if (k < n / sizeof(float)) {
#pragma omp critical(wembed_read_rows)
          bad_at = std::min(bad_at, off + k * sizeof(float));
        }
        scatter(m, row_bytes, off, n, buf);
        return true;
      }
      err = "bad vector file " + quotedName(src.path()) + ": the file is cut in its " + what;
    } catch (const std::exception& e) {
      err = e.what();
    }
#pragma omp critical(wembed_read_rows)
    if (failure.empty()) failure = err;
    return false;
  });
  if (!failure.empty()) throw Error(failure);
  if (bad_at < total) *first_bad = static_cast<int64_t>(bad_at / row_bytes);
  return h;
}

uint64_t rowsChecksum(const Matrix& m) {
  if (m.rows() == 0) return XXH3_64bits(nullptr, 0);
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  return forEachPiece(static_cast<uint64_t>(m.rows()) * row_bytes, true, [&](uint64_t off, uint64_t n, char* buf) {
    gather(m, row_bytes, off, n, buf);
    return true;
  });
}

void writeRows(AtomicFile& out, const Matrix& m, int64_t rows) {
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  for (int64_t r = 0; r < rows; ++r) out.write(m.row(r), row_bytes);
}

}  // namespace wembed::formats
