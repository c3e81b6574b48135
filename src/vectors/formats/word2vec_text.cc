// word2vec text (word2vec -binary 0, gensim binary=False, fastText .vec):
// a "V D" header line, then per word "word v1 ... vD\n".
#include "common.h"
#include "table.h"
#include "text.h"

namespace wembed::formats {

namespace {

bool detect(const VectorSource& src) {
  bool text = false;
  return isWord2vecFile(src, &text) && text;
}

Vectors read(const VectorSource& src, int64_t limit) {
  const Word2vecHeader h = requireWord2vecHeader(src, "w2v-txt", " (a GloVe file? try --format glove)");
  return parseTextRows(src.path(), h.body, src.data() + src.size(), h.rows, h.dim, limit, 2);
}

void write(PendingFiles& pf, const std::string& path, const VectorsRef& v) {
  AtomicFile& out = pf.open(path);
  out.puts(word2vecHeaderLine(v.matrix.rows(), v.matrix.cols()));
  writeTextRows(out, &v.words, v.matrix, ' ');
}

}  // namespace

const FormatSpec& word2vecTextFormat() {
  static const FormatSpec spec{VectorFormat::kWord2vecText, "w2v-txt", {"txt", "text", "vec"},
                               {".txt", ".vec"}, "", detect, read, write, nullptr, " \t\n\r\v\f"};
  return spec;
}

}  // namespace wembed::formats
