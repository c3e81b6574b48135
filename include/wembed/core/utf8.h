#pragma once
// UTF-8: one decoder (strict, as Unicode's Table 3-7 and Python's decoder
// define well-formed UTF-8), encoding, validation/repair and truncation at a
// character boundary. Callers choose what an ill-formed byte means for them
// (kept as a byte, U+FFFD, a word separator); the decoder only says where.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace wembed {

// The Unicode replacement character U+FFFD, in UTF-8.
inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";

// Decodes the code point starting at p (p < end) into cp and returns its
// length in bytes (1 to 4), or 0 if p does not start a well-formed sequence:
// a stray continuation byte, a lead byte C0, C1 or F5..FF, a sequence cut
// short by end or by a byte that does not continue it, an overlong form, a
// surrogate (U+D800..U+DFFF) or a code point past U+10FFFF. On 0, cp is left
// unchanged and the caller decides what the byte at p stands for (it moves
// past that one byte).
inline int decodeUtf8(const unsigned char* p, const unsigned char* end, uint32_t& cp) {
  const unsigned c = p[0];
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  auto cont = [&](int i) { return p + i < end && (p[i] & 0xC0) == 0x80; };
  if (c >= 0xC2 && c <= 0xDF) {
    if (!cont(1)) return 0;
    cp = ((c & 0x1F) << 6) | (p[1] & 0x3F);
    return 2;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (!cont(1) || !cont(2)) return 0;
    if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F)) return 0;  // overlong, surrogate
    cp = ((c & 0x0F) << 12) | ((p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return 3;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0;
    if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F)) return 0;  // overlong, > U+10FFFF
    cp = ((c & 0x07) << 18) | ((p[1] & 0x3F) << 12) | ((p[2] & 0x3F) << 6) | (p[3] & 0x3F);
    return 4;
  }
  return 0;
}

// The same on s at byte offset pos (pos < s.size()).
inline int decodeUtf8(std::string_view s, size_t pos, uint32_t& cp) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  return decodeUtf8(p + pos, p + s.size(), cp);
}

// Appends the UTF-8 form of cp (a Unicode scalar value: <= U+10FFFF, not a
// surrogate; anything else appends U+FFFD).
void appendUtf8(uint32_t cp, std::string& out);

// True if all of s is well-formed UTF-8.
bool isValidUtf8(std::string_view s);

// s with every byte that is not part of a well-formed sequence replaced by
// U+FFFD (one per byte); valid text comes back unchanged.
std::string validUtf8(std::string_view s);

// The longest prefix length <= max of s[0, len) that does not end inside a
// multi-byte character: if s[max] continues a character, backs off to its lead
// byte (at most 3 bytes; ill-formed text is cut anyway). len if len <= max.
size_t utf8SafeLength(const char* s, size_t len, size_t max);

}  // namespace wembed
