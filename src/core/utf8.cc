#include "wembed/core/utf8.h"

namespace wembed {

void appendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    if (cp >= 0xD800 && cp <= 0xDFFF) {
      out += kReplacementChar;
      return;
    }
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp <= 0x10FFFF) {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out += kReplacementChar;
  }
}

bool isValidUtf8(std::string_view s) {
  uint32_t cp;
  for (size_t i = 0; i < s.size();) {
    const int n = decodeUtf8(s, i, cp);
    if (n == 0) return false;
    i += static_cast<size_t>(n);
  }
  return true;
}

std::string validUtf8(std::string_view s) {
  std::string o;
  o.reserve(s.size());
  uint32_t cp;
  for (size_t i = 0; i < s.size();) {
    const int n = decodeUtf8(s, i, cp);
    if (n > 0) {
      o.append(s.data() + i, static_cast<size_t>(n));
      i += static_cast<size_t>(n);
    } else {
      o += kReplacementChar;
      ++i;
    }
  }
  return o;
}

size_t utf8SafeLength(const char* s, size_t len, size_t max) {
  if (len <= max) return len;
  size_t n = max;
  // If s[n] continues a multi-byte character, that character started before n:
  // back off to its lead byte (at most 3 steps; invalid UTF-8 is cut anyway).
  for (int k = 0; k < 3 && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80; ++k) --n;
  return n;
}

}  // namespace wembed
