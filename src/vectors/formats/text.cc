#include "text.h"

#include <omp.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <system_error>

#include "common.h"
#include "source.h"
#include "wembed/core/error.h"
#include "wembed/core/utf8.h"

namespace wembed::formats {

namespace {

// Whitespace inside a line (the separators of text rows).
inline bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }
inline bool isWs(char c) { return isBlank(c) || c == '\n'; }

inline const char* skipBlanks(const char* p, const char* end) {
  while (p < end && isBlank(*p)) ++p;
  return p;
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

// "0x1p-3", "-0X1.8P+1": C's hexadecimal float syntax, which strtod reads but
// from_chars (general format), gensim and Python's float() do not. Refused,
// with a message that says so.
bool isHexNumber(std::string_view f) {
  const size_t i = (!f.empty() && (f[0] == '-' || f[0] == '+')) ? 1 : 0;
  if (f.size() <= i + 2 || f[i] != '0' || (f[i + 1] != 'x' && f[i + 1] != 'X') || f.size() > 64) return false;
  const std::string s(f);
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end == s.c_str() + s.size();
}

// Whether the bytes a binary row's floats would occupy, after the first
// word of the body, are text: no control bytes but blanks and newlines,
// well-formed UTF-8. Floats almost never are (a small float's exponent byte
// and zero mantissa bytes are controls or not UTF-8); a text row always is.
bool rowBytesAreText(const char* body, const char* end, int dim) {
  const char* scan_end = body + std::min<size_t>(static_cast<size_t>(end - body), 10001);
  const char* sp = body;
  while (sp < scan_end && !isWs(*sp)) ++sp;
  if (sp == body || sp == scan_end) return false;
  const auto* p = reinterpret_cast<const unsigned char*>(sp + 1);
  const auto* e = p + std::min<size_t>(static_cast<size_t>(end - (sp + 1)), std::max<size_t>(4 * static_cast<size_t>(dim), 32));
  if (p == e) return false;
  while (p < e) {
    uint32_t cp = 0;
    const int len = decodeUtf8(p, e, cp);
    if (len == 0)  // ill-formed, unless a character cut by the window's end
      return e - p < 4 && *p >= 0xC2 && *p <= 0xF4 &&
             std::all_of(p + 1, e, [](unsigned char c) { return (c & 0xC0) == 0x80; });
    if (cp == 0x7F || (cp < 0x20 && !isWs(static_cast<char>(cp)))) return false;
    p += len;
  }
  return true;
}

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
    if (st == NumberStatus::kNotANumber && isHexNumber(f[i]))
      return head + "value " + std::to_string(i) + " " + shown(f[i]) +
             " is a hexadecimal float; wembed reads decimal numbers only (as gensim and Python's float())";
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

// A run of whole lines parsed by one thread.
struct Chunk {
  const char* begin = nullptr;
  const char* end = nullptr;
  int64_t first_row = 0;
  int64_t lines = 0;
  int64_t error_row = -1;
  std::string error;
};

// The rows of a text body, as the steps of parseTextRows see them.
struct TextBody {
  const std::string& path;
  const char* b;
  const char* e;
  int64_t first_line;
  std::string lineName(int64_t row) const { return "line " + std::to_string(first_line + row); }
};

// Cuts [b, e) into chunks of whole lines (for all threads) and counts the
// lines of each in parallel; returns the total.
int64_t splitLines(const char* b, const char* e, std::vector<Chunk>& chunks) {
  const size_t len = static_cast<size_t>(e - b);
  const int threads = omp_get_max_threads();
  const size_t nchunks = std::max<size_t>(1, std::min<size_t>(len / (1 << 18), static_cast<size_t>(threads) * 16));
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
  return rows;
}

// The row count against the header's (want < 0: no header).
void checkRowCount(const TextBody& t, int64_t rows, int64_t want, int64_t header_rows) {
  if (want >= 0 && rows != want) {  // a blank line inside the rows is the likelier problem
    const char* p = t.b;
    for (int64_t r = 0; p < t.e; ++r) {
      const char* q = lineEnd(p, t.e);
      if (skipBlanks(p, q) == q) bad(t.path, t.lineName(r) + " is empty");
      if (q == t.e) break;
      p = q + 1;
    }
  }
  if (want >= 0 && rows < want)
    bad(t.path, "the header says " + plural(header_rows, "row", "rows") + " but the file ends after " +
                    plural(rows, "row", "rows") + " (" + t.lineName(rows - 1) + ")");
  if (want >= 0 && rows > want)  // only without a limit: the rest was cut
    bad(t.path, "the header says " + plural(header_rows, "row", "rows") + " but " + t.lineName(want) +
                    " holds another row");
}

// GloVe: the dimension is the first row's count of numbers.
int gloveDim(const TextBody& t) {
  const auto f = fields(t.b, lineEnd(t.b, t.e));
  if (f.size() < 2) bad(t.path, t.lineName(0) + " has no numbers after the word");
  if (f.size() - 1 > static_cast<size_t>(kMaxDim))
    bad(t.path, t.lineName(0) + " has " + std::to_string(f.size() - 1) + " values, more than " + std::to_string(kMaxDim));
  return static_cast<int>(f.size() - 1);
}

// A row takes at least 2 * dim + 1 bytes ("w 0 0"): if the body is too short
// for rows of that width, some line is short (and malformed). Reports the
// first bad line rather than allocate the matrix the sizes suggest.
void checkShortLines(const TextBody& t, int64_t rows, int dim) {
  if (static_cast<double>(t.e - t.b) >= static_cast<double>(rows) * (2.0 * dim + 1)) return;
  std::string word;
  std::vector<float> row(static_cast<size_t>(dim));
  const char* p = t.b;
  for (int64_t r = 0; p < t.e; ++r) {
    const char* q = lineEnd(p, t.e);
    if (!parseRow(p, q, dim, word, row.data())) bad(t.path, t.lineName(r) + " " + rowProblem(p, q, dim));
    p = q + 1;
  }
}

// The chunks parsed in parallel into v; the first bad line throws.
void parseChunks(const TextBody& t, std::vector<Chunk>& chunks, int dim, Vectors& v) {
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
    if (c.error_row >= 0) bad(t.path, t.lineName(c.error_row) + " " + c.error);
}

}  // namespace

const char* lineEnd(const char* p, const char* end) {
  const void* q = std::memchr(p, '\n', static_cast<size_t>(end - p));
  return q ? static_cast<const char*>(q) : end;
}

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

const char* textStart(const VectorSource& src) {
  const char* data = src.data();
  return src.size() >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0 ? data + 3 : data;
}

bool readWord2vecHeader(const VectorSource& src, Word2vecHeader& h) {
  const std::string& path = src.path();
  const char* data = textStart(src);
  const char* end = src.data() + src.size();
  const char* e = lineEnd(data, end);
  const auto f = fields(data, e);
  if (f.size() != 2 || !isInteger(f[0]) || !isInteger(f[1])) return false;
  long long rows = 0, cols = 0;
  auto r1 = std::from_chars(f[0].data() + (f[0][0] == '+'), f[0].data() + f[0].size(), rows);
  auto r2 = std::from_chars(f[1].data() + (f[1][0] == '+'), f[1].data() + f[1].size(), cols);
  // A number beyond 64 bits (a million digits) is shown cut short.
  auto said = [](std::string_view field, bool parsed, long long v) { return parsed ? std::to_string(v) : quote(field, 24); };
  if (r1.ec != std::errc() || rows < 0)
    bad(path, "line 1 (header) says " + said(f[0], r1.ec == std::errc(), rows) + " rows; expected 0 to 2^63");
  if (r2.ec != std::errc() || cols < 1 || cols > kMaxDim)
    bad(path, "line 1 (header) says " + said(f[1], r2.ec == std::errc(), cols) + " dimensions; expected 1 to " +
                  std::to_string(kMaxDim));
  // (Nothing is allocated from the header's row count: the readers count
  // the rows present first, so a header promising more fails by row.)
  h.rows = rows;
  h.dim = static_cast<int>(cols);
  h.body = e < end ? e + 1 : e;
  return true;
}

Word2vecHeader requireWord2vecHeader(const VectorSource& src, const char* format, const char* hint) {
  Word2vecHeader h;
  if (!readWord2vecHeader(src, h))
    bad(src.path(), std::string("line 1 is not a 'rows dimensions' header, as ") + format + " files start with" + hint);
  return h;
}

std::string word2vecHeaderLine(int64_t rows, int dim) { return std::to_string(rows) + " " + std::to_string(dim) + "\n"; }

bool isWord2vecFile(const VectorSource& src, bool* text) {
  const char* end = src.data() + src.size();
  Word2vecHeader h;
  if (!readWord2vecHeader(src, h)) return false;
  // Text if the first row is "word" followed by exactly D numbers on one line.
  // A first row of only numbers but the wrong count is a malformed text file
  // (reported by the text reader) rather than binary data, if the next line
  // also reads as "word numbers" or there is no next line; otherwise the
  // binary reader would silently turn the text into garbage floats.
  *text = true;
  if (h.body == end) return true;
  const char* e1 = lineEnd(h.body, end);
  const int n = numbersAfterWord(h.body, e1);
  if (n == h.dim) return true;
  if (n >= 1) {
    if (e1 == end) return true;
    const char* e2 = lineEnd(e1 + 1, end);
    if (e1 + 1 == end || numbersAfterWord(e1 + 1, e2) >= 1) return true;
  }
  // A row that is text but not "word + D numbers" (a word where a number
  // should be, a hexadecimal float): the text reader names the bad value;
  // read as binary it would be "a word too long" or "a truncated row".
  *text = rowBytesAreText(h.body, end, h.dim);
  return true;
}

void refuseBadLine1(const VectorSource& src) {
  const char* data = textStart(src);
  const char* end = src.data() + src.size();
  const char* e1 = lineEnd(data, end);
  const auto f = fields(data, e1);
  if (f.size() >= 3) {  // a GloVe row, if its values are mostly numbers
    size_t numbers = 0;
    for (size_t i = 1; i < f.size(); ++i) {
      const char* p = f[i].data();
      float v;
      numbers += parseNumber(p, f[i].data() + f[i].size(), v) != NumberStatus::kNotANumber;
    }
    if (2 * numbers >= f.size() - 1) bad(src.path(), "line 1 " + rowProblem(data, e1, static_cast<int>(f.size() - 1)));
    return;
  }
  if (f.size() != 2 || e1 == end) return;
  const int below = numbersAfterWord(e1 + 1, lineEnd(e1 + 1, end));
  if (below < 1 || (below == 1 && numbersAfterWord(data, e1) == 1)) return;  // not rows, or GloVe of dimension 1
  bad(src.path(), "line 1 " + quote(std::string_view(data, static_cast<size_t>(e1 - data)), 40) +
                      " is not a valid 'rows dimensions' header, though the rows below it read as 'word' and " +
                      plural(below, "number", "numbers"));
}

Vectors parseTextRows(const std::string& path, const char* b, const char* e, int64_t header_rows, int dim,
                      int64_t limit, int64_t first_line) {
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
  const TextBody t{path, b, e, first_line};
  std::vector<Chunk> chunks;
  const int64_t rows = splitLines(b, e, chunks);
  checkRowCount(t, rows, want, header_rows);
  if (header_rows < 0) dim = gloveDim(t);
  checkShortLines(t, rows, dim);
  Vectors v;
  v.matrix = Matrix(rows, dim);
  v.words.resize(static_cast<size_t>(rows));
  parseChunks(t, chunks, dim, v);
  return v;
}

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

void writeWordLines(AtomicFile& f, const std::vector<std::string>& words, const std::vector<int64_t>* counts) {
  std::string list;
  for (size_t i = 0; i < words.size(); ++i) {
    list += words[i];
    if (counts) list += "\t" + std::to_string((*counts)[i]);
    list.push_back('\n');
    if (list.size() > (1 << 20)) {
      f.puts(list);
      list.clear();
    }
  }
  f.puts(list);
}

}  // namespace wembed::formats
