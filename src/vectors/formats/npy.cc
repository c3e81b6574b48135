// NumPy .npy: a float32 (or, read only, float64) C-order V x D matrix, with
// the words, one per line, in STEM.vocab.txt beside it (STEM: the name
// without .npy; for m.npy.gz, m.vocab.txt or m.vocab.txt.gz). Writes version
// 1.0 with '<f4'; reads versions 1 to 3.
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "common.h"
#include "table.h"
#include "text.h"
#include "wembed/core/error.h"

namespace wembed::formats {

namespace {

// A Python string literal's content ('<i4' -> <i4); anything else as it is.
std::string_view unquoted(std::string_view s) {
  if (s.size() >= 2 && (s[0] == '\'' || s[0] == '"') && s.back() == s[0]) return s.substr(1, s.size() - 2);
  return s;
}

constexpr std::string_view kNpyMagic("\x93NUMPY", 6);

std::string vocabPath(const std::string& path) {
  const std::string ext = ".npy";
  std::string stem = path;
  if (stem.size() > ext.size() && stem.compare(stem.size() - ext.size(), ext.size(), ext) == 0)
    stem.resize(stem.size() - ext.size());
  return stem + ".vocab.txt";
}

std::vector<std::string> outputs(const std::string& path) { return {path, vocabPath(path)}; }

struct NpyHeader {
  int64_t rows = 0;
  int dim = 0;
  int item = 4;  // bytes per value: 4 (float32) or 8 (float64)
  uint64_t data_offset = 0;
};

// The text after `key` in the header dict, from its first non-blank character.
std::string_view valueOf(std::string_view dict, std::string_view key) {
  for (const char q : {'\'', '"'}) {
    const std::string k = std::string(1, q) + std::string(key) + q;
    size_t p = dict.find(k);
    if (p == std::string_view::npos) continue;
    p = dict.find(':', p + k.size());
    if (p == std::string_view::npos) break;
    p = dict.find_first_not_of(" \t", p + 1);
    return p == std::string_view::npos ? std::string_view() : dict.substr(p);
  }
  return {};
}

// (V, D) from "(V, D)" at the start of s.
bool parseShape(std::string_view s, int64_t& rows, int64_t& cols) {
  if (s.empty() || s[0] != '(') return false;
  const size_t close = s.find(')');
  if (close == std::string_view::npos) return false;
  const std::string inner(s.substr(1, close - 1));
  char* end = nullptr;
  rows = std::strtoll(inner.c_str(), &end, 10);
  if (end == inner.c_str() || *end != ',') return false;
  const char* p = end + 1;
  cols = std::strtoll(p, &end, 10);
  if (end == p) return false;
  while (*end == ' ') ++end;
  return *end == '\0' || (*end == ',' && end[1 + std::strspn(end + 1, " ")] == '\0');
}

NpyHeader readHeader(const VectorSource& src) {
  const std::string& path = src.path();
  const std::string_view h = src.head();
  if (h.substr(0, 6) != kNpyMagic) bad(path, "not a NumPy .npy file (bad magic number)");
  if (h.size() < 10) bad(path, "the file is cut in its NumPy header");
  const int major = static_cast<unsigned char>(h[6]);
  if (major < 1 || major > 3) bad(path, "NumPy format version " + std::to_string(major) + "; wembed reads versions 1 to 3");
  uint32_t len = 0;
  const size_t len_bytes = major == 1 ? 2 : 4;
  std::memcpy(&len, h.data() + 8, len_bytes);
  NpyHeader out;
  out.data_offset = 8 + len_bytes + len;
  if (out.data_offset > src.size()) bad(path, "the file is cut in its NumPy header");
  const std::string_view dict(src.data() + 8 + len_bytes, len);
  const std::string_view descr = valueOf(dict, "descr");
  if (descr.substr(0, 5) == "'<f8'" || descr.substr(0, 5) == "\"<f8\"") out.item = 8;
  else if (descr.substr(0, 5) != "'<f4'" && descr.substr(0, 5) != "\"<f4\"")
    bad(path, "the NumPy matrix holds " + quote(unquoted(descr.substr(0, descr.find(','))), 40) +
                  " values; wembed reads float32 ('<f4') and float64 ('<f8')");
  if (valueOf(dict, "fortran_order").substr(0, 5) != "False")
    bad(path, "the NumPy matrix is in Fortran order; save it in C order (numpy.ascontiguousarray)");
  int64_t rows = 0, cols = 0;
  if (!parseShape(valueOf(dict, "shape"), rows, cols) || rows < 0)
    bad(path, "the NumPy array is not a matrix (shape " + quote(valueOf(dict, "shape"), 40) +
                  "); wembed reads a words x dimensions matrix");
  if (cols < 1 || cols > kMaxDim)
    bad(path, "the NumPy matrix has " + std::to_string(cols) + " columns; expected 1 to " + std::to_string(kMaxDim));
  const uint64_t bytes = src.size() - out.data_offset;
  if (static_cast<uint64_t>(rows) > bytes / out.item / cols || bytes != static_cast<uint64_t>(rows * cols * out.item))
    bad(path, "the NumPy header describes " + std::to_string(rows) + " x " + std::to_string(cols) + " values of " +
                  std::to_string(out.item) + " bytes, but " + std::to_string(bytes) + " bytes follow it");
  out.rows = rows;
  out.dim = static_cast<int>(cols);
  return out;
}

// The words from the vocabulary file beside the matrix, one per line.
std::vector<std::string> readWords(const VectorSource& src, int64_t rows) {
  const std::string& path = src.path();
  if (src.fromStdin())
    bad(path, "a NumPy .npy matrix has its words in a vocabulary file beside it; give its file name, not '-'");
  std::string voc = vocabPath(src.innerName());
  struct stat st;
  if (::stat(voc.c_str(), &st) != 0 && ::stat((voc + ".gz").c_str(), &st) == 0) voc += ".gz";
  else if (::stat(voc.c_str(), &st) != 0)
    bad(path, "a NumPy .npy matrix without its vocabulary: " + quotedName(voc) +
                  " (the words, one per line, as export writes it) does not exist");
  std::vector<std::string> words;
  words.reserve(static_cast<size_t>(rows));
  LineReader in(voc, size_t(1) << 20);
  for (std::string line; in.next(line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) bad(path, "line " + std::to_string(in.lineNumber()) + " of its vocabulary " + quotedName(voc) + " is empty");
    words.push_back(std::move(line));
  }
  if (static_cast<int64_t>(words.size()) != rows)
    bad(path, "its vocabulary " + quotedName(voc) + " has " + plural(static_cast<int64_t>(words.size()), "word", "words") +
                  " for " + plural(rows, "row", "rows"));
  return words;
}

Vectors read(const VectorSource& src, int64_t limit) {
  const NpyHeader h = readHeader(src);
  Vectors v;
  v.words = readWords(src, h.rows);
  const int64_t want = limit > 0 ? std::min(limit, h.rows) : h.rows;
  v.words.resize(static_cast<size_t>(want));
  v.matrix = Matrix(want, h.dim);
  const char* data = src.data() + h.data_offset;
  const size_t row_bytes = static_cast<size_t>(h.item) * h.dim;
  int64_t bad_row = want;
#pragma omp parallel for schedule(static) reduction(min : bad_row)
  for (int64_t r = 0; r < want; ++r) {
    float* row = v.matrix.row(r);
    const char* p = data + r * row_bytes;
    if (h.item == 4) {
      std::memcpy(row, p, row_bytes);
    } else {
      for (int j = 0; j < h.dim; ++j) {
        double x;
        std::memcpy(&x, p + 8 * j, 8);
        row[j] = static_cast<float>(x);
      }
    }
    if (!allFinite(row, h.dim)) bad_row = std::min(bad_row, r);
  }
  if (bad_row < want) notFinite(src.path(), "row", bad_row, v.words[static_cast<size_t>(bad_row)], v.matrix.row(bad_row), h.dim);
  return v;
}

void write(PendingFiles& pf, const std::string& path, const VectorsRef& v) {
  const Matrix& m = v.matrix;
  std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + std::to_string(m.rows()) + ", " +
                     std::to_string(m.cols()) + "), }";
  // Magic (6) + version (2) + header length (2) + dict + padding + '\n': a multiple of 64.
  const size_t total = align(10 + dict.size() + 1, 64);
  dict.append(total - 10 - dict.size() - 1, ' ');
  dict.push_back('\n');
  std::string head(kNpyMagic);
  head.push_back('\x01');
  head.push_back('\x00');
  const uint16_t hl = static_cast<uint16_t>(dict.size());
  head.append(reinterpret_cast<const char*>(&hl), 2);
  head += dict;
  AtomicFile& out = pf.open(path);
  AtomicFile& voc = pf.open(vocabPath(path));
  out.puts(head);
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(m.cols());
  for (int64_t r = 0; r < m.rows(); ++r) out.write(m.row(r), row_bytes);
  writeWordLines(voc, v.words, nullptr);
}

}  // namespace

const FormatSpec& npyFormat() {
  static const FormatSpec spec{VectorFormat::kNpy, "npy", {}, {".npy"}, kNpyMagic, nullptr, read, write, outputs,
                               "\n\r"};
  return spec;
}

}  // namespace wembed::formats
