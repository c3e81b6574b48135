#include "table.h"

#include "common.h"
#include "text.h"
#include "wembed/core/error.h"

namespace wembed::formats {

const std::vector<const FormatSpec*>& formatTable() {
  static const std::vector<const FormatSpec*> table = {&word2vecBinaryFormat(), &word2vecTextFormat(), &gloveFormat(),
                                                       &nativeFormat(),         &tsvFormat(),          &npyFormat(),
                                                       &fasttextFormat()};
  return table;
}

const FormatSpec& formatSpec(VectorFormat f) {
  for (const FormatSpec* s : formatTable())
    if (s->id == f) return *s;
  throw Error("no vector format given");
}

void refuseFastText(const VectorSource& src, const FormatSpec& f) {
  const FormatSpec& ft = fasttextFormat();
  if (&f != &ft && src.head().substr(0, ft.magic.size()) == ft.magic)
    bad(src.path(), std::string("this is a fastText model, not ") + f.name + "; read it with --format fasttext (or auto)");
}

const FormatSpec& detectFormat(const VectorSource& src) {
  if (src.size() == 0) bad(src.path(), "the file is empty");
  refuseForeign(src);
  for (const FormatSpec* s : formatTable())
    if (!s->magic.empty() && src.head().substr(0, s->magic.size()) == s->magic) return *s;
  for (const FormatSpec* s : formatTable())
    if (s->detect && s->detect(src)) return *s;
  refuseBadLine1(src);
  const char* text = textStart(src);
  const std::string_view line1(text, static_cast<size_t>(lineEnd(text, src.data() + src.size()) - text));
  bad(src.path(), "line 1 " + quote(line1, 40) +
                      " is neither a 'rows dimensions' header (word2vec, fastText .vec) nor a 'word v1 v2 ...' row (GloVe)");
}

}  // namespace wembed::formats
