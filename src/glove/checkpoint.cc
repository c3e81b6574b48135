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
  f.pod<int32_t>(c.ranks);  // version 3
  f.pod<double>(a.sync_seconds);
  f.pod<int64_t>(a.sync_records);
  if (c.ranks > 1)
    for (const GloveRankShare& s : c.shares) {
      f.str(s.cooccur);
      f.identity(s.cooccur_id);
      f.pod<uint64_t>(s.cooccur_records);
      f.pod<uint32_t>(s.cooccur_flags);
      f.pod<uint64_t>(s.first);
      f.pod<uint64_t>(s.records);
      f.pod<uint64_t>(s.tile_order.size());
      f.raw(s.tile_order.data(), sizeof(uint32_t) * s.tile_order.size());
    }
  f.commit();
}

void takeRankShare(GloveCheckpoint& c, int r) {
  if (c.ranks <= 1) return;
  GloveRankShare& s = c.shares.at(static_cast<size_t>(r));
  c.run.cooccur = s.cooccur;
  c.run.cooccur_id = s.cooccur_id;
  c.run.cooccur_records = s.cooccur_records;
  c.run.cooccur_flags = s.cooccur_flags;
  c.run.cooccur_first = s.first;
  c.records = s.records;
  c.tile_order = s.tile_order;
}

namespace {

std::vector<uint32_t> readTileOrder(CheckpointReader& f) {
  const uint64_t nt = f.pod<uint64_t>();
  if (nt > f.remaining() / sizeof(uint32_t)) f.fail("truncated");
  std::vector<uint32_t> order(nt);
  f.raw(order.data(), sizeof(uint32_t) * nt);
  return order;
}

bool distinct(std::vector<uint32_t> v) {
  std::sort(v.begin(), v.end());
  return std::adjacent_find(v.begin(), v.end()) == v.end();
}

// Version 3: the ranks, the synchronisation settings and every rank's share.
void readRanks(CheckpointReader& f, GloveCheckpoint& c) {
  c.ranks = f.pod<int32_t>();
  if (c.ranks < 1 || c.ranks > (1 << 20)) f.fail("bad number of MPI ranks");
  c.args.sync_seconds = f.pod<double>();
  c.args.sync_records = f.pod<int64_t>();
  if (!(c.args.sync_seconds > 0) || !std::isfinite(c.args.sync_seconds) || c.args.sync_records < 0)
    f.fail("bad settings");
  if (c.ranks == 1) return;
  for (int32_t r = 0; r < c.ranks; ++r) {
    if (f.remaining() < 44) f.fail("truncated");  // every share takes at least 44 bytes
    GloveRankShare s;
    s.cooccur = f.str();
    s.cooccur_id = f.identity();
    s.cooccur_records = f.pod<uint64_t>();
    s.cooccur_flags = f.pod<uint32_t>();
    s.first = f.pod<uint64_t>();
    s.records = f.pod<uint64_t>();
    s.tile_order = readTileOrder(f);
    c.shares.push_back(std::move(s));
  }
}

// A share fits its file, and rank 0's is the one the one-process fields hold.
bool sharesFit(const GloveCheckpoint& c) {
  if (c.ranks == 1) return c.records > 0;
  uint64_t all = 0;
  for (const GloveRankShare& s : c.shares) {
    if (s.first > s.cooccur_records || s.records > s.cooccur_records - s.first || !distinct(s.tile_order)) return false;
    all += s.records;
  }
  const GloveRankShare& z = c.shares[0];
  return all > 0 && z.cooccur == c.run.cooccur && z.cooccur_id == c.run.cooccur_id && z.records == c.records &&
         z.tile_order == c.tile_order;
}

}  // namespace

GloveCheckpoint loadGloveCheckpoint(const std::string& path) {
  CheckpointReader f(path, CheckpointKind::kGlove);
  const uint32_t version = f.checkVersion(kGloveCheckpointVersion, 2);
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
  c.tile_order = readTileOrder(f);
  c.seconds = f.pod<double>();
  c.w = f.matrix();
  c.c = f.matrix();
  if (version >= 3) readRanks(f, c);
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
            a.threads >= 1 && sharesFit(c) && (r.vectors == "sum" || r.vectors == "word") &&
            c.seconds >= 0;
  for (int32_t i = 0; ok && i < c.epochs_done; ++i) ok = c.history[i].epoch == i + 1;
  ok = ok && distinct(c.tile_order);
  if (!ok) f.fail("inconsistent contents");
  return c;
}

}  // namespace wembed
