#include "wembed/sentiment/adam.h"

#include <cmath>

#include "wembed/core/error.h"

namespace wembed {

Adam::Adam(const AdamArgs& o, size_t dense_size, int64_t table_rows, int table_cols)
    : o_(o), m_(dense_size, 0.f), v_(dense_size, 0.f) {
  if (table_rows > 0) {
    tm_ = RowMat<float>::Zero(table_rows, table_cols);
    tv_ = RowMat<float>::Zero(table_rows, table_cols);
  }
}

void Adam::setState(State s) {
  if (s.t < 0 || s.m.size() != m_.size() || s.v.size() != v_.size() || s.tm.rows() != tm_.rows() ||
      s.tm.cols() != tm_.cols() || s.tv.rows() != tv_.rows() || s.tv.cols() != tv_.cols())
    throw Error("optimiser state does not match the model");
  t_ = s.t;
  c1_ = 1.0 - std::pow(o_.beta1, static_cast<double>(t_));
  c2_ = 1.0 - std::pow(o_.beta2, static_cast<double>(t_));
  m_ = std::move(s.m);
  v_ = std::move(s.v);
  tm_ = std::move(s.tm);
  tv_ = std::move(s.tv);
}

void Adam::beginStep() {
  ++t_;
  c1_ = 1.0 - std::pow(o_.beta1, static_cast<double>(t_));
  c2_ = 1.0 - std::pow(o_.beta2, static_cast<double>(t_));
}

namespace {
// One Adam update of n values; step = lr / c1, and sqrt(v / c2) in the denominator.
inline void adamKernel(float* p, const float* g, float* m, float* v, size_t n, float scale, float b1, float b2,
                       float step, float inv_sqrt_c2, float eps) {
  using A = Eigen::Map<Eigen::ArrayXf>;
  using CA = Eigen::Map<const Eigen::ArrayXf>;
  const Eigen::Index len = static_cast<Eigen::Index>(n);
  A pm(p, len), mm(m, len), vm(v, len);
  CA gm(g, len);
  mm = b1 * mm + ((1.f - b1) * scale) * gm;
  vm = b2 * vm + ((1.f - b2) * scale * scale) * gm.square();
  pm -= step * mm / (vm.sqrt() * inv_sqrt_c2 + eps);
}
}  // namespace

void Adam::updateDense(float* params, const float* grad, double grad_scale) {
  adamKernel(params, grad, m_.data(), v_.data(), m_.size(), static_cast<float>(grad_scale),
             static_cast<float>(o_.beta1), static_cast<float>(o_.beta2), static_cast<float>(o_.lr / c1_),
             static_cast<float>(1.0 / std::sqrt(c2_)), static_cast<float>(o_.eps));
}

void Adam::updateRows(RowMat<float>& table, const std::vector<int32_t>& ids, const RowMat<float>& grads,
                      double grad_scale) {
  const size_t n = static_cast<size_t>(table.cols());
  for (size_t k = 0; k < ids.size(); ++k) {
    const int32_t r = ids[k];
    adamKernel(table.row(r).data(), grads.row(static_cast<int64_t>(k)).data(), tm_.row(r).data(),
               tv_.row(r).data(), n, static_cast<float>(grad_scale), static_cast<float>(o_.beta1),
               static_cast<float>(o_.beta2), static_cast<float>(o_.lr / c1_),
               static_cast<float>(1.0 / std::sqrt(c2_)), static_cast<float>(o_.eps));
  }
}

}  // namespace wembed
