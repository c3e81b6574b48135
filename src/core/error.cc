#include "wembed/core/error.h"

#include <cerrno>
#include <cstring>

#include "wembed/core/io.h"

namespace wembed {

Error fileError(const std::string& what, const std::string& path, const std::string& why) {
  return Error(what + " " + quotedName(path) + ": " + why);
}

Error sysError(const std::string& what, const std::string& path) {
  const int e = errno;
  return fileError(what, path, std::strerror(e));
}

Error sysError(const std::string& what) {
  const int e = errno;
  return Error(what + ": " + std::strerror(e));
}

}  // namespace wembed
