#pragma once
// The table of vector file formats. Each format is one entry, defined in its
// own file (word2vec_binary.cc, word2vec_text.cc, glove.cc, native.cc, tsv.cc,
// npy.cc, fasttext.cc); naming, detecting, reading, writing and listing the output files
// of a format all go through its entry, never through a switch on the enum.
#include <string>
#include <string_view>
#include <vector>

#include "source.h"
#include "wembed/core/io.h"
#include "wembed/core/matrix.h"
#include "wembed/vectors/format.h"
#include "wembed/vectors/vectors.h"

namespace wembed::formats {

// What a writer is given: words and matrix of equal length, every value
// finite, every word representable in the format (checked from the entry).
struct VectorsRef {
  const std::vector<std::string>& words;
  const Matrix& matrix;
  const std::vector<int64_t>* counts;  // nullptr when unknown
  const Subwords* subwords = nullptr;  // the model's subwords, if any (formats that cannot keep them ignore them)
  struct Model {
    const std::string& settings;
    const Matrix& output;
  };
  const Model* model = nullptr;  // a full model's output layer and settings (the native format only)
};

struct FormatSpec {
  VectorFormat id;
  const char* name;                      // canonical: toString, messages
  std::vector<std::string> aliases;      // other names parseFormat accepts
  std::vector<std::string> extensions;   // file name endings formatFromPath maps to it
  std::string_view magic;                // content starting with these bytes is this format ("" none)
  // Without a magic number: whether the content is this format (may throw
  // Error for content that is this format but broken); nullptr: never detected.
  bool (*detect)(const VectorSource& src);
  Vectors (*read)(const VectorSource& src, int64_t limit);  // nullptr: written only
  void (*write)(PendingFiles& out, const std::string& path, const VectorsRef& v);
  std::vector<std::string> (*outputs)(const std::string& path);  // nullptr: the path alone
  const char* forbidden;                 // bytes a word may not contain (nullptr: any)
  bool empty_words = false;              // an empty word can be written
  bool keeps_counts = false;             // the word counts are written
  bool keeps_subwords = false;           // a model's subwords are written (VectorsRef::subwords)
};

// Every format, in the order of the VectorFormat enum (as help texts list them).
const std::vector<const FormatSpec*>& formatTable();
// The entry of f; throws Error for kAuto.
const FormatSpec& formatSpec(VectorFormat f);
// The format of the content: refuses the foreign files refuseForeign knows,
// then a magic number, then the detectors; throws Error naming the file if
// nothing matches.
const FormatSpec& detectFormat(const VectorSource& src);

// Throws Error naming the file if the content is a fastText model and f is
// another format.
void refuseFastText(const VectorSource& src, const FormatSpec& f);

// The entries, one per file.
const FormatSpec& word2vecBinaryFormat();
const FormatSpec& word2vecTextFormat();
const FormatSpec& gloveFormat();
const FormatSpec& nativeFormat();
const FormatSpec& tsvFormat();
const FormatSpec& npyFormat();
const FormatSpec& fasttextFormat();

}  // namespace wembed::formats
