#pragma once
// Internal to the word2vec trainer: the state one run's threads share
// (progress, errors, epoch counts, checkpoints), for trainer.cc and
// trainer_checkpoint.cc.
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <vector>

#include "wembed/core/file_identity.h"
#include "wembed/core/progress.h"
#include "wembed/corpus/input_split.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/word2vec/trainer.h"

namespace wembed {

// Per-thread figures published for the progress line (one cache line each).
struct alignas(64) Published {
  std::atomic<double> loss{0};
  std::atomic<int64_t> loss_n{0};
};

struct Word2VecTrainer::Shared {
  std::vector<Published> pub;
  std::vector<std::atomic<int64_t>> epoch_words;
  std::atomic<bool> abort{false};
  std::exception_ptr error;
  std::mutex error_mu;
  Stopwatch clock;
  double seconds_before = 0;  // training time before a resumed run
  Throttle report;  // progress, once a second
  double last_loss = 0;
  int64_t last_loss_n = 0;
  // Checkpoints: a thread that finds one due raises `requested`; every
  // running thread then parks at its next sentence boundary with its
  // position, and the last to arrive writes the file and releases the rest.
  // In a distributed run (ranked) the communication thread raises
  // `requested` at a synchronisation the ranks agreed on, waits for this
  // rank's threads to park, and writes (rank 0) and releases them itself.
  std::atomic<bool> ck_requested{false};
  std::mutex ck_mu;
  std::condition_variable ck_cv;
  int ck_active = 0, ck_arrived = 0;
  uint64_t ck_generation = 0;
  double ck_last = 0;
  bool ranked = false;
  std::vector<Word2VecThreadPosition> positions;
  std::vector<std::string> files;
  std::vector<FileIdentity> inputs;  // the files' identities the checkpoints record
  bool stopped = false;
};

}  // namespace wembed
