#include "wembed/core/error.h"

#include <cerrno>
#include <cstring>

#include "wembed/core/io.h"
#include "wembed/core/utf8.h"

namespace wembed {

std::string quote(std::string_view s, size_t max) {
  static const char kHex[] = "0123456789abcdef";
  std::string body;
  size_t pos = 0;
  while (pos < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    uint32_t cp = 0;
    int len = decodeUtf8(s, pos, cp);
    std::string piece;
    if (len > 0 && cp >= 0x20 && cp != 0x7F && !(cp >= 0x80 && cp < 0xA0) && c != '\\') {
      piece.assign(s.data() + pos, static_cast<size_t>(len));
    } else {
      len = len > 0 ? len : 1;
      for (int i = 0; i < len; ++i) {
        const unsigned char b = static_cast<unsigned char>(s[pos + static_cast<size_t>(i)]);
        switch (b) {
          case '\n': piece += "\\n"; break;
          case '\t': piece += "\\t"; break;
          case '\r': piece += "\\r"; break;
          case '\\': piece += "\\\\"; break;
          default: piece += {'\\', 'x', kHex[b >> 4], kHex[b & 15]};
        }
      }
    }
    if (body.size() + piece.size() > max) break;
    body += piece;
    pos += static_cast<size_t>(len);
  }
  if (pos == s.size()) return "'" + body + "'";
  return "'" + body + "...' (" + std::to_string(s.size()) + " bytes)";
}

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
