#pragma once
// When and where a trainer writes checkpoints: one struct for the word2vec
// Word2VecTrainer, the GloveTrainer and the SentimentTrainer (their `checkpointing`).
#include <functional>
#include <string>

#include "wembed/core/range_check.h"

namespace wembed {

struct CheckpointSettings {
  // Where the full training state is written (atomically: temporary file and
  // rename); empty: no checkpoints.
  std::string path;
  // Seconds between checkpoints, at the trainer's next safe point (0: at every one).
  double every_seconds = 600;
  // Called with the path after each checkpoint is written.
  std::function<void(const std::string&)> on_written;

  bool enabled() const { return !path.empty(); }
  // --checkpoint-every: (0, 1e9] seconds (the API's 0, every safe point, is
  // for tests). Throws Error naming the flag otherwise.
  void validate() const { checkRange("--checkpoint-every", every_seconds, Range::openLow(0, 1e9)); }
};

// `train --resume`: the checkpoint a run continues, and what may differ from
// the saved run.
struct ResumeArgs {
  std::string path;                  // the checkpoint to continue
  std::string output;                // replaces the saved output (empty: the saved one)
  CheckpointSettings checkpointing;  // where to write later checkpoints (empty path: back into `path`)
  std::string save_model;            // word2vec: also write the full model here (checkpoints do not keep it)
};

}  // namespace wembed
