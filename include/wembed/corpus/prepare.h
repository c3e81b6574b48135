#pragma once
// Preparing a corpus for the trainers, as `wembed vocab`, `train` and
// `cooccur` do: the vocabulary (counted over the inputs, or read from a
// file) and input files the training threads can seek in (standard input and
// .gz inputs are copied to a temporary file first).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wembed/core/io.h"
#include "wembed/core/report.h"
#include "wembed/corpus/dictionary.h"

namespace wembed {

// True if an input cannot be split across threads as it is (stdin, .gz).
bool needsSpool(const std::vector<std::string>& inputs);

// A vocabulary file ('word count' lines) filtered by vocab's min_count and
// max_vocab; throws Error if no word is left.
Dictionary readVocabulary(const std::string& path, const VocabArgs& vocab);

// The vocabulary's words and counts, in rank order, as the vector writers take them.
void wordsAndCounts(const Dictionary& dict, std::vector<std::string>& words, std::vector<int64_t>& counts);

struct PreparedCorpus {
  Dictionary dict;
  std::vector<std::string> files;   // plain files to train on: the inputs, or the spool
  std::unique_ptr<TempFile> spool;  // the copy of stdin/.gz input (removed with this)
};

// Reads the vocabulary from read_vocab (if given) or counts it over
// vocab.input, spooling stdin/.gz inputs into tmp_dir (empty: $TMPDIR or
// /tmp) on the way; log receives the counting's progress and notes. Plain
// files are counted on vocab.threads threads; inputs that are spooled on one
// (the spool takes the bytes in order as they are read).
PreparedCorpus prepareCorpus(const VocabArgs& vocab, const std::string& read_vocab, const std::string& tmp_dir,
                             const Reporter& log = {});

// `wembed vocab`: counts the vocabulary of args.input and saves it to output
// ('word count' lines, most frequent first), failing before the counting if
// output cannot be written.
Dictionary runVocab(const VocabArgs& args, const std::string& output, const Reporter& log = {});

}  // namespace wembed
