// GCC 12 warns falsely (-Wmaybe-uninitialized in avx512fintrin.h) about
// xxhash's inlined AVX-512 streaming code; the pragma must precede the
// intrinsics headers to cover them.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "wembed/vectors/vectors.h"

#include <fcntl.h>
#include <omp.h>
#include <sys/stat.h>
#include <unistd.h>

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>
#include <system_error>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "wembed's binary vector formats are read and written on little-endian machines only"
#endif

namespace wembed {

namespace {

// --- shared helpers -------------------------------------------------------------

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw Error("bad vector file '" + path + "': " + what);
}

// Whitespace inside a line (the separators of text rows).
inline bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
inline bool isWs(char c) { return isBlank(c) || c == '\n'; }

// A word for an error message: quoted, cut to 40 bytes.
std::string shown(std::string_view w) {
  if (w.size() > 40) return "'" + std::string(w.substr(0, 40)) + "...'";
  return "'" + std::string(w) + "'";
}

std::string plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

inline bool allFinite(const float* x, int64_t n) {
  bool ok = true;
  for (int64_t j = 0; j < n; ++j) ok &= std::isfinite(x[j]);
  return ok;
}

// Index of the first NaN or infinity among n floats stored at p (any
// alignment), n if there is none.
inline uint64_t firstNotFinite(const char* p, uint64_t n) {
  constexpr uint64_t kBlock = 256;
  for (uint64_t i = 0; i < n; i += kBlock) {
    float x[kBlock];
    const uint64_t m = std::min(kBlock, n - i);
    std::memcpy(x, p + i * sizeof(float), m * sizeof(float));
    if (!allFinite(x, static_cast<int64_t>(m)))
      for (uint64_t j = 0;; ++j)
        if (!std::isfinite(x[j])) return i + j;
  }
  return n;
}

// The error for a row (0-based) holding a NaN or an infinity.
[[noreturn]] void notFinite(const std::string& path, const char* unit, int64_t row, std::string_view word,
                            const float* x, int d) {
  int j = 0;
  while (j < d - 1 && std::isfinite(x[j])) ++j;
  bad(path, std::string(unit) + " " + std::to_string(row + 1) + " (" + shown(word) + ") value " + std::to_string(j + 1) +
                " is not a finite number (" + std::to_string(x[j]) + ")");
}

enum class NumberStatus { kOk, kNotANumber, kOverflow, kNotFinite };

// Parses one number starting at p (no leading whitespace) and ending at a
// blank or at end. Accepts what strtof accepts in decimal (a leading '+');
// values below the float range become 0 or a denormal, above it are an
// overflow; "nan" and "inf" parse (p moves past them) but are kNotFinite.
inline NumberStatus parseNumber(const char*& p, const char* end, float& out) {
  const char* s = p;
  if (s < end && *s == '+' && s + 1 < end && *(s + 1) != '-') ++s;
  auto r = std::from_chars(s, end, out);
  if (r.ec == std::errc::result_out_of_range) {
    if (r.ptr < end && !isBlank(*r.ptr)) return NumberStatus::kNotANumber;
    std::string tmp(s, r.ptr);
    errno = 0;
    const float v = std::strtof(tmp.c_str(), nullptr);
    p = r.ptr;
    if (std::isinf(v)) return NumberStatus::kOverflow;
    out = v;
  } else if (r.ec != std::errc() || (r.ptr < end && !isBlank(*r.ptr))) {
    return NumberStatus::kNotANumber;
  }
  p = r.ptr;
  return std::isfinite(out) ? NumberStatus::kOk : NumberStatus::kNotFinite;
}

inline const char* skipBlanks(const char* p, const char* end) {
  while (p < end && isBlank(*p)) ++p;
  return p;
}

// For a line "word n1 n2 ...": how many numbers follow the word, or -1 if
// anything else does (or there is no word).
int numbersAfterWord(const char* p, const char* end) {
  p = skipBlanks(p, end);
  if (p == end) return -1;
  while (p < end && !isBlank(*p)) ++p;
  int n = 0;
  float v;
  for (;;) {
    p = skipBlanks(p, end);
    if (p == end) return n;
    if (parseNumber(p, end, v) == NumberStatus::kNotANumber) return -1;
    ++n;
  }
}

// [begin, end) of the line starting at p (end excludes the '\n').
inline const char* lineEnd(const char* p, const char* end) {
  const void* q = std::memchr(p, '\n', static_cast<size_t>(end - p));
  return q ? static_cast<const char*>(q) : end;
}

// Fields of a line split on blanks.
std::vector<std::string_view> fields(const char* p, const char* end) {
  std::vector<std::string_view> out;
  for (;;) {
    p = skipBlanks(p, end);
    if (p == end) return out;
    const char* s = p;
    while (p < end && !isBlank(*p)) ++p;
    out.emplace_back(s, static_cast<size_t>(p - s));
  }
}

bool isInteger(std::string_view f) {
  size_t i = (!f.empty() && (f[0] == '-' || f[0] == '+')) ? 1 : 0;
  if (i == f.size()) return false;
  for (; i < f.size(); ++i)
    if (f[i] < '0' || f[i] > '9') return false;
  return true;
}

// --- native format constants --------------------------------------------------

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

inline uint64_t align(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

// The matrix checksum is the XXH3-64 of the XXH3-64 hashes (u64 each, in
// order) of the matrix section's consecutive 4 MiB pieces, the last one
// shorter, so that pieces can be read and checked on all threads.
constexpr uint64_t kPiece = uint64_t(4) << 20;

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

constexpr int kMaxDim = 100000;

// --- format detection ------------------------------------------------------------

struct Header {
  int64_t rows = 0;
  int dim = 0;
};

// Line 1 "V D" (exactly two integer fields)? Validates the values.
bool readHeader(const std::string& path, const char* data, size_t size, Header& h, const char** body) {
  const char* e = lineEnd(data, data + size);
  const auto f = fields(data, e);
  if (f.size() != 2 || !isInteger(f[0]) || !isInteger(f[1])) return false;
  long long rows = 0, cols = 0;
  auto r1 = std::from_chars(f[0].data() + (f[0][0] == '+'), f[0].data() + f[0].size(), rows);
  auto r2 = std::from_chars(f[1].data() + (f[1][0] == '+'), f[1].data() + f[1].size(), cols);
  if (r1.ec != std::errc() || r2.ec != std::errc() || rows < 0)
    bad(path, "line 1 is not a valid 'rows dimensions' header: '" + std::string(data, e) + "'");
  if (cols < 1 || cols > kMaxDim)
    bad(path, "line 1 (header) says " + std::to_string(cols) + " dimensions; expected 1 to " + std::to_string(kMaxDim));
  // (Nothing is allocated from the header's row count: the readers count
  // the rows present first, so a header promising more fails by row.)
  h.rows = rows;
  h.dim = static_cast<int>(cols);
  *body = e < data + size ? e + 1 : e;
  return true;
}

VectorFormat detect(const std::string& path, const char* data, size_t size) {
  if (size == 0) bad(path, "the file is empty");
  if (size >= 8 && std::memcmp(data, kMagic, 8) == 0) return VectorFormat::kNative;
  if (size >= 6 && std::memcmp(data, "\x93NUMPY", 6) == 0)
    bad(path, "this is a NumPy .npy file; wembed writes .npy but reads word2vec, GloVe, fastText .vec and native files");
  Header h;
  const char* body = nullptr;
  const char* end = data + size;
  if (readHeader(path, data, size, h, &body)) {
    // Text if the first row is "word" followed by exactly D numbers on one line.
    // A first row of only numbers but the wrong count is a malformed text file
    // (reported by the text reader) rather than binary data, if the next line
    // also reads as "word numbers" or there is no next line; otherwise the
    // binary reader would silently turn the text into garbage floats.
    if (body == end) return VectorFormat::kWord2vecText;
    const char* e1 = lineEnd(body, end);
    const int n = numbersAfterWord(body, e1);
    if (n == h.dim) return VectorFormat::kWord2vecText;
    if (n >= 1) {
      if (e1 == end) return VectorFormat::kWord2vecText;
      const char* e2 = lineEnd(e1 + 1, end);
      if (e1 + 1 == end || numbersAfterWord(e1 + 1, e2) >= 1) return VectorFormat::kWord2vecText;
    }
    return VectorFormat::kWord2vecBinary;
  }
  const char* e1 = lineEnd(data, end);
  if (numbersAfterWord(data, e1) >= 1) return VectorFormat::kGlove;
  bad(path, "line 1 is neither a 'rows dimensions' header (word2vec, fastText .vec) nor a 'word v1 v2 ...' row (GloVe)");
}

// --- text (word2vec text, GloVe) ---------------------------------------------------

// Parses "word v1 ... vd" in [p, end) into word and row; false on any problem.
inline bool parseRow(const char* p, const char* end, int d, std::string& word, float* row) {
  p = skipBlanks(p, end);
  const char* w = p;
  while (p < end && !isBlank(*p)) ++p;
  if (p == w) return false;
  word.assign(w, p);
  for (int j = 0; j < d; ++j) {
    const char* s = skipBlanks(p, end);
    if (s == p || s == end) return false;  // numbers are separated from what precedes them
    p = s;
    if (parseNumber(p, end, row[j]) != NumberStatus::kOk) return false;
  }
  return skipBlanks(p, end) == end;
}

// Why parseRow failed, for the error message.
std::string rowProblem(const char* p, const char* end, int d) {
  const auto f = fields(p, end);
  if (f.empty()) return "is empty";
  const std::string head = "(" + shown(f[0]) + ") ";
  for (size_t i = 1; i < f.size() && i <= static_cast<size_t>(d); ++i) {
    const char* s = f[i].data();
    float v;
    const NumberStatus st = parseNumber(s, f[i].data() + f[i].size(), v);
    if (st == NumberStatus::kNotANumber)
      return head + "value " + std::to_string(i) + " " + shown(f[i]) + " is not a number";
    if (st == NumberStatus::kOverflow)
      return head + "value " + std::to_string(i) + " " + shown(f[i]) + " is out of the float32 range";
    if (st == NumberStatus::kNotFinite)
      return head + "value " + std::to_string(i) + " " + shown(f[i]) + " is not a finite number";
  }
  const int64_t n = static_cast<int64_t>(f.size()) - 1;
  return head + "has " + plural(n, "value", "values") + ", expected " + std::to_string(d);
}

struct Chunk {
  const char* begin = nullptr;
  const char* end = nullptr;
  int64_t first_row = 0;
  int64_t lines = 0;
  int64_t error_row = -1;
  std::string error;
};

// Parses the rows of a text body [b, e): word2vec text (header_rows >= 0, dim
// from the header) or GloVe (header_rows < 0, dim from the first line).
// first_line: the file line number of the body's first line.
Vectors parseText(const std::string& path, const char* b, const char* e, int64_t header_rows, int dim,
                  int64_t limit, int64_t first_line) {
  auto lineName = [&](int64_t row) { return "line " + std::to_string(first_line + row); };
  // Whitespace (blank lines) at the end of the file is not a row.
  while (e > b && isWs(e[-1])) --e;
  int64_t want = header_rows;  // rows to read, when the header says
  if (limit > 0 && want >= 0 && limit < want) want = limit;
  // With a limit, stop after that many lines (the rest is never touched).
  if (limit > 0) {
    const char* p = b;
    for (int64_t i = 0; i < limit && p < e; ++i) {
      const char* q = lineEnd(p, e);
      p = q < e ? q + 1 : e;
    }
    if (p < e) e = p - 1;
  }

  // Chunks start at line starts; count the lines of each in parallel.
  const size_t len = static_cast<size_t>(e - b);
  const int threads = omp_get_max_threads();
  const size_t nchunks = std::max<size_t>(1, std::min<size_t>(len / (1 << 18), static_cast<size_t>(threads) * 16));
  std::vector<Chunk> chunks;
  chunks.reserve(nchunks);
  const char* start = b;
  for (size_t i = 1; i <= nchunks && start < e; ++i) {
    const char* stop = i == nchunks ? e : b + len / nchunks * i;
    if (stop < start) stop = start;
    if (stop < e) {
      stop = lineEnd(stop, e);
      if (stop < e) ++stop;  // just after the '\n'
    }
    Chunk c;
    c.begin = start;
    c.end = stop;
    chunks.push_back(std::move(c));
    start = stop;
  }
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t i = 0; i < chunks.size(); ++i) {
    int64_t n = 0;
    for (const char* p = chunks[i].begin; p < chunks[i].end;) {
      const char* q = lineEnd(p, chunks[i].end);
      ++n;
      p = q + 1;
    }
    chunks[i].lines = n;
  }
  int64_t rows = 0;
  for (auto& c : chunks) {
    c.first_row = rows;
    rows += c.lines;
  }
  if (want >= 0 && rows != want) {  // a blank line inside the rows is the likelier problem
    const char* p = b;
    for (int64_t r = 0; p < e; ++r) {
      const char* q = lineEnd(p, e);
      if (skipBlanks(p, q) == q) bad(path, lineName(r) + " is empty");
      if (q == e) break;
      p = q + 1;
    }
  }
  if (want >= 0 && rows < want)
    bad(path, "the header says " + plural(header_rows, "row", "rows") + " but the file ends after " +
                  plural(rows, "row", "rows") + " (" + lineName(rows - 1) + ")");
  if (want >= 0 && rows > want)  // only without a limit: the rest was cut above
    bad(path, "the header says " + plural(header_rows, "row", "rows") + " but " + lineName(want) +
                  " holds another row");
  if (header_rows < 0) {  // GloVe: the dimension is the first row's count of numbers
    const auto f = fields(b, lineEnd(b, e));
    if (f.size() < 2) bad(path, lineName(0) + " has no numbers after the word");
    if (f.size() - 1 > static_cast<size_t>(kMaxDim))
      bad(path, lineName(0) + " has " + std::to_string(f.size() - 1) + " values, more than " + std::to_string(kMaxDim));
    dim = static_cast<int>(f.size() - 1);
  }
  // A row takes at least 2 * dim + 1 bytes ("w 0 0"): if the body is too short
  // for rows of that width, some line is short (and malformed). Report the
  // first bad line rather than allocate the matrix the sizes suggest.
  if (static_cast<double>(len) < static_cast<double>(rows) * (2.0 * dim + 1)) {
    std::string word;
    std::vector<float> row(static_cast<size_t>(dim));
    const char* p = b;
    for (int64_t r = 0; p < e; ++r) {
      const char* q = lineEnd(p, e);
      if (!parseRow(p, q, dim, word, row.data())) bad(path, lineName(r) + " " + rowProblem(p, q, dim));
      p = q + 1;
    }
  }

  Vectors v;
  v.matrix = Matrix(rows, dim);
  v.words.resize(static_cast<size_t>(rows));
#pragma omp parallel for schedule(dynamic, 1)
  for (size_t i = 0; i < chunks.size(); ++i) {
    Chunk& c = chunks[i];
    int64_t r = c.first_row;
    for (const char* p = c.begin; p < c.end; ++r) {
      const char* q = lineEnd(p, c.end);
      if (!parseRow(p, q, dim, v.words[r], v.matrix.row(r))) {
        c.error_row = r;
        c.error = rowProblem(p, q, dim);
        break;
      }
      p = q + 1;
    }
  }
  for (const auto& c : chunks)
    if (c.error_row >= 0) bad(path, lineName(c.error_row) + " " + c.error);
  return v;
}

// --- word2vec binary -------------------------------------------------------------

Vectors parseBinary(const std::string& path, const char* file, const char* b, const char* e, const Header& h,
                    int64_t limit) {
  const int d = h.dim;
  const int64_t want = limit > 0 ? std::min(limit, h.rows) : h.rows;
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(d);
  Vectors v;
  // Rows are counted as they are found, not allocated from the header's claim.
  const size_t room = static_cast<size_t>(std::min<int64_t>(want, (e - b) / static_cast<int64_t>(row_bytes + 2) + 1));
  v.words.reserve(room);
  std::vector<const char*> data;
  data.reserve(room);
  const char* p = b;
  for (int64_t r = 0; r < want; ++r) {
    const std::string where = "row " + std::to_string(r + 1);
    while (p < e && (*p == '\n' || *p == '\r')) ++p;
    if (p == e)
      bad(path, "the header says " + plural(h.rows, "row", "rows") + " but the file ends after " +
                    plural(r, "row", "rows"));
    const size_t room = std::min<size_t>(static_cast<size_t>(e - p), 10001);
    const char* sp = static_cast<const char*>(std::memchr(p, ' ', room));
    if (!sp) {
      if (room <= 10000) bad(path, "the file ends in the middle of " + where + " (in its word)");
      bad(path, where + ": word longer than 10000 bytes (not a word2vec binary file?)");
    }
    if (sp == p) bad(path, where + " has no word (a space where the word should start)");
    v.words.emplace_back(p, sp);
    if (static_cast<size_t>(e - (sp + 1)) < row_bytes)
      bad(path, "the file ends in the middle of " + where + " (" + shown(v.words.back()) + "): " +
                    std::to_string(e - (sp + 1)) + " of its " + std::to_string(row_bytes) + " bytes are there");
    data.push_back(sp + 1);
    p = sp + 1 + row_bytes;
  }
  if (want == h.rows) {
    const char* q = p;
    while (q < e && isWs(*q)) ++q;
    if (q < e)
      bad(path, "the header says " + plural(h.rows, "row", "rows") + " but more data follows row " +
                    std::to_string(h.rows) + " (at byte " + std::to_string(q - file) + ")");
  }
  v.matrix = Matrix(want, d);
  int64_t bad_row = want;
#pragma omp parallel for schedule(static) reduction(min : bad_row)
  for (int64_t r = 0; r < want; ++r) {
    float* row = v.matrix.row(r);
    std::memcpy(row, data[r], row_bytes);
    if (!allFinite(row, d)) bad_row = std::min(bad_row, r);
  }
  if (bad_row < want) notFinite(path, "row", bad_row, v.words[static_cast<size_t>(bad_row)], v.matrix.row(bad_row), d);
  return v;
}

// --- native ----------------------------------------------------------------------

// Reads exactly n bytes at offset (pread, in pieces below 1 GB); false at end of file.
bool readAt(int fd, void* buf, size_t n, uint64_t offset, const std::string& path) {
  char* p = static_cast<char*>(buf);
  while (n) {
    const ssize_t r = ::pread(fd, p, std::min<size_t>(n, size_t(1) << 30), static_cast<off_t>(offset));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw sysError("cannot read", path);
    }
    if (r == 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    offset += static_cast<uint64_t>(r);
  }
  return true;
}

struct FdCloser {
  int fd;
  ~FdCloser() {
    if (fd >= 0) ::close(fd);
  }
};

// The native format: the header and the vocabulary, then the rows, read
// sequentially with pread (no parsing, one pass over the bytes).
Vectors readNative(const std::string& path, int64_t limit) {
  const uint64_t size = regularFileSize(path);
  FdCloser fd{::open(path.c_str(), O_RDONLY)};
  if (fd.fd < 0) throw sysError("cannot open", path);
  if (size == 0) bad(path, "the file is empty");
  if (size < kHeaderBytes)
    bad(path, "a wembed native file has a 64-byte header, this file has only " + plural(static_cast<int64_t>(size), "byte", "bytes"));
  NativeHeader h;
  if (!readAt(fd.fd, &h, kHeaderBytes, 0, path)) bad(path, "the file is cut in its header");
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
  std::string vocab(h.vocab_bytes, '\0');
  if (!readAt(fd.fd, vocab.data(), vocab.size(), kHeaderBytes, path)) bad(path, "the file is cut in its vocabulary");
  if (XXH3_64bits(vocab.data(), vocab.size()) != h.vocab_hash)
    bad(path, "vocabulary checksum mismatch (the file is corrupted)");
  const int64_t rows = static_cast<int64_t>(h.rows);
  const int64_t want = limit > 0 ? std::min<int64_t>(limit, rows) : rows;
  Vectors v;
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
  v.matrix = Matrix(want, static_cast<int>(d));
  if (want == 0) return v;
  // The matrix in 4 MiB pieces on all threads: each piece is read (pread)
  // into a buffer that stays in cache, hashed there and copied to its padded
  // rows, so the file's bytes are read once and the matrix written once.
  const size_t row_bytes = sizeof(float) * d;
  const bool check = want == rows;  // with a limit, the rest of the matrix is never read
  const uint64_t total = static_cast<uint64_t>(want) * row_bytes;
  const int64_t pieces = static_cast<int64_t>((total + kPiece - 1) / kPiece);
  std::vector<uint64_t> hashes(static_cast<size_t>(pieces));
  std::string failure;
  uint64_t first_bad = total;  // byte offset of the first NaN or infinity
#pragma omp parallel
  {
    std::vector<char> buf;
#pragma omp for schedule(dynamic, 1)
    for (int64_t i = 0; i < pieces; ++i) {
      const uint64_t off = static_cast<uint64_t>(i) * kPiece, n = std::min(kPiece, total - off);
      buf.resize(static_cast<size_t>(n));
      bool ok = false;
      std::string err;
      try {
        ok = readAt(fd.fd, buf.data(), buf.size(), matrix_off + off, path);
        if (!ok) err = "bad vector file '" + path + "': the file is cut in its matrix";
      } catch (const std::exception& e) {
        err = e.what();
      }
      if (!ok) {
#pragma omp critical(wembed_native_read)
        if (failure.empty()) failure = err;
        continue;
      }
      if (check) hashes[static_cast<size_t>(i)] = XXH3_64bits(buf.data(), buf.size());
      // Pieces and rows hold whole floats (both are multiples of 4 bytes).
      const uint64_t k = firstNotFinite(buf.data(), n / sizeof(float));
      if (k < n / sizeof(float)) {
#pragma omp critical(wembed_native_read)
        first_bad = std::min(first_bad, off + k * sizeof(float));
      }
      scatter(v.matrix, row_bytes, off, n, buf.data());
    }
  }
  if (!failure.empty()) throw Error(failure);
  if (check && XXH3_64bits(hashes.data(), hashes.size() * sizeof(uint64_t)) != h.matrix_hash)
    bad(path, "matrix checksum mismatch (the file is corrupted)");
  if (first_bad < total) {
    const int64_t r = static_cast<int64_t>(first_bad / row_bytes);
    notFinite(path, "row", r, v.words[static_cast<size_t>(r)], v.matrix.row(r), static_cast<int>(d));
  }
  return v;
}

// --- writing ---------------------------------------------------------------------

// What a word may not contain in a format; nullptr if anything goes.
const char* forbiddenIn(VectorFormat f) {
  switch (f) {
    case VectorFormat::kWord2vecBinary:
    case VectorFormat::kWord2vecText:
    case VectorFormat::kGlove: return " \t\n\r\v\f";
    case VectorFormat::kTsv: return "\t\n\r";
    case VectorFormat::kNpy: return "\n\r";
    default: return nullptr;
  }
}

std::string charName(char c) {
  switch (c) {
    case ' ': return "a space";
    case '\t': return "a tab";
    case '\n': return "a newline";
    case '\r': return "a carriage return";
    case '\v': return "a vertical tab";
    case '\f': return "a form feed";
  }
  return std::string("'") + c + "'";
}

void checkWords(const std::string& path, const std::vector<std::string>& words, VectorFormat f) {
  const char* forbidden = forbiddenIn(f);
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const std::string where = "cannot write '" + path + "' as " + toString(f) + ": row " + std::to_string(i + 1);
    if (f == VectorFormat::kNative) {
      if (w.size() > 0xFFFFFFFFu) throw Error(where + ": word longer than 4 GB");
      continue;
    }
    if (w.empty() && f != VectorFormat::kTsv) throw Error(where + " has an empty word");
    if (forbidden) {
      const size_t k = w.find_first_of(forbidden);
      if (k != std::string::npos)
        throw Error(where + "'s word " + shown(w) + " contains " + charName(w[k]) +
                    ", which the format uses as a separator (the native format keeps any word)");
    }
  }
}

// Formats rows as text in parallel, blocks in order: [word sep] v1 sep v2 ... '\n'.
void writeTextRows(AtomicFile& f, const std::vector<std::string>* words, const Matrix& m, char sep) {
  const int64_t rows = m.rows();
  const int d = m.cols();
  constexpr int64_t kBlock = 1024;
  const int64_t blocks = (rows + kBlock - 1) / kBlock;
  const int64_t group = std::max(1, omp_get_max_threads()) * 4;
  std::vector<std::string> bufs(static_cast<size_t>(group));
  for (int64_t g0 = 0; g0 < blocks; g0 += group) {
    const int64_t g1 = std::min(blocks, g0 + group);
#pragma omp parallel for schedule(dynamic, 1)
    for (int64_t bl = g0; bl < g1; ++bl) {
      std::string& out = bufs[static_cast<size_t>(bl - g0)];
      out.clear();
      char num[32];
      for (int64_t r = bl * kBlock; r < std::min(rows, (bl + 1) * kBlock); ++r) {
        const float* x = m.row(r);
        if (words) {
          out += (*words)[static_cast<size_t>(r)];
          out.push_back(sep);
        }
        for (int j = 0; j < d; ++j) {
          if (j) out.push_back(sep);
          auto res = std::to_chars(num, num + sizeof(num), x[j]);
          out.append(num, res.ptr);
        }
        out.push_back('\n');
      }
    }
    for (int64_t bl = g0; bl < g1; ++bl) f.puts(bufs[static_cast<size_t>(bl - g0)]);
  }
}

void writeWord2vec(PendingFiles& pf, const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                   VectorFormat f) {
  AtomicFile& out = pf.open(path);
  if (f != VectorFormat::kGlove) out.puts(std::to_string(words.size()) + " " + std::to_string(m.cols()) + "\n");
  if (f == VectorFormat::kWord2vecBinary) {
    const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
    for (size_t i = 0; i < words.size(); ++i) {
      out.puts(words[i]);
      out.write(" ", 1);
      out.write(m.row(static_cast<int64_t>(i)), row_bytes);
      out.write("\n", 1);
    }
  } else {
    writeTextRows(out, &words, m, ' ');
  }
}

// The matrix checksum (see kPiece), pieces hashed in parallel.
uint64_t matrixHash(const Matrix& m) {
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  const uint64_t total = static_cast<uint64_t>(m.rows()) * row_bytes;
  const int64_t pieces = static_cast<int64_t>((total + kPiece - 1) / kPiece);
  std::vector<uint64_t> hashes(static_cast<size_t>(pieces));
#pragma omp parallel
  {
    std::vector<char> buf;
#pragma omp for schedule(dynamic, 1)
    for (int64_t i = 0; i < pieces; ++i) {
      const uint64_t off = static_cast<uint64_t>(i) * kPiece, n = std::min(kPiece, total - off);
      buf.resize(static_cast<size_t>(n));
      gather(m, row_bytes, off, n, buf.data());
      hashes[static_cast<size_t>(i)] = XXH3_64bits(buf.data(), buf.size());
    }
  }
  return XXH3_64bits(hashes.data(), hashes.size() * sizeof(uint64_t));
}

void writeNative(PendingFiles& pf, const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                 const std::vector<int64_t>* counts) {
  std::string vocab;
  size_t total = 0;
  for (const auto& w : words) total += 4 + w.size();
  vocab.reserve(total + 8 + (counts ? 8 * words.size() : 0));
  for (const auto& w : words) {
    const uint32_t n = static_cast<uint32_t>(w.size());
    vocab.append(reinterpret_cast<const char*>(&n), 4);
    vocab += w;
  }
  if (counts) {
    vocab.resize(align(vocab.size(), 8), '\0');
    vocab.append(reinterpret_cast<const char*>(counts->data()), 8 * counts->size());
  }
  const uint64_t matrix_hash = matrixHash(m);

  NativeHeader h;
  std::memcpy(h.magic, kMagic, 8);
  h.version = kNativeVersion;
  h.dim = static_cast<uint32_t>(m.cols());
  h.rows = words.size();
  h.vocab_bytes = vocab.size();
  h.flags = counts ? kFlagCounts : 0;
  h.vocab_hash = XXH3_64bits(vocab.data(), vocab.size());
  h.matrix_hash = matrix_hash;
  h.header_hash = XXH3_64bits(&h, 56);

  AtomicFile& out = pf.open(path);
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  out.write(&h, kHeaderBytes);
  out.puts(vocab);
  const size_t pad = align(kHeaderBytes + vocab.size(), 64) - (kHeaderBytes + vocab.size());
  out.write("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
            pad);
  for (int64_t r = 0; r < m.rows(); ++r) out.write(m.row(r), row_bytes);
}

std::string npyVocabPath(const std::string& path) {
  const std::string ext = ".npy";
  std::string stem = path;
  if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), ext.size(), ext) == 0)
    stem.resize(stem.size() - ext.size());
  return stem + ".vocab.txt";
}

void writeNpy(PendingFiles& pf, const std::string& path, const std::vector<std::string>& words, const Matrix& m) {
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(m.rows()) + ", " +
                     std::to_string(m.cols()) + "), }";
  // Magic (6) + version (2) + header length (2) + dict + padding + '\n': a multiple of 64.
  const size_t total = align(10 + dict.size() + 1, 64);
  dict.append(total - 10 - dict.size() - 1, ' ');
  dict.push_back('\n');
  std::string head = "\x93NUMPY";
  head.push_back('\x01');
  head.push_back('\x00');
  const uint16_t hl = static_cast<uint16_t>(dict.size());
  head.append(reinterpret_cast<const char*>(&hl), 2);
  head += dict;
  AtomicFile& out = pf.open(path);
  AtomicFile& voc = pf.open(npyVocabPath(path));
  out.puts(head);
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  for (int64_t r = 0; r < m.rows(); ++r) out.write(m.row(r), row_bytes);
  std::string list;
  for (const auto& w : words) {
    list += w;
    list.push_back('\n');
    if (list.size() > (1 << 20)) {
      voc.puts(list);
      list.clear();
    }
  }
  voc.puts(list);
}

void writeTsv(PendingFiles& pf, const std::string& dir, const std::vector<std::string>& words, const Matrix& m,
              const std::vector<int64_t>* counts) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      throw Error("cannot write '" + dir + "' as tsv: it is a file (tsv writes a directory holding vectors.tsv and metadata.tsv)");
  } else if (::mkdir(dir.c_str(), 0755) != 0) {
    throw sysError("cannot create the directory", dir);
  } else {
    pf.madeDirectory(dir);  // removed again if the files are not committed
  }
  AtomicFile& vec = pf.open(dir + "/vectors.tsv");
  AtomicFile& meta = pf.open(dir + "/metadata.tsv");
  writeTextRows(vec, nullptr, m, '\t');
  std::string list;
  if (counts) list = "word\tcount\n";
  for (size_t i = 0; i < words.size(); ++i) {
    list += words[i];
    if (counts) list += "\t" + std::to_string((*counts)[i]);
    list.push_back('\n');
    if (list.size() > (1 << 20)) {
      meta.puts(list);
      list.clear();
    }
  }
  meta.puts(list);
}

// NaN and infinities are never written: the readers refuse them.
void checkFinite(const std::string& path, const std::vector<std::string>& words, const Matrix& m) {
  const int64_t rows = m.rows();
  int64_t bad_row = rows;
#pragma omp parallel for schedule(static) reduction(min : bad_row)
  for (int64_t r = 0; r < rows; ++r)
    if (!allFinite(m.row(r), m.cols())) bad_row = std::min(bad_row, r);
  if (bad_row < rows)
    throw Error("cannot write '" + path + "': the vector of " + shown(words[static_cast<size_t>(bad_row)]) + " (row " +
                std::to_string(bad_row + 1) + ") holds NaN or Inf (did the training diverge? try a smaller --alpha)");
}

}  // namespace

// --- public API --------------------------------------------------------------------

VectorFormat detectVectorFormat(const std::string& path) {
  MappedFile f(path);
  return detect(path, f.data(), f.size());
}

Vectors loadVectors(const std::string& path, VectorFormat format, int64_t limit) {
  if (limit < 0) throw Error("the row limit must be 0 (all rows) or more");
  if (format == VectorFormat::kTsv || format == VectorFormat::kNpy)
    throw Error("cannot read '" + path + "' as " + toString(format) +
                ": wembed writes that format (export) but reads only w2v-bin, w2v-txt, glove and native");
  if (format == VectorFormat::kNative) return readNative(path, limit);
  if (format == VectorFormat::kAuto) {
    char magic[8];
    std::unique_ptr<FILE, int (*)(FILE*)> fp(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (fp && std::fread(magic, 1, 8, fp.get()) == 8 && std::memcmp(magic, kMagic, 8) == 0)
      return readNative(path, limit);
  }
  MappedFile f(path, /*populate=*/limit == 0);
  const char* data = f.data();
  const size_t size = f.size();
  if (size == 0) bad(path, "the file is empty");
  if (format == VectorFormat::kAuto) format = detect(path, data, size);
  const char* end = data + size;
  Vectors v;
  switch (format) {
    case VectorFormat::kGlove:
      v = parseText(path, data, end, -1, 0, limit, 1);
      break;
    case VectorFormat::kWord2vecText:
    case VectorFormat::kWord2vecBinary: {
      Header h;
      const char* body = nullptr;
      if (!readHeader(path, data, size, h, &body))
        bad(path, "line 1 is not a 'rows dimensions' header, as " + toString(format) + " files start with" +
                      (format == VectorFormat::kWord2vecText ? " (a GloVe file? try --format glove)" : ""));
      if (format == VectorFormat::kWord2vecText)
        v = parseText(path, body, end, h.rows, h.dim, limit, 2);
      else
        v = parseBinary(path, data, body, end, h, limit);
      break;
    }
    default:
      throw Error("cannot read '" + path + "' as " + toString(format));
  }
  return v;
}

std::vector<std::string> outputPaths(const std::string& path, VectorFormat format) {
  if (format == VectorFormat::kAuto) format = formatFromPath(path);
  if (format == VectorFormat::kTsv) return {path + "/vectors.tsv", path + "/metadata.tsv"};
  if (format == VectorFormat::kNpy) return {path, npyVocabPath(path)};
  return {path};
}

void saveVectors(const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                 VectorFormat format, const std::vector<int64_t>* counts) {
  PendingFiles pf;
  writeVectors(pf, path, words, m, format, counts);
  pf.commit();
}

void writeVectors(PendingFiles& pf, const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                  VectorFormat format, const std::vector<int64_t>* counts) {
  if (format == VectorFormat::kAuto) format = formatFromPath(path);
  if (static_cast<int64_t>(words.size()) != m.rows())
    throw Error("cannot write '" + path + "': " + std::to_string(words.size()) + " words for " +
                std::to_string(m.rows()) + " rows");
  if (counts && counts->size() != words.size())
    throw Error("cannot write '" + path + "': " + std::to_string(counts->size()) + " counts for " +
                std::to_string(words.size()) + " words");
  checkWords(path, words, format);
  checkFinite(path, words, m);
  switch (format) {
    case VectorFormat::kWord2vecBinary:
    case VectorFormat::kWord2vecText:
    case VectorFormat::kGlove: writeWord2vec(pf, path, words, m, format); break;
    case VectorFormat::kNative: writeNative(pf, path, words, m, counts); break;
    case VectorFormat::kNpy: writeNpy(pf, path, words, m); break;
    case VectorFormat::kTsv: writeTsv(pf, path, words, m, counts); break;
    default: throw Error("cannot write '" + path + "': no format given");
  }
}

void saveWord2vec(const std::string& path, const std::vector<std::string>& words, const Matrix& m, bool binary) {
  saveVectors(path, words, m, binary ? VectorFormat::kWord2vecBinary : VectorFormat::kWord2vecText);
}

Vectors loadWord2vec(const std::string& path, VectorFormat format) { return loadVectors(path, format, 0); }

}  // namespace wembed
