#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "wembed/core/utf8.h"

using namespace wembed;

namespace {

// Length and code point decodeUtf8 gives at the start of s (cp 0xDEAD if untouched).
std::pair<int, uint32_t> dec(const std::string& s) {
  uint32_t cp = 0xDEAD;
  const int n = decodeUtf8(s, 0, cp);
  return {n, cp};
}

std::string enc(uint32_t cp) {
  std::string s;
  appendUtf8(cp, s);
  return s;
}

}  // namespace

TEST_CASE("utf8: decodes every length at its boundaries") {
  CHECK(dec("A") == std::make_pair(1, 0x41u));
  CHECK(dec(std::string(1, '\0')) == std::make_pair(1, 0u));
  CHECK(dec("\x7F") == std::make_pair(1, 0x7Fu));
  CHECK(dec("\xC2\x80") == std::make_pair(2, 0x80u));
  CHECK(dec("\xC3\xA9") == std::make_pair(2, 0xE9u));  // é
  CHECK(dec("\xDF\xBF") == std::make_pair(2, 0x7FFu));
  CHECK(dec("\xE0\xA0\x80") == std::make_pair(3, 0x800u));
  CHECK(dec("\xE2\x82\xAC") == std::make_pair(3, 0x20ACu));  // €
  CHECK(dec("\xED\x9F\xBF") == std::make_pair(3, 0xD7FFu));  // last before the surrogates
  CHECK(dec("\xEE\x80\x80") == std::make_pair(3, 0xE000u));  // first after them
  CHECK(dec("\xEF\xBF\xBF") == std::make_pair(3, 0xFFFFu));
  CHECK(dec("\xF0\x90\x80\x80") == std::make_pair(4, 0x10000u));
  CHECK(dec("\xF0\x9F\x98\x80") == std::make_pair(4, 0x1F600u));  // 😀
  CHECK(dec("\xF4\x8F\xBF\xBF") == std::make_pair(4, 0x10FFFFu));
  // Only the first character is decoded.
  CHECK(dec("\xC3\xA9xyz") == std::make_pair(2, 0xE9u));
  uint32_t cp = 0;
  const std::string s = "a\xE2\x82\xAC";
  CHECK(decodeUtf8(s, 1, cp) == 3);
  CHECK(cp == 0x20AC);
}

TEST_CASE("utf8: ill-formed sequences give 0 and leave cp alone") {
  const uint32_t untouched = 0xDEAD;
  for (const std::string bad : {
           std::string("\x80"), std::string("\xBF"),                  // stray continuation bytes
           std::string("\xC0\x80"), std::string("\xC1\xBF"),          // overlong 2-byte (C0, C1 leads)
           std::string("\xE0\x80\x80"), std::string("\xE0\x9F\xBF"),  // overlong 3-byte
           std::string("\xF0\x80\x80\x80"), std::string("\xF0\x8F\xBF\xBF"),  // overlong 4-byte
           std::string("\xED\xA0\x80"), std::string("\xED\xBF\xBF"),  // surrogates D800, DFFF
           std::string("\xF4\x90\x80\x80"),                           // U+110000
           std::string("\xF5\x80\x80\x80"), std::string("\xF7\xBF\xBF\xBF"), std::string("\xF8"),
           std::string("\xFE"), std::string("\xFF"),                  // never lead bytes
           std::string("\xC3"), std::string("\xE2\x82"), std::string("\xF0\x9F\x98"),  // cut short by the end
           std::string("\xC3" "A"), std::string("\xE2\x82" "A"), std::string("\xF0\x9F\x98" "A"),  // by ASCII
           std::string("\xE2\xC3\xA9"),                               // by a new lead byte
       }) {
    INFO(bad.size());
    CHECK(dec(bad) == std::make_pair(0, untouched));
  }
  // The end of the view counts, not the bytes after it.
  const std::string e = "\xC3\xA9";
  uint32_t cp = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(e.data());
  CHECK(decodeUtf8(p, p + 1, cp) == 0);
  CHECK(decodeUtf8(p, p + 2, cp) == 2);
}

TEST_CASE("utf8: appendUtf8 round-trips every scalar value's boundary, U+FFFD for the rest") {
  for (uint32_t cp : {0x0u, 0x41u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu, 0x10000u,
                      0x1F600u, 0x10FFFFu}) {
    INFO(cp);
    const std::string s = enc(cp);
    CHECK(dec(s) == std::make_pair(static_cast<int>(s.size()), cp));
  }
  CHECK(enc(0xE9) == "\xC3\xA9");
  CHECK(enc(0x20AC) == "\xE2\x82\xAC");
  CHECK(enc(0x1F600) == "\xF0\x9F\x98\x80");
  CHECK(enc(0xD800) == std::string(kReplacementChar));
  CHECK(enc(0xDFFF) == std::string(kReplacementChar));
  CHECK(enc(0x110000) == std::string(kReplacementChar));
  std::string s = "x";
  appendUtf8(0x41, s);
  CHECK(s == "xA");
}

TEST_CASE("utf8: isValidUtf8 and validUtf8 (one U+FFFD per ill-formed byte)") {
  const std::string R(kReplacementChar);
  CHECK(isValidUtf8(""));
  CHECK(isValidUtf8("plain ascii"));
  CHECK(isValidUtf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  CHECK_FALSE(isValidUtf8("caf\xC3"));
  CHECK_FALSE(isValidUtf8("\xC0\xAF"));          // overlong '/'
  CHECK_FALSE(isValidUtf8("a\xED\xA0\x80z"));    // surrogate
  CHECK(validUtf8("") == "");
  CHECK(validUtf8("caf\xC3\xA9") == "caf\xC3\xA9");  // valid text unchanged
  CHECK(validUtf8("a\xFF" "b") == "a" + R + "b");
  CHECK(validUtf8("\xC0\xAF") == R + R);             // overlong: each byte replaced
  CHECK(validUtf8("\xED\xA0\x80") == R + R + R);     // surrogate
  CHECK(validUtf8("\xE2\x82") == R + R);             // cut short at the end
  CHECK(validUtf8("\xE2\x82" "A\xC3\xA9") == R + R + "A\xC3\xA9");  // resynchronises at the next character
  CHECK(validUtf8("\xF4\x90\x80\x80") == R + R + R + R);  // past U+10FFFF
  CHECK(isValidUtf8(validUtf8("\x80\xC1\xBF\xF5\xFF\xE0\x80")));
}

TEST_CASE("utf8: utf8SafeLength cuts at a character boundary") {
  const std::string e2 = "é", e3 = "€", e4 = "😀";
  CHECK(utf8SafeLength("abc", 3, 10) == 3);
  CHECK(utf8SafeLength("abc", 3, 3) == 3);
  CHECK(utf8SafeLength("abcdef", 6, 4) == 4);
  CHECK(utf8SafeLength("abc", 3, 0) == 0);
  std::string s = "ab" + e3;  // 5 bytes; cut at 3 falls inside the euro sign
  CHECK(utf8SafeLength(s.data(), s.size(), 2) == 2);  // at the boundary: nothing to back off
  CHECK(utf8SafeLength(s.data(), s.size(), 3) == 2);
  CHECK(utf8SafeLength(s.data(), s.size(), 4) == 2);
  s = "a" + e4 + "b";  // 6 bytes; the emoji occupies 1..4
  CHECK(utf8SafeLength(s.data(), s.size(), 1) == 1);
  CHECK(utf8SafeLength(s.data(), s.size(), 2) == 1);
  CHECK(utf8SafeLength(s.data(), s.size(), 4) == 1);
  CHECK(utf8SafeLength(s.data(), s.size(), 5) == 5);
  s = e2 + e2;
  CHECK(utf8SafeLength(s.data(), s.size(), 2) == 2);
  CHECK(utf8SafeLength(s.data(), s.size(), 3) == 2);
  // Ill-formed text: at most 3 continuation bytes are backed over.
  s = "a\x80\x80\x80\x80\x80";
  CHECK(utf8SafeLength(s.data(), s.size(), 5) == 2);
  s = "\x80\x80";
  CHECK(utf8SafeLength(s.data(), s.size(), 1) == 0);
}
