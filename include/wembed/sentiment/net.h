#pragma once
// The sentiment network: embedding lookup -> stacked (bi)directional GRU/LSTM
// -> pooling over time -> dropout -> dense layer -> sigmoid. Forward pass and
// gradient of the binary cross-entropy for one minibatch; templated on the
// scalar so the gradient can be checked numerically in double precision.
#include <cstdint>
#include <string>
#include <vector>

#include "wembed/sentiment/rnn.h"

namespace wembed {

enum class Pooling { kLast, kMean, kMax, kAttention };

CellType parseCell(const std::string& s);        // gru | lstm
std::string toString(CellType c);
Pooling parsePooling(const std::string& s);      // last | mean | max | attention
std::string toString(Pooling p);

struct NetConfig {
  CellType cell = CellType::kGru;
  int embed_dim = 0;
  int hidden = 128;
  int layers = 1;
  bool bidirectional = false;
  Pooling pooling = Pooling::kMax;

  int directions() const { return bidirectional ? 2 : 1; }
  int features() const { return directions() * hidden; }  // size of the pooled vector
  CellShape cellShape(int layer) const;
  void validate() const;  // throws Error on nonsense values
};

// Where each parameter block lives in the flat (non-embedding) parameter vector.
struct NetLayout {
  NetLayout() = default;
  explicit NetLayout(const NetConfig& c);
  std::vector<size_t> cell;  // index layer * directions + direction (0 forward, 1 backward)
  size_t attention = 0;      // features() floats, attention pooling only
  size_t dense_w = 0;        // features() floats
  size_t dense_b = 0;        // 1 float
  size_t size = 0;
};

// One text: rows of the embedding table (0 = the unknown-word vector; at
// least one token) and its label (0 negative, 1 positive).
struct Example {
  std::vector<int32_t> ids;
  int label = 0;
};

template <typename T>
struct NetParams {
  NetConfig config;
  NetLayout layout;
  RowMat<T> embeddings;  // rows x embed_dim; row 0 is the unknown-word vector
  AlignedVector<T> dense;  // layout.size

  NetParams() = default;
  NetParams(const NetConfig& c, int64_t embedding_rows);
  // Recurrent weights, attention and dense weights uniform in +-1/sqrt(fan)
  // (PyTorch's scheme), biases 0 except the LSTM forget gate's (1).
  // Leaves the embeddings alone.
  void initialize(uint64_t seed);
};

// Sparse gradient of embedding rows: the distinct rows touched and their sums.
template <typename T>
struct SparseRows {
  std::vector<int32_t> ids;
  RowMat<T> rows;            // ids.size() rows used
  std::vector<int32_t> slot; // per embedding row: index into ids, or -1

  void reset(int64_t table_rows, int cols);  // sizes the slot table, clears
  void clear();                              // keeps the slot table
  void add(int32_t id, const T* g);          // rows[slot(id)] += g (cols values)
};

template <typename T>
struct NetGrad {
  AlignedVector<T> dense;
  SparseRows<T> embeddings;
  void reset(const NetParams<T>& p);  // sized for p, zero
  void zero();
};

// Per-thread activations and scratch; reused across batches.
template <typename T>
struct NetWorkspace {
  PackedLayout layout;
  std::vector<int> order;      // order[b] = index in the caller's batch of sorted sequence b
  std::vector<int32_t> ids;    // packed token ids
  std::vector<int> unk_rows;   // packed rows holding the unknown word
  RowMat<T> x0, dx0;
  std::vector<RowMat<T>> y, dy;
  std::vector<CellState<T>> cells;
  RowMat<T> pooled, features, dfeatures, mask;
  std::vector<int> argmax;     // max pooling: packed row of each maximum (batch x features)
  AlignedVector<T> score;        // attention pooling: softmax weight per packed row
  AlignedVector<T> logit;        // per sorted sequence
  std::vector<T> prob;         // P(positive) per example, in the caller's order
};

// Forward pass over batch[0..n). dropout > 0 (training) drops pooled features
// with that probability, with a mask drawn from seed. Probabilities land in
// ws.prob in the batch's order.
template <typename T>
void netForward(const NetParams<T>& P, const Example* const* batch, int n, NetWorkspace<T>& ws, double dropout,
                uint64_t seed);

// After netForward on the same batch: adds scale * d(sum of losses) to grad
// and returns the sum of the binary cross-entropy losses. Embedding rows get
// a gradient when fine_tune, and the unknown-word row always does.
template <typename T>
T netBackward(const NetParams<T>& P, const Example* const* batch, int n, NetWorkspace<T>& ws, NetGrad<T>& grad,
              T scale, bool fine_tune);

// Numerically stable binary cross-entropy of a logit.
template <typename T>
T bceWithLogit(T logit, int label);

}  // namespace wembed
