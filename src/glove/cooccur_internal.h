#pragma once
// The pieces of countCooccurrences (cooccur.cc), shared by its files: storage
// (cooccur_storage.cc: scratch directory, memory, sorted runs), counting
// (cooccur_count.cc), merging (cooccur_merge.cc) and shuffling
// (cooccur_shuffle.cc). Private to the library.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "wembed/core/io.h"
#include "wembed/core/progress.h"
#include "wembed/core/random.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/corpus/input_split.h"
#include "wembed/glove/cooccur.h"

namespace wembed::cooccur_internal {

using Rec = CooccurRecord;

inline uint64_t keyOf(const Rec& r) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(r.word)) << 32) | static_cast<uint32_t>(r.context);
}

// A private directory for the run and bucket files, removed with whatever is
// left in it when the run ends (success or exception).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& parent);
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

struct FreeDeleter {
  void operator()(void* p) const { std::free(p); }
};
template <class T>
using CBuffer = std::unique_ptr<T[], FreeDeleter>;

// Zeroed memory straight from mmap, backed by transparent huge pages: the
// dense array is hit at random, and huge pages spare most TLB misses. Pages
// never touched are never resident.
class ZeroPages {
 public:
  explicit ZeroPages(size_t bytes);
  ~ZeroPages() { reset(); }
  ZeroPages(const ZeroPages&) = delete;
  ZeroPages& operator=(const ZeroPages&) = delete;
  void reset();
  float* floats() const { return static_cast<float*>(p_); }

 private:
  void* p_ = nullptr;
  size_t bytes_;
};

template <class T>
CBuffer<T> mallocArray(size_t n) {
  void* p = std::malloc(std::max<size_t>(n, 1) * sizeof(T));
  if (!p) throw std::bad_alloc();
  return CBuffer<T>(static_cast<T*>(p));
}


// ---------------------------------------------------------------------------
// Sorted runs.

// Sorts records by (word, context) and sums duplicates; returns the new size.
size_t sortAndCombine(Rec* r, size_t n);

struct Run {
  std::unique_ptr<TempFile> file;
  uint64_t records = 0;
};

class RunList {
 public:
  void add(Run r) {
    std::lock_guard<std::mutex> lock(mu_);
    runs_.push_back(std::move(r));
  }
  std::vector<Run>& runs() { return runs_; }

 private:
  std::mutex mu_;
  std::vector<Run> runs_;
};


Run writeRun(const std::string& dir, const Rec* r, size_t n);

// Buffered appends to a temporary file.
class RecWriter {
 public:
  RecWriter(TempFile& f, size_t buffer_records) : f_(f), buf_(buffer_records) {}
  void put(const Rec& r) {
    buf_[n_++] = r;
    if (n_ == buf_.size()) flush();
  }
  void flush() {
    if (n_) f_.write(buf_.data(), n_ * sizeof(Rec));
    written_ += n_;
    n_ = 0;
  }
  uint64_t written() const { return written_ + n_; }

 private:
  TempFile& f_;
  std::vector<Rec> buf_;
  size_t n_ = 0;
  uint64_t written_ = 0;
};

// ---------------------------------------------------------------------------
// Counting (cooccur_count.cc).

// Layout of the dense array: row i holds columns [start(i), lim) at cells
// off + j. Rows past the last one have lim 0.
struct DenseLayout {
  struct Row {
    int64_t off;
    int64_t lim;  // 64-bit so that a row is 16 bytes: one cache line holds 4
  };
  std::vector<Row> row;
  int64_t cells = 0;
  int32_t rows = 0;
  bool symmetric = true;

  DenseLayout(int32_t vocab, int64_t max_product, bool sym) : row(vocab, Row{0, 0}), symmetric(sym) {
    for (int32_t i = 0; i < vocab; ++i) {
      const int64_t l = std::min<int64_t>(vocab, max_product / (static_cast<int64_t>(i) + 1));
      const int64_t start = sym ? i : 0;
      if (l <= start) break;
      row[i] = Row{cells - start, l};
      cells += l - start;
      rows = i + 1;
    }
  }
  int32_t start(int32_t i) const { return symmetric ? i : 0; }
};

struct alignas(64) ThreadCounter {
  std::unique_ptr<ZeroPages> dense;
  CBuffer<Rec> buf;
  size_t cap = 0, n = 0;
  int64_t tokens = 0;
};

// Shared state of one counting run.
struct CountShared {
  const Dictionary* dict = nullptr;
  const CooccurArgs* args = nullptr;
  const CooccurHooks* hooks = nullptr;  // on_stage(kSpilled); log.status for the progress line
  const DenseLayout* layout = nullptr;
  const std::string* dir = nullptr;
  RunList runs;
  std::atomic<int64_t> tokens_done{0};
  std::atomic<bool> abort{false};
  std::exception_ptr error;
  std::mutex error_mu;
  Stopwatch clock;
  Throttle report;  // progress, once a second
  int64_t total_tokens = 1;
};

// Counts each thread's byte range of files (parts[t]) into tcs[t]; rethrows
// the first error of any thread.
void countAll(const std::vector<std::vector<Segment>>& parts, std::vector<ThreadCounter>& tcs, CountShared& sh);

// ---------------------------------------------------------------------------
// Merging (cooccur_merge.cc): sources deliver records in key order, a block at a time.

class Source {
 public:
  virtual ~Source() = default;
  // Points [b, e) at the next block; false when exhausted.
  virtual bool next(const Rec*& b, const Rec*& e) = 0;
};

class MemSource : public Source {
 public:
  MemSource(const Rec* b, size_t n) : b_(b), n_(n) {}
  bool next(const Rec*& b, const Rec*& e) override;

 private:
  const Rec* b_;
  size_t n_;
  bool done_ = false;
};

class FileSource : public Source {
 public:
  FileSource(const std::string& path, size_t buffer_records) : reader_(path), buf_(buffer_records), path_(path) {}
  bool next(const Rec*& b, const Rec*& e) override;

 private:
  ByteReader reader_;
  std::vector<Rec> buf_;
  std::string path_;
};

class DenseSource : public Source {
 public:
  DenseSource(const DenseLayout& l, const float* d, size_t buffer_records) : l_(l), d_(d), buf_(buffer_records) {
    if (l_.rows > 0) j_ = l_.start(0);
  }
  bool next(const Rec*& b, const Rec*& e) override;

 private:
  const DenseLayout& l_;
  const float* d_;
  std::vector<Rec> buf_;
  int32_t i_ = 0, j_ = 0;
};

// k-way merge of sorted sources; equal keys are summed (in double) and each
// distinct pair is passed to sink(word, context, count) in key order.
template <class Sink>
void mergeSources(const std::vector<Source*>& srcs, Sink&& sink, const std::function<void()>& tick) {
  struct Cursor {
    const Rec* p;
    const Rec* e;
    Source* s;
  };
  std::vector<Cursor> cur;
  for (Source* s : srcs) {
    Cursor c{nullptr, nullptr, s};
    if (s->next(c.p, c.e)) cur.push_back(c);
  }
  // Binary min-heap of cursor indices by the key of their current record.
  std::vector<int> heap;
  auto key = [&](int c) { return keyOf(*cur[c].p); };
  auto down = [&](size_t pos) {
    const size_t n = heap.size();
    for (;;) {
      size_t l = 2 * pos + 1, m = pos;
      if (l < n && key(heap[l]) < key(heap[m])) m = l;
      if (l + 1 < n && key(heap[l + 1]) < key(heap[m])) m = l + 1;
      if (m == pos) return;
      std::swap(heap[pos], heap[m]);
      pos = m;
    }
  };
  for (size_t c = 0; c < cur.size(); ++c) heap.push_back(static_cast<int>(c));
  for (size_t k = heap.size(); k-- > 0;) down(k);

  bool have = false;
  uint64_t ck = 0;
  double sum = 0;
  uint64_t n = 0;
  while (!heap.empty()) {
    Cursor& c = cur[heap[0]];
    const Rec& r = *c.p;
    const uint64_t k = keyOf(r);
    if (have && k == ck) {
      sum += r.count;
    } else {
      if (have) sink(static_cast<int32_t>(ck >> 32), static_cast<int32_t>(ck & 0xffffffffu), sum);
      have = true;
      ck = k;
      sum = r.count;
    }
    if (++c.p == c.e && !c.s->next(c.p, c.e)) {
      heap[0] = heap.back();
      heap.pop_back();
    }
    if (!heap.empty()) down(0);
    if ((++n & 0xfffff) == 0 && tick) tick();
  }
  if (have) sink(static_cast<int32_t>(ck >> 32), static_cast<int32_t>(ck & 0xffffffffu), sum);
}

// Merges the smallest run files while there are more than max_open (just as
// many as needed, in rounds); returns the number of rounds.
int mergeRounds(std::vector<Run>& runs, int max_open, size_t read_block, const std::string& dir, const Reporter& log);

// ---------------------------------------------------------------------------
// Distributed counting (cooccur_ranks.cc; mpirun -np N). Rank r owns the
// pairs (i, j) with i mod N == r (symmetric counts: i <= j).

// This rank's threads' byte ranges: its `threads` pieces of the ranks x
// threads cut (every range when not distributed).
std::vector<std::vector<Segment>> rankParts(const std::vector<std::string>& files, int threads, SplitAt at);
// Merges the sources into one sorted run per rank: the pairs it owns (all
// of them rank 0's when to_first).
std::vector<Run> splitByOwner(const std::vector<Source*>& srcs, const std::string& dir, size_t block,
                              bool to_first = false);
// Collective: sends by_owner[r] to rank r, in rounds of at most `block`
// records to each rank; returns the runs this rank owns (its own and every
// other rank's, sorted, to merge). An error on any rank stops all.
std::vector<Run> exchangeRuns(std::vector<Run> by_owner, const std::string& dir, size_t block);

// ---------------------------------------------------------------------------
// Shuffling (cooccur_shuffle.cc): records go to random buckets (blocks
// appended to one file); each bucket is then shuffled in memory and appended
// to the output.

class Scatter {
 public:
  Scatter(const std::string& dir, int buckets, size_t block_records, uint64_t seed)
      : file_(dir, "buckets"), rng_(seed), bufs_(buckets), blocks_(buckets), sizes_(buckets, 0),
        block_(block_records) {
    for (auto& b : bufs_) b.reserve(block_);
  }
  void put(int32_t w, int32_t c, float x) {
    const uint32_t k = bufs_.size() == 1 ? 0 : rng_.below(static_cast<uint32_t>(bufs_.size()));
    auto& b = bufs_[k];
    b.push_back(Rec{w, c, x});
    if (b.size() == block_) flushBucket(k);
  }
  void finish();
  uint64_t total() const;
  int buckets() const { return static_cast<int>(bufs_.size()); }
  uint64_t bucketSize(int k) const { return sizes_[k]; }
  // Reads bucket k's records into out (which has room for bucketSize(k)).
  void readBucket(int k, Rec* out) const;

 private:
  void flushBucket(size_t k);
  TempFile file_;
  Rng rng_;
  std::vector<std::vector<Rec>> bufs_;
  std::vector<std::vector<std::pair<uint64_t, size_t>>> blocks_;
  std::vector<uint64_t> sizes_;
  size_t block_;
  uint64_t offset_ = 0;
};

// Writes the header and every bucket of scatter, each shuffled, to output
// (atomically if durable, else in place).
void writeShuffled(const Scatter& scatter, const CooccurHeader& h, const std::string& output, bool durable,
                   uint64_t seed, const Reporter& log);

}  // namespace wembed::cooccur_internal
