// word2vec binary (word2vec -binary 1, gensim binary=True): a "V D" header
// line, then per word "word " + D little-endian float32 (+ "\n" as word2vec
// writes it; gensim writes none).
#include <algorithm>
#include <cstring>

#include "common.h"
#include "table.h"
#include "text.h"

namespace wembed::formats {

namespace {

bool detect(const VectorSource& src) {
  bool text = true;
  return isWord2vecFile(src, &text) && !text;
}

inline bool isWs(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f' || c == '\n'; }

// The rows' words and where each row's floats start, checked against the file's end.
void findRows(const std::string& path, const Word2vecHeader& h, const char* e, int64_t want, size_t row_bytes,
              std::vector<std::string>& words, std::vector<const char*>& data, const char** after) {
  // Rows are counted as they are found, not allocated from the header's claim.
  const size_t room = static_cast<size_t>(std::min<int64_t>(want, (e - h.body) / static_cast<int64_t>(row_bytes + 2) + 1));
  words.reserve(room);
  data.reserve(room);
  const char* p = h.body;
  for (int64_t r = 0; r < want; ++r) {
    const std::string where = "row " + std::to_string(r + 1);
    while (p < e && (*p == '\n' || *p == '\r')) ++p;
    if (p == e)
      bad(path, "the header says " + plural(h.rows, "row", "rows") + " but the file ends after " + plural(r, "row", "rows"));
    const size_t scan = std::min<size_t>(static_cast<size_t>(e - p), 10001);
    const char* sp = static_cast<const char*>(std::memchr(p, ' ', scan));
    if (!sp) {
      if (scan <= 10000) bad(path, "the file ends in the middle of " + where + " (in its word)");
      bad(path, where + ": word longer than 10000 bytes (not a word2vec binary file?)");
    }
    if (sp == p) bad(path, where + " has no word (a space where the word should start)");
    words.emplace_back(p, sp);
    if (static_cast<size_t>(e - (sp + 1)) < row_bytes)
      bad(path, "the file ends in the middle of " + where + " (" + shown(words.back()) + "): " +
                    std::to_string(e - (sp + 1)) + " of its " + std::to_string(row_bytes) + " bytes are there");
    data.push_back(sp + 1);
    p = sp + 1 + row_bytes;
  }
  *after = p;
}

Vectors read(const VectorSource& src, int64_t limit) {
  const Word2vecHeader h = requireWord2vecHeader(src, "w2v-bin", "");
  const std::string& path = src.path();
  const char* file = src.data();
  const char* e = file + src.size();
  const int d = h.dim;
  const int64_t want = limit > 0 ? std::min(limit, h.rows) : h.rows;
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(d);
  Vectors v;
  std::vector<const char*> data;
  const char* p = nullptr;
  findRows(path, h, e, want, row_bytes, v.words, data, &p);
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

void write(PendingFiles& pf, const std::string& path, const VectorsRef& v) {
  AtomicFile& out = pf.open(path);
  out.puts(word2vecHeaderLine(v.matrix.rows(), v.matrix.cols()));
  const size_t row_bytes = sizeof(float) * static_cast<size_t>(v.matrix.cols());
  for (size_t i = 0; i < v.words.size(); ++i) {
    out.puts(v.words[i]);
    out.write(" ", 1);
    out.write(v.matrix.row(static_cast<int64_t>(i)), row_bytes);
    out.write("\n", 1);
  }
}

}  // namespace

const FormatSpec& word2vecBinaryFormat() {
  static const FormatSpec spec{VectorFormat::kWord2vecBinary, "w2v-bin", {"bin", "binary"}, {".bin"}, "",
                               detect, read, write, nullptr, " \t\n\r\v\f"};
  return spec;
}

}  // namespace wembed::formats
