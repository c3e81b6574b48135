#include "wembed/sentiment/rnn.h"

#include <algorithm>

#include "wembed/core/error.h"

namespace wembed {

void PackedLayout::build(const std::vector<int>& sorted_lengths) {
  for (size_t i = 0; i < sorted_lengths.size(); ++i) {
    if (sorted_lengths[i] < 1) throw Error("packed batch: a sequence is empty");
    if (i && sorted_lengths[i] > sorted_lengths[i - 1])
      throw Error("packed batch: sequences must be sorted longest first");
  }
  lengths = sorted_lengths;
  const int steps = lengths.empty() ? 0 : lengths.front();
  active.assign(steps, 0);
  // active[t] = number of sequences longer than t (lengths are sorted).
  int b = static_cast<int>(lengths.size());
  for (int t = 0; t < steps; ++t) {
    while (b > 0 && lengths[b - 1] <= t) --b;
    active[t] = b;
  }
  offset.assign(steps + 1, 0);
  for (int t = 0; t < steps; ++t) offset[t + 1] = offset[t] + active[t];
}

namespace {

// Grows m to at least rows x cols (never shrinks rows, so buffers are
// allocated once for the largest batch).
template <typename T>
void ensure(RowMat<T>& m, int rows, int cols) {
  if (m.cols() != cols) {
    m.resize(rows, cols);
  } else if (m.rows() < rows) {
    m.resize(rows, cols);
  }
}

// The step whose state time step t starts from.
inline int prevStep(int t, bool reverse) { return reverse ? t + 1 : t - 1; }

// Copies the first rows of step pt's block of src (rows of sequences still
// running at step t) into dst, zero for sequences that start at t.
template <typename T, typename Src, typename Dst>
void gatherPrev(const PackedLayout& L, int pt, const Src& src, Dst&& dst) {
  const int n = static_cast<int>(dst.rows());
  if (pt < 0 || pt >= L.steps()) {
    dst.setZero();
    return;
  }
  const int m = std::min(n, L.active[pt]);
  dst.topRows(m) = src.middleRows(L.offset[pt], m);
  if (m < n) dst.bottomRows(n - m).setZero();
}

}  // namespace

template <typename T>
void cellForward(const CellShape& s, const T* p, const PackedLayout& L, bool reverse, const ConstMatRef<T>& X,
                 MatRef<T> Y, CellState<T>& st) {
  const int H = s.hidden, G = s.gates(), N = L.rows(), B = L.batch(), steps = L.steps();
  const bool gru = s.cell == CellType::kGru;
  ConstMatMap<T> Wx(p + s.wxOffset(), s.input, G);
  ConstMatMap<T> Wh(p + s.whOffset(), H, G);
  ConstVecMap<T> bias(p + s.biasOffset(), G);
  ensure(st.gates, N, G);
  ensure(st.hprev, N, H);
  ensure(st.aux, N, H);
  ensure(st.step, B, G);
  if (!gru) {
    ensure(st.aux2, N, H);
    ensure(st.cprev, N, H);
  }
  auto gates = st.gates.topRows(N);
  gates.noalias() = X.topRows(N) * Wx;  // every time step's input projection in one product
  gates.rowwise() += bias;

  for (int k = 0; k < steps; ++k) {
    const int t = reverse ? steps - 1 - k : k;
    const int n = L.active[t], r0 = L.offset[t];
    const int pt = prevStep(t, reverse);
    auto hp = st.hprev.middleRows(r0, n);
    gatherPrev<T>(L, pt, Y, hp);
    auto gh = st.step.topRows(n);
    gh.noalias() = hp * Wh;
    auto g = gates.middleRows(r0, n);
    if (gru) {
      ConstVecMap<T> bhn(p + s.bhnOffset(), H);
      g.leftCols(2 * H) = (g.leftCols(2 * H) + gh.leftCols(2 * H)).array().logistic().matrix();
      auto hn = st.aux.middleRows(r0, n);
      hn = gh.rightCols(H).rowwise() + bhn;
      g.rightCols(H) = (g.rightCols(H).array() + g.leftCols(H).array() * hn.array()).tanh().matrix();
      // h = (1 - z) n + z h_prev
      Y.middleRows(r0, n) =
          (g.rightCols(H).array() + g.middleCols(H, H).array() * (hp.array() - g.rightCols(H).array())).matrix();
    } else {
      g += gh;
      g.leftCols(2 * H) = g.leftCols(2 * H).array().logistic().matrix();
      g.middleCols(2 * H, H) = g.middleCols(2 * H, H).array().tanh().matrix();
      g.rightCols(H) = g.rightCols(H).array().logistic().matrix();
      auto cp = st.cprev.middleRows(r0, n);
      gatherPrev<T>(L, pt, st.aux, cp);
      auto c = st.aux.middleRows(r0, n);
      c = (g.middleCols(H, H).array() * cp.array() + g.leftCols(H).array() * g.middleCols(2 * H, H).array()).matrix();
      auto tc = st.aux2.middleRows(r0, n);
      tc = c.array().tanh().matrix();
      Y.middleRows(r0, n) = (g.rightCols(H).array() * tc.array()).matrix();
    }
  }
}

template <typename T>
void cellBackward(const CellShape& s, const T* p, T* grad, const PackedLayout& L, bool reverse,
                  const ConstMatRef<T>& X, const ConstMatRef<T>& dY, CellState<T>& st, RowMat<T>* dX,
                  bool accumulate_dx, const std::vector<int>* dx_rows) {
  const int H = s.hidden, G = s.gates(), N = L.rows(), B = L.batch(), steps = L.steps();
  const bool gru = s.cell == CellType::kGru;
  ConstMatMap<T> Wx(p + s.wxOffset(), s.input, G);
  ConstMatMap<T> Wh(p + s.whOffset(), H, G);
  MatMap<T> gWx(grad + s.wxOffset(), s.input, G);
  MatMap<T> gWh(grad + s.whOffset(), H, G);
  VecMap<T> gb(grad + s.biasOffset(), G);
  ensure(st.dgx, N, G);
  ensure(st.dh, B, H);
  ensure(st.carry_h, B, H);
  if (gru) {
    ensure(st.dgh, N, G);
  } else {
    ensure(st.dc, B, H);
    ensure(st.carry_c, B, H);
  }
  int carry_rows = 0;  // rows of the carried state gradient from the step after (in time order)
  for (int k = steps - 1; k >= 0; --k) {
    const int t = reverse ? steps - 1 - k : k;
    const int n = L.active[t], r0 = L.offset[t];
    const int m = std::min(carry_rows, n);
    auto dh = st.dh.topRows(n);
    dh = dY.middleRows(r0, n);
    if (m) dh.topRows(m) += st.carry_h.topRows(m);
    auto g = st.gates.middleRows(r0, n);
    auto dg = st.dgx.middleRows(r0, n);
    if (gru) {
      const auto r = g.leftCols(H).array();
      const auto z = g.middleCols(H, H).array();
      const auto nn = g.rightCols(H).array();
      const auto hp = st.hprev.middleRows(r0, n).array();
      const auto hn = st.aux.middleRows(r0, n).array();
      auto dgh = st.dgh.middleRows(r0, n);
      dg.rightCols(H) = (dh.array() * (T(1) - z) * (T(1) - nn * nn)).matrix();
      dg.middleCols(H, H) = (dh.array() * (hp - nn) * z * (T(1) - z)).matrix();
      dgh.rightCols(H) = (dg.rightCols(H).array() * r).matrix();
      dg.leftCols(H) = (dg.rightCols(H).array() * hn * r * (T(1) - r)).matrix();
      dgh.leftCols(2 * H) = dg.leftCols(2 * H);
      auto ch = st.carry_h.topRows(n);
      ch = (dh.array() * z).matrix();
      ch.noalias() += dgh * Wh.transpose();
    } else {
      const auto i = g.leftCols(H).array();
      const auto f = g.middleCols(H, H).array();
      const auto gg = g.middleCols(2 * H, H).array();
      const auto o = g.rightCols(H).array();
      const auto tc = st.aux2.middleRows(r0, n).array();
      const auto cp = st.cprev.middleRows(r0, n).array();
      auto dc = st.dc.topRows(n);
      if (m) dc.topRows(m) = st.carry_c.topRows(m);
      if (m < n) dc.bottomRows(n - m).setZero();
      dg.rightCols(H) = (dh.array() * tc * o * (T(1) - o)).matrix();
      dc.array() += dh.array() * o * (T(1) - tc * tc);
      dg.leftCols(H) = (dc.array() * gg * i * (T(1) - i)).matrix();
      dg.middleCols(H, H) = (dc.array() * cp * f * (T(1) - f)).matrix();
      dg.middleCols(2 * H, H) = (dc.array() * i * (T(1) - gg * gg)).matrix();
      st.carry_c.topRows(n) = (dc.array() * f).matrix();
      st.carry_h.topRows(n).noalias() = dg * Wh.transpose();
    }
    carry_rows = n;
  }
  // Parameter gradients for all time steps at once.
  const auto DG = st.dgx.topRows(N);
  gWx.noalias() += X.topRows(N).transpose() * DG;
  gb += DG.colwise().sum();
  if (gru) {
    const auto DGH = st.dgh.topRows(N);
    gWh.noalias() += st.hprev.topRows(N).transpose() * DGH;
    VecMap<T> gbhn(grad + s.bhnOffset(), H);
    gbhn += DGH.rightCols(H).colwise().sum();
  } else {
    gWh.noalias() += st.hprev.topRows(N).transpose() * DG;
  }
  if (dX) {
    if (!dx_rows) {
      if (accumulate_dx) dX->topRows(N).noalias() += DG * Wx.transpose();
      else dX->topRows(N).noalias() = DG * Wx.transpose();
    } else {
      for (int r : *dx_rows) {
        if (accumulate_dx) dX->row(r).noalias() += DG.row(r) * Wx.transpose();
        else dX->row(r).noalias() = DG.row(r) * Wx.transpose();
      }
    }
  }
}

template void cellForward<float>(const CellShape&, const float*, const PackedLayout&, bool, const ConstMatRef<float>&,
                                 MatRef<float>, CellState<float>&);
template void cellForward<double>(const CellShape&, const double*, const PackedLayout&, bool,
                                  const ConstMatRef<double>&, MatRef<double>, CellState<double>&);
template void cellBackward<float>(const CellShape&, const float*, float*, const PackedLayout&, bool,
                                  const ConstMatRef<float>&, const ConstMatRef<float>&, CellState<float>&,
                                  RowMat<float>*, bool, const std::vector<int>*);
template void cellBackward<double>(const CellShape&, const double*, double*, const PackedLayout&, bool,
                                   const ConstMatRef<double>&, const ConstMatRef<double>&, CellState<double>&,
                                   RowMat<double>*, bool, const std::vector<int>*);

}  // namespace wembed
