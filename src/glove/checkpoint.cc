#include "wembed/glove/checkpoint.h"

#include <algorithm>
#include <cmath>

#include "wembed/core/checkpoint_io.h"
#include "wembed/core/error.h"

namespace wembed {

void saveGloveCheckpoint(const std::string& path, const GloveCheckpoint& c, const Matrix& w, const Matrix& ctx) {
  CheckpointWriter f(path, CheckpointKind::kGlove);
  f.pod<uint32_t>(kGloveCheckpointVersion);
  const GloveArgs& a = c.args;
  f.pod<int32_t>(a.dim);
  f.pod<int32_t>(a.epochs);
  f.pod<double>(a.x_max);
  f.pod<double>(a.alpha);
  f.pod<double>(a.eta);
  f.pod<double>(a.grad_clip);
  f.pod<double>(a.init_scale);
  f.pod<int32_t>(a.threads);
  f.pod<uint64_t>(a.seed);
  f.pod<double>(a.memory_gb);
  f.pod<int64_t>(a.tile_words);
  const GloveRun& r = c.run;
  f.pod<uint32_t>(static_cast<uint32_t>(r.vocab.size()));
  for (const auto& e : r.vocab) {
    f.str(e.word);
    f.pod<int64_t>(e.count);
  }
  f.str(r.cooccur);
  f.identity(r.cooccur_id);
  f.pod<uint64_t>(r.cooccur_records);
  f.pod<uint32_t>(r.cooccur_flags);
  f.pod<uint8_t>(r.cooccur_owned ? 1 : 0);
  f.str(r.output);
  f.str(r.output_context);
  f.pod<int32_t>(r.format);
  f.str(r.vectors);
  f.pod<uint64_t>(c.records);
  f.pod<int32_t>(c.epochs_done);
  f.pod<uint32_t>(static_cast<uint32_t>(c.history.size()));
  for (const GloveEpoch& e : c.history) {
    f.pod<int32_t>(e.epoch);
    f.pod<double>(e.cost);
    f.pod<double>(e.seconds);
  }
  f.pod<uint64_t>(c.tile_order.size());
  f.raw(c.tile_order.data(), sizeof(uint32_t) * c.tile_order.size());
  f.pod<double>(c.seconds);
  f.matrix(w);
  f.matrix(ctx);
  f.commit();
}

GloveCheckpoint loadGloveCheckpoint(const std::string& path) {
  CheckpointReader f(path, CheckpointKind::kGlove);
  f.checkVersion(kGloveCheckpointVersion);
  GloveCheckpoint c;
  GloveArgs& a = c.args;
  a.dim = f.pod<int32_t>();
  a.epochs = f.pod<int32_t>();
  a.x_max = f.pod<double>();
  a.alpha = f.pod<double>();
  a.eta = f.pod<double>();
  a.grad_clip = f.pod<double>();
  a.init_scale = f.pod<double>();
  a.threads = f.pod<int32_t>();
  a.seed = f.pod<uint64_t>();
  a.memory_gb = f.pod<double>();
  a.tile_words = f.pod<int64_t>();
  GloveRun& r = c.run;
  const uint32_t nv = f.pod<uint32_t>();
  if (nv > f.remaining() / 12) f.fail("truncated");  // every entry takes at least 12 bytes
  r.vocab.reserve(nv);
  for (uint32_t i = 0; i < nv; ++i) {
    std::string w = f.str();
    r.vocab.push_back({std::move(w), f.pod<int64_t>()});
  }
  r.cooccur = f.str();
  r.cooccur_id = f.identity();
  r.cooccur_records = f.pod<uint64_t>();
  r.cooccur_flags = f.pod<uint32_t>();
  const uint8_t owned = f.pod<uint8_t>();
  if (owned > 1) f.fail("bad flag");
  r.cooccur_owned = owned == 1;
  r.output = f.str();
  r.output_context = f.str();
  r.format = f.pod<int32_t>();
  r.vectors = f.str();
  c.records = f.pod<uint64_t>();
  c.epochs_done = f.pod<int32_t>();
  const uint32_t nh = f.pod<uint32_t>();
  if (nh > f.remaining() / 20) f.fail("truncated");
  for (uint32_t i = 0; i < nh; ++i) {
    GloveEpoch e;
    e.epoch = f.pod<int32_t>();
    e.cost = f.pod<double>();
    e.seconds = f.pod<double>();
    c.history.push_back(e);
  }
  const uint64_t nt = f.pod<uint64_t>();
  if (nt > f.remaining() / sizeof(uint32_t)) f.fail("truncated");
  c.tile_order.resize(nt);
  f.raw(c.tile_order.data(), sizeof(uint32_t) * nt);
  c.seconds = f.pod<double>();
  c.w = f.matrix();
  c.c = f.matrix();
  f.finish();
  // Consistency: the pieces must fit together before anyone trusts them.
  try {
    a.validate();
  } catch (const Error& e) {
    f.fail(std::string("bad settings: ") + e.what());
  }
  const int64_t V = c.w.rows();  // the vocabulary is empty when the trainer was used without a command
  const int width = 2 * gloveRowWidth(a.dim);
  bool ok = V > 0 && (r.vocab.empty() || static_cast<int64_t>(r.vocab.size()) == V) && c.c.rows() == V && c.w.cols() == width && c.c.cols() == width &&
            c.epochs_done >= 0 && c.epochs_done <= a.epochs && static_cast<int32_t>(c.history.size()) == c.epochs_done &&
            a.threads >= 1 && c.records > 0 && (r.vectors == "sum" || r.vectors == "word") &&
            c.seconds >= 0;
  for (int32_t i = 0; ok && i < c.epochs_done; ++i) ok = c.history[i].epoch == i + 1;
  std::vector<uint32_t> sorted = c.tile_order;
  std::sort(sorted.begin(), sorted.end());
  ok = ok && std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end();
  if (!ok) f.fail("inconsistent contents");
  return c;
}

}  // namespace wembed
