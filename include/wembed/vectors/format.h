#pragma once
#include <string>

namespace wembed {

// Vector file formats. fastText's .vec is word2vec text. kTsv and kNpy are
// written (export) but not read.
enum class VectorFormat { kAuto, kWord2vecBinary, kWord2vecText, kGlove, kNative, kTsv, kNpy };

// auto | w2v-bin (bin) | w2v-txt (txt, vec, fasttext) | glove | native (wev) | tsv | npy
VectorFormat parseFormat(const std::string& s);
std::string toString(VectorFormat f);  // the canonical name: w2v-bin, w2v-txt, glove, ...
// Format from the file name: .bin -> w2v-bin, .txt/.vec -> w2v-txt, .wev ->
// native, .npy -> npy; throws otherwise.
VectorFormat formatFromPath(const std::string& path);

}  // namespace wembed
