#pragma once
// Recurrent cells (GRU, LSTM) over a packed minibatch: forward pass and
// backpropagation through time, with the matrix work done by Eigen.
// GCC 12 reports false "may be used uninitialized" warnings inside its own
// AVX-512 intrinsic headers when they are inlined into Eigen's kernels; the
// headers are pulled in here first, with those warnings off.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <Eigen/Core>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
#include <cstddef>
#include <cstdint>
#include <vector>

namespace wembed {

template <typename T>
using RowMat = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
template <typename T>
using RowVec = Eigen::Matrix<T, 1, Eigen::Dynamic>;
template <typename T>
using MatMap = Eigen::Map<RowMat<T>>;
template <typename T>
using ConstMatMap = Eigen::Map<const RowMat<T>>;
template <typename T>
using VecMap = Eigen::Map<RowVec<T>>;
template <typename T>
using ConstVecMap = Eigen::Map<const RowVec<T>>;
// Parameter vectors are aligned like Eigen's own matrices, so vectorised
// reductions split the work the same way on every run (bitwise repeatable).
template <typename T>
using AlignedVector = std::vector<T, Eigen::aligned_allocator<T>>;
// A row-major matrix or a block of one (e.g. the forward half of a
// bidirectional layer's output).
template <typename T>
using MatRef = Eigen::Ref<RowMat<T>, 0, Eigen::OuterStride<>>;
template <typename T>
using ConstMatRef = Eigen::Ref<const RowMat<T>, 0, Eigen::OuterStride<>>;

enum class CellType { kGru, kLstm };

// The sequences of a minibatch packed time-major, as PyTorch's PackedSequence:
// sequences sorted by length, longest first; the rows of time step t are
// offset[t] .. offset[t] + active[t] - 1, and row offset[t] + b belongs to
// sequence b. Only real tokens are stored, so padding never enters the
// computation (the recurrent state of a finished sequence is simply not
// updated any more).
struct PackedLayout {
  std::vector<int> lengths;  // per sequence: non-increasing, each >= 1
  std::vector<int> offset;   // steps() + 1 entries
  std::vector<int> active;   // per step: sequences with length > t

  // Throws Error unless lengths are non-increasing and positive.
  void build(const std::vector<int>& sorted_lengths);
  int batch() const { return static_cast<int>(lengths.size()); }
  int steps() const { return static_cast<int>(active.size()); }
  int rows() const { return offset.empty() ? 0 : offset.back(); }
  int row(int t, int b) const { return offset[t] + b; }
};

// Parameters of one recurrent layer in one direction, laid out in a flat
// array: Wx (input x G), Wh (hidden x G), b (G) and, for the GRU, bhn (hidden).
// G = 3H for the GRU (gate blocks r, z, n: reset, update, candidate) and 4H
// for the LSTM (i, f, g, o: input, forget, cell candidate, output). As in
// PyTorch, the GRU candidate is n = tanh(Wx_n x + b_n + r * (Wh_n h + bhn)).
struct CellShape {
  CellType cell = CellType::kGru;
  int input = 0;
  int hidden = 0;

  int gates() const { return (cell == CellType::kGru ? 3 : 4) * hidden; }
  size_t wxOffset() const { return 0; }
  size_t whOffset() const { return static_cast<size_t>(input) * gates(); }
  size_t biasOffset() const { return whOffset() + static_cast<size_t>(hidden) * gates(); }
  size_t bhnOffset() const { return biasOffset() + gates(); }  // GRU only
  size_t size() const { return bhnOffset() + (cell == CellType::kGru ? hidden : 0); }
};

// Activations of one layer-direction kept from the forward pass for the
// backward pass, and its scratch buffers. Reused across minibatches (grows to
// the largest batch seen, so the steady state allocates nothing).
template <typename T>
struct CellState {
  RowMat<T> gates;  // N x G: gate activations per packed row
  RowMat<T> hprev;  // N x H: the state each step started from
  RowMat<T> aux;    // GRU: N x H, Wh_n h + bhn; LSTM: N x H, cell state c
  RowMat<T> aux2;   // LSTM: N x H, tanh(c)
  RowMat<T> cprev;  // LSTM: N x H, the cell state each step started from
  RowMat<T> dgx;    // N x G: gradient w.r.t. the input pre-activations
  RowMat<T> dgh;    // GRU: N x G, gradient w.r.t. the hidden pre-activations
  RowMat<T> step;   // B x G scratch
  RowMat<T> dh, dc, carry_h, carry_c;  // B x H scratch
};

// Runs one direction of a layer over the packed batch: X (N x input) in,
// Y (N x H) out; reverse = right to left. Keeps what backward needs in st.
template <typename T>
void cellForward(const CellShape& s, const T* params, const PackedLayout& L, bool reverse, const ConstMatRef<T>& X,
                 MatRef<T> Y, CellState<T>& st);

// Backpropagation through time for the last cellForward on st: dY (N x H) is
// the loss gradient w.r.t. Y. Adds the parameter gradients to grad (same
// layout as params). If dX is non-null it receives the gradient w.r.t. X
// (N x input; added to it when accumulate_dx, else assigned). If dx_rows is
// non-null, only those packed rows of dX are computed (the rest are left as
// they are): the frozen-embedding case, where only unknown words need it.
template <typename T>
void cellBackward(const CellShape& s, const T* params, T* grad, const PackedLayout& L, bool reverse,
                  const ConstMatRef<T>& X, const ConstMatRef<T>& dY, CellState<T>& st, RowMat<T>* dX,
                  bool accumulate_dx, const std::vector<int>* dx_rows = nullptr);

}  // namespace wembed
