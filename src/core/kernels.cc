#include "wembed/core/kernels.h"

namespace wembed {

SigmoidTable::SigmoidTable() {
  for (int i = 0; i <= kSize; ++i) {
    // Centre of bucket i, so a lookup is accurate to half a bucket.
    double x = ((i + 0.5) / kSize * 2.0 - 1.0) * kMaxExp;
    double s = 1.0 / (1.0 + std::exp(-x));
    sig_[i] = static_cast<float>(s);
    logsig_[i] = static_cast<float>(std::log(s));
  }
}

const SigmoidTable& sigmoidTable() {
  static const SigmoidTable t;
  return t;
}

}  // namespace wembed
