// The embedding projector's tsv (projector.tensorflow.org), written only: a
// directory holding vectors.tsv (tab-separated values, one row per word) and
// metadata.tsv (the words; "word<TAB>count" lines under a header when the
// counts are known).
#include <sys/stat.h>

#include "table.h"
#include "text.h"
#include "wembed/core/error.h"

namespace wembed::formats {

namespace {

std::vector<std::string> outputs(const std::string& dir) { return {dir + "/vectors.tsv", dir + "/metadata.tsv"}; }

void write(PendingFiles& pf, const std::string& dir, const VectorsRef& v) {
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode))
      throw fileError("cannot write", dir, "it is a file (tsv writes a directory holding vectors.tsv and metadata.tsv)");
  } else {
    pf.makeDirectory(dir);  // removed again if the files are not committed (or on a signal)
  }
  const auto paths = outputs(dir);
  AtomicFile& vec = pf.open(paths[0]);
  AtomicFile& meta = pf.open(paths[1]);
  writeTextRows(vec, nullptr, v.matrix, '\t');
  if (v.counts) meta.puts("word\tcount\n");
  writeWordLines(meta, v.words, v.counts);
}

}  // namespace

const FormatSpec& tsvFormat() {
  static const FormatSpec spec{VectorFormat::kTsv, "tsv", {}, {}, "", nullptr, nullptr, write, outputs, "\t\n\r",
                               /*empty_words=*/true, /*keeps_counts=*/true};
  return spec;
}

}  // namespace wembed::formats
