// countCooccurrences: sizing, then counting (cooccur_count.cc), merging
// (cooccur_merge.cc) and shuffling (cooccur_shuffle.cc).
#include <omp.h>

#include <algorithm>
#include <cmath>

#include "glove/cooccur_internal.h"
#include "wembed/core/error.h"
#include "wembed/core/range_check.h"
#include "wembed/core/threads.h"
#include "wembed/distributed/comm.h"

namespace wembed {

void CooccurArgs::validate() const {
  checkRange("--window", window, Range::closed(1, 1000));
  checkRange("--memory", memory_gb, Range::openLow(0, kMaxMemoryGb));
  checkRange("--max-open", max_open, Range::closed(2, 100000));
  resolveThreads(threads);  // refuses a count out of range
}

int CooccurArgs::effectiveThreads() const { return resolveThreads(threads); }

uint64_t CooccurArgs::memoryBytes() const { return static_cast<uint64_t>(memory_gb * 1073741824.0); }

int64_t denseCells(int64_t vocab, int64_t max_product, bool symmetric) {
  int64_t cells = 0;
  for (int64_t i = 0; i < vocab; ++i) {
    const int64_t lim = std::min(vocab, max_product / (i + 1));
    const int64_t start = symmetric ? i : 0;
    if (lim <= start) break;  // lim decreases and start does not
    cells += lim - start;
  }
  return cells;
}
std::string cooccurSummary(const CooccurStats& st, const std::string& name) {
  return stringPrintf("cooccur: wrote %llu records to %s (merge %s, shuffle %s in %d buckets)",
                      static_cast<unsigned long long>(st.records), name.c_str(),
                      formatDuration(st.merge_seconds).c_str(), formatDuration(st.shuffle_seconds).c_str(),
                      st.buckets);
}

namespace {

using namespace cooccur_internal;

std::string mb(double bytes) { return stringPrintf("%.0f MB", bytes / 1048576.0); }

// Sizing: 80% of the cap goes to the counting structures, half of each
// thread's share to its dense array and half to its sparse buffer. Sets
// st.max_product and st.buffer_records.
void size(const CooccurArgs& args, const Dictionary& dict, int T, CooccurStats& st) {
  const int32_t V = dict.size();
  const double share = 0.8 * static_cast<double>(std::max<uint64_t>(args.memoryBytes(), 1)) / T;
  int64_t P = args.max_product;
  if (P < 0) {
    // No bigger than the corpus can fill: each token adds at most `window`
    // pairs (small corpora then do not pay for zeroing a huge array).
    const int64_t budget_cells = std::min(static_cast<int64_t>(0.5 * share / sizeof(float)),
                                          std::max<int64_t>(1 << 16, dict.totalCount() * args.window));
    int64_t lo = 0, hi = static_cast<int64_t>(V) * V;
    while (lo < hi) {  // largest P whose array fits
      const int64_t mid = lo + (hi - lo + 1) / 2;
      if (denseCells(V, mid, args.symmetric) <= budget_cells) lo = mid;
      else hi = mid - 1;
    }
    P = lo;
  }
  size_t cap = args.buffer_records > 0 ? static_cast<size_t>(args.buffer_records)
                                       : static_cast<size_t>(0.5 * share / sizeof(Rec));
  st.max_product = P;
  st.buffer_records = static_cast<int64_t>(std::max<size_t>(cap, 16));
}

// Counts every thread's range; afterwards the dense arrays are summed into
// the first one (returned: its number of non-zero cells).
int64_t count(const std::vector<std::string>& files, CountShared& sh, std::vector<ThreadCounter>& tcs,
              CooccurStats& st) {
  const CooccurArgs& args = *sh.args;
  const int T = static_cast<int>(tcs.size());
  for (auto& tc : tcs) {
    tc.dense = std::make_unique<ZeroPages>(static_cast<size_t>(sh.layout->cells) * sizeof(float));
    tc.buf = mallocArray<Rec>(static_cast<size_t>(st.buffer_records));
    tc.cap = static_cast<size_t>(st.buffer_records);
  }
  countAll(rankParts(files, T, args.cross_sentences ? SplitAt::kAnyByte : SplitAt::kLineStart), tcs, sh);
  for (auto& tc : tcs) st.tokens += tc.tokens;
  st.runs = static_cast<int>(sh.runs.runs().size());
  st.count_seconds = sh.clock.seconds();
  sh.hooks->log.say(stringPrintf("cooccur: counted %lld tokens in %s (%.2fM tokens/s), %d runs spilled",
                                 static_cast<long long>(st.tokens), formatDuration(st.count_seconds).c_str(),
                                 st.tokens / std::max(1e-9, st.count_seconds) / 1e6, st.runs));
  const int64_t cells = sh.layout->cells;
  float* d0 = tcs[0].dense->floats();
  for (int t = 1; t < T; ++t) {
    const float* dt = tcs[t].dense->floats();
#pragma omp parallel for num_threads(T) schedule(static)
    for (int64_t c = 0; c < cells; ++c) d0[c] += dt[c];
    tcs[t].dense.reset();
  }
  int64_t nonzero = 0;
#pragma omp parallel for num_threads(T) reduction(+ : nonzero) schedule(static)
  for (int64_t c = 0; c < cells; ++c) nonzero += d0[c] != 0.f;
  return nonzero;
}

// The inputs of the final merge: the run files, the threads' in-memory
// runs and the dense array.
std::vector<std::unique_ptr<Source>> localSources(const std::vector<Run>& runs, std::vector<ThreadCounter>& tcs,
                                                  const DenseLayout& layout, size_t read_block) {
  std::vector<std::unique_ptr<Source>> own;
  for (const auto& r : runs) own.push_back(std::make_unique<FileSource>(r.file->path(), read_block));
  for (const auto& tc : tcs) own.push_back(std::make_unique<MemSource>(tc.buf.get(), tc.n));
  own.push_back(std::make_unique<DenseSource>(layout, tcs[0].dense->floats(), read_block));
  return own;
}

// The final merge of the sources (`upper` records at most), scattered to
// shuffle buckets.
std::unique_ptr<Scatter> mergeToBuckets(const CooccurArgs& args, const CountShared& sh,
                                        const std::vector<std::unique_ptr<Source>>& own, uint64_t upper) {
  const uint64_t mem = std::max<uint64_t>(args.memoryBytes(), 1);
  const Reporter& log = sh.hooks->log;
  // Buckets of at most 80% of the cap, and small enough (8 MB) that the
  // in-memory shuffle stays in cache.
  const double bucket_budget =
      std::min(std::max(0.8 * static_cast<double>(mem), 4096.0 * sizeof(Rec)), 8.0 * 1048576);
  const int K = static_cast<int>(std::max<double>(1.0, std::ceil(upper * sizeof(Rec) / bucket_budget)));
  const size_t block = std::clamp<size_t>(static_cast<size_t>(0.05 * mem / sizeof(Rec) / K), 16, 1 << 16);
  auto scatter = std::make_unique<Scatter>(*sh.dir, K, block, args.seed * 0x9E3779B97F4A7C15ull + 17);
  std::vector<Source*> srcs;
  for (auto& s : own) srcs.push_back(s.get());
  uint64_t emitted = 0;
  Stopwatch clock;
  Throttle shown;
  auto tick = [&]() {
    if (!log.showsStatus() || !shown.due(clock.seconds())) return;
    const double f = std::min(0.999, static_cast<double>(emitted) / std::max<uint64_t>(1, upper));
    const double now = clock.seconds();
    log.show(stringPrintf("cooccur: merging %zu runs + dense array  %5.1f%%  ETA: %s", own.size() - 1,
                          100.0 * f, formatDuration(f > 0 ? now * (1 - f) / f : 0).c_str()));
  };
  const bool sym = args.symmetric;
  Scatter& sc = *scatter;
  mergeSources(
      srcs,
      [&](int32_t i, int32_t j, double c) {
        const float x = static_cast<float>(c);
        sc.put(i, j, x);
        ++emitted;
        if (sym && i != j) {
          sc.put(j, i, x);
          ++emitted;
        }
      },
      tick);
  sc.finish();
  return scatter;
}

}  // namespace

namespace {

// The state of one count (this rank's share, when distributed).
struct Counting {
  Counting(const CooccurArgs& a, const Dictionary& dict, const CooccurHooks& hooks, CooccurStats& st, int T)
      : args(a), mem(std::max<uint64_t>(a.memoryBytes(), 1)), layout(dict.size(), st.max_product, a.symmetric),
        tcs(T) {
    sh.dict = &dict;
    sh.args = &args;
    sh.hooks = &hooks;
    sh.layout = &layout;
    read_block = std::clamp<size_t>(static_cast<size_t>(0.02 * mem / sizeof(Rec) / args.max_open), 64, 1 << 16);
  }
  const CooccurArgs& args;
  const uint64_t mem;
  const DenseLayout layout;
  size_t read_block;
  std::unique_ptr<ScratchDir> scratch;
  std::vector<ThreadCounter> tcs;
  CountShared sh;
  std::vector<Run> owned;  // distributed: the sorted runs of the pairs this rank owns
  uint64_t upper = 0;      // records the final merge may emit
  Stopwatch merge_clock;
};

// Counts (this rank's share), merges the runs down to max_open and, when
// distributed, splits the counts into one sorted run per owning rank.
void countLocal(const std::vector<std::string>& files, const std::string& output, Counting& c, CooccurStats& st) {
  const CooccurArgs& args = c.args;
  const CooccurHooks& hooks = *c.sh.hooks;
  for (const auto& f : files) checkReadable(f);
  c.scratch = std::make_unique<ScratchDir>(args.tmp_dir.empty() ? defaultTmpDir() : args.tmp_dir);
  if (args.durable_output) AtomicFile probe(output);  // fail now, not after counting
  const size_t cap = static_cast<size_t>(st.buffer_records);
  hooks.log.say(stringPrintf(
      "cooccur: %d words, window %d, %s, %s, %d threads, memory %.2f GB: dense array for rank "
      "products <= %lld (%s per thread), buffer of %zu records (%s) per thread",
      c.sh.dict->size(), args.window, args.symmetric ? "symmetric" : "asymmetric (left context)",
      args.cross_sentences ? "across lines" : "within lines", static_cast<int>(c.tcs.size()), args.memory_gb,
      static_cast<long long>(st.max_product), mb(c.layout.cells * 4.0).c_str(), cap, mb(cap * sizeof(Rec) * 1.0).c_str()));
  if (hooks.on_stage) hooks.on_stage(CooccurStage::kCounting);
  c.sh.dir = &c.scratch->path();
  c.sh.total_tokens = std::max<int64_t>(1, c.sh.dict->totalCount() / distributed::size());
  const int64_t nonzero = count(files, c.sh, c.tcs, st);

  c.merge_clock = Stopwatch();
  if (hooks.on_stage) hooks.on_stage(CooccurStage::kMerging);
  std::vector<Run>& runs = c.sh.runs.runs();
  st.merge_rounds = mergeRounds(runs, args.max_open, c.read_block, c.scratch->path(), hooks.log);
  c.upper = static_cast<uint64_t>(nonzero);
  for (const auto& r : runs) c.upper += r.records;
  for (const auto& tc : c.tcs) c.upper += tc.n;
  if (!distributed::active()) return;
  const auto own = localSources(runs, c.tcs, c.layout, c.read_block);
  std::vector<Source*> srcs;
  for (auto& s : own) srcs.push_back(s.get());
  c.owned = splitByOwner(srcs, c.scratch->path(), c.read_block);
  runs.clear();
  c.tcs.clear();
}

// The final merge (of what this rank owns, when distributed), shuffled into output.
void mergeAndShuffle(const Dictionary& dict, const std::string& output, Counting& c, CooccurStats& st) {
  const CooccurArgs& args = c.args;
  std::vector<std::unique_ptr<Source>> own;
  if (distributed::active()) {
    c.upper = 0;
    for (const auto& r : c.owned) {
      own.push_back(std::make_unique<FileSource>(r.file->path(), c.read_block));
      c.upper += r.records;
    }
  } else {
    own = localSources(c.sh.runs.runs(), c.tcs, c.layout, c.read_block);
  }
  if (args.symmetric) c.upper *= 2;
  const std::unique_ptr<Scatter> scatter = mergeToBuckets(args, c.sh, own, c.upper);
  own.clear();
  c.owned.clear();
  c.sh.runs.runs().clear();
  c.tcs.clear();  // frees the dense array and the buffers
  st.merge_seconds = c.merge_clock.seconds();

  Stopwatch shuffle_clock;
  if (c.sh.hooks->on_stage) c.sh.hooks->on_stage(CooccurStage::kShuffling);
  st.buckets = scatter->buckets();
  st.records = scatter->total();
  CooccurHeader h;
  h.flags = (args.symmetric ? kCooccurSymmetric : 0) | kCooccurShuffled |
            (args.cross_sentences ? kCooccurCrossSentences : 0);
  h.vocab_size = dict.size();
  h.window = args.window;
  h.records = st.records;
  writeShuffled(*scatter, h, output, args.durable_output, args.seed, c.sh.hooks->log);
  st.shuffle_seconds = shuffle_clock.seconds();
  if (c.sh.hooks->on_stage) c.sh.hooks->on_stage(CooccurStage::kDone);
}

}  // namespace

CooccurStats countCooccurrences(const std::vector<std::string>& files, const Dictionary& dict,
                                const CooccurArgs& args, const std::string& output, const CooccurHooks& hooks) {
  args.validate();
  if (dict.size() == 0) throw Error("empty vocabulary");
  CooccurStats st;
  const int T = args.effectiveThreads();
  size(args, dict, T, st);
  Counting c(args, dict, hooks, st, T);
  st.dense_entries = c.layout.cells;
  // Distributed: every rank counts its share and keeps the pairs it owns
  // (cooccur_ranks.cc); an error on any rank stops all. One rank: as is.
  distributed::together([&] { countLocal(files, output, c, st); });
  if (distributed::active()) {
    const size_t block = std::clamp<size_t>(static_cast<size_t>(0.02 * c.mem / sizeof(Rec) / distributed::size()),
                                            4096, 1 << 20);
    c.owned = exchangeRuns(std::move(c.owned), c.scratch->path(), block);
    if (args.gather) {  // every rank's merged pairs (disjoint, sorted) to rank 0
      distributed::together([&] {
        std::vector<std::unique_ptr<Source>> own;
        std::vector<Source*> srcs;
        for (const auto& r : c.owned) own.push_back(std::make_unique<FileSource>(r.file->path(), c.read_block));
        for (auto& x : own) srcs.push_back(x.get());
        std::vector<Run> merged = splitByOwner(srcs, c.scratch->path(), c.read_block, true);
        own.clear();
        c.owned = std::move(merged);
      });
      c.owned = exchangeRuns(std::move(c.owned), c.scratch->path(), block);
    }
  }
  distributed::together([&] {
    if (!args.gather || distributed::reporting()) mergeAndShuffle(dict, output, c, st);
  });
  return st;
}

}  // namespace wembed
