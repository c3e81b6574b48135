#pragma once
// Adam (Kingma & Ba, 2015) with bias correction, for a dense parameter vector
// and, lazily, for the rows of an embedding table that received a gradient
// (as PyTorch's SparseAdam / TensorFlow's LazyAdam: untouched rows keep their
// values and moments).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "wembed/sentiment/rnn.h"

namespace wembed {

struct AdamArgs {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
};

class Adam {
 public:
  Adam() = default;
  Adam(const AdamArgs& o, size_t dense_size, int64_t table_rows = 0, int table_cols = 0);

  // Advances the step counter; call once per minibatch before the updates.
  void beginStep();
  int64_t steps() const { return t_; }
  // params -= lr * mhat / (sqrt(vhat) + eps), over all n values.
  void updateDense(float* params, const float* grad, double grad_scale = 1.0);
  // The same for the given rows of the table (grads row k belongs to ids[k]).
  void updateRows(RowMat<float>& table, const std::vector<int32_t>& ids, const RowMat<float>& grads,
                  double grad_scale = 1.0);
  const AdamArgs& args() const { return o_; }

  // The whole state, for checkpoints: step count and both moments.
  struct State {
    int64_t t = 0;
    std::vector<float> m, v;   // dense
    RowMat<float> tm, tv;      // table rows
  };
  const std::vector<float>& denseMoment1() const { return m_; }
  const std::vector<float>& denseMoment2() const { return v_; }
  const RowMat<float>& rowMoment1() const { return tm_; }
  const RowMat<float>& rowMoment2() const { return tv_; }
  // Throws Error unless the sizes match this optimiser's.
  void setState(State s);

 private:
  AdamArgs o_;
  int64_t t_ = 0;
  double c1_ = 1, c2_ = 1;  // bias corrections for the current step
  std::vector<float> m_, v_;
  RowMat<float> tm_, tv_;
};

}  // namespace wembed
