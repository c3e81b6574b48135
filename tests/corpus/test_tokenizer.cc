#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/corpus/tokenizer.h"

using namespace wembed;
using testutil::kEos;
using testutil::TempDir;
using V = std::vector<std::string>;

namespace {

V tokenizeString(const TempDir& d, const std::string& content, size_t buffer_bytes = 1 << 20) {
  const std::string p = d.file("input.txt");
  testutil::writeFile(p, content);
  Tokenizer t({p}, buffer_bytes);
  return testutil::events(t);
}

// Tokens of the byte range [b, e) of a file.
V rangeWords(const std::string& path, uint64_t b, uint64_t e, size_t buffer_bytes) {
  Tokenizer t(path, b, e, buffer_bytes);
  return testutil::words(t);
}

void append(V& a, const V& b) { a.insert(a.end(), b.begin(), b.end()); }

bool isValidUtf8(const std::string& s) {
  size_t i = 0;
  while (i < s.size()) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (int k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    i += n;
  }
  return true;
}

// A random corpus mixing ASCII and multi-byte words with every kind of separator.
std::string randomCorpus(std::mt19937& rng, size_t approx_bytes) {
  static const char* kPieces[] = {"a", "b", "xy", "é", "€", "日本", "😀", "q", "z9", "-"};
  static const char* kSeps[] = {" ", "  ", "\t", "\n", "\r\n", "\n\n", " \t \n", "\v", "\f"};
  std::string s;
  while (s.size() < approx_bytes) {
    const int kind = static_cast<int>(rng() % 50);
    if (kind == 0) {
      // An over-long token (truncated by the tokenizer), with multi-byte characters.
      for (int i = 0; i < 40; ++i) s += (i % 3 == 0) ? "€" : "ab";
    } else {
      const int len = 1 + static_cast<int>(rng() % 5);
      for (int i = 0; i < len; ++i) s += kPieces[rng() % 10];
    }
    s += kSeps[rng() % 9];
  }
  return s;
}

}  // namespace

TEST_CASE("tokenizer: words, sentence ends and no trailing newline") {
  TempDir d;
  CHECK(tokenizeString(d, "a b\nc") == V{"a", "b", kEos, "c", kEos});
  CHECK(tokenizeString(d, "hello world\n") == V{"hello", "world", kEos});
  CHECK(tokenizeString(d, "single") == V{"single", kEos});
  CHECK(tokenizeString(d, "").empty());
  CHECK(tokenizeString(d, " \n\t\r\n  \n").empty());
}

TEST_CASE("tokenizer: CRLF line ends") {
  TempDir d;
  const V ev = tokenizeString(d, "a b\r\nc d\r\n\r\ne\r\n");
  CHECK(ev == V{"a", "b", kEos, "c", "d", kEos, "e", kEos});
  for (const auto& w : ev) CHECK(w.find('\r') == std::string::npos);
}

TEST_CASE("tokenizer: tabs, runs of spaces and other ASCII whitespace") {
  TempDir d;
  CHECK(tokenizeString(d, "  a\t\tb   c \t\n") == V{"a", "b", "c", kEos});
  CHECK(tokenizeString(d, "x\vy\fz\n") == V{"x", "y", "z", kEos});
  CHECK(tokenizeString(d, "\t\t lead  trail\t \t") == V{"lead", "trail", kEos});
}

TEST_CASE("tokenizer: empty lines emit no empty sentences") {
  TempDir d;
  CHECK(tokenizeString(d, "\n\n a\n\n\n b \n \n\t\n\n") == V{"a", kEos, "b", kEos});
  CHECK(tokenizeString(d, "a\n\n\n\n") == V{"a", kEos});
}

TEST_CASE("tokenizer: UTF-8 words are kept intact") {
  TempDir d;
  // U+00A0 (no-break space, C2 A0) is not ASCII whitespace: it stays inside the token.
  const V ev = tokenizeString(d, "naïve café 日本語 emoji😀 a\xC2\xA0" "b Ωμέγα\n");
  CHECK(ev == V{"naïve", "café", "日本語", "emoji😀", "a\xC2\xA0" "b", "Ωμέγα", kEos});
}

TEST_CASE("tokenizer: over-long tokens are truncated at a UTF-8 boundary and counted") {
  TempDir d;
  const std::string p = d.file("long.txt");
  const std::string e2 = "é", e3 = "€", e4 = "😀";
  struct Case {
    std::string token;
    std::string expected;
    bool truncated;
  };
  const std::vector<Case> cases = {
      {std::string(100, 'a'), std::string(100, 'a'), false},               // exactly the limit
      {std::string(101, 'a'), std::string(100, 'a'), true},                // one byte over
      {std::string(150, 'b'), std::string(100, 'b'), true},
      {std::string(99, 'a') + e2 + "zz", std::string(99, 'a'), true},      // é at bytes 99-100
      {std::string(98, 'a') + e3 + "zz", std::string(98, 'a'), true},      // € at bytes 98-100
      {std::string(99, 'a') + e3 + "zz", std::string(99, 'a'), true},      // € at bytes 99-101
      {std::string(97, 'a') + e4 + "zz", std::string(97, 'a'), true},      // 😀 at bytes 97-100
      {std::string(98, 'a') + e4 + "zz", std::string(98, 'a'), true},      // 😀 at bytes 98-101
      {std::string(99, 'a') + e4 + "zz", std::string(99, 'a'), true},      // 😀 at bytes 99-102
      {std::string(96, 'a') + e4 + "zz", std::string(96, 'a') + e4, true},  // 😀 ends at byte 99
      {std::string(100, 'a') + e2, std::string(100, 'a'), true},           // cut right before é
  };
  std::string content;
  V expected;
  uint64_t expected_truncations = 0;
  for (const auto& c : cases) {
    content += c.token + " ok\n";
    expected.push_back(c.expected);
    expected.push_back("ok");
    expected.push_back(kEos);
    expected_truncations += c.truncated;
  }
  // All multi-byte: 51 x é (102 bytes) -> 50 x é; 34 x € (102 bytes) -> 33 x € (99 bytes).
  std::string ee, euros, eee;
  for (int i = 0; i < 51; ++i) ee += e2;
  for (int i = 0; i < 34; ++i) euros += e3;
  content += ee + " " + euros + "\n";
  expected.push_back(ee.substr(0, 100));
  expected.push_back(euros.substr(0, 99));
  expected.push_back(kEos);
  expected_truncations += 2;
  // A huge token read through a tiny buffer: still cut to 100 bytes, the next token intact.
  std::string huge;
  for (int i = 0; i < 2000; ++i) huge += (i % 2) ? e3 : std::string("x");
  content += huge + " after\n";
  expected.push_back(huge.substr(0, utf8SafeLength(huge.data(), huge.size(), 100)));
  expected.push_back("after");
  expected.push_back(kEos);
  ++expected_truncations;
  testutil::writeFile(p, content);

  for (size_t buf : {size_t(1) << 20, size_t(7), size_t(1), size_t(64)}) {
    CAPTURE(buf);
    Tokenizer t({p}, buf);
    const V ev = testutil::events(t);
    REQUIRE(ev.size() == expected.size());
    for (size_t i = 0; i < ev.size(); ++i) {
      CAPTURE(i);
      CHECK(ev[i] == expected[i]);
      CHECK(ev[i].size() <= static_cast<size_t>(kMaxTokenBytes));
      CHECK(isValidUtf8(ev[i]));
    }
    CHECK(t.tokensTruncated() == expected_truncations);
  }
}

TEST_CASE("tokenizer: several input files, each end ends a sentence") {
  TempDir d;
  testutil::writeFile(d.file("f1"), "a b");       // no trailing newline: "b" must not merge with "c"
  testutil::writeFile(d.file("f2"), "c\nd\n\n");
  testutil::writeFile(d.file("f3"), "");           // empty file
  testutil::writeFile(d.file("f4"), "  \n\t");    // whitespace only
  testutil::writeFile(d.file("f5"), "e");
  Tokenizer t({d.file("f1"), d.file("f2"), d.file("f3"), d.file("f4"), d.file("f5")});
  CHECK(testutil::events(t) == V{"a", "b", kEos, "c", kEos, "d", kEos, "e", kEos});
  // Calling next() after the end keeps returning kEnd.
  CHECK(t.next() == Tokenizer::kEnd);
  CHECK(t.next() == Tokenizer::kEnd);
}

TEST_CASE("tokenizer: missing input throws wembed::Error") {
  TempDir d;
  testutil::writeFile(d.file("ok"), "a b\n");
  Tokenizer t({d.file("ok"), d.file("missing")});
  CHECK_THROWS_AS(testutil::events(t), Error);
  Tokenizer t2({d.path()});  // a directory
  CHECK_THROWS_AS(testutil::events(t2), Error);
}

TEST_CASE("tokenizer: gzip input") {
  TempDir d;
  std::mt19937 rng(11);
  const std::string content = randomCorpus(rng, 300000);
  testutil::writeFile(d.file("plain.txt"), content);
  testutil::writeGzip(d.file("corpus.txt.gz"), content);
  for (size_t buf : {size_t(1) << 20, size_t(13)}) {
    CAPTURE(buf);
    Tokenizer plain({d.file("plain.txt")}, buf);
    Tokenizer gz({d.file("corpus.txt.gz")}, buf);
    const V a = testutil::events(plain), b = testutil::events(gz);
    CHECK(a.size() > 10000);
    CHECK(a == b);
  }
  // Known answer, mixed with a plain file.
  testutil::writeGzip(d.file("small.gz"), "x y\n\nz");
  testutil::writeFile(d.file("small.txt"), "w\n");
  Tokenizer t({d.file("small.gz"), d.file("small.txt"), d.file("small.gz")});
  CHECK(testutil::events(t) == V{"x", "y", kEos, "z", kEos, "w", kEos, "x", "y", kEos, "z", kEos});
  // Concatenated gzip members read as one stream.
  {
    const std::string a = testutil::readFile(d.file("small.gz"));
    testutil::writeFile(d.file("multi.gz"), a + a);
    Tokenizer m({d.file("multi.gz")});
    CHECK(testutil::events(m) == V{"x", "y", kEos, "zx", "y", kEos, "z", kEos});
  }
  // A corrupt gzip file is an Error, not garbage or a crash.
  std::string gz = testutil::readFile(d.file("corpus.txt.gz"));
  gz.resize(gz.size() / 2);
  for (size_t i = 100; i < gz.size(); i += 97) gz[i] = static_cast<char>(gz[i] ^ 0x5A);
  testutil::writeFile(d.file("bad.gz"), gz);
  Tokenizer bad({d.file("bad.gz")});
  CHECK_THROWS_AS(testutil::events(bad), Error);
}

TEST_CASE("tokenizer: teeTo copies the raw bytes of every input") {
  TempDir d;
  testutil::writeFile(d.file("a"), "one two");
  testutil::writeGzip(d.file("b.gz"), "three\n");
  wembed::TempFile spool(d.path(), "spool");
  Tokenizer t({d.file("a"), d.file("b.gz")}, 3);
  t.teeTo(&spool);
  CHECK(testutil::events(t) == V{"one", "two", kEos, "three", kEos});
  spool.close();
  // A newline before every input, so inputs never run together.
  CHECK(testutil::readFile(spool.path()) == "\none two\nthree\n");
}

TEST_CASE("tokenizer: a long line with no newline across many buffer refills") {
  TempDir d;
  std::mt19937 rng(3);
  // ~1.3 MB on one line, no newline at all: crosses the default 1 MB buffer.
  std::string big;
  V expected;
  while (big.size() < 1300000) {
    std::string w = "w" + std::to_string(rng() % 100000);
    if (rng() % 7 == 0) w += "日本";
    big += w;
    big += (rng() % 5 == 0) ? "\t " : " ";
    expected.push_back(w);
  }
  big.pop_back();  // ends on a token, no trailing whitespace
  if (big.back() == '\t') big.pop_back();
  testutil::writeFile(d.file("big.txt"), big);
  {
    Tokenizer t({d.file("big.txt")});
    V ev = testutil::events(t);
    REQUIRE(ev.size() == expected.size() + 1);
    CHECK(ev.back() == kEos);
    ev.pop_back();
    CHECK(ev == expected);
  }
  // Smaller line, pathological buffer sizes (every token straddles refills).
  std::string small = big.substr(0, 60000);
  while (!small.empty() && !isSpace(static_cast<unsigned char>(small.back()))) small.pop_back();
  small += "last";
  testutil::writeFile(d.file("small.txt"), small);
  V ref = testutil::splitWords(small);
  ref.push_back(kEos);
  for (size_t buf : {size_t(1), size_t(2), size_t(5), size_t(64), size_t(4096)}) {
    CAPTURE(buf);
    Tokenizer t({d.file("small.txt")}, buf);
    CHECK(testutil::events(t) == ref);
  }
}

TEST_CASE("tokenizer: byte ranges split the tokens exactly (explicit cases)") {
  TempDir d;
  const std::string p = d.file("r.txt");
  //                 0123456789012345678
  const std::string s = "alpha beta\ngamma  d";
  testutil::writeFile(p, s);
  const uint64_t n = s.size();
  // Split in the middle of "beta" (offset 8): "beta" belongs to the first range.
  CHECK(rangeWords(p, 0, 8, 1 << 20) == V{"alpha", "beta"});
  CHECK(rangeWords(p, 8, n, 1 << 20) == V{"gamma", "d"});
  // Split exactly at the whitespace after "alpha" (offset 5) and at the start of "beta" (6).
  CHECK(rangeWords(p, 0, 5, 1 << 20) == V{"alpha"});
  CHECK(rangeWords(p, 5, n, 1 << 20) == V{"beta", "gamma", "d"});
  CHECK(rangeWords(p, 0, 6, 1 << 20) == V{"alpha"});
  CHECK(rangeWords(p, 6, n, 1 << 20) == V{"beta", "gamma", "d"});
  CHECK(rangeWords(p, 0, 7, 1 << 20) == V{"alpha", "beta"});
  // Empty ranges and a range inside one token hold nothing.
  CHECK(rangeWords(p, 3, 3, 1 << 20).empty());
  CHECK(rangeWords(p, 1, 4, 1 << 20).empty());
  CHECK(rangeWords(p, 0, 1, 1 << 20) == V{"alpha"});
  // The last byte alone.
  CHECK(rangeWords(p, n - 1, n, 1 << 20) == V{"d"});
  CHECK(rangeWords(p, 0, n, 1 << 20) == V{"alpha", "beta", "gamma", "d"});
}

TEST_CASE("tokenizer: byte ranges - every split of a small file (exhaustive)") {
  TempDir d;
  std::mt19937 rng(5);
  const std::string p = d.file("r.txt");
  // Random text around an over-long token (truncated; split points inside it too).
  std::string longtok;
  for (int i = 0; i < 40; ++i) longtok += (i % 4 == 0) ? "€" : "ab";
  const std::string s = randomCorpus(rng, 50) + longtok + "\n" + randomCorpus(rng, 20) + "z";
  testutil::writeFile(p, s);
  const uint64_t n = s.size();
  const V whole = testutil::splitWords(s);
  {
    Tokenizer t({p});
    V w = testutil::words(t);
    // The reference split ignores truncation; compare truncated forms.
    REQUIRE(w.size() == whole.size());
    for (size_t i = 0; i < w.size(); ++i) CHECK(w[i] == whole[i].substr(0, utf8SafeLength(whole[i].data(), whole[i].size(), kMaxTokenBytes)));
    CHECK(rangeWords(p, 0, n, 16) == w);
  }
  Tokenizer t0({p});
  const V all = testutil::words(t0);
  int failures = 0;
  for (uint64_t a = 0; a <= n; ++a) {
    for (uint64_t b = a; b <= n; ++b) {
      V got = rangeWords(p, 0, a, 16);
      append(got, rangeWords(p, a, b, 5));
      append(got, rangeWords(p, b, n, 16));
      if (got != all && ++failures <= 5) {
        CAPTURE(a);
        CAPTURE(b);
        CHECK(got == all);
      }
    }
  }
  CHECK(failures == 0);
}

TEST_CASE("tokenizer: byte ranges - random split points over a larger file") {
  TempDir d;
  std::mt19937 rng(7);
  const std::string p = d.file("r.txt");
  const std::string s = randomCorpus(rng, 20000);
  testutil::writeFile(p, s);
  const uint64_t n = s.size();
  Tokenizer t0({p});
  const V all = testutil::words(t0);
  REQUIRE(all.size() > 1500);
  const size_t bufs[] = {1, 3, 64, 4096, 1 << 20};
  int mid_token = 0, at_space = 0;
  for (int trial = 0; trial < 100; ++trial) {
    uint64_t a = rng() % (n + 1), b = rng() % (n + 1);
    if (a > b) std::swap(a, b);
    if (trial == 0) a = 0;
    if (trial == 1) b = n;
    for (uint64_t x : {a, b})
      if (x > 0 && x < n) {
        const bool prev = isSpace(static_cast<unsigned char>(s[x - 1])), cur = isSpace(static_cast<unsigned char>(s[x]));
        mid_token += !prev && !cur;
        at_space += cur;
      }
    const size_t buf = bufs[trial % 5];
    V got = rangeWords(p, 0, a, buf);
    append(got, rangeWords(p, a, b, buf));
    append(got, rangeWords(p, b, n, buf));
    CAPTURE(a);
    CAPTURE(b);
    CAPTURE(buf);
    REQUIRE(got == all);
  }
  // The random splits did exercise both interesting cases.
  CHECK(mid_token > 10);
  CHECK(at_space > 10);
  // Many ranges at once (as with many threads).
  for (int parts : {2, 3, 7, 64}) {
    V got;
    for (int i = 0; i < parts; ++i) append(got, rangeWords(p, n * i / parts, n * (i + 1) / parts, 256));
    CAPTURE(parts);
    CHECK(got == all);
  }
}

TEST_CASE("tokenizer: stdin through the CLI ('-')") {
  TempDir d;
  const std::string out = d.file("vocab.txt");
  const std::string cmd = "printf 'b a\\r\\nb\\tc  b\\n\\n a' | '" + std::string(WEMBED_BIN) +
                          "' vocab - --min-count 1 -o '" + out + "'";
  auto r = testutil::run(cmd, d.path());
  CHECK(r.status == 0);
  REQUIRE(std::filesystem::exists(out));
  CHECK(testutil::readFile(out) == "b 3\na 2\nc 1\n");
  // The same with stdin among other files.
  testutil::writeFile(d.file("f.txt"), "c c c c");
  auto r2 = testutil::run("printf 'a' | '" + std::string(WEMBED_BIN) + "' vocab '" + d.file("f.txt") +
                              "' - '" + d.file("f.txt") + "' --min-count 1 -q -o '" + out + "'",
                          d.path());
  CHECK(r2.status == 0);
  CHECK(testutil::readFile(out) == "c 8\na 1\n");
}
