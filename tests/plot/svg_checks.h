#pragma once
// Checks of the plot library's pictures, shared by tests/plot/: XML
// well-formedness of an SVG, counting substrings, a PNG's size.
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

namespace plottest {

// A small XML well-formedness check, enough for what toSvg writes: one root
// element, balanced tags, quoted attributes, text and attribute values
// without '<' and with '&' only in entities. Returns "" or what is wrong.
inline std::string xmlProblem(const std::string& s) {
  size_t i = 0;
  std::vector<std::string> stack;
  int roots = 0;
  auto entityOk = [&](size_t at) {
    static const char* names[] = {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;"};
    for (const char* n : names)
      if (s.compare(at, std::strlen(n), n) == 0) return true;
    return false;
  };
  auto isName = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == ':' || c == '_'; };
  if (s.compare(0, 5, "<?xml") == 0) {
    i = s.find("?>");
    if (i == std::string::npos) return "unterminated declaration";
    i += 2;
  }
  while (i < s.size()) {
    if (s[i] != '<') {
      if (stack.empty() && !std::isspace(static_cast<unsigned char>(s[i]))) return "text outside the root";
      if (s[i] == '&' && !entityOk(i)) return "bare & at " + std::to_string(i);
      if (s[i] == '>') return "stray > at " + std::to_string(i);
      ++i;
      continue;
    }
    if (s.compare(i, 2, "</") == 0) {
      const size_t e = s.find('>', i);
      if (e == std::string::npos) return "unterminated end tag";
      const std::string name = s.substr(i + 2, e - i - 2);
      if (stack.empty() || stack.back() != name) return "mismatched </" + name + ">";
      stack.pop_back();
      i = e + 1;
      continue;
    }
    size_t j = i + 1;
    while (j < s.size() && isName(s[j])) ++j;
    const std::string name = s.substr(i + 1, j - i - 1);
    if (name.empty()) return "empty tag name at " + std::to_string(i);
    if (stack.empty() && ++roots > 1) return "more than one root";
    for (;;) {
      while (j < s.size() && std::isspace(static_cast<unsigned char>(s[j]))) ++j;
      if (j >= s.size()) return "unterminated tag <" + name;
      if (s.compare(j, 2, "/>") == 0) {
        j += 2;
        break;
      }
      if (s[j] == '>') {
        stack.push_back(name);
        ++j;
        break;
      }
      const size_t a = j;
      while (j < s.size() && isName(s[j])) ++j;
      if (j == a) return "bad attribute in <" + name;
      if (j >= s.size() || s[j] != '=' || j + 1 >= s.size() || s[j + 1] != '"') return "unquoted attribute in <" + name;
      const size_t end = s.find('"', j + 2);
      if (end == std::string::npos) return "unterminated attribute";
      for (size_t k = j + 2; k < end; ++k) {
        if (s[k] == '<') return "< in an attribute";
        if (s[k] == '&' && !entityOk(k)) return "bare & in an attribute";
      }
      j = end + 1;
    }
    i = j;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  if (roots != 1) return "no root element";
  return "";
}

inline size_t count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

// Width and height from a PNG's IHDR chunk.
inline std::pair<uint32_t, uint32_t> pngSize(const std::string& png) {
  auto be32 = [&](size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint32_t(uint8_t(png[at + 3]));
  };
  return {be32(16), be32(20)};
}

}  // namespace plottest
