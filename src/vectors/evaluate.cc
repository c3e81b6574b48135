#include "wembed/vectors/evaluate.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/kernels.h"
#include "wembed/core/utf8.h"

namespace wembed {

// --- Unicode: Python's str.upper() and str.split() over UTF-8 ---------------

namespace {

struct UpperRun {
  uint32_t first;
  uint32_t count, stride;
  int32_t delta;
};
struct UpperMulti {
  uint32_t cp;
  uint32_t to[3];
};

// Generated with /usr/bin/python3 3.11.2 (Unicode 14.0.0) from chr(cp).upper() for every code point
// >= 0x80 it changes: single-code-point results as runs {first, count, stride, delta}, then the
// results of two or three code points (ß -> SS, ligatures, ...), zero-padded.
constexpr UpperRun kUpperRuns[] = {
    {0x00B5, 1, 1, 743}, {0x00E0, 23, 1, -32}, {0x00F8, 7, 1, -32}, {0x00FF, 1, 1, 121}, {0x0101, 24, 2, -1},
    {0x0131, 1, 1, -232}, {0x0133, 3, 2, -1}, {0x013A, 8, 2, -1}, {0x014B, 23, 2, -1}, {0x017A, 3, 2, -1},
    {0x017F, 1, 1, -300}, {0x0180, 1, 1, 195}, {0x0183, 2, 2, -1}, {0x0188, 1, 1, -1}, {0x018C, 1, 1, -1},
    {0x0192, 1, 1, -1}, {0x0195, 1, 1, 97}, {0x0199, 1, 1, -1}, {0x019A, 1, 1, 163}, {0x019E, 1, 1, 130},
    {0x01A1, 3, 2, -1}, {0x01A8, 1, 1, -1}, {0x01AD, 1, 1, -1}, {0x01B0, 1, 1, -1}, {0x01B4, 2, 2, -1},
    {0x01B9, 1, 1, -1}, {0x01BD, 1, 1, -1}, {0x01BF, 1, 1, 56}, {0x01C5, 1, 1, -1}, {0x01C6, 1, 1, -2},
    {0x01C8, 1, 1, -1}, {0x01C9, 1, 1, -2}, {0x01CB, 1, 1, -1}, {0x01CC, 1, 1, -2}, {0x01CE, 8, 2, -1},
    {0x01DD, 1, 1, -79}, {0x01DF, 9, 2, -1}, {0x01F2, 1, 1, -1}, {0x01F3, 1, 1, -2}, {0x01F5, 1, 1, -1},
    {0x01F9, 20, 2, -1}, {0x0223, 9, 2, -1}, {0x023C, 1, 1, -1}, {0x023F, 2, 1, 10815}, {0x0242, 1, 1, -1},
    {0x0247, 5, 2, -1}, {0x0250, 1, 1, 10783}, {0x0251, 1, 1, 10780}, {0x0252, 1, 1, 10782},
    {0x0253, 1, 1, -210}, {0x0254, 1, 1, -206}, {0x0256, 2, 1, -205}, {0x0259, 1, 1, -202},
    {0x025B, 1, 1, -203}, {0x025C, 1, 1, 42319}, {0x0260, 1, 1, -205}, {0x0261, 1, 1, 42315},
    {0x0263, 1, 1, -207}, {0x0265, 1, 1, 42280}, {0x0266, 1, 1, 42308}, {0x0268, 1, 1, -209},
    {0x0269, 1, 1, -211}, {0x026A, 1, 1, 42308}, {0x026B, 1, 1, 10743}, {0x026C, 1, 1, 42305},
    {0x026F, 1, 1, -211}, {0x0271, 1, 1, 10749}, {0x0272, 1, 1, -213}, {0x0275, 1, 1, -214},
    {0x027D, 1, 1, 10727}, {0x0280, 1, 1, -218}, {0x0282, 1, 1, 42307}, {0x0283, 1, 1, -218},
    {0x0287, 1, 1, 42282}, {0x0288, 1, 1, -218}, {0x0289, 1, 1, -69}, {0x028A, 2, 1, -217},
    {0x028C, 1, 1, -71}, {0x0292, 1, 1, -219}, {0x029D, 1, 1, 42261}, {0x029E, 1, 1, 42258},
    {0x0345, 1, 1, 84}, {0x0371, 2, 2, -1}, {0x0377, 1, 1, -1}, {0x037B, 3, 1, 130}, {0x03AC, 1, 1, -38},
    {0x03AD, 3, 1, -37}, {0x03B1, 17, 1, -32}, {0x03C2, 1, 1, -31}, {0x03C3, 9, 1, -32}, {0x03CC, 1, 1, -64},
    {0x03CD, 2, 1, -63}, {0x03D0, 1, 1, -62}, {0x03D1, 1, 1, -57}, {0x03D5, 1, 1, -47}, {0x03D6, 1, 1, -54},
    {0x03D7, 1, 1, -8}, {0x03D9, 12, 2, -1}, {0x03F0, 1, 1, -86}, {0x03F1, 1, 1, -80}, {0x03F2, 1, 1, 7},
    {0x03F3, 1, 1, -116}, {0x03F5, 1, 1, -96}, {0x03F8, 1, 1, -1}, {0x03FB, 1, 1, -1}, {0x0430, 32, 1, -32},
    {0x0450, 16, 1, -80}, {0x0461, 17, 2, -1}, {0x048B, 27, 2, -1}, {0x04C2, 7, 2, -1}, {0x04CF, 1, 1, -15},
    {0x04D1, 48, 2, -1}, {0x0561, 38, 1, -48}, {0x10D0, 43, 1, 3008}, {0x10FD, 3, 1, 3008},
    {0x13F8, 6, 1, -8}, {0x1C80, 1, 1, -6254}, {0x1C81, 1, 1, -6253}, {0x1C82, 1, 1, -6244},
    {0x1C83, 2, 1, -6242}, {0x1C85, 1, 1, -6243}, {0x1C86, 1, 1, -6236}, {0x1C87, 1, 1, -6181},
    {0x1C88, 1, 1, 35266}, {0x1D79, 1, 1, 35332}, {0x1D7D, 1, 1, 3814}, {0x1D8E, 1, 1, 35384},
    {0x1E01, 75, 2, -1}, {0x1E9B, 1, 1, -59}, {0x1EA1, 48, 2, -1}, {0x1F00, 8, 1, 8}, {0x1F10, 6, 1, 8},
    {0x1F20, 8, 1, 8}, {0x1F30, 8, 1, 8}, {0x1F40, 6, 1, 8}, {0x1F51, 4, 2, 8}, {0x1F60, 8, 1, 8},
    {0x1F70, 2, 1, 74}, {0x1F72, 4, 1, 86}, {0x1F76, 2, 1, 100}, {0x1F78, 2, 1, 128}, {0x1F7A, 2, 1, 112},
    {0x1F7C, 2, 1, 126}, {0x1FB0, 2, 1, 8}, {0x1FBE, 1, 1, -7205}, {0x1FD0, 2, 1, 8}, {0x1FE0, 2, 1, 8},
    {0x1FE5, 1, 1, 7}, {0x214E, 1, 1, -28}, {0x2170, 16, 1, -16}, {0x2184, 1, 1, -1}, {0x24D0, 26, 1, -26},
    {0x2C30, 48, 1, -48}, {0x2C61, 1, 1, -1}, {0x2C65, 1, 1, -10795}, {0x2C66, 1, 1, -10792},
    {0x2C68, 3, 2, -1}, {0x2C73, 1, 1, -1}, {0x2C76, 1, 1, -1}, {0x2C81, 50, 2, -1}, {0x2CEC, 2, 2, -1},
    {0x2CF3, 1, 1, -1}, {0x2D00, 38, 1, -7264}, {0x2D27, 1, 1, -7264}, {0x2D2D, 1, 1, -7264},
    {0xA641, 23, 2, -1}, {0xA681, 14, 2, -1}, {0xA723, 7, 2, -1}, {0xA733, 31, 2, -1}, {0xA77A, 2, 2, -1},
    {0xA77F, 5, 2, -1}, {0xA78C, 1, 1, -1}, {0xA791, 2, 2, -1}, {0xA794, 1, 1, 48}, {0xA797, 10, 2, -1},
    {0xA7B5, 8, 2, -1}, {0xA7C8, 2, 2, -1}, {0xA7D1, 1, 1, -1}, {0xA7D7, 2, 2, -1}, {0xA7F6, 1, 1, -1},
    {0xAB53, 1, 1, -928}, {0xAB70, 80, 1, -38864}, {0xFF41, 26, 1, -32}, {0x10428, 40, 1, -40},
    {0x104D8, 36, 1, -40}, {0x10597, 11, 1, -39}, {0x105A3, 15, 1, -39}, {0x105B3, 7, 1, -39},
    {0x105BB, 2, 1, -39}, {0x10CC0, 51, 1, -64}, {0x118C0, 32, 1, -32}, {0x16E60, 32, 1, -32},
    {0x1E922, 34, 1, -34},
};
constexpr UpperMulti kUpperMulti[] = {
    {0x00DF, {0x0053, 0x0053, 0x0000}}, {0x0149, {0x02BC, 0x004E, 0x0000}},
    {0x01F0, {0x004A, 0x030C, 0x0000}}, {0x0390, {0x0399, 0x0308, 0x0301}},
    {0x03B0, {0x03A5, 0x0308, 0x0301}}, {0x0587, {0x0535, 0x0552, 0x0000}},
    {0x1E96, {0x0048, 0x0331, 0x0000}}, {0x1E97, {0x0054, 0x0308, 0x0000}},
    {0x1E98, {0x0057, 0x030A, 0x0000}}, {0x1E99, {0x0059, 0x030A, 0x0000}},
    {0x1E9A, {0x0041, 0x02BE, 0x0000}}, {0x1F50, {0x03A5, 0x0313, 0x0000}},
    {0x1F52, {0x03A5, 0x0313, 0x0300}}, {0x1F54, {0x03A5, 0x0313, 0x0301}},
    {0x1F56, {0x03A5, 0x0313, 0x0342}}, {0x1F80, {0x1F08, 0x0399, 0x0000}},
    {0x1F81, {0x1F09, 0x0399, 0x0000}}, {0x1F82, {0x1F0A, 0x0399, 0x0000}},
    {0x1F83, {0x1F0B, 0x0399, 0x0000}}, {0x1F84, {0x1F0C, 0x0399, 0x0000}},
    {0x1F85, {0x1F0D, 0x0399, 0x0000}}, {0x1F86, {0x1F0E, 0x0399, 0x0000}},
    {0x1F87, {0x1F0F, 0x0399, 0x0000}}, {0x1F88, {0x1F08, 0x0399, 0x0000}},
    {0x1F89, {0x1F09, 0x0399, 0x0000}}, {0x1F8A, {0x1F0A, 0x0399, 0x0000}},
    {0x1F8B, {0x1F0B, 0x0399, 0x0000}}, {0x1F8C, {0x1F0C, 0x0399, 0x0000}},
    {0x1F8D, {0x1F0D, 0x0399, 0x0000}}, {0x1F8E, {0x1F0E, 0x0399, 0x0000}},
    {0x1F8F, {0x1F0F, 0x0399, 0x0000}}, {0x1F90, {0x1F28, 0x0399, 0x0000}},
    {0x1F91, {0x1F29, 0x0399, 0x0000}}, {0x1F92, {0x1F2A, 0x0399, 0x0000}},
    {0x1F93, {0x1F2B, 0x0399, 0x0000}}, {0x1F94, {0x1F2C, 0x0399, 0x0000}},
    {0x1F95, {0x1F2D, 0x0399, 0x0000}}, {0x1F96, {0x1F2E, 0x0399, 0x0000}},
    {0x1F97, {0x1F2F, 0x0399, 0x0000}}, {0x1F98, {0x1F28, 0x0399, 0x0000}},
    {0x1F99, {0x1F29, 0x0399, 0x0000}}, {0x1F9A, {0x1F2A, 0x0399, 0x0000}},
    {0x1F9B, {0x1F2B, 0x0399, 0x0000}}, {0x1F9C, {0x1F2C, 0x0399, 0x0000}},
    {0x1F9D, {0x1F2D, 0x0399, 0x0000}}, {0x1F9E, {0x1F2E, 0x0399, 0x0000}},
    {0x1F9F, {0x1F2F, 0x0399, 0x0000}}, {0x1FA0, {0x1F68, 0x0399, 0x0000}},
    {0x1FA1, {0x1F69, 0x0399, 0x0000}}, {0x1FA2, {0x1F6A, 0x0399, 0x0000}},
    {0x1FA3, {0x1F6B, 0x0399, 0x0000}}, {0x1FA4, {0x1F6C, 0x0399, 0x0000}},
    {0x1FA5, {0x1F6D, 0x0399, 0x0000}}, {0x1FA6, {0x1F6E, 0x0399, 0x0000}},
    {0x1FA7, {0x1F6F, 0x0399, 0x0000}}, {0x1FA8, {0x1F68, 0x0399, 0x0000}},
    {0x1FA9, {0x1F69, 0x0399, 0x0000}}, {0x1FAA, {0x1F6A, 0x0399, 0x0000}},
    {0x1FAB, {0x1F6B, 0x0399, 0x0000}}, {0x1FAC, {0x1F6C, 0x0399, 0x0000}},
    {0x1FAD, {0x1F6D, 0x0399, 0x0000}}, {0x1FAE, {0x1F6E, 0x0399, 0x0000}},
    {0x1FAF, {0x1F6F, 0x0399, 0x0000}}, {0x1FB2, {0x1FBA, 0x0399, 0x0000}},
    {0x1FB3, {0x0391, 0x0399, 0x0000}}, {0x1FB4, {0x0386, 0x0399, 0x0000}},
    {0x1FB6, {0x0391, 0x0342, 0x0000}}, {0x1FB7, {0x0391, 0x0342, 0x0399}},
    {0x1FBC, {0x0391, 0x0399, 0x0000}}, {0x1FC2, {0x1FCA, 0x0399, 0x0000}},
    {0x1FC3, {0x0397, 0x0399, 0x0000}}, {0x1FC4, {0x0389, 0x0399, 0x0000}},
    {0x1FC6, {0x0397, 0x0342, 0x0000}}, {0x1FC7, {0x0397, 0x0342, 0x0399}},
    {0x1FCC, {0x0397, 0x0399, 0x0000}}, {0x1FD2, {0x0399, 0x0308, 0x0300}},
    {0x1FD3, {0x0399, 0x0308, 0x0301}}, {0x1FD6, {0x0399, 0x0342, 0x0000}},
    {0x1FD7, {0x0399, 0x0308, 0x0342}}, {0x1FE2, {0x03A5, 0x0308, 0x0300}},
    {0x1FE3, {0x03A5, 0x0308, 0x0301}}, {0x1FE4, {0x03A1, 0x0313, 0x0000}},
    {0x1FE6, {0x03A5, 0x0342, 0x0000}}, {0x1FE7, {0x03A5, 0x0308, 0x0342}},
    {0x1FF2, {0x1FFA, 0x0399, 0x0000}}, {0x1FF3, {0x03A9, 0x0399, 0x0000}},
    {0x1FF4, {0x038F, 0x0399, 0x0000}}, {0x1FF6, {0x03A9, 0x0342, 0x0000}},
    {0x1FF7, {0x03A9, 0x0342, 0x0399}}, {0x1FFC, {0x03A9, 0x0399, 0x0000}},
    {0xFB00, {0x0046, 0x0046, 0x0000}}, {0xFB01, {0x0046, 0x0049, 0x0000}},
    {0xFB02, {0x0046, 0x004C, 0x0000}}, {0xFB03, {0x0046, 0x0046, 0x0049}},
    {0xFB04, {0x0046, 0x0046, 0x004C}}, {0xFB05, {0x0053, 0x0054, 0x0000}},
    {0xFB06, {0x0053, 0x0054, 0x0000}}, {0xFB13, {0x0544, 0x0546, 0x0000}},
    {0xFB14, {0x0544, 0x0535, 0x0000}}, {0xFB15, {0x0544, 0x053B, 0x0000}},
    {0xFB16, {0x054E, 0x0546, 0x0000}}, {0xFB17, {0x0544, 0x053D, 0x0000}},
};

void appendUpper(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp >= 'a' && cp <= 'z' ? cp - 32 : cp));
    return;
  }
  const auto* m = std::lower_bound(std::begin(kUpperMulti), std::end(kUpperMulti), cp,
                                   [](const UpperMulti& x, uint32_t v) { return x.cp < v; });
  if (m != std::end(kUpperMulti) && m->cp == cp) {
    for (uint32_t t : m->to)
      if (t) appendUtf8(t, out);
    return;
  }
  // The last run starting at or before cp; runs never interleave.
  const auto* r = std::upper_bound(std::begin(kUpperRuns), std::end(kUpperRuns), cp,
                                   [](uint32_t v, const UpperRun& x) { return v < x.first; });
  if (r != std::begin(kUpperRuns)) {
    --r;
    const uint32_t off = cp - r->first;
    if (off % r->stride == 0 && off / r->stride < r->count) cp = static_cast<uint32_t>(static_cast<int64_t>(cp) + r->delta);
  }
  appendUtf8(cp, out);
}

bool isPyWhitespace(uint32_t cp) {
  return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0 || cp == 0x1680 ||
         (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

}  // namespace

std::string upperCase(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    uint32_t cp;
    const int n = decodeUtf8(p, end, cp);
    if (n == 0) {
      out.push_back(static_cast<char>(*p++));  // not UTF-8: keep the byte
      continue;
    }
    appendUpper(cp, out);
    p += n;
  }
  return out;
}

std::vector<std::string> splitWhitespace(const std::string& s) {
  std::vector<std::string> out;
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* p = begin;
  const auto* end = p + s.size();
  const unsigned char* field = nullptr;
  while (p < end) {
    uint32_t cp = 0;
    int n = decodeUtf8(p, end, cp);
    const bool space = n > 0 && isPyWhitespace(cp);
    if (n == 0) n = 1;
    if (space && field) {
      out.emplace_back(reinterpret_cast<const char*>(field), p - field);
      field = nullptr;
    } else if (!space && !field) {
      field = p;
    }
    p += n;
  }
  if (field) out.emplace_back(reinterpret_cast<const char*>(field), end - field);
  return out;
}

// --- Embeddings -------------------------------------------------------------

namespace {
// Divides the first `cols` values by their length (as gensim's
// vectors / norms); false for a zero row.
bool normaliseRow(float* r, int cols) {
  double ss = 0;
  for (int j = 0; j < cols; ++j) ss += static_cast<double>(r[j]) * r[j];
  const double n = std::sqrt(ss);  // in double: huge values must not overflow to an infinite norm
  if (!(n > 0)) return false;
  for (int j = 0; j < cols; ++j) r[j] = static_cast<float>(r[j] / n);
  return true;
}
}  // namespace

Embeddings::Embeddings(Vectors v) {
  const int64_t rows = static_cast<int64_t>(v.words.size());
  std::vector<int64_t> keep;
  keep.reserve(rows);
  index_.reserve(rows);
  for (int64_t i = 0; i < rows; ++i)
    if (index_.emplace(v.words[i], static_cast<int32_t>(keep.size())).second) keep.push_back(i);
  dropped_ = rows - static_cast<int64_t>(keep.size());
  if (dropped_ == 0) {
    words_ = std::move(v.words);
    unit_ = std::move(v.matrix);
  } else {  // gensim's loader ignores every later occurrence of a word and shrinks the matrix
    unit_ = Matrix(static_cast<int64_t>(keep.size()), v.matrix.cols());
    words_.reserve(keep.size());
    for (size_t j = 0; j < keep.size(); ++j) {
      words_.push_back(std::move(v.words[keep[j]]));
      std::memcpy(unit_.row(static_cast<int64_t>(j)), v.matrix.row(keep[j]), sizeof(float) * unit_.stride());
    }
  }
  zero_.assign(words_.size(), 0);
  const int cols = unit_.cols();
  const int64_t n = static_cast<int64_t>(words_.size());
#pragma omp parallel for schedule(static)
  for (int64_t i = 0; i < n; ++i) {
    float* r = unit_.row(i);
    for (int j = cols; j < unit_.stride(); ++j) r[j] = 0.f;  // padding stays zero
    if (!normaliseRow(r, cols)) {
      zeroVec(r, unit_.stride());
      zero_[i] = 1;
    }
  }
}

int32_t Embeddings::find(const std::string& word) const {
  auto it = index_.find(word);
  return it == index_.end() ? -1 : it->second;
}

float Embeddings::cosine(int32_t i, int32_t j) const { return dot(unitRow(i), unitRow(j), stride()); }

// --- FoldedVocab ------------------------------------------------------------

FoldedVocab::FoldedVocab(const Embeddings& e, int64_t restrict) {
  restrict_ = restrict <= 0 || restrict > e.size() ? e.size() : static_cast<int32_t>(restrict);
  index_.reserve(restrict_);
  group_.resize(restrict_);
  // gensim: {k.upper(): index for k in reversed(ok_keys)}, so the lowest row wins.
  for (int32_t i = 0; i < restrict_; ++i) group_[i] = index_.emplace(upperCase(e.word(i)), i).first->second;
}

int32_t FoldedVocab::findUpper(const std::string& upper) const {
  auto it = index_.find(upper);
  return it == index_.end() ? -1 : it->second;
}

int32_t FoldedVocab::find(const std::string& word) const { return findUpper(upperCase(word)); }

// --- analogies ----------------------------------------------------------------

AnalogyMethod parseAnalogyMethod(const std::string& s) {
  if (s == "add" || s == "3cosadd") return AnalogyMethod::kAdd;
  if (s == "mul" || s == "3cosmul") return AnalogyMethod::kMul;
  throw Error("unknown analogy method '" + s + "' (expected add or mul)");
}

namespace {

constexpr float kNoScore = -std::numeric_limits<float>::infinity();

// Inserts (row, s) into top[0..k), kept best first; rows arrive in
// increasing order, so an equal score stays behind the lower row.
inline void insertTop(Scored* top, int k, int32_t row, float s) {
  int j = k - 1;
  while (j > 0 && s > top[j - 1].score) {
    top[j] = top[j - 1];
    --j;
  }
  top[j] = Scored{row, s};
}

// The 3CosAdd query of gensim's most_similar(positive=[b, c], negative=[a]):
// mean of unit(b), unit(c), -unit(a), scaled to unit length. q has
// e.stride() zeroed floats.
void addQuery(const Embeddings& e, int32_t a, int32_t b, int32_t c, float* q) {
  const int d = e.stride();
  zeroVec(q, d);
  axpy(1.f, e.unitRow(b), q, d);
  axpy(1.f, e.unitRow(c), q, d);
  axpy(-1.f, e.unitRow(a), q, d);
  scaleVec(1.f / 3.f, q, d);
  double ss = 0;
  for (int j = 0; j < d; ++j) ss += static_cast<double>(q[j]) * q[j];
  const float n = static_cast<float>(std::sqrt(ss));
  if (n > 0) scaleVec(static_cast<float>(1.0 / n), q, d);
}

int32_t effectiveRestrict(const Embeddings& e, int64_t restrict) {
  return restrict <= 0 || restrict > e.size() ? e.size() : static_cast<int32_t>(restrict);
}

}  // namespace

void analogyBatch(const Embeddings& e, const int32_t* abc, int64_t n, int k, int64_t restrict, Scored* out) {
  if (n <= 0 || k <= 0) return;
  const int32_t rows = effectiveRestrict(e, restrict);
  const int d = e.stride();
  // Tiles of questions against blocks of rows: a block (~100 KB) stays in
  // cache while every question of the tile is scored against it.
  constexpr int64_t kTile = 128;
  constexpr int32_t kBlock = 256;
  Matrix queries(n, e.dim());
#pragma omp parallel for schedule(static)
  for (int64_t q = 0; q < n; ++q) {
    addQuery(e, abc[3 * q], abc[3 * q + 1], abc[3 * q + 2], queries.row(q));
    for (int j = 0; j < k; ++j) out[q * k + j] = Scored{-1, kNoScore};
  }
  const int64_t tiles = (n + kTile - 1) / kTile;
#pragma omp parallel for schedule(dynamic, 1)
  for (int64_t t = 0; t < tiles; ++t) {
    const int64_t q0 = t * kTile, q1 = std::min(n, q0 + kTile);
    for (int32_t r0 = 0; r0 < rows; r0 += kBlock) {
      const int32_t r1 = std::min(rows, r0 + kBlock);
      for (int64_t q = q0; q < q1; ++q) {
        const float* qv = queries.row(q);
        Scored* top = out + q * k;
        const int32_t a = abc[3 * q], b = abc[3 * q + 1], c = abc[3 * q + 2];
        float worst = top[k - 1].score;
        for (int32_t r = r0; r < r1; ++r) {
          const float s = dot(qv, e.unitRow(r), d);
          if (s > worst) {
            if (r == a || r == b || r == c || e.isZero(r)) continue;
            insertTop(top, k, r, s);
            worst = top[k - 1].score;
          }
        }
      }
    }
  }
}

std::vector<Scored> analogy(const Embeddings& e, int32_t a, int32_t b, int32_t c, int k, AnalogyMethod method,
                            int64_t restrict) {
  for (int32_t w : {a, b, c})
    if (w < 0 || w >= e.size()) throw Error("analogy: word row out of range");
  if (k <= 0) return {};
  std::vector<Scored> top(k, Scored{-1, kNoScore});
  if (method == AnalogyMethod::kAdd) {
    const int32_t abc[3] = {a, b, c};
    analogyBatch(e, abc, 1, k, restrict, top.data());
  } else {
    // gensim most_similar_cosmul, in float32 as it computes:
    // prod(pos) / (prod(neg) + 0.000001) with each term (1 + cos) / 2.
    const int32_t rows = effectiveRestrict(e, restrict);
    const int d = e.stride();
    const float* ua = e.unitRow(a);
    const float* ub = e.unitRow(b);
    const float* uc = e.unitRow(c);
    float worst = kNoScore;
    for (int32_t r = 0; r < rows; ++r) {
      if (r == a || r == b || r == c || e.isZero(r)) continue;
      const float* x = e.unitRow(r);
      const float sa = (1.f + dot(x, ua, d)) / 2.f;
      const float sb = (1.f + dot(x, ub, d)) / 2.f;
      const float sc = (1.f + dot(x, uc, d)) / 2.f;
      const float s = (sb * sc) / (sa + 0.000001f);
      if (s > worst) {
        insertTop(top.data(), k, r, s);
        worst = top[k - 1].score;
      }
    }
  }
  while (!top.empty() && top.back().row < 0) top.pop_back();
  return top;
}

// --- analogy files and evaluation --------------------------------------------

namespace {

// Test files are small; a longer line means a wrong file, not a long question.
constexpr size_t kMaxTestLine = 1 << 20;

// Python's str.strip() (Unicode whitespace) on UTF-8.
std::string pyStrip(const std::string& s) {
  const auto* begin = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = begin + s.size();
  size_t first = s.size(), last = 0;
  for (const auto* p = begin; p < end;) {
    uint32_t cp = 0;
    int n = decodeUtf8(p, end, cp);
    const bool space = n > 0 && isPyWhitespace(cp);
    if (n == 0) n = 1;
    if (!space) {
      first = std::min(first, static_cast<size_t>(p - begin));
      last = static_cast<size_t>(p - begin) + n;
    }
    p += n;
  }
  return first < last ? s.substr(first, last - first) : std::string();
}

std::string where(const std::string& path, int64_t line) { return "'" + path + "' line " + std::to_string(line); }

}  // namespace

AnalogySet readAnalogies(const std::string& path) {
  LineReader in(path, kMaxTestLine);
  AnalogySet set;
  std::string line;
  while (in.next(line)) {
    const int64_t line_no = in.lineNumber();
    if (line.compare(0, 2, ": ") == 0) {
      // gensim: line.lstrip(': ').strip()
      size_t s = line.find_first_not_of(": ");
      set.sections.push_back(s == std::string::npos ? "" : pyStrip(line.substr(s)));
      continue;
    }
    const auto words = splitWhitespace(line);
    if (words.empty()) continue;
    if (words.size() != 4)
      throw Error("bad analogy file " + where(path, line_no) + ": expected ': section' or four words, got " +
                  std::to_string(words.size()) + " word" + (words.size() == 1 ? "" : "s"));
    if (set.sections.empty())
      throw Error("bad analogy file " + where(path, line_no) + ": a question before the first ': section' line");
    AnalogyQuestion q;
    q.a = upperCase(words[0]);
    q.b = upperCase(words[1]);
    q.c = upperCase(words[2]);
    q.expected = upperCase(words[3]);
    q.section = static_cast<int32_t>(set.sections.size() - 1);
    q.line = line_no;
    set.questions.push_back(std::move(q));
  }
  if (set.questions.empty()) throw Error("bad analogy file '" + path + "': it holds no questions");
  return set;
}

AnalogyCounts& AnalogyCounts::operator+=(const AnalogyCounts& o) {
  correct += o.correct;
  answered += o.answered;
  skipped += o.skipped;
  return *this;
}

AnalogyReport evaluateAnalogies(const Embeddings& e, const AnalogySet& set, int64_t restrict) {
  const auto t0 = std::chrono::steady_clock::now();
  AnalogyReport rep;
  const FoldedVocab ok(e, restrict);
  rep.restrict = ok.restrict();
  for (const auto& name : set.sections) rep.sections.push_back(AnalogySectionResult{name, {}});

  struct Known {
    int32_t a, b, c, expected, section;
  };
  std::vector<Known> known;
  std::vector<int32_t> abc;
  known.reserve(set.questions.size());
  abc.reserve(3 * set.questions.size());
  for (const auto& q : set.questions) {
    const Known k{ok.findUpper(q.a), ok.findUpper(q.b), ok.findUpper(q.c), ok.findUpper(q.expected), q.section};
    if (k.a < 0 || k.b < 0 || k.c < 0 || k.expected < 0) {
      ++rep.sections[q.section].counts.skipped;
      continue;
    }
    known.push_back(k);
    abc.insert(abc.end(), {k.a, k.b, k.c});
  }

  // gensim asks most_similar for topn=5 and takes the first answer whose
  // upper-cased word is none of A, B, C (they are excluded by row already,
  // but another case variant of them may come back); if there is none, the
  // last of the five stands.
  constexpr int kTop = 5;
  std::vector<Scored> top(known.size() * kTop);
  analogyBatch(e, abc.data(), static_cast<int64_t>(known.size()), kTop, ok.restrict(), top.data());
  for (size_t i = 0; i < known.size(); ++i) {
    const Known& k = known[i];
    int32_t predicted = -1;
    for (int j = 0; j < kTop; ++j) {
      const int32_t r = top[i * kTop + j].row;
      if (r < 0) break;
      predicted = ok.group(r);
      if (predicted != k.a && predicted != k.b && predicted != k.c) break;
    }
    AnalogyCounts& s = rep.sections[k.section].counts;
    ++s.answered;
    if (predicted >= 0 && predicted == k.expected) ++s.correct;
  }
  for (const auto& s : rep.sections) {
    (s.syntactic() ? rep.syntactic : rep.semantic) += s.counts;
    rep.total += s.counts;
  }
  rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rep;
}

// --- word pairs ---------------------------------------------------------------

namespace {

// Python's float(): optional surrounding whitespace, decimal or inf/nan
// spellings, '_' only between digits; no hex.
bool parsePyFloat(std::string s, double& out) {
  const auto trimmed = splitWhitespace(s);
  if (trimmed.size() != 1) return false;
  s = trimmed[0];
  std::string t;
  for (size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (ch == '_') {
      if (i == 0 || i + 1 == s.size() || !std::isdigit(static_cast<unsigned char>(s[i - 1])) ||
          !std::isdigit(static_cast<unsigned char>(s[i + 1])))
        return false;
      continue;
    }
    if (ch == 'x' || ch == 'X' || ch == '(' || ch == 'p' || ch == 'P') return false;
    t.push_back(ch);
  }
  char* end = nullptr;
  errno = 0;
  out = std::strtod(t.c_str(), &end);
  return end != t.c_str() && *end == '\0';
}

}  // namespace

std::vector<WordPair> readWordPairs(const std::string& path) {
  // Universal newlines, as Python's text mode: \n, \r\n and \r end a line.
  LineReader in(path, kMaxTestLine, true);
  std::vector<WordPair> pairs;
  std::string line;
  while (in.next(line)) {
    const int64_t line_no = in.lineNumber();
    if (line.empty() || line[0] == '#' || splitWhitespace(line).empty()) continue;
    std::vector<std::string> f;
    size_t s = 0;
    for (;;) {
      const size_t tab = line.find('\t', s);
      f.push_back(line.substr(s, tab == std::string::npos ? std::string::npos : tab - s));
      if (tab == std::string::npos) break;
      s = tab + 1;
    }
    if (f.size() != 3)
      throw Error("bad word-pair file " + where(path, line_no) + ": expected 'word1<TAB>word2<TAB>score', got " +
                  std::to_string(f.size()) + " tab-separated field" + (f.size() == 1 ? "" : "s"));
    WordPair p;
    if (!parsePyFloat(f[2], p.score))
      throw Error("bad word-pair file " + where(path, line_no) + ": '" + f[2] + "' is not a number");
    p.w1 = std::move(f[0]);
    p.w2 = std::move(f[1]);
    p.line = line_no;
    pairs.push_back(std::move(p));
  }
  if (pairs.empty()) throw Error("bad word-pair file '" + path + "': it holds no word pairs");
  return pairs;
}

PairsReport evaluateWordPairs(const Embeddings& e, const std::vector<WordPair>& pairs, int64_t restrict) {
  const FoldedVocab ok(e, restrict);
  PairsReport rep;
  rep.restrict = ok.restrict();
  std::vector<double> gold, model;
  for (const auto& p : pairs) {
    const int32_t a = ok.find(p.w1), b = ok.find(p.w2);
    if (a < 0 || b < 0) {
      ++rep.oov;
      continue;
    }
    gold.push_back(p.score);
    model.push_back(e.cosine(a, b));  // float32, as gensim's similarity()
  }
  rep.pairs = static_cast<int64_t>(gold.size());
  rep.spearman = spearman(gold, model);
  rep.pearson = pearson(gold, model);
  return rep;
}

std::vector<double> averageRanks(const std::vector<double>& x) {
  const size_t n = x.size();
  std::vector<size_t> order(n);
  for (size_t i = 0; i < n; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
  std::vector<double> r(n);
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && x[order[j]] == x[order[i]]) ++j;
    const double avg = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2.0;  // ranks i+1 .. j
    for (size_t t = i; t < j; ++t) r[order[t]] = avg;
    i = j;
  }
  return r;
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const size_t n = x.size();
  if (n != y.size() || n < 2) return nan;
  double mx = 0, my = 0;
  for (size_t i = 0; i < n; ++i) {
    if (std::isnan(x[i]) || std::isnan(y[i])) return nan;
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < n; ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  if (sxx == 0 || syy == 0) return nan;  // a constant input
  return std::max(-1.0, std::min(1.0, sxy / std::sqrt(sxx * syy)));
}

double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (x.size() != y.size() || x.size() < 2) return nan;
  // scipy: a constant input gives NaN, so does any NaN.
  const bool cx = std::all_of(x.begin(), x.end(), [&](double v) { return v == x[0]; });
  const bool cy = std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; });
  if (cx || cy) return nan;
  for (size_t i = 0; i < x.size(); ++i)
    if (std::isnan(x[i]) || std::isnan(y[i])) return nan;
  return pearson(averageRanks(x), averageRanks(y));
}

}  // namespace wembed
