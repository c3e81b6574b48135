#pragma once
// Recomputes the checksums of wembed's checksummed binary files, so tests and
// fuzz targets can hand the loaders content that is corrupt in its structure
// (sizes, ids, NaN) rather than merely in its checksum. Leaves content that
// is too short or whose sizes do not fit unchanged.
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Warray-bounds"
#define XXH_INLINE_ALL
#include <xxhash.h>

namespace testutil {

// The checksum of a native file's rows: XXH3-64 of the XXH3-64 hashes of their 4 MiB pieces.
inline uint64_t nativeRowsChecksum(const char* p, uint64_t total) {
  const uint64_t piece = uint64_t(4) << 20;
  std::vector<uint64_t> hashes;
  for (uint64_t off = 0; off < total; off += piece) hashes.push_back(XXH3_64bits(p + off, std::min(piece, total - off)));
  return XXH3_64bits(hashes.data(), hashes.size() * sizeof(uint64_t));
}

// Native vector file (.wev): vocabulary, matrix (hash of 4 MiB piece
// hashes) and header checksums, and in version 2 those of the subword
// section (see include/wembed/vectors/vectors.h).
inline void fixNativeChecksums(std::string& s) {
  if (s.size() < 64) return;
  uint64_t vocab_bytes, flags, rows;
  uint32_t dim;
  std::memcpy(&vocab_bytes, s.data() + 24, 8);
  std::memcpy(&flags, s.data() + 32, 8);
  std::memcpy(&rows, s.data() + 16, 8);
  std::memcpy(&dim, s.data() + 12, 4);
  if (vocab_bytes > s.size() - 64) return;
  const uint64_t vh = XXH3_64bits(s.data() + 64, vocab_bytes);
  std::memcpy(&s[40], &vh, 8);
  const uint64_t matrix_off = (64 + vocab_bytes + 63) / 64 * 64;
  auto at64 = [](uint64_t x) { return (x + 63) / 64 * 64; };
  if (matrix_off <= s.size()) {
    uint64_t total = s.size() - matrix_off;
    // Version 2: the matrix is followed by the subword section.
    const bool sub = (flags & 2) && dim > 0 && rows <= total / 4 / dim;
    if (sub) total = rows * dim * 4;
    const uint64_t mh = nativeRowsChecksum(s.data() + matrix_off, total);
    std::memcpy(&s[48], &mh, 8);
    const uint64_t sub_off = at64(matrix_off + total);
    if (sub && sub_off + 88 <= s.size()) {
      int64_t bucket;
      std::memcpy(&bucket, s.data() + sub_off + 8, 8);
      const uint64_t own_off = at64(sub_off + 88), buckets_off = at64(own_off + rows * dim * 4);
      if (own_off + rows * dim * 4 <= s.size()) {
        const uint64_t oh = nativeRowsChecksum(s.data() + own_off, rows * dim * 4);
        std::memcpy(&s[sub_off + 64], &oh, 8);
      }
      if (bucket >= 0 && buckets_off <= s.size() && static_cast<uint64_t>(bucket) <= (s.size() - buckets_off) / 4 / dim) {
        const uint64_t bh = nativeRowsChecksum(s.data() + buckets_off, static_cast<uint64_t>(bucket) * dim * 4);
        std::memcpy(&s[sub_off + 72], &bh, 8);
      }
      const uint64_t sh = XXH3_64bits(s.data() + sub_off, 80);
      std::memcpy(&s[sub_off + 80], &sh, 8);
    }
  }
  const uint64_t hh = XXH3_64bits(s.data(), 56);
  std::memcpy(&s[56], &hh, 8);
}

// Training checkpoint of any kind (word2vec, GloVe, sentiment: the framing
// of checkpoint_io.h): XXH64 (seed 0) of everything between the 8-byte magic
// and the final 8-byte checksum.
inline void fixCheckpointChecksum(std::string& s) {
  if (s.size() < 16) return;
  const uint64_t h = XXH64(s.data() + 8, s.size() - 16, 0);
  std::memcpy(&s[s.size() - 8], &h, 8);
}

// Sentiment model: XXH3-64 of everything before the final 8-byte checksum.
inline void fixSentimentChecksum(std::string& s) {
  if (s.size() < 8) return;
  const uint64_t h = XXH3_64bits(s.data(), s.size() - 8);
  std::memcpy(&s[s.size() - 8], &h, 8);
}

}  // namespace testutil

#pragma GCC diagnostic pop
