#pragma once
// Recomputes the checksums of wembed's checksummed binary files, so tests and
// fuzz targets can hand the loaders content that is corrupt in its structure
// (sizes, ids, NaN) rather than merely in its checksum. Leaves content that
// is too short or whose sizes do not fit unchanged.
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

// Native vector file (.wev): vocabulary, matrix (hash of 4 MiB piece
// hashes) and header checksums (see include/wembed/vectors/vectors.h).
inline void fixNativeChecksums(std::string& s) {
  if (s.size() < 64) return;
  uint64_t vocab_bytes;
  std::memcpy(&vocab_bytes, s.data() + 24, 8);
  if (vocab_bytes > s.size() - 64) return;
  const uint64_t vh = XXH3_64bits(s.data() + 64, vocab_bytes);
  std::memcpy(&s[40], &vh, 8);
  const uint64_t matrix_off = (64 + vocab_bytes + 63) / 64 * 64;
  if (matrix_off <= s.size()) {
    const uint64_t total = s.size() - matrix_off, piece = uint64_t(4) << 20;
    std::vector<uint64_t> hashes;
    for (uint64_t off = 0; off < total; off += piece)
      hashes.push_back(XXH3_64bits(s.data() + matrix_off + off, std::min(piece, total - off)));
    const uint64_t mh = XXH3_64bits(hashes.data(), hashes.size() * sizeof(uint64_t));
    std::memcpy(&s[48], &mh, 8);
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
