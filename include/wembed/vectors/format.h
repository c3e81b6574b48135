#pragma once
#include <string>

namespace wembed {

// Vector file formats (see vectors.h for their layouts). fastText's .vec is
// word2vec text; kFastText is its .bin model. kTsv is written only (export).
enum class VectorFormat { kAuto, kWord2vecBinary, kWord2vecText, kGlove, kNative, kTsv, kNpy, kFastText };

// auto | w2v-bin (bin) | w2v-txt (txt, vec) | glove | native (wev) | tsv | npy | fasttext
VectorFormat parseFormat(const std::string& s);
std::string toString(VectorFormat f);  // the canonical name: w2v-bin, w2v-txt, glove, ...
// Format from the file name: .bin -> w2v-bin, .txt/.vec -> w2v-txt, .wev ->
// native, .npy -> npy; throws otherwise.
VectorFormat formatFromPath(const std::string& path);
// The format to write path in: `asked` if given; for kAuto, tsv when path
// ends in '/' or names an existing directory, else formatFromPath(path). The
// trailing '/'s of a tsv directory are removed from path.
VectorFormat outputFormat(std::string& path, VectorFormat asked);
// Whether wembed reads the format (every one but tsv).
bool canRead(VectorFormat f);
// Whether the format keeps the word counts (native, tsv, fasttext).
bool keepsCounts(VectorFormat f);
// Whether the format keeps a model's subwords (native, fasttext).
bool keepsSubwords(VectorFormat f);

}  // namespace wembed
