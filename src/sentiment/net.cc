#include "wembed/sentiment/net.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

#include "wembed/core/error.h"
#include "wembed/core/range_check.h"

namespace wembed {

CellType parseCell(const std::string& s) {
  if (s == "gru") return CellType::kGru;
  if (s == "lstm") return CellType::kLstm;
  throw Error("unknown cell " + quote(s) + " (expected gru or lstm)");
}

std::string toString(CellType c) { return c == CellType::kGru ? "gru" : "lstm"; }

Pooling parsePooling(const std::string& s) {
  if (s == "last") return Pooling::kLast;
  if (s == "mean") return Pooling::kMean;
  if (s == "max") return Pooling::kMax;
  if (s == "attention") return Pooling::kAttention;
  throw Error("unknown pooling " + quote(s) + " (expected last, mean, max or attention)");
}

std::string toString(Pooling p) {
  switch (p) {
    case Pooling::kLast: return "last";
    case Pooling::kMean: return "mean";
    case Pooling::kMax: return "max";
    case Pooling::kAttention: return "attention";
  }
  return "?";
}

CellShape NetConfig::cellShape(int layer) const {
  CellShape s;
  s.cell = cell;
  s.input = layer == 0 ? embed_dim : features();
  s.hidden = hidden;
  return s;
}

void NetConfig::validate() const {
  checkRange("the embedding dimension", embed_dim, Range::closed(1, 100000));
  checkRange("--hidden", hidden, Range::closed(1, 8192));
  checkRange("--layers", layers, Range::closed(1, 16));
}

NetLayout::NetLayout(const NetConfig& c) {
  size_t off = 0;
  for (int l = 0; l < c.layers; ++l)
    for (int d = 0; d < c.directions(); ++d) {
      cell.push_back(off);
      off += c.cellShape(l).size();
    }
  const size_t D = static_cast<size_t>(c.features());
  if (c.pooling == Pooling::kAttention) {
    attention = off;
    off += D;
  }
  dense_w = off;
  off += D;
  dense_b = off;
  off += 1;
  size = off;
}

template <typename T>
NetParams<T>::NetParams(const NetConfig& c, int64_t embedding_rows) : config(c), layout(c) {
  c.validate();
  embeddings = RowMat<T>::Zero(embedding_rows, c.embed_dim);
  dense.assign(layout.size, T(0));
}

template <typename T>
void NetParams<T>::initialize(uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto fill = [&](size_t off, size_t n, double k) {
    std::uniform_real_distribution<double> u(-k, k);
    for (size_t i = 0; i < n; ++i) dense[off + i] = static_cast<T>(u(rng));
  };
  std::fill(dense.begin(), dense.end(), T(0));
  const double kh = 1.0 / std::sqrt(static_cast<double>(config.hidden));
  for (int l = 0; l < config.layers; ++l)
    for (int d = 0; d < config.directions(); ++d) {
      const CellShape s = config.cellShape(l);
      const size_t base = layout.cell[l * config.directions() + d];
      fill(base + s.wxOffset(), s.whOffset() - s.wxOffset(), kh);
      fill(base + s.whOffset(), s.biasOffset() - s.whOffset(), kh);
      if (s.cell == CellType::kLstm)
        std::fill_n(dense.begin() + static_cast<std::ptrdiff_t>(base + s.biasOffset() + s.hidden), s.hidden, T(1));
    }
  const double kd = 1.0 / std::sqrt(static_cast<double>(config.features()));
  if (config.pooling == Pooling::kAttention) fill(layout.attention, config.features(), kd);
  fill(layout.dense_w, config.features(), kd);
}

template <typename T>
void SparseRows<T>::reset(int64_t table_rows, int cols) {
  ids.clear();
  slot.assign(static_cast<size_t>(table_rows), -1);
  rows.resize(std::max<int64_t>(rows.rows(), 64), cols);
}

template <typename T>
void SparseRows<T>::clear() {
  for (int32_t id : ids) slot[id] = -1;
  ids.clear();
}

template <typename T>
void SparseRows<T>::add(int32_t id, const T* g) {
  ConstVecMap<T> v(g, rows.cols());
  int32_t s = slot[id];
  if (s < 0) {
    s = static_cast<int32_t>(ids.size());
    slot[id] = s;
    ids.push_back(id);
    if (s >= rows.rows()) rows.conservativeResize(std::max<int64_t>(2 * rows.rows(), s + 1), Eigen::NoChange);
    rows.row(s) = v;
  } else {
    rows.row(s) += v;
  }
}

template <typename T>
void NetGrad<T>::reset(const NetParams<T>& p) {
  dense.assign(p.dense.size(), T(0));
  embeddings.reset(p.embeddings.rows(), static_cast<int>(p.embeddings.cols()));
}

template <typename T>
void NetGrad<T>::zero() {
  std::fill(dense.begin(), dense.end(), T(0));
  embeddings.clear();
}

template <typename T>
T bceWithLogit(T z, int label) {
  // -log sigmoid(z) for label 1, -log(1 - sigmoid(z)) for label 0.
  const T zz = label ? z : -z;
  return std::max(-zz, T(0)) + std::log1p(std::exp(-std::abs(zz)));
}

namespace {

template <typename T>
void ensure(RowMat<T>& m, int rows, int cols) {
  if (m.cols() != cols || m.rows() < rows) m.resize(rows, cols);
}

inline uint64_t splitmix64(uint64_t& x) {
  uint64_t z = (x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

template <typename T>
T sigmoid(T z) {
  return z >= 0 ? T(1) / (T(1) + std::exp(-z)) : std::exp(z) / (T(1) + std::exp(z));
}

// Sorts the batch longest first (stable, so equal lengths keep the caller's
// order), builds the packed layout and looks the tokens' embeddings up into
// ws.x0; unknown words' rows go to ws.unk_rows.
template <typename T>
void packBatch(const NetParams<T>& P, const Example* const* batch, int n, NetWorkspace<T>& ws) {
  const int E = P.config.embed_dim;
  ws.order.resize(n);
  std::iota(ws.order.begin(), ws.order.end(), 0);
  std::stable_sort(ws.order.begin(), ws.order.end(),
                   [&](int a, int b) { return batch[a]->ids.size() > batch[b]->ids.size(); });
  std::vector<int> lengths(n);
  for (int b = 0; b < n; ++b) lengths[b] = static_cast<int>(batch[ws.order[b]]->ids.size());
  ws.layout.build(lengths);
  const PackedLayout& L = ws.layout;
  const int N = L.rows();

  // Embedding lookup into packed rows.
  ensure(ws.x0, N, E);
  ws.ids.resize(N);
  ws.unk_rows.clear();
  const int64_t V = P.embeddings.rows();
  for (int t = 0; t < L.steps(); ++t)
    for (int b = 0; b < L.active[t]; ++b) {
      const int r = L.row(t, b);
      const int32_t id = batch[ws.order[b]]->ids[t];
      if (id < 0 || id >= V) throw Error("token id out of range");
      ws.ids[r] = id;
      if (id == 0) ws.unk_rows.push_back(r);
      ws.x0.row(r) = P.embeddings.row(id);
    }
}

// Pools the top layer's outputs over time into ws.pooled (n x D).
template <typename T>
void poolForward(const NetParams<T>& P, const RowMat<T>& top, int n, NetWorkspace<T>& ws) {
  const NetConfig& c = P.config;
  const int H = c.hidden, D = c.features(), dirs = c.directions();
  const PackedLayout& L = ws.layout;
  const int N = L.rows();
  ensure(ws.pooled, n, D);
  switch (c.pooling) {
    case Pooling::kLast:
      for (int b = 0; b < n; ++b) {
        ws.pooled.row(b).head(H) = top.row(L.row(L.lengths[b] - 1, b)).head(H);
        if (dirs == 2) ws.pooled.row(b).tail(H) = top.row(L.row(0, b)).tail(H);  // backward direction ends at t = 0
      }
      break;
    case Pooling::kMean:
      for (int b = 0; b < n; ++b) {
        auto p = ws.pooled.row(b);
        p = top.row(L.row(0, b));
        for (int t = 1; t < L.lengths[b]; ++t) p += top.row(L.row(t, b));
        p /= static_cast<T>(L.lengths[b]);
      }
      break;
    case Pooling::kMax:
      ws.argmax.resize(static_cast<size_t>(n) * D);
      for (int b = 0; b < n; ++b) {
        T* p = ws.pooled.row(b).data();
        int* am = ws.argmax.data() + static_cast<size_t>(b) * D;
        const T* r0 = top.row(L.row(0, b)).data();
        for (int j = 0; j < D; ++j) {
          p[j] = r0[j];
          am[j] = L.row(0, b);
        }
        for (int t = 1; t < L.lengths[b]; ++t) {
          const int r = L.row(t, b);
          const T* y = top.row(r).data();
          for (int j = 0; j < D; ++j)
            if (y[j] > p[j]) {
              p[j] = y[j];
              am[j] = r;
            }
        }
      }
      break;
    case Pooling::kAttention: {
      ConstVecMap<T> u(P.dense.data() + P.layout.attention, D);
      ws.score.resize(N);
      Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> sc(ws.score.data(), N);
      sc.noalias() = top.topRows(N) * u.transpose();
      for (int b = 0; b < n; ++b) {
        T mx = -std::numeric_limits<T>::infinity();
        for (int t = 0; t < L.lengths[b]; ++t) mx = std::max(mx, ws.score[L.row(t, b)]);
        T sum = 0;
        for (int t = 0; t < L.lengths[b]; ++t) {
          T& s = ws.score[L.row(t, b)];
          s = std::exp(s - mx);
          sum += s;
        }
        auto p = ws.pooled.row(b);
        p.setZero();
        for (int t = 0; t < L.lengths[b]; ++t) {
          const int r = L.row(t, b);
          ws.score[r] /= sum;
          p += ws.score[r] * top.row(r);
        }
      }
      break;
    }
  }
}

// Dropout on the pooled features (mask drawn from seed), the dense layer and
// the sigmoid: ws.prob in the caller's order.
template <typename T>
void outputForward(const NetParams<T>& P, int n, NetWorkspace<T>& ws, double dropout, uint64_t seed) {
  const int D = P.config.features();
  ensure(ws.features, n, D);
  if (dropout > 0) {
    ensure(ws.mask, n, D);
    const T keep_scale = T(1) / static_cast<T>(1 - dropout);
    uint64_t state = seed;
    for (int b = 0; b < n; ++b)
      for (int j = 0; j < D; ++j) {
        const double u = static_cast<double>(splitmix64(state) >> 11) * (1.0 / 9007199254740992.0);
        ws.mask(b, j) = u >= dropout ? keep_scale : T(0);
      }
    ws.features.topRows(n) = ws.pooled.topRows(n).cwiseProduct(ws.mask.topRows(n));
  } else {
    ensure(ws.mask, n, D);
    ws.mask.topRows(n).setOnes();
    ws.features.topRows(n) = ws.pooled.topRows(n);
  }
  ConstVecMap<T> w(P.dense.data() + P.layout.dense_w, D);
  const T bias = P.dense[P.layout.dense_b];
  ws.logit.resize(n);
  ws.prob.resize(n);
  Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>> lg(ws.logit.data(), n);
  lg.noalias() = ws.features.topRows(n) * w.transpose();
  for (int b = 0; b < n; ++b) {
    ws.logit[b] += bias;
    ws.prob[ws.order[b]] = sigmoid(ws.logit[b]);
  }
}

// Through the pooling: ws.dfeatures (n x D) to dtop, the gradient w.r.t.
// the top layer's outputs; attention pooling also adds its vector's gradient to g.
template <typename T>
void poolBackward(const NetParams<T>& P, int n, NetWorkspace<T>& ws, RowMat<T>& dtop, T* g) {
  const NetConfig& c = P.config;
  const int H = c.hidden, D = c.features(), dirs = c.directions();
  const PackedLayout& L = ws.layout;
  const int N = L.rows();
  const RowMat<T>& top = ws.y[c.layers - 1];
  dtop.topRows(N).setZero();
  switch (c.pooling) {
    case Pooling::kLast:
      for (int b = 0; b < n; ++b) {
        dtop.row(L.row(L.lengths[b] - 1, b)).head(H) += ws.dfeatures.row(b).head(H);
        if (dirs == 2) dtop.row(L.row(0, b)).tail(H) += ws.dfeatures.row(b).tail(H);
      }
      break;
    case Pooling::kMean:
      for (int b = 0; b < n; ++b) {
        const auto dp = ws.dfeatures.row(b) / static_cast<T>(L.lengths[b]);
        for (int t = 0; t < L.lengths[b]; ++t) dtop.row(L.row(t, b)) += dp;
      }
      break;
    case Pooling::kMax:
      for (int b = 0; b < n; ++b) {
        const int* am = ws.argmax.data() + static_cast<size_t>(b) * D;
        for (int j = 0; j < D; ++j) dtop(am[j], j) += ws.dfeatures(b, j);
      }
      break;
    case Pooling::kAttention: {
      // pooled = sum_t a_t y_t, a = softmax(s), s_t = u . y_t
      ConstVecMap<T> u(P.dense.data() + P.layout.attention, D);
      VecMap<T> gu(g + P.layout.attention, D);
      for (int b = 0; b < n; ++b) {
        const auto dp = ws.dfeatures.row(b);
        const T dp_pooled = dp.dot(ws.pooled.row(b));
        for (int t = 0; t < L.lengths[b]; ++t) {
          const int r = L.row(t, b);
          const T a = ws.score[r];
          const T ds = a * (dp.dot(top.row(r)) - dp_pooled);
          dtop.row(r) += a * dp + ds * u;
          gu += ds * top.row(r);
        }
      }
      break;
    }
  }

}


}  // namespace

template <typename T>
void netForward(const NetParams<T>& P, const Example* const* batch, int n, NetWorkspace<T>& ws, double dropout,
                uint64_t seed) {
  const NetConfig& c = P.config;
  const int H = c.hidden, D = c.features(), dirs = c.directions();
  if (n <= 0) throw Error("empty batch");
  packBatch(P, batch, n, ws);
  const PackedLayout& L = ws.layout;
  const int N = L.rows();

  // Recurrent layers.
  ws.y.resize(c.layers);
  ws.cells.resize(static_cast<size_t>(c.layers) * dirs);
  for (int l = 0; l < c.layers; ++l) {
    ensure(ws.y[l], N, D);
    const RowMat<T>& in = l == 0 ? ws.x0 : ws.y[l - 1];
    const CellShape s = c.cellShape(l);
    for (int d = 0; d < dirs; ++d)
      cellForward<T>(s, P.dense.data() + P.layout.cell[l * dirs + d], L, d == 1, in.topRows(N),
                     ws.y[l].topRows(N).middleCols(d * H, H), ws.cells[l * dirs + d]);
  }

  // Pooling over time, dropout, dense layer, sigmoid.
  poolForward(P, ws.y[c.layers - 1], n, ws);
  outputForward(P, n, ws, dropout, seed);
}

template <typename T>
T netBackward(const NetParams<T>& P, const Example* const* batch, int n, NetWorkspace<T>& ws, NetGrad<T>& grad,
              T scale, bool fine_tune) {
  const NetConfig& c = P.config;
  const int H = c.hidden, D = c.features(), dirs = c.directions();
  const PackedLayout& L = ws.layout;
  const int N = L.rows();
  T* g = grad.dense.data();

  // Loss and dense layer.
  T loss = 0;
  ConstVecMap<T> w(P.dense.data() + P.layout.dense_w, D);
  VecMap<T> gw(g + P.layout.dense_w, D);
  ensure(ws.dfeatures, n, D);
  for (int b = 0; b < n; ++b) {
    const int label = batch[ws.order[b]]->label;
    loss += bceWithLogit(ws.logit[b], label);
    const T dz = (sigmoid(ws.logit[b]) - static_cast<T>(label)) * scale;
    gw += dz * ws.features.row(b);
    g[P.layout.dense_b] += dz;
    ws.dfeatures.row(b) = (dz * w).cwiseProduct(ws.mask.row(b));  // through dropout
  }

  // Pooling.
  ws.dy.resize(c.layers);
  for (int l = 0; l < c.layers; ++l) ensure(ws.dy[l], N, D);
  poolBackward(P, n, ws, ws.dy[c.layers - 1], g);

  // Recurrent layers, top down.
  const bool unk_only = !fine_tune;
  for (int l = c.layers - 1; l >= 0; --l) {
    const RowMat<T>& in = l == 0 ? ws.x0 : ws.y[l - 1];
    const CellShape s = c.cellShape(l);
    RowMat<T>* dx = nullptr;
    const std::vector<int>* rows = nullptr;
    if (l > 0) {
      dx = &ws.dy[l - 1];
    } else if (fine_tune || !ws.unk_rows.empty()) {
      ensure(ws.dx0, N, c.embed_dim);
      dx = &ws.dx0;
      if (unk_only) rows = &ws.unk_rows;
    }
    for (int d = 0; d < dirs; ++d) {
      const size_t off = P.layout.cell[l * dirs + d];
      cellBackward<T>(s, P.dense.data() + off, g + off, L, d == 1, in.topRows(N),
                      ws.dy[l].topRows(N).middleCols(d * H, H), ws.cells[l * dirs + d], dx, d > 0, rows);
    }
  }

  // Embedding rows.
  if (fine_tune) {
    for (int r = 0; r < N; ++r) grad.embeddings.add(ws.ids[r], ws.dx0.row(r).data());
  } else {
    for (int r : ws.unk_rows) grad.embeddings.add(0, ws.dx0.row(r).data());
  }
  return loss;
}

template struct NetParams<float>;
template struct NetParams<double>;
template struct SparseRows<float>;
template struct SparseRows<double>;
template struct NetGrad<float>;
template struct NetGrad<double>;
template float bceWithLogit<float>(float, int);
template double bceWithLogit<double>(double, int);
template void netForward<float>(const NetParams<float>&, const Example* const*, int, NetWorkspace<float>&, double,
                                uint64_t);
template void netForward<double>(const NetParams<double>&, const Example* const*, int, NetWorkspace<double>&,
                                 double, uint64_t);
template float netBackward<float>(const NetParams<float>&, const Example* const*, int, NetWorkspace<float>&,
                                  NetGrad<float>&, float, bool);
template double netBackward<double>(const NetParams<double>&, const Example* const*, int, NetWorkspace<double>&,
                                    NetGrad<double>&, double, bool);

}  // namespace wembed
