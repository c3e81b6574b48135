#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "wembed/word2vec/args.h"
#include "wembed/core/error.h"

using namespace wembed;

namespace {
TrainArgs validArgs() {
  TrainArgs a;
  a.vocab.input = {"corpus.txt"};
  a.output = "vectors.bin";
  return a;
}
}  // namespace

TEST_CASE("args: defaults are valid") {
  CHECK_NOTHROW(validArgs().validate());
  TrainArgs a = validArgs();
  CHECK((a.model == ModelType::kSkipGram));
  CHECK((a.loss == LossType::kNegativeSampling));
  CHECK(a.effectiveAlpha() == doctest::Approx(0.025));
  a.model = ModelType::kCbow;
  CHECK(a.effectiveAlpha() == doctest::Approx(0.05));
  a.alpha = 0.1;
  CHECK(a.effectiveAlpha() == doctest::Approx(0.1));
  a.threads = 3;
  CHECK(a.effectiveThreads() == 3);
  a.threads = 0;
  CHECK(a.effectiveThreads() >= 1);
}

TEST_CASE("args: --ns-exponent unset is word2vec's 0.75, fastText's 0.5 for skip-gram with subwords; checked") {
  TrainArgs a = validArgs();
  CHECK(a.effectiveNsExponent() == 0.75);
  a.subwords.minn = 3;
  a.subwords.maxn = 6;
  a.subwords.bucket = 1000;
  CHECK(a.effectiveNsExponent() == 0.5);
  a.model = ModelType::kCbow;  // measured at 0.75 only
  CHECK(a.effectiveNsExponent() == 0.75);
  a.model = ModelType::kSkipGram;
  a.ns_exponent = 0.75;
  CHECK(a.effectiveNsExponent() == 0.75);
  a.ns_exponent = -0.5;  // gensim allows negative exponents (rare words drawn more)
  CHECK_NOTHROW(a.validate());
  a.ns_exponent = 2;
  CHECK_THROWS_WITH_AS(a.validate(), "--ns-exponent must be in [-1, 1], not 2", Error);
  a.ns_exponent = std::nan("");
  CHECK_THROWS_AS(a.validate(), Error);
}

TEST_CASE("args: --alpha unset is the model's default; a value is checked against (0, 1]") {
  TrainArgs a = validArgs();
  CHECK_FALSE(a.alpha.has_value());
  a.alpha = -1;  // was the "unset" sentinel, so `--alpha -1` trained
  CHECK_THROWS_WITH_AS(a.validate(), "--alpha must be in (0, 1], not -1", Error);
  a.alpha = 1e9;
  CHECK_THROWS_WITH_AS(a.validate(), "--alpha must be in (0, 1], not 1e9", Error);
  a.alpha = 1;
  CHECK_NOTHROW(a.validate());
  // --min-alpha: between 0 and the initial rate, kept as a fraction of it.
  a.alpha = 0.04;
  a.setMinAlpha(0.004);
  CHECK(a.min_alpha_fraction == doctest::Approx(0.1));
  CHECK_THROWS_WITH_AS(a.setMinAlpha(0.05), "--min-alpha must be in [0, 0.04], not 0.05", Error);
  CHECK_THROWS_AS(a.setMinAlpha(std::nan("")), Error);
  a.alpha.reset();
  a.model = ModelType::kCbow;
  CHECK_THROWS_WITH_AS(a.setMinAlpha(0.06), "--min-alpha must be in [0, 0.05], not 0.06", Error);
  a.min_alpha_fraction = 2;
  CHECK_THROWS_AS(a.validate(), Error);
}

TEST_CASE("args: validate() rejects nonsense values") {
  auto rejects = [](auto mutate) {
    TrainArgs a = validArgs();
    mutate(a);
    bool threw = false;
    try {
      a.validate();
    } catch (const Error&) {
      threw = true;
    }
    return threw;
  };
  CHECK(rejects([](TrainArgs& a) { a.dim = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.dim = -5; }));
  CHECK(rejects([](TrainArgs& a) { a.window = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.window = -1; }));
  CHECK(rejects([](TrainArgs& a) { a.negative = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.negative = -3; }));
  CHECK(rejects([](TrainArgs& a) { a.epochs = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.sample = -0.1; }));
  CHECK(rejects([](TrainArgs& a) { a.sample = 1.0; }));
  CHECK(rejects([](TrainArgs& a) { a.sample = 2.0; }));
  CHECK(rejects([](TrainArgs& a) { a.sample = std::nan(""); }));
  CHECK(rejects([](TrainArgs& a) { a.alpha = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.alpha = -0.5; }));
  CHECK(rejects([](TrainArgs& a) { a.alpha = std::numeric_limits<double>::infinity(); }));
  CHECK(rejects([](TrainArgs& a) { a.threads = -1; }));
  CHECK(rejects([](TrainArgs& a) { a.max_sentence = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.output.clear(); }));
  CHECK(rejects([](TrainArgs& a) { a.vocab.input.clear(); }));
  CHECK(rejects([](TrainArgs& a) { a.vocab.min_count = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.vocab.max_vocab = -1; }));
  CHECK(rejects([](TrainArgs& a) { a.vocab.prune_at = 10; }));
  CHECK(rejects([](TrainArgs& a) {
    a.loss = LossType::kHierarchicalSoftmax;
    a.output_context = "ctx.bin";
  }));
  // update batch with the model, loss and subwords given.
  auto batchWith = [&](ModelType model, LossType loss, bool subwords) {
    return rejects([=](TrainArgs& a) {
      a.model = model;
      a.loss = loss;
      if (subwords) {
        a.subwords.minn = 3;
        a.subwords.maxn = 6;
        a.subwords.bucket = 1000;
      }
      a.update = UpdateMode::kBatch;
    });
  };
  CHECK(batchWith(ModelType::kCbow, LossType::kHierarchicalSoftmax, false));  // CBOW blocks: ns only
  CHECK(batchWith(ModelType::kCbow, LossType::kNegativeSampling, true));      // nor with subwords
  CHECK(batchWith(ModelType::kSkipGram, LossType::kHierarchicalSoftmax, true));  // subwords: ns only
  CHECK_FALSE(batchWith(ModelType::kSkipGram, LossType::kNegativeSampling, true));
  CHECK_FALSE(rejects([](TrainArgs& a) {
    a.model = ModelType::kCbow;
    a.update = UpdateMode::kBatch;
  }));
  CHECK(rejects([](TrainArgs& a) { a.cbow_block = 0; }));
  CHECK(rejects([](TrainArgs& a) { a.cbow_block = 9; }));
  CHECK_FALSE(rejects([](TrainArgs& a) {
    a.loss = LossType::kHierarchicalSoftmax;
    a.update = UpdateMode::kBatch;
  }));
  CHECK_FALSE(rejects([](TrainArgs& a) { a.update = UpdateMode::kBatch; }));
  // Valid edge values.
  CHECK_FALSE(rejects([](TrainArgs& a) { a.sample = 0; }));
  CHECK_FALSE(rejects([](TrainArgs& a) { a.sample = 0.999; }));
  CHECK_FALSE(rejects([](TrainArgs& a) { a.dim = 1; }));
  CHECK_FALSE(rejects([](TrainArgs& a) { a.window = 1; }));
  CHECK_FALSE(rejects([](TrainArgs& a) { a.epochs = 1; }));
  CHECK_FALSE(rejects([](TrainArgs& a) { a.negative = 1; }));
  // negative is irrelevant with hierarchical softmax.
  CHECK_FALSE(rejects([](TrainArgs& a) {
    a.loss = LossType::kHierarchicalSoftmax;
    a.negative = 0;
  }));
  CHECK_FALSE(rejects([](TrainArgs& a) { a.output_context = "ctx.bin"; }));
  // With a vocabulary file, min-count is not validated for counting, but input is still needed.
  CHECK_FALSE(rejects([](TrainArgs& a) {
    a.read_vocab = "v.txt";
    a.vocab.prune_at = 1;
  }));
  CHECK(rejects([](TrainArgs& a) {
    a.read_vocab = "v.txt";
    a.vocab.input.clear();
  }));
}

TEST_CASE("args: VocabArgs::validate") {
  VocabArgs v;
  CHECK_THROWS_AS(v.validate(), Error);  // no input
  v.input = {"x"};
  CHECK_NOTHROW(v.validate());
  v.min_count = 0;
  CHECK_THROWS_AS(v.validate(), Error);
  v.min_count = 5;
  v.threads = 0;  // all cores
  CHECK_NOTHROW(v.validate());
  v.threads = -1;
  CHECK_THROWS_AS(v.validate(), Error);
  v.threads = 2;
  v.min_bytes_per_thread = 0;
  CHECK_THROWS_AS(v.validate(), Error);
}

TEST_CASE("args: parseModel / parseLoss / parseFormat") {
  CHECK((parseModel("skipgram") == ModelType::kSkipGram));
  CHECK((parseModel("sg") == ModelType::kSkipGram));
  CHECK((parseModel("cbow") == ModelType::kCbow));
  CHECK_THROWS_AS(parseModel("CBOW"), Error);
  CHECK((parseModel("glove") == ModelType::kGlove));
  CHECK(toString(ModelType::kGlove) == "glove");
  CHECK_THROWS_AS(parseModel("GloVe"), Error);
  CHECK_THROWS_AS(parseModel(""), Error);
  CHECK((parseLoss("ns") == LossType::kNegativeSampling));
  CHECK((parseLoss("hs") == LossType::kHierarchicalSoftmax));
  CHECK_THROWS_AS(parseLoss("softmax"), Error);
  CHECK_THROWS_AS(parseLoss(""), Error);
  CHECK((parseUpdate("auto") == UpdateMode::kAuto));
  CHECK((parseUpdate("pair") == UpdateMode::kPair));
  CHECK((parseUpdate("batch") == UpdateMode::kBatch));
  CHECK_THROWS_AS(parseUpdate("hogbatch"), Error);
  CHECK((parseFormat("auto") == VectorFormat::kAuto));
  CHECK((parseFormat("bin") == VectorFormat::kWord2vecBinary));
  CHECK((parseFormat("txt") == VectorFormat::kWord2vecText));
  CHECK((parseFormat("text") == VectorFormat::kWord2vecText));
  CHECK_THROWS_AS(parseFormat("json"), Error);
  CHECK((parseFormat("w2v-bin") == VectorFormat::kWord2vecBinary));
  CHECK((parseFormat("w2v-txt") == VectorFormat::kWord2vecText));
  CHECK((parseFormat("vec") == VectorFormat::kWord2vecText));
  CHECK((parseFormat("fasttext") == VectorFormat::kFastText));  // its .bin model (its .vec: "vec")
  CHECK((parseFormat("glove") == VectorFormat::kGlove));
  CHECK((parseFormat("native") == VectorFormat::kNative));
  CHECK((parseFormat("wev") == VectorFormat::kNative));
  CHECK((parseFormat("tsv") == VectorFormat::kTsv));
  CHECK((parseFormat("npy") == VectorFormat::kNpy));
  for (VectorFormat f : {VectorFormat::kAuto, VectorFormat::kWord2vecBinary, VectorFormat::kWord2vecText,
                         VectorFormat::kGlove, VectorFormat::kNative, VectorFormat::kTsv, VectorFormat::kNpy})
    CHECK((parseFormat(toString(f)) == f));
  CHECK(toString(ModelType::kCbow) == "cbow");
  CHECK(toString(ModelType::kSkipGram) == "skipgram");
  CHECK(toString(LossType::kHierarchicalSoftmax) == "hs");
  CHECK(toString(LossType::kNegativeSampling) == "ns");
  CHECK((parseModel(toString(ModelType::kCbow)) == ModelType::kCbow));
}

TEST_CASE("args: formatFromPath by extension") {
  CHECK((formatFromPath("vectors.bin") == VectorFormat::kWord2vecBinary));
  CHECK((formatFromPath("/a/b.c/vectors.bin") == VectorFormat::kWord2vecBinary));
  CHECK((formatFromPath("vectors.txt") == VectorFormat::kWord2vecText));
  CHECK((formatFromPath("vectors.vec") == VectorFormat::kWord2vecText));
  CHECK((formatFromPath(".bin") == VectorFormat::kWord2vecBinary));
  CHECK((formatFromPath("vectors.wev") == VectorFormat::kNative));
  CHECK((formatFromPath("m.npy") == VectorFormat::kNpy));
  CHECK_THROWS_AS(formatFromPath("vectors.tsv"), Error);  // tsv is a directory: --format tsv
  CHECK_THROWS_AS(formatFromPath("vectors"), Error);
  CHECK_THROWS_AS(formatFromPath("vectors.gz"), Error);
  CHECK_THROWS_AS(formatFromPath("vectors.bin.gz"), Error);
  CHECK_THROWS_AS(formatFromPath("vectorsbin"), Error);
  CHECK_THROWS_AS(formatFromPath("dir.bin/vectors"), Error);
  CHECK_THROWS_AS(formatFromPath(""), Error);
}

TEST_CASE("args: --update auto picks blocks for skip-gram and CBOW-NS, per example for CBOW-HS and subwords") {
  TrainArgs a;
  CHECK((a.effectiveUpdate() == UpdateMode::kBatch));
  a.model = ModelType::kCbow;
  CHECK((a.effectiveUpdate() == UpdateMode::kBatch));
  a.loss = LossType::kHierarchicalSoftmax;
  CHECK((a.effectiveUpdate() == UpdateMode::kPair));
  a.loss = LossType::kNegativeSampling;
  a.subwords.minn = 3;
  a.subwords.maxn = 6;
  a.subwords.bucket = 1000;
  CHECK((a.effectiveUpdate() == UpdateMode::kPair));
  a.model = ModelType::kSkipGram;
  CHECK((a.effectiveUpdate() == UpdateMode::kPair));
  a.update = UpdateMode::kBatch;
  CHECK((a.effectiveUpdate() == UpdateMode::kBatch));
}
