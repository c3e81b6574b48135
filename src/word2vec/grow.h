#pragma once
// Continued training (`train --init MODEL`): the settings of the run, the
// vocabulary grown by the new text's words, and the saved layers carried
// into the trainer. Internal to the word2vec library (pipeline.cc).
#include <string>

#include "wembed/corpus/dictionary.h"
#include "wembed/word2vec/args.h"
#include "wembed/word2vec/model_file.h"
#include "wembed/word2vec/trainer.h"

namespace wembed {

// The run's settings: the model kind, loss, dimension and subword settings
// of the saved model (a flag in given.given that disagrees: Error naming it
// and both values); window, negative, sample, ns-exponent, update and
// lr-schedule of the saved model unless given; the rest (alpha, epochs,
// min-count, threads, seed, files) as given.
TrainArgs continuedArgs(const TrainArgs& given, const TrainArgs& saved, const std::string& path);

// The saved words in their order (their ids kept) with their counts plus the
// new text's, then the words new to the model that `counted` (the new text,
// counted without a minimum) holds at least min_count times, most frequent
// first (at most max_vocab of them when max_vocab > 0).
Dictionary growVocabulary(const Vectors& saved, const Dictionary& counted, int64_t min_count, int64_t max_vocab);

// Copies the saved layers into a trainer made over the grown vocabulary:
// the old words' input rows (with subwords their own rows and every n-gram
// row), their ns output rows, and for hs the rows of the old tree's inner
// nodes at the same place of the new tree (the same codes from the root),
// which is rebuilt from the grown counts. New words' rows, and inner nodes
// at places the old tree lacked, stay as in fresh training.
void carryOver(const SavedWord2Vec& saved, const Dictionary& grown, Word2VecTrainer& trainer);

}  // namespace wembed
