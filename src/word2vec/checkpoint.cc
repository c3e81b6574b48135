#include "wembed/word2vec/checkpoint.h"

#include <cmath>
#include <cstring>
#include <fstream>
#include <string_view>
#include <unordered_set>
#include <limits>

#include "wembed/core/checkpoint_io.h"
#include "wembed/core/error.h"

namespace wembed {

void saveWord2VecCheckpoint(const std::string& path, const Word2VecCheckpoint& c, const Matrix& in, const Matrix& out) {
  CheckpointWriter w(path, CheckpointKind::kWord2vec);
  w.pod<uint32_t>(kWord2VecCheckpointVersion);
  const TrainArgs& a = c.args;
  w.pod<int32_t>(static_cast<int32_t>(a.model));
  w.pod<int32_t>(static_cast<int32_t>(a.loss));
  w.pod<int32_t>(static_cast<int32_t>(a.update));
  w.pod<int32_t>(static_cast<int32_t>(a.format));
  w.pod<int32_t>(a.dim);
  w.pod<int32_t>(a.window);
  w.pod<int32_t>(a.negative);
  w.pod<int32_t>(a.epochs);
  w.pod<double>(a.sample);
  w.pod<double>(a.effectiveAlpha());
  w.pod<double>(a.min_alpha_fraction);
  w.pod<int32_t>(a.threads);
  w.pod<uint64_t>(a.seed);
  w.pod<int32_t>(a.max_sentence);
  w.pod<int32_t>(a.lrPerThread() ? 1 : 0);  // resolved: auto is not stored
  w.pod<int32_t>(a.subwords.minn);
  w.pod<int32_t>(a.subwords.maxn);
  w.pod<int64_t>(a.subwords.bucket);
  w.pod<double>(a.effectiveNsExponent());  // version 5
  w.str(a.output);
  w.str(a.output_context);
  w.pod<uint32_t>(static_cast<uint32_t>(c.files.size()));
  for (size_t i = 0; i < c.files.size(); ++i) {
    w.str(c.files[i]);
    w.identity(c.inputs[i]);
  }
  w.pod<uint32_t>(static_cast<uint32_t>(c.vocab.size()));
  for (const auto& e : c.vocab) {
    w.str(e.word);
    w.pod<int64_t>(e.count);
  }
  w.matrix(in);
  w.matrix(out);
  w.pod<int64_t>(c.words_done);
  w.pod<uint32_t>(static_cast<uint32_t>(c.epoch_words.size()));
  for (int64_t n : c.epoch_words) w.pod<int64_t>(n);
  w.pod<uint32_t>(static_cast<uint32_t>(c.threads.size()));
  for (const auto& t : c.threads) {
    w.pod<int32_t>(t.epoch);
    w.pod<int32_t>(t.segment);
    w.pod<uint64_t>(t.offset);
    w.pod<uint64_t>(t.rng);
    w.pod<uint32_t>(static_cast<uint32_t>(t.negs.size()));
    for (int32_t n : t.negs) w.pod<int32_t>(n);
    w.pod<int64_t>(t.epoch_words);
  }
  w.pod<double>(c.seconds);
  w.pod<int64_t>(c.words_per_epoch);  // version 6
  w.pod<int32_t>(c.ranks);            // version 7, and the synchronisation settings
  w.pod<double>(c.args.sync_seconds);
  w.pod<int64_t>(c.args.sync_words);
  w.pod<int32_t>(c.args.sync_mean ? 1 : 0);
  w.commit();
}

namespace {
// Values the trainer uses as indices or counts: a file with a valid checksum
// may still hold them wrong (a bug, a hand-made file).
void checkValues(const CheckpointReader& r, const Word2VecCheckpoint& c) {
  {
    std::unordered_set<std::string_view> seen;
    for (size_t i = 0; i < c.vocab.size(); ++i) {
      const auto& e = c.vocab[i];
      if (e.word.empty() || e.count < 1) r.fail("vocabulary entry " + std::to_string(i + 1) + " has an empty word or a count below 1");
      if (!seen.insert(e.word).second) r.fail("the word '" + e.word.substr(0, 40) + "' is in the vocabulary twice");
    }
  }
  const int64_t vocab_size = static_cast<int64_t>(c.vocab.size());
  for (const auto& t : c.threads)
    for (int32_t n : t.negs)
      if (n < 0 || n >= vocab_size) r.fail("a saved negative sample (" + std::to_string(n) + ") is not a word of the vocabulary");
  if (c.words_done < 0) r.fail("negative progress (" + std::to_string(c.words_done) + " words)");
  if (c.words_per_epoch < 0) r.fail("a negative number of words per epoch");
  for (int64_t n : c.epoch_words)
    if (n < 0) r.fail("a negative word count for an epoch");
  for (const auto& t : c.threads)
    if (t.epoch_words < 0) r.fail("a negative word count for a thread");
  if (!(c.seconds >= 0) || !std::isfinite(c.seconds)) r.fail("bad training time");
  for (const Matrix* m : {&c.in, &c.out})
    for (int64_t row = 0; row < m->rows(); ++row)
      for (int j = 0; j < m->cols(); ++j)
        if (!std::isfinite(m->row(row)[j])) r.fail("the saved vectors hold NaN or Inf (the run had diverged)");
}
}  // namespace

Word2VecCheckpoint loadWord2VecCheckpoint(const std::string& path) {
  CheckpointReader r(path, CheckpointKind::kWord2vec);
  Word2VecCheckpoint c;
  const uint32_t version = r.checkVersion(kWord2VecCheckpointVersion, 3);
  TrainArgs& a = c.args;
  const int32_t model = r.pod<int32_t>(), loss = r.pod<int32_t>(), update = r.pod<int32_t>(),
                format = r.pod<int32_t>();
  if (model < 0 || model > 1 || loss < 0 || loss > 1 || update < 0 || update > 2 || format < 0 ||
      format > static_cast<int32_t>(VectorFormat::kNpy))
    r.fail("bad settings");
  a.model = static_cast<ModelType>(model);
  a.loss = static_cast<LossType>(loss);
  a.update = static_cast<UpdateMode>(update);
  a.format = static_cast<VectorFormat>(format);
  a.dim = r.pod<int32_t>();
  a.window = r.pod<int32_t>();
  a.negative = r.pod<int32_t>();
  a.epochs = r.pod<int32_t>();
  a.sample = r.pod<double>();
  a.alpha = r.pod<double>();
  a.min_alpha_fraction = r.pod<double>();
  a.threads = r.pod<int32_t>();
  a.seed = r.pod<uint64_t>();
  a.max_sentence = r.pod<int32_t>();
  const int32_t schedule = r.pod<int32_t>();
  if (schedule != 0 && schedule != 1) r.fail("bad settings");
  a.lr_schedule = schedule == 1 ? LrSchedule::kPerThread : LrSchedule::kGlobal;
  if (version >= 4) {
    a.subwords.minn = r.pod<int32_t>();
    a.subwords.maxn = r.pod<int32_t>();
    a.subwords.bucket = r.pod<int64_t>();
  }
  // Before version 5 every run drew negatives from word2vec's unigram^0.75.
  a.ns_exponent = version >= 5 ? r.pod<double>() : 0.75;
  if (!std::isfinite(*a.ns_exponent) || *a.ns_exponent < -1 || *a.ns_exponent > 1) r.fail("bad settings");
  a.output = r.str();
  a.output_context = r.str();
  const uint32_t nf = r.pod<uint32_t>();
  for (uint32_t i = 0; i < nf && r.remaining() > 0; ++i) {
    c.files.push_back(r.str());
    c.inputs.push_back(r.identity());
  }
  a.vocab.input = c.files;
  const uint32_t nv = r.pod<uint32_t>();
  for (uint32_t i = 0; i < nv; ++i) {
    std::string w = r.str();
    c.vocab.push_back({std::move(w), r.pod<int64_t>()});
  }
  c.in = r.matrix();
  c.out = r.matrix();
  c.words_done = r.pod<int64_t>();
  const uint32_t ne = r.pod<uint32_t>();
  if (ne > 1000000) r.fail("bad epoch count");
  for (uint32_t i = 0; i < ne; ++i) c.epoch_words.push_back(r.pod<int64_t>());
  const uint32_t nt = r.pod<uint32_t>();
  if (nt > (1u << 22)) r.fail("bad thread count");
  for (uint32_t i = 0; i < nt; ++i) {
    Word2VecThreadPosition t;
    t.epoch = r.pod<int32_t>();
    t.segment = r.pod<int32_t>();
    if (t.epoch < 0 || t.segment < 0) r.fail("bad thread position");
    t.offset = r.pod<uint64_t>();
    t.rng = r.pod<uint64_t>();
    const uint32_t nn = r.pod<uint32_t>();
    if (nn > 100000) r.fail("bad negative count");
    for (uint32_t k = 0; k < nn; ++k) t.negs.push_back(r.pod<int32_t>());
    t.epoch_words = r.pod<int64_t>();
    c.threads.push_back(std::move(t));
  }
  c.seconds = r.pod<double>();
  if (version >= 6) c.words_per_epoch = r.pod<int64_t>();
  if (version >= 7) {
    c.ranks = r.pod<int32_t>();
    a.sync_seconds = r.pod<double>();
    a.sync_words = r.pod<int64_t>();
    const int32_t mean = r.pod<int32_t>();
    if ((mean != 0 && mean != 1) || a.sync_words < 0) r.fail("bad settings");
    a.sync_mean = mean == 1;
  }
  if (c.ranks < 1 || c.ranks > (1 << 20)) r.fail("bad number of MPI ranks");
  r.finish();
  // Consistency: the pieces must fit together before anyone trusts them.
  const int64_t in_rows = static_cast<int64_t>(c.vocab.size()) + (a.subwords.enabled() ? a.subwords.bucket : 0);
  if (c.in.rows() != in_rows || c.in.cols() != a.dim || c.out.cols() != a.dim ||
      static_cast<int>(c.epoch_words.size()) != a.epochs || static_cast<int64_t>(c.threads.size()) != int64_t{a.threads} * c.ranks ||
      c.files.size() != nf)
    r.fail("inconsistent contents");
  try {
    a.validate();
  } catch (const Error& e) {
    r.fail(std::string("bad settings: ") + e.what());
  }
  checkValues(r, c);
  return c;
}

}  // namespace wembed
