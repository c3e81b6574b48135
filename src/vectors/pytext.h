#pragma once
// Python's text functions on UTF-8 that gensim's evaluation relies on
// (upperCase and splitWhitespace are public, in evaluate.h).
#include <string>

namespace wembed {

// Python's str.strip() (Unicode whitespace) on UTF-8; bytes that are not
// valid UTF-8 are kept.
std::string pyStrip(const std::string& s);

}  // namespace wembed
