// Format names and file names, from the format table.
#include "wembed/vectors/format.h"

#include <sys/stat.h>

#include "formats/table.h"
#include "wembed/core/error.h"

namespace wembed {

namespace {

bool endsWith(const std::string& s, const std::string& suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

// "a, b, c or d"
std::string listed(const std::vector<std::string>& items) {
  std::string s;
  for (size_t i = 0; i < items.size(); ++i) s += (i == 0 ? "" : i + 1 == items.size() ? " or " : ", ") + items[i];
  return s;
}

}  // namespace

VectorFormat parseFormat(const std::string& s) {
  if (s == "auto") return VectorFormat::kAuto;
  std::vector<std::string> names = {"auto"};
  for (const formats::FormatSpec* f : formats::formatTable()) {
    if (s == f->name) return f->id;
    for (const auto& a : f->aliases)
      if (s == a) return f->id;
    names.push_back(f->name);
  }
  throw Error("unknown format " + quote(s) + " (expected " + listed(names) + ")");
}

std::string toString(VectorFormat f) { return f == VectorFormat::kAuto ? "auto" : formats::formatSpec(f).name; }

VectorFormat formatFromPath(const std::string& path) {
  std::vector<std::string> all;
  for (const formats::FormatSpec* f : formats::formatTable())
    for (const auto& ext : f->extensions) {
      if (endsWith(path, ext)) return f->id;
      all.push_back(ext);
    }
  throw Error("cannot tell the vector format from " + quotedName(path) + ": use a " + listed(all) + " extension, or --format");
}

VectorFormat outputFormat(std::string& path, VectorFormat asked) {
  VectorFormat f = asked;
  if (f == VectorFormat::kAuto) {
    struct stat st;
    const bool dir = !path.empty() && (path.back() == '/' || (::stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)));
    f = dir ? VectorFormat::kTsv : formatFromPath(path);
  }
  while (f == VectorFormat::kTsv && path.size() > 1 && path.back() == '/') path.pop_back();
  return f;
}

bool canRead(VectorFormat f) { return f == VectorFormat::kAuto || formats::formatSpec(f).read != nullptr; }

bool keepsCounts(VectorFormat f) { return f != VectorFormat::kAuto && formats::formatSpec(f).keeps_counts; }

bool keepsSubwords(VectorFormat f) { return f != VectorFormat::kAuto && formats::formatSpec(f).keeps_subwords; }

}  // namespace wembed
