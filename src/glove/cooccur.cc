#include "wembed/glove/cooccur.h"

#include <fcntl.h>
#include <omp.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <filesystem>
#include <memory>
#include <mutex>
#include <new>

#include "wembed/corpus/dictionary.h"
#include "wembed/corpus/input_split.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/progress.h"
#include "wembed/core/random.h"
#include "wembed/core/threads.h"
#include "wembed/corpus/tokenizer.h"

namespace wembed {

void CooccurArgs::validate() const {
  if (window < 1 || window > 1000) throw Error("--window must be between 1 and 1000");
  if (!(memory_gb > 0) || !std::isfinite(memory_gb) || memory_gb > 1e6)
    throw Error("--memory must be a positive number of GB");
  if (max_open < 2 || max_open > 100000) throw Error("--max-open must be at least 2");
  if (threads < 0 || threads > 1024) throw Error("--threads must be between 0 (all cores) and 1024");
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

namespace {

using Rec = CooccurRecord;

inline uint64_t keyOf(const Rec& r) {
  return (static_cast<uint64_t>(static_cast<uint32_t>(r.word)) << 32) | static_cast<uint32_t>(r.context);
}

// A private directory for the run and bucket files, removed with whatever is
// left in it when the run ends (success or exception).
class ScratchDir {
 public:
  explicit ScratchDir(const std::string& parent) {
    std::string tmpl = parent + "/wembed-cooccur.XXXXXX";
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (!::mkdtemp(buf.data())) throw sysError("cannot create a temporary directory in", parent);
    path_ = buf.data();
    registerTemporary(path_.c_str(), true);  // a signal removes it too, after its files
  }
  ~ScratchDir() {
    unregisterTemporary(path_.c_str());
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
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
  explicit ZeroPages(size_t bytes) : bytes_(std::max<size_t>(bytes, 1)) {
    void* p = ::mmap(nullptr, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) throw std::bad_alloc();
    ::madvise(p, bytes_, MADV_HUGEPAGE);  // advisory
    p_ = p;
  }
  ~ZeroPages() { reset(); }
  ZeroPages(const ZeroPages&) = delete;
  ZeroPages& operator=(const ZeroPages&) = delete;
  ZeroPages(ZeroPages&& o) noexcept : p_(o.p_), bytes_(o.bytes_) { o.p_ = nullptr; }
  void reset() {
    if (p_) ::munmap(p_, bytes_);
    p_ = nullptr;
  }
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
size_t sortAndCombine(Rec* r, size_t n) {
  if (n == 0) return 0;
  std::sort(r, r + n, [](const Rec& a, const Rec& b) { return keyOf(a) < keyOf(b); });
  size_t out = 0;
  size_t i = 0;
  while (i < n) {
    const uint64_t k = keyOf(r[i]);
    double s = r[i].count;
    size_t j = i + 1;
    while (j < n && keyOf(r[j]) == k) s += r[j++].count;
    r[out] = r[i];
    r[out].count = static_cast<float>(s);
    ++out;
    i = j;
  }
  return out;
}

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

Run writeRun(const std::string& dir, const Rec* r, size_t n) {
  Run run;
  run.file = std::make_unique<TempFile>(dir, "run");
  run.file->write(r, n * sizeof(Rec));
  run.file->close();
  run.records = n;
  return run;
}

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
// Counting.

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
  const CooccurHooks* hooks = nullptr;
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

class Counter {
 public:
  Counter(ThreadCounter& tc, CountShared& sh)
      : tc_(tc), sh_(sh), rows_(sh.layout->row.data()), dense_(tc.dense->floats()) {
    // Dense cells are float; a cell reaching flush_at_ is moved to the buffer
    // (summed in double later) so every addition keeps ~1e-3 relative
    // precision even for the most frequent pairs.
    flush_at_ = std::max(1.0f, 16777216.0f * 1e-3f / static_cast<float>(sh.args->window));
  }

  void add(int32_t i, int32_t j, float x) {
    const DenseLayout::Row& row = rows_[i];
    if (j < row.lim) {
      float& c = dense_[row.off + j];
      c += x;
      if (c >= flush_at_) {
        const float v = c;
        c = 0.f;
        push(i, j, v);
      }
    } else {
      push(i, j, x);
    }
  }

  void push(int32_t i, int32_t j, float x) {
    Rec& r = tc_.buf[tc_.n++];
    r.word = i;
    r.context = j;
    r.count = x;
    if (tc_.n == tc_.cap) compact();
  }

  // Sorts and combines the buffer; spills it as a run if still over half full.
  void compact() {
    tc_.n = sortAndCombine(tc_.buf.get(), tc_.n);
    if (tc_.n * 2 > tc_.cap) {
      sh_.runs.add(writeRun(*sh_.dir, tc_.buf.get(), tc_.n));
      tc_.n = 0;
      if (sh_.hooks->on_stage) sh_.hooks->on_stage(CooccurStage::kSpilled);
    }
  }

 private:
  ThreadCounter& tc_;
  CountShared& sh_;
  const DenseLayout::Row* rows_;
  float* dense_;
  float flush_at_;
};

template <bool kSymmetric>
void countRange(int tid, const std::vector<Segment>& segs, ThreadCounter& tc, CountShared& sh) {
  Counter counter(tc, sh);
  const int W = sh.args->window;
  const bool cross = sh.args->cross_sentences;
  std::vector<float> inv(W + 1);
  for (int d = 1; d <= W; ++d) inv[d] = static_cast<float>(1.0 / d);
  std::vector<int32_t> hist(W);
  int p = 0;       // next slot in hist
  int filled = 0;  // valid entries in hist
  int64_t pending = 0;
  constexpr int64_t kFlush = 1 << 16;

  auto report = [&]() {
    sh.tokens_done.fetch_add(pending, std::memory_order_relaxed);
    tc.tokens += pending;
    pending = 0;
    if (tid == 0 && !sh.args->quiet) {
      const double now = sh.clock.seconds();
      if (sh.report.due(now)) {
        const double done = static_cast<double>(sh.tokens_done.load(std::memory_order_relaxed));
        const double frac = std::min(0.999, done / static_cast<double>(sh.total_tokens));
        char buf[200];
        std::snprintf(buf, sizeof(buf), "cooccur: counting %5.1f%%  %.2fM tokens/s  runs spilled: %zu  ETA: %s",
                      100.0 * frac, done / now / 1e6, sh.runs.runs().size(),
                      formatDuration(frac > 0 ? now * (1 - frac) / frac : 0).c_str());
        showProgressLine(buf);
      }
    }
  };

  for (const Segment& seg : segs) {
    Tokenizer tok(seg.path, seg.begin, seg.end);
    if (!cross) filled = 0;  // a range starts at a line start
    for (;;) {
      const Tokenizer::Kind k = tok.next();
      if (k == Tokenizer::kEnd) break;
      if (k == Tokenizer::kEndOfSentence) {
        if (!cross) filled = 0;
        continue;
      }
      const int32_t w = sh.dict->find(tok.word());
      if (w < 0) continue;
      for (int d = 1; d <= filled; ++d) {
        int idx = p - d;
        if (idx < 0) idx += W;
        const int32_t c = hist[idx];
        if constexpr (kSymmetric) {
          if (w < c) counter.add(w, c, inv[d]);
          else if (c < w) counter.add(c, w, inv[d]);
          else counter.add(w, w, 2.f * inv[d]);
        } else {
          counter.add(w, c, inv[d]);
        }
      }
      hist[p] = w;
      if (++p == W) p = 0;
      if (filled < W) ++filled;
      if (++pending >= kFlush) {
        report();
        if (sh.abort.load(std::memory_order_relaxed)) return;
      }
    }
  }
  report();
  // The rest of the buffer stays in memory as this thread's last run.
  tc.n = sortAndCombine(tc.buf.get(), tc.n);
}

// ---------------------------------------------------------------------------
// Merging: sources deliver records in key order, a block at a time.

class Source {
 public:
  virtual ~Source() = default;
  // Points [b, e) at the next block; false when exhausted.
  virtual bool next(const Rec*& b, const Rec*& e) = 0;
};

class MemSource : public Source {
 public:
  MemSource(const Rec* b, size_t n) : b_(b), n_(n) {}
  bool next(const Rec*& b, const Rec*& e) override {
    if (done_ || n_ == 0) return false;
    done_ = true;
    b = b_;
    e = b_ + n_;
    return true;
  }

 private:
  const Rec* b_;
  size_t n_;
  bool done_ = false;
};

class FileSource : public Source {
 public:
  FileSource(const std::string& path, size_t buffer_records) : reader_(path), buf_(buffer_records), path_(path) {}
  bool next(const Rec*& b, const Rec*& e) override {
    char* p = reinterpret_cast<char*>(buf_.data());
    const size_t want = buf_.size() * sizeof(Rec);
    size_t got = 0;
    while (got < want) {
      const size_t r = reader_.read(p + got, want - got);
      if (r == 0) break;
      got += r;
    }
    if (got % sizeof(Rec) != 0) throw Error("temporary run file '" + path_ + "' is truncated");
    if (got == 0) return false;
    b = buf_.data();
    e = buf_.data() + got / sizeof(Rec);
    return true;
  }

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
  bool next(const Rec*& b, const Rec*& e) override {
    size_t n = 0;
    while (i_ < l_.rows && n < buf_.size()) {
      const int32_t lim = static_cast<int32_t>(l_.row[i_].lim);
      const float* row = d_ + l_.row[i_].off;
      while (j_ < lim && n < buf_.size()) {
        const float v = row[j_];
        if (v != 0.f) buf_[n++] = Rec{i_, j_, v};
        ++j_;
      }
      if (j_ >= lim && ++i_ < l_.rows) j_ = l_.start(i_);
    }
    if (n == 0) return false;
    b = buf_.data();
    e = buf_.data() + n;
    return true;
  }

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

// ---------------------------------------------------------------------------
// Shuffling: records go to random buckets (blocks appended to one file);
// each bucket is then shuffled in memory and appended to the output.

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
  void finish() {
    for (size_t k = 0; k < bufs_.size(); ++k) {
      flushBucket(k);
      std::vector<Rec>().swap(bufs_[k]);
    }
  }
  uint64_t total() const {
    uint64_t t = 0;
    for (auto s : sizes_) t += s;
    return t;
  }
  int buckets() const { return static_cast<int>(bufs_.size()); }
  uint64_t bucketSize(int k) const { return sizes_[k]; }
  // Reads bucket k's records into out (which has room for bucketSize(k)).
  void readBucket(int k, Rec* out) const {
    for (const auto& [off, n] : blocks_[k]) {
      char* p = reinterpret_cast<char*>(out);
      size_t want = n * sizeof(Rec), got = 0;
      while (got < want) {
        const ssize_t r = ::pread(file_.fd(), p + got, want - got, static_cast<off_t>(off + got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) throw sysError("cannot read temporary file", file_.path());
        got += static_cast<size_t>(r);
      }
      out += n;
    }
  }

 private:
  void flushBucket(size_t k) {
    auto& b = bufs_[k];
    if (b.empty()) return;
    file_.write(b.data(), b.size() * sizeof(Rec));
    blocks_[k].emplace_back(offset_, b.size());
    offset_ += b.size() * sizeof(Rec);
    sizes_[k] += b.size();
    b.clear();
  }
  TempFile file_;
  Rng rng_;
  std::vector<std::vector<Rec>> bufs_;
  std::vector<std::vector<std::pair<uint64_t, size_t>>> blocks_;
  std::vector<uint64_t> sizes_;
  size_t block_;
  uint64_t offset_ = 0;
};

// The output: an AtomicFile, or for scratch output a plain file written in
// place (removed again if the run fails).
class Output {
 public:
  Output(const std::string& path, bool durable) : path_(path) {
    if (durable) {
      atomic_ = std::make_unique<AtomicFile>(path);
    } else {
      f_ = std::fopen(path.c_str(), "wb");
      if (!f_) throw sysError("cannot write", path);
    }
  }
  ~Output() {
    if (f_) {
      std::fclose(f_);
      std::remove(path_.c_str());
    }
  }
  void write(const void* p, size_t n) {
    if (atomic_) return atomic_->write(p, n);
    if (n && std::fwrite(p, 1, n, f_) != n) throw sysError("cannot write", path_);
  }
  void commit() {
    if (atomic_) return atomic_->commit();
    const int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) throw sysError("cannot write", path_);
  }

 private:
  std::string path_;
  std::unique_ptr<AtomicFile> atomic_;
  FILE* f_ = nullptr;
};

void writeHeader(Output& f, const CooccurHeader& h) {
  char buf[kCooccurHeaderBytes] = {};
  std::memcpy(buf, kCooccurMagic, 8);
  std::memcpy(buf + 8, &h.version, 4);
  std::memcpy(buf + 12, &h.flags, 4);
  std::memcpy(buf + 16, &h.vocab_size, 4);
  std::memcpy(buf + 20, &h.window, 4);
  std::memcpy(buf + 24, &h.records, 8);
  f.write(buf, sizeof(buf));
}

std::string mb(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f MB", bytes / 1048576.0);
  return buf;
}

}  // namespace

// ---------------------------------------------------------------------------

CooccurStats countCooccurrences(const std::vector<std::string>& files, const Dictionary& dict,
                                const CooccurArgs& args, const std::string& output, const CooccurHooks& hooks) {
  args.validate();
  if (dict.size() == 0) throw Error("empty vocabulary");
  for (const auto& f : files) checkReadable(f);
  const int T = args.effectiveThreads();
  const int32_t V = dict.size();
  const uint64_t mem = std::max<uint64_t>(args.memoryBytes(), 1);
  CooccurStats st;
  auto stage = [&](CooccurStage s) {
    if (hooks.on_stage) hooks.on_stage(s);
  };

  // Sizing: 80% of the cap goes to the counting structures, half of each
  // thread's share to its dense array and half to its sparse buffer.
  const double share = 0.8 * static_cast<double>(mem) / T;
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
  const DenseLayout layout(V, P, args.symmetric);
  size_t cap = args.buffer_records > 0 ? static_cast<size_t>(args.buffer_records)
                                       : static_cast<size_t>(0.5 * share / sizeof(Rec));
  cap = std::max<size_t>(cap, 16);
  st.max_product = P;
  st.dense_entries = layout.cells;
  st.buffer_records = static_cast<int64_t>(cap);

  const std::string parent = args.tmp_dir.empty() ? defaultTmpDir() : args.tmp_dir;
  ScratchDir scratch(parent);
  if (args.durable_output) AtomicFile probe(output);  // fail now, not after counting

  if (!args.quiet)
    std::fprintf(stderr,
                 "cooccur: %d words, window %d, %s, %s, %d threads, memory %.2f GB: dense array for rank "
                 "products <= %lld (%s per thread), buffer of %zu records (%s) per thread\n",
                 V, args.window, args.symmetric ? "symmetric" : "asymmetric (left context)",
                 args.cross_sentences ? "across lines" : "within lines", T, args.memory_gb,
                 static_cast<long long>(P), mb(layout.cells * 4.0).c_str(), cap, mb(cap * sizeof(Rec) * 1.0).c_str());

  // --- counting
  stage(CooccurStage::kCounting);
  std::vector<ThreadCounter> tcs(T);
  for (auto& tc : tcs) {
    tc.dense = std::make_unique<ZeroPages>(static_cast<size_t>(layout.cells) * sizeof(float));
    tc.buf = mallocArray<Rec>(cap);
    tc.cap = cap;
  }
  CountShared sh;
  sh.dict = &dict;
  sh.args = &args;
  sh.hooks = &hooks;
  sh.layout = &layout;
  sh.dir = &scratch.path();
  sh.total_tokens = std::max<int64_t>(1, dict.totalCount());
  const auto parts = partitionInputs(files, T, args.cross_sentences ? SplitAt::kAnyByte : SplitAt::kLineStart);
#pragma omp parallel num_threads(T)
  {
    const int tid = omp_get_thread_num();
    try {
      if (args.symmetric) countRange<true>(tid, parts[tid], tcs[tid], sh);
      else countRange<false>(tid, parts[tid], tcs[tid], sh);
    } catch (...) {
      std::lock_guard<std::mutex> lock(sh.error_mu);
      if (!sh.error) sh.error = std::current_exception();
      sh.abort = true;
    }
  }
  if (sh.error) std::rethrow_exception(sh.error);
  for (auto& tc : tcs) st.tokens += tc.tokens;
  st.runs = static_cast<int>(sh.runs.runs().size());
  st.count_seconds = sh.clock.seconds();
  if (!args.quiet) {
    endProgressLine();
    std::fprintf(stderr, "cooccur: counted %lld tokens in %s (%.2fM tokens/s), %d runs spilled\n",
                 static_cast<long long>(st.tokens), formatDuration(st.count_seconds).c_str(),
                 st.tokens / std::max(1e-9, st.count_seconds) / 1e6, st.runs);
  }

  // Sum the dense arrays into the first one.
  const int64_t cells = layout.cells;
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

  // --- merging
  Stopwatch merge_clock;
  stage(CooccurStage::kMerging);
  std::vector<Run>& runs = sh.runs.runs();
  const size_t read_block =
      std::clamp<size_t>(static_cast<size_t>(0.02 * mem / sizeof(Rec) / args.max_open), 64, 1 << 16);
  // Intermediate rounds while there are more run files than max_open: merge
  // the smallest ones, just as many as needed.
  while (static_cast<int>(runs.size()) > args.max_open) {
    const size_t k = std::min<size_t>(args.max_open, runs.size() - args.max_open + 1);
    std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.records < b.records; });
    std::vector<std::unique_ptr<FileSource>> fs;
    std::vector<Source*> srcs;
    for (size_t i = 0; i < k; ++i) {
      fs.push_back(std::make_unique<FileSource>(runs[i].file->path(), read_block));
      srcs.push_back(fs.back().get());
    }
    Run merged;
    merged.file = std::make_unique<TempFile>(scratch.path(), "run");
    RecWriter w(*merged.file, read_block);
    mergeSources(srcs, [&](int32_t i, int32_t j, double c) { w.put(Rec{i, j, static_cast<float>(c)}); }, {});
    w.flush();
    merged.file->close();
    merged.records = w.written();
    fs.clear();
    runs.erase(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(k));  // removes their files
    runs.push_back(std::move(merged));
    ++st.merge_rounds;
    if (!args.quiet) {
      endProgressLine();
      std::fprintf(stderr, "cooccur: merge round %d: %zu runs into one, %zu runs left\n", st.merge_rounds, k,
                   runs.size());
    }
  }

  // Final merge of the run files, the in-memory runs and the dense array,
  // scattered to shuffle buckets.
  uint64_t upper = static_cast<uint64_t>(nonzero);
  for (const auto& r : runs) upper += r.records;
  for (const auto& tc : tcs) upper += tc.n;
  if (args.symmetric) upper *= 2;
  // Buckets of at most 80% of the cap, and small enough (8 MB) that the
  // in-memory shuffle stays in cache.
  const double bucket_budget =
      std::min(std::max(0.8 * static_cast<double>(mem), 4096.0 * sizeof(Rec)), 8.0 * 1048576);
  const int K = static_cast<int>(std::max<double>(1.0, std::ceil(upper * sizeof(Rec) / bucket_budget)));
  const size_t block = std::clamp<size_t>(static_cast<size_t>(0.05 * mem / sizeof(Rec) / K), 16, 1 << 16);
  Scatter scatter(scratch.path(), K, block, args.seed * 0x9E3779B97F4A7C15ull + 17);
  {
    std::vector<std::unique_ptr<Source>> own;
    std::vector<Source*> srcs;
    for (const auto& r : runs) own.push_back(std::make_unique<FileSource>(r.file->path(), read_block));
    for (const auto& tc : tcs) own.push_back(std::make_unique<MemSource>(tc.buf.get(), tc.n));
    own.push_back(std::make_unique<DenseSource>(layout, d0, read_block));
    for (auto& s : own) srcs.push_back(s.get());
    uint64_t emitted = 0;
    Throttle shown;
    auto tick = [&]() {
      if (args.quiet || !shown.due(merge_clock.seconds())) return;
      const double f = std::min(0.999, static_cast<double>(emitted) / std::max<uint64_t>(1, upper));
      const double now = merge_clock.seconds();
      char buf[160];
      std::snprintf(buf, sizeof(buf), "cooccur: merging %zu runs + dense array  %5.1f%%  ETA: %s",
                    runs.size() + tcs.size(), 100.0 * f, formatDuration(f > 0 ? now * (1 - f) / f : 0).c_str());
      showProgressLine(buf);
    };
    const bool sym = args.symmetric;
    mergeSources(
        srcs,
        [&](int32_t i, int32_t j, double c) {
          const float x = static_cast<float>(c);
          scatter.put(i, j, x);
          ++emitted;
          if (sym && i != j) {
            scatter.put(j, i, x);
            ++emitted;
          }
        },
        tick);
    scatter.finish();
  }
  runs.clear();
  tcs.clear();  // frees the dense array and the buffers
  st.merge_seconds = merge_clock.seconds();

  // --- shuffling
  Stopwatch shuffle_clock;
  stage(CooccurStage::kShuffling);
  st.buckets = K;
  st.records = scatter.total();
  CooccurHeader h;
  h.flags = (args.symmetric ? kCooccurSymmetric : 0) | kCooccurShuffled |
            (args.cross_sentences ? kCooccurCrossSentences : 0);
  h.vocab_size = V;
  h.window = args.window;
  h.records = st.records;
  Output out(output, args.durable_output);
  writeHeader(out, h);
  uint64_t largest = 0;
  for (int k = 0; k < K; ++k) largest = std::max(largest, scatter.bucketSize(k));
  std::vector<Rec> arr(largest);
  Rng rng(args.seed * 0xD1B54A32D192ED03ull + 5);
  Throttle shown;
  for (int k = 0; k < K; ++k) {
    const size_t n = scatter.bucketSize(k);
    scatter.readBucket(k, arr.data());
    for (size_t i = n; i > 1; --i) {  // Fisher-Yates
      const size_t j = static_cast<size_t>((static_cast<unsigned __int128>(rng.next()) * i) >> 64);
      std::swap(arr[i - 1], arr[j]);
    }
    out.write(arr.data(), n * sizeof(Rec));
    if (!args.quiet && shown.due(shuffle_clock.seconds())) {
      showProgressLine("cooccur: shuffling bucket " + std::to_string(k + 1) + "/" + std::to_string(K));
    }
  }
  out.commit();
  st.shuffle_seconds = shuffle_clock.seconds();
  stage(CooccurStage::kDone);
  if (!args.quiet) {
    endProgressLine();
    std::fprintf(stderr, "cooccur: wrote %llu records to %s (merge %s, shuffle %s in %d buckets)\n",
                 static_cast<unsigned long long>(st.records), output.c_str(),
                 formatDuration(st.merge_seconds).c_str(), formatDuration(st.shuffle_seconds).c_str(), K);
  }
  return st;
}

// ---------------------------------------------------------------------------

CooccurReader::CooccurReader(const std::string& path) : path_(path) {
  const uint64_t size = regularFileSize(path);
  fd_ = ::open(path.c_str(), O_RDONLY);
  if (fd_ < 0) throw sysError("cannot open", path);
  // The destructor does not run when the constructor throws: close here.
  auto bad = [&](const std::string& what) {
    ::close(fd_);
    fd_ = -1;
    return Error("bad co-occurrence file '" + path + "': " + what);
  };
  char buf[kCooccurHeaderBytes];
  ssize_t got = ::pread(fd_, buf, sizeof(buf), 0);
  if (got < 0) {
    const Error e(sysError("cannot read", path));
    ::close(fd_);
    throw e;
  }
  if (got >= 8 && std::memcmp(buf, kCooccurMagic, 8) != 0)
    throw bad("not a wembed co-occurrence file (wrong magic; make one with 'wembed cooccur')");
  if (got < static_cast<ssize_t>(sizeof(buf))) throw bad("the header is truncated");
  std::memcpy(&h_.version, buf + 8, 4);
  std::memcpy(&h_.flags, buf + 12, 4);
  std::memcpy(&h_.vocab_size, buf + 16, 4);
  std::memcpy(&h_.window, buf + 20, 4);
  std::memcpy(&h_.records, buf + 24, 8);
  if (h_.version != kCooccurVersion)
    throw bad("version " + std::to_string(h_.version) + " is not supported (expected " +
              std::to_string(kCooccurVersion) + ")");
  if (h_.vocab_size <= 0) throw bad("vocabulary size " + std::to_string(h_.vocab_size) + " in the header");
  const uint64_t body = size - kCooccurHeaderBytes;
  if (h_.records > body / sizeof(CooccurRecord) || body != h_.records * sizeof(CooccurRecord))
    throw bad("the header announces " + std::to_string(h_.records) + " records (" +
              std::to_string(h_.records * sizeof(CooccurRecord)) + " bytes) but " + std::to_string(body) +
              " bytes follow it" + (body < h_.records * sizeof(CooccurRecord) ? " (truncated)" : ""));
}

CooccurReader::~CooccurReader() {
  if (fd_ >= 0) ::close(fd_);
}

size_t CooccurReader::read(uint64_t first, CooccurRecord* out, size_t n) const {
  if (first >= h_.records) return 0;
  n = static_cast<size_t>(std::min<uint64_t>(n, h_.records - first));
  char* p = reinterpret_cast<char*>(out);
  const size_t want = n * sizeof(CooccurRecord);
  size_t got = 0;
  const off_t base = static_cast<off_t>(kCooccurHeaderBytes + first * sizeof(CooccurRecord));
  while (got < want) {
    const ssize_t r = ::pread(fd_, p + got, want - got, base + static_cast<off_t>(got));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) throw sysError("cannot read", path_);
    if (r == 0) throw Error("bad co-occurrence file '" + path_ + "': it is truncated (was it changed while in use?)");
    got += static_cast<size_t>(r);
  }
  const int32_t V = h_.vocab_size;
  for (size_t i = 0; i < n; ++i) {
    const CooccurRecord& r = out[i];
    if (static_cast<uint32_t>(r.word) >= static_cast<uint32_t>(V) ||
        static_cast<uint32_t>(r.context) >= static_cast<uint32_t>(V) || !(r.count > 0.f) || !std::isfinite(r.count))
      throw Error("bad co-occurrence file '" + path_ + "': record " + std::to_string(first + i) + " (" +
                  std::to_string(r.word) + ", " + std::to_string(r.context) + ", " + std::to_string(r.count) +
                  ") has an id outside the vocabulary of " + std::to_string(V) + " words or a count <= 0");
  }
  return n;
}

}  // namespace wembed
