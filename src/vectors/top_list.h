#pragma once
// The k best rows so far of a search, kept best first.
#include <cstdint>

#include "wembed/vectors/index.h"

namespace wembed {

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

}  // namespace wembed
