#pragma once
// Test access to the trainers' internal hooks (friend of Trainer,
// GloveTrainer and SentimentTrainer; not part of the library's interface).
#include "wembed/core/checkpoint_settings.h"

namespace wembed::detail {

struct TrainerTesting {
  // train() ends after n checkpoints, as a kill would (0: never).
  template <class T>
  static void stopAfterCheckpoints(T& trainer, int n) {
    trainer.stop_after_checkpoints_ = n;
  }
};

}  // namespace wembed::detail
