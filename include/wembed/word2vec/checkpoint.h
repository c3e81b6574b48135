#pragma once
// Training checkpoints: everything `wembed train --resume` needs to continue
// a run on the same schedule (settings, inputs, vocabulary, both matrices,
// each thread's place in the corpus and its random state). Versioned, with a
// checksum, written atomically.
#include <cstdint>
#include <string>
#include <vector>

#include "wembed/word2vec/args.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/core/file_identity.h"
#include "wembed/core/matrix.h"

namespace wembed {

// Where one training thread stands: it resumes reading segment `segment` of
// its byte ranges at absolute file offset `offset`, in epoch `epoch`
// (epoch == epochs: finished).
struct Word2VecThreadPosition {
  int32_t epoch = 0;
  int32_t segment = 0;
  uint64_t offset = 0;
  uint64_t rng = 0;             // the thread's Rng state
  std::vector<int32_t> negs;    // negatives already drawn for its next example
  int64_t epoch_words = 0;      // in-vocabulary tokens it read in `epoch` (drives --lr-schedule per-thread)
};

struct Word2VecCheckpoint {
  TrainArgs args;                    // effective settings (alpha, threads, update resolved)
  std::vector<std::string> files;    // plain training files, as partitioned
  std::vector<FileIdentity> inputs;  // their sizes and hashes when training started
  std::vector<Dictionary::Entry> vocab;
  Matrix in, out;
  int64_t words_done = 0;            // global progress (drives the learning rate)
  int64_t words_per_epoch = 0;       // the schedule's tokens per epoch (Word2VecTrainer::setWordsPerEpoch; 0: the vocabulary's total)
  std::vector<int64_t> epoch_words;  // in-vocabulary tokens read per epoch so far
  std::vector<Word2VecThreadPosition> threads;
  double seconds = 0;                // training time before this checkpoint
  int32_t ranks = 1;                 // the MPI ranks of the run; threads holds ranks x args.threads, rank by rank
};

// Version 2 added the learning-rate schedule and each thread's words read in
// its current epoch; version 3 a hash of each input beside its size. Older
// versions are refused: a resume could not tell their corpus from another of
// the same size. Version 4 added the subword settings (minn, maxn, bucket;
// the input matrix then holds the bucket rows after the words'); version 3
// is read as a run without subwords. Version 6 added the tokens per epoch the
// learning rate decays over (a continued run's differ from its vocabulary's
// total count); older versions are read with 0 (the vocabulary's total).
// Version 7 added the MPI ranks of a distributed run (older: one process;
// words_done and epoch_words are then every rank's together) and the
// --sync-every/--sync-mean settings.
constexpr uint32_t kWord2VecCheckpointVersion = 7;

// Writes through AtomicFile. The matrices are passed separately so a running
// trainer can save without copying them.
void saveWord2VecCheckpoint(const std::string& path, const Word2VecCheckpoint& meta, const Matrix& in, const Matrix& out);
// Throws Error naming the file on a missing, truncated, corrupted (checksum)
// or foreign file, or an unsupported version.
Word2VecCheckpoint loadWord2VecCheckpoint(const std::string& path);

}  // namespace wembed
