#pragma once
// Word-context co-occurrence counts for GloVe, in bounded memory.
//
// Counting: every in-vocabulary token w is paired with the in-vocabulary
// tokens c up to `window` positions to its left (out-of-vocabulary tokens are
// skipped, as Stanford's cooccur does), weighted 1/distance. Symmetric
// counting adds the same weight to (w, c) and (c, w), so X = L + L^T where
// L(w, c) is the left-context count (a word paired with itself at distance d
// adds 2/d to X(w, w)); asymmetric counting keeps L alone: records are
// (word, left context). Contexts stop at line ends unless cross_sentences.
//
// Memory: each thread counts its own byte range of the corpus (ranges start
// at line starts) into a dense array for pairs of frequent words (ranks with
// (i+1)(j+1) <= max_product, as Stanford's bigram table) and an append buffer
// for the rest. A full buffer is sorted and its duplicates summed in place;
// if it is still more than half full it is written as a sorted run to the
// temporary directory. Runs are merged k-way with at most max_open run files
// open at once (in rounds when there are more), together with the dense
// arrays, and the merged records are scattered to random buckets and each
// bucket shuffled in memory: a uniformly random order in bounded memory.
// All temporary files live in a private directory removed on success and on
// error.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wembed/core/report.h"

namespace wembed {

class Dictionary;

// One record of a co-occurrence file: ids are vocabulary ranks (0-based).
struct CooccurRecord {
  int32_t word;
  int32_t context;
  float count;
};
static_assert(sizeof(CooccurRecord) == 12, "records are 12 bytes on disk");

// File layout (little-endian): 32-byte header, then `records` records.
//   char magic[8] = "WEMBCOOC"; uint32 version = 1; uint32 flags;
//   int32 vocab_size; int32 window; uint64 records.
constexpr char kCooccurMagic[8] = {'W', 'E', 'M', 'B', 'C', 'O', 'O', 'C'};
constexpr uint32_t kCooccurVersion = 1;
constexpr uint32_t kCooccurSymmetric = 1u;       // flag bits
constexpr uint32_t kCooccurShuffled = 2u;
constexpr uint32_t kCooccurCrossSentences = 4u;
constexpr size_t kCooccurHeaderBytes = 32;

struct CooccurHeader {
  uint32_t version = kCooccurVersion;
  uint32_t flags = 0;
  int32_t vocab_size = 0;
  int32_t window = 0;
  uint64_t records = 0;
};

// The largest --memory, in GB (what counting and training may hold).
inline constexpr double kMaxMemoryGb = 1e6;

struct CooccurArgs {
  int window = 10;
  bool symmetric = true;
  bool cross_sentences = false;
  double memory_gb = 2.0;   // cap on the counting structures (and on each shuffle bucket)
  int max_open = 64;        // run files merged at once (one more is open for writing)
  std::string tmp_dir;      // parent of the private temporary directory; default $TMPDIR or /tmp
  int threads = 0;          // 0: all cores
  uint64_t seed = 1;        // for the shuffle
  // false: the output is scratch (e.g. counts made for one training run):
  // written in place, without the temporary name and fsync of AtomicFile.
  bool durable_output = true;
  // mpirun: rank 0 gathers every rank's records into output (one file, as
  // one process writes it; the other ranks write nothing) instead of each
  // rank writing the pairs it owns to its own output.
  bool gather = false;
  // Overrides of the automatic sizing (0: from memory_gb); for tests and tuning.
  int64_t max_product = -1;     // <0: automatic; 0: no dense array
  int64_t buffer_records = 0;   // per-thread sparse buffer capacity

  void validate() const;
  int effectiveThreads() const;
  uint64_t memoryBytes() const;
};

struct CooccurStats {
  int64_t tokens = 0;            // in-vocabulary tokens counted
  uint64_t records = 0;          // records written
  int64_t max_product = 0;       // dense array limit used
  int64_t dense_entries = 0;     // cells of each thread's dense array
  int64_t buffer_records = 0;    // capacity of each thread's sparse buffer
  int runs = 0;                  // sorted runs written to disk while counting
  int merge_rounds = 0;          // intermediate merges (more runs than max_open)
  int buckets = 0;               // shuffle buckets
  double count_seconds = 0, merge_seconds = 0, shuffle_seconds = 0;
};

// Stages reported to CooccurHooks::on_stage.
enum class CooccurStage { kCounting, kSpilled, kMerging, kShuffling, kDone };

struct CooccurHooks {
  // Called from the calling thread (kSpilled: from a counting thread) with the
  // stage; an exception thrown here aborts the run (used by tests).
  std::function<void(CooccurStage)> on_stage;
  // The sizes chosen, the progress of each stage and its figures ("cooccur: ...").
  Reporter log;
};

// Counts co-occurrences in `files` (plain, seekable files) over the
// vocabulary and writes the shuffled records to `output` (atomically).
// Under mpirun (distributed::active()) it is collective: every rank counts
// its share of the files, and `output` (each rank's own file) receives the
// pairs (i, j) it owns, i mod N == rank (i <= j when symmetric), with every
// rank's counts summed (with args.gather, rank 0's output receives them all);
// the figures are this rank's. An error on any rank stops all
// (distributed::together).
CooccurStats countCooccurrences(const std::vector<std::string>& files, const Dictionary& dict,
                                const CooccurArgs& args, const std::string& output,
                                const CooccurHooks& hooks = {});

// The line that closes a count: "cooccur: wrote N records to NAME (merge
// ..., shuffle ... in K buckets)" (NAME: where the records end up).
std::string cooccurSummary(const CooccurStats& stats, const std::string& name);

// Cells of a dense array for max_product (symmetric: i <= j only).
int64_t denseCells(int64_t vocab, int64_t max_product, bool symmetric);

// Reads a co-occurrence file: validates the header (magic, version, sizes)
// and that the file holds exactly `records` records; throws Error naming the
// file otherwise. read() is thread-safe (pread).
class CooccurReader {
 public:
  explicit CooccurReader(const std::string& path);
  ~CooccurReader();
  CooccurReader(const CooccurReader&) = delete;
  CooccurReader& operator=(const CooccurReader&) = delete;
  const CooccurHeader& header() const { return h_; }
  uint64_t records() const { return h_.records; }
  const std::string& path() const { return path_; }
  // Reads records [first, first + n) (clipped to the end); returns how many.
  // Throws Error naming the file and record on an id outside the vocabulary
  // or a count that is not a positive finite number.
  size_t read(uint64_t first, CooccurRecord* out, size_t n) const;

 private:
  std::string path_;
  int fd_ = -1;
  CooccurHeader h_;
};

}  // namespace wembed
