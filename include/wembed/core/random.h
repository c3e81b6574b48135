#pragma once
#include <cstdint>

namespace wembed {

// Small fast generator (xoshiro256**-like quality is not needed; this is
// splitmix-seeded xorshift64*). Deterministic for a given seed.
class Rng {
 public:
  explicit Rng(uint64_t seed = 1) { reseed(seed); }
  void reseed(uint64_t seed) {
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    s_ = (z ^ (z >> 31)) | 1;
  }
  uint64_t next() {
    s_ ^= s_ >> 12;
    s_ ^= s_ << 25;
    s_ ^= s_ >> 27;
    return s_ * 0x2545F4914F6CDD1Dull;
  }
  // Raw state, for checkpoints.
  uint64_t state() const { return s_; }
  void setState(uint64_t s) { s_ = s ? s : 1; }
  uint32_t next32() { return static_cast<uint32_t>(next() >> 32); }
  // Uniform in [0, n).
  uint32_t below(uint32_t n) { return static_cast<uint32_t>((static_cast<uint64_t>(next32()) * n) >> 32); }
  float uniform() { return (next() >> 40) * (1.0f / 16777216.0f); }  // [0,1)

 private:
  uint64_t s_;
};

}  // namespace wembed
