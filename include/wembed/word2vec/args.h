#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "wembed/corpus/dictionary.h"
#include "wembed/vectors/format.h"
#include "wembed/vectors/subwords.h"

namespace wembed {

enum class ModelType { kSkipGram, kCbow, kGlove };
enum class LossType { kNegativeSampling, kHierarchicalSoftmax };
// Skip-gram: one (context, centre) pair at a time as word2vec, or HogBatch
// (all context words of a centre word against one shared set of negatives,
// or against the centre word's one Huffman path, as small matrix products).
// kAuto: batch for skip-gram without subwords (it is faster and as
// accurate), else pair.
enum class UpdateMode { kAuto, kPair, kBatch };
// How the learning rate decays. kGlobal: by the run's progress over all
// threads (word2vec.c, fastText, gensim with an iterable corpus). kPerThread:
// each thread by its own words read against a whole epoch, as gensim's
// corpus_file mode (with T threads each epoch decays 1/T of its share, so the
// run ends near alpha * (1 - (E - 1 + 1/T) / E)). kAuto: per-thread for CBOW,
// global for skip-gram, the better of the two for each on the benchmark.
enum class LrSchedule { kAuto, kGlobal, kPerThread };
ModelType parseModel(const std::string& s);
LossType parseLoss(const std::string& s);
UpdateMode parseUpdate(const std::string& s);
std::string toString(ModelType m);
std::string toString(LossType l);
std::string toString(UpdateMode u);
struct TrainArgs {
  VocabArgs vocab;
  std::string read_vocab;          // use this vocabulary instead of counting
  std::string save_vocab;          // also write the vocabulary here
  std::string output;              // vectors
  std::string output_context;      // optional: context (output-layer) vectors, NS only
  VectorFormat format = VectorFormat::kAuto;
  std::string tmp_dir;             // for spooling stdin/.gz input; default $TMPDIR or /tmp
  // --init-vectors: the vocabulary's words found in this vector file start
  // from its vectors (their input rows; with subwords their own rows).
  std::string init_vectors;
  // --save-model: also write the full model here (native version 3: both
  // layers, the counts and these settings), which --init continues.
  std::string save_model;
  // --init: continue training this full model on the input (its vocabulary
  // grown by the input's new words, both layers carried over).
  std::string init_model;
  bool freeze_old = false;         // --freeze-old (with --init): only the new words' input rows learn
  // --phrases: a phrase table (`wembed phrases --save-phrases`) applied to
  // the input while the vocabulary is counted and while training, as
  // `wembed phrases --phrases` would write the text.
  std::string phrases;
  // With --init: the flags given explicitly (without dashes). The model's
  // kind, loss, dimension and subword settings come from the model file and
  // such a flag must agree with it; window, negative, sample, ns-exponent,
  // update and lr-schedule come from the file unless given.
  std::vector<std::string> given;

  ModelType model = ModelType::kSkipGram;
  LossType loss = LossType::kNegativeSampling;
  UpdateMode update = UpdateMode::kAuto;
  // CBOW --update batch: positions trained as one block against one set of
  // negatives (1..8; not a command-line flag: 1 is per-example training).
  int cbow_block = 4;
  int dim = 100;
  int window = 5;
  int negative = 5;
  int epochs = 5;
  double sample = 1e-3;
  std::optional<double> alpha;     // unset: 0.025 for skip-gram, 0.05 for CBOW
  // Negatives are drawn with probability count^ns_exponent (gensim's name).
  // Unset: 0.5 for skip-gram with subwords (fastText's table), else 0.75 (word2vec's).
  std::optional<double> ns_exponent;
  double min_alpha_fraction = 1e-4;  // lr never drops below alpha * this
  LrSchedule lr_schedule = LrSchedule::kAuto;
  int threads = 0;                 // 0: all hardware threads
  uint64_t seed = 1;
  int max_sentence = 10000;        // longer sentences are cut into pieces
  // fastText's subwords (--minn, --maxn, --bucket): a word's input vector is
  // the mean of its own row and its character n-grams' rows. maxn 0: off.
  SubwordArgs subwords;
  // Distributed runs (mpirun -np N): the ranks average their matrices every
  // sync_seconds, or every sync_words words a rank reads when that is > 0
  // (--sync-every 2s, --sync-every 1000000w).
  double sync_seconds = 0.5;
  int64_t sync_words = 0;
  // --sync-mean: average the ranks' rows (pWord2Vec); default: sum their
  // changes since the last synchronisation (the ranks train one model).
  bool sync_mean = false;

  double effectiveAlpha() const;
  double effectiveNsExponent() const;
  UpdateMode effectiveUpdate() const;
  bool lrPerThread() const;        // lr_schedule resolved for the model
  int effectiveThreads() const;
  // --min-alpha: the final learning rate, in [0, effectiveAlpha()] (set
  // alpha and model first); stored as min_alpha_fraction. Throws Error otherwise.
  void setMinAlpha(double min_alpha);
  // --sync-every: "2" or "2s" (seconds), "1000000w" (words). Throws Error otherwise.
  void setSyncEvery(const std::string& every);
  // Throws Error on nonsense values, naming the flag and its range; and
  // without an output when need_output (the vectors kept in memory need none).
  void validate(bool need_output = true) const;
};

// Throws Error if `rows` n-gram rows of `dim` floats cannot fit in this
// machine's memory (one clear line naming --bucket and --dim).
void checkSubwordMemory(int64_t rows, int dim);

}  // namespace wembed
