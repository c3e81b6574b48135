#include "wembed/core/output_check.h"

#include <sys/stat.h>

#include <filesystem>

#include "wembed/core/error.h"
#include "wembed/core/io.h"  // resolveOutputPath

namespace wembed {

namespace {
// Same file: the same inode if both exist, else the same normalised path
// (a dangling symlink counts as the file it would be written to).
bool sameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  if (::stat(a.c_str(), &sa) == 0 && ::stat(b.c_str(), &sb) == 0) return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  std::error_code ea, eb;
  const auto ca = std::filesystem::weakly_canonical(resolveOutputPath(a), ea),
             cb = std::filesystem::weakly_canonical(resolveOutputPath(b), eb);
  return !ea && !eb && ca == cb;
}
}  // namespace

void checkDistinctFiles(const std::vector<std::pair<std::string, std::string>>& outputs,
                        const std::vector<std::string>& inputs) {
  for (size_t i = 0; i < outputs.size(); ++i) {
    if (outputs[i].second.empty()) continue;
    for (size_t j = i + 1; j < outputs.size(); ++j)
      if (!outputs[j].second.empty() && sameFile(outputs[i].second, outputs[j].second))
        throw Error(outputs[i].first + " and " + outputs[j].first + " name the same file " + quote(outputs[i].second));
    for (const auto& in : inputs)
      if (in != "-" && sameFile(outputs[i].second, in))
        throw Error(outputs[i].first + " " + quote(outputs[i].second) + " is also an input; it would be overwritten");
  }
}

void checkTmpDir(const std::string& dir) {
  if (dir.empty()) return;
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw Error("--tmp-dir " + quote(dir) + " is not an existing directory");
}

}  // namespace wembed
