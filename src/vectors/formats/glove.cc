// GloVe text: no header, "word v1 ... vD\n" per word; D is the count of
// numbers on the first line.
#include "common.h"
#include "table.h"
#include "text.h"

namespace wembed::formats {

namespace {

// A first line "word n1 n2 ..." that is not a word2vec header. "word n"
// above longer rows is a bad header rather than GloVe of dimension 1.
bool detect(const VectorSource& src) {
  const char* data = textStart(src);
  Word2vecHeader h;
  if (readWord2vecHeader(src, h)) return false;
  const int n = numbersAfterWord(data, lineEnd(data, src.data() + src.size()));
  if (n == 1) refuseBadLine1(src);
  return n >= 1;
}

Vectors read(const VectorSource& src, int64_t limit) {
  return parseTextRows(src.path(), textStart(src), src.data() + src.size(), -1, 0, limit, 1);
}

void write(PendingFiles& pf, const std::string& path, const VectorsRef& v) {
  writeTextRows(pf.open(path), &v.words, v.matrix, ' ');
}

}  // namespace

const FormatSpec& gloveFormat() {
  static const FormatSpec spec{VectorFormat::kGlove, "glove", {}, {}, "", detect, read, write, nullptr,
                               " \t\n\r\v\f"};
  return spec;
}

}  // namespace wembed::formats
