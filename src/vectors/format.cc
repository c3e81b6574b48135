#include "wembed/vectors/format.h"

#include "wembed/core/error.h"

namespace wembed {

VectorFormat parseFormat(const std::string& s) {
  if (s == "auto") return VectorFormat::kAuto;
  if (s == "bin" || s == "w2v-bin" || s == "binary") return VectorFormat::kWord2vecBinary;
  if (s == "txt" || s == "w2v-txt" || s == "text" || s == "vec" || s == "fasttext") return VectorFormat::kWord2vecText;
  if (s == "glove") return VectorFormat::kGlove;
  if (s == "native" || s == "wev" || s == "wembed") return VectorFormat::kNative;
  if (s == "tsv") return VectorFormat::kTsv;
  if (s == "npy") return VectorFormat::kNpy;
  throw Error("unknown format '" + s + "' (expected auto, w2v-bin, w2v-txt, glove, native, tsv or npy)");
}

std::string toString(VectorFormat f) {
  switch (f) {
    case VectorFormat::kAuto: return "auto";
    case VectorFormat::kWord2vecBinary: return "w2v-bin";
    case VectorFormat::kWord2vecText: return "w2v-txt";
    case VectorFormat::kGlove: return "glove";
    case VectorFormat::kNative: return "native";
    case VectorFormat::kTsv: return "tsv";
    case VectorFormat::kNpy: return "npy";
  }
  return "?";
}

static bool endsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

VectorFormat formatFromPath(const std::string& path) {
  if (endsWith(path, ".bin")) return VectorFormat::kWord2vecBinary;
  if (endsWith(path, ".txt") || endsWith(path, ".vec")) return VectorFormat::kWord2vecText;
  if (endsWith(path, ".wev")) return VectorFormat::kNative;
  if (endsWith(path, ".npy")) return VectorFormat::kNpy;
  throw Error("cannot tell the vector format from '" + path +
              "': use a .bin, .txt, .vec or .wev extension, or --format");
}

}  // namespace wembed
