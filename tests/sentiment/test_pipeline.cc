// The sentiment pipelines (pipeline.h) called directly: the same models and
// scores as `wembed sentiment ...` on the same data and seed, resuming,
// prediction in chunks, tokens, and the mistakes they refuse.
#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/matrix.h"
#include "wembed/sentiment/pipeline.h"

using namespace wembed;
using testutil::q;
using testutil::TempDir;

namespace {

// The CLI test's data: 14 usable words (the sentiment words and fillers; not
// "The" or "</s>"), 200 training and 60 dev texts.
struct Data {
  TempDir d;
  std::string vec, train, dev;
  Data() : vec(d.file("vec.txt")), train(d.file("train.tsv")), dev(d.file("dev.tsv")) {
    testutil::writeFile(vec, testutil::sentimentVectorsText());
    testutil::writeFile(train, testutil::sentimentTsv(200, 1));
    testutil::writeFile(dev, testutil::sentimentTsv(60, 2));
  }
  SentimentRunArgs args(const std::string& model, int epochs = 6) const {
    SentimentRunArgs a;
    a.vectors = vec;
    a.train = train;
    a.dev = dev;
    a.model_file = model;
    a.net.hidden = 8;
    a.training.epochs = epochs;
    a.training.patience = epochs;
    a.training.lr = 0.02;
    a.training.dropout = 0.1;
    a.training.batch = 16;
    a.training.threads = 2;
    return a;
  }
  // The same run on the command line, the model file given by `model_flag`.
  std::string cli(const std::string& model_flag, const std::string& model, int epochs = 6) const {
    return "sentiment train --quiet --vectors " + q(vec) + " --train " + q(train) + " --dev " + q(dev) + " " +
           model_flag + " " + q(model) + " --hidden 8 --epochs " + std::to_string(epochs) + " --patience " +
           std::to_string(epochs) + " --lr 0.02 --dropout 0.1 --batch 16 --threads 2";
  }
};

std::string formatted(const std::vector<SentimentPrediction>& ps) {
  std::string s;
  char buf[48];
  for (const auto& p : ps) {
    std::snprintf(buf, sizeof(buf), "%d\t%.6f\n", p.label, p.probability);
    s += buf;
  }
  return s;
}

}  // namespace

TEST_CASE("sentiment pipeline: trainSentiment writes the CLI's model, evalSentiment gives the CLI's scores") {
  Data x;
  const std::string lib = x.d.file("lib.sent");
  SentimentHooks h;
  SentimentRunArgs seen;
  SentimentSetup setup;
  int epochs = 0;
  h.on_args = [&](const SentimentRunArgs& a) {
    CHECK(testutil::listDir(x.d.path()).size() == 3);  // before any output exists
    seen = a;
  };
  h.on_setup = [&](const SentimentSetup& s) { setup = s; };
  h.on_epoch = [&](const EpochStats& s) { CHECK(s.epoch == ++epochs); };
  const TrainResult r = trainSentiment(x.args(lib), h);
  CHECK(seen.model_file == lib);
  CHECK(seen.net.hidden == 8);
  CHECK(setup.train_texts == 200);
  CHECK(setup.dev_texts == 60);
  CHECK(setup.vocab_size == 14);
  CHECK(setup.embed_dim == 6);
  CHECK(setup.train_tokens > 400);
  CHECK(setup.train_unknown == 0);  // every word of the data has a vector
  CHECK(setup.threads == 2);
  CHECK(epochs == 6);
  CHECK(r.epochs_run == 6);
  CHECK(r.best_dev.total() == 60);

  // The command line, with the new flag, -o and the old spelling: the same bytes.
  const std::string bytes = testutil::readFile(lib);
  for (const char* flag : {"--model-file", "-o", "--output", "--model"}) {
    INFO(flag);
    const std::string cli = x.d.file("cli.sent");
    const auto run = testutil::runWembed(x.cli(flag, cli), x.d);
    REQUIRE_MESSAGE(run.status == 0, run.err);
    CHECK(testutil::readFile(cli) == bytes);
  }

  SentimentEvalArgs e;
  e.model_file = lib;
  e.data = x.dev;
  e.threads = 2;
  const BinaryMetrics m = evalSentiment(e).metrics;
  CHECK(m.total() == 60);
  CHECK(m.accuracy() == r.best_dev.accuracy());
  CHECK(m.tp == r.best_dev.tp);
  CHECK(m.tn == r.best_dev.tn);
  for (const char* flag : {"--model-file", "--model"}) {
    const auto cli = testutil::runWembed(std::string("sentiment eval --json ") + flag + " " + q(lib) + " --data " +
                                             q(x.dev) + " --threads 2",
                                         x.d);
    REQUIRE(cli.status == 0);
    char acc[64], tp[64];
    std::snprintf(acc, sizeof(acc), "\"accuracy\": %.6f,", m.accuracy());
    std::snprintf(tp, sizeof(tp), "\"tp\": %lld,", static_cast<long long>(m.tp));
    CHECK(cli.out.find(acc) != std::string::npos);
    CHECK(cli.out.find(tp) != std::string::npos);
  }
}

TEST_CASE("sentiment pipeline: recordSentimentRun records the loss, lr and dev accuracy, keeping the hooks set") {
  Data x;
  SentimentHooks h;
  int progress = 0;
  std::vector<double> dev;
  bool args_seen = false;
  h.on_args = [&](const SentimentRunArgs&) { args_seen = true; };
  h.on_progress = [&](const Progress&) { ++progress; };
  h.on_epoch = [&](const EpochStats& s) { dev.push_back(s.dev.accuracy()); };
  RunRecorder recorder(ProgressSpan::kEpoch);
  recordSentimentRun(h, recorder);
  trainSentiment(x.args(x.d.file("m.sent"), 3), h);
  const RunHistory& history = recorder.history();
  CHECK(args_seen);
  CHECK(history.title == "sentiment train: gru, hidden 8, max pooling, batch 16, lr 0.02");
  CHECK(static_cast<int>(history.points.size()) == progress);
  REQUIRE(progress >= 3);  // at least each epoch's end
  CHECK(history.points.back().x == doctest::Approx(3));
  for (const RunPoint& p : history.points) {
    CHECK(p.lr == 0.02);
    CHECK(p.loss > 0);
  }
  REQUIRE(history.scores.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(history.scores[i].x == i + 1);
    CHECK(history.scores[i].value == dev[i]);
  }
}

TEST_CASE("sentiment pipeline: predictions in memory, from a file in chunks, and on the command line agree") {
  Data x;
  const std::string model_file = x.d.file("m.sent");
  trainSentiment(x.args(model_file, 25));
  const SentimentModel model = SentimentModel::load(model_file);
  const std::vector<std::string_view> texts = {"a GOOD movie", "the plot was awful", "", "Great!"};
  const auto p = predictSentiment(model, texts, 2);
  REQUIRE(p.size() == 4);
  CHECK(p[0].label == 1);
  CHECK(p[1].label == 0);
  CHECK(p[3].label == 1);
  for (const auto& one : p) {
    CHECK(one.probability >= 0.5f);
    CHECK(one.probability <= 1.0f);
  }

  // 8,200 lines: two chunks (8,192 and 8), in input order.
  std::string lines;
  std::vector<std::string_view> all;
  for (int i = 0; i < 8200; ++i) lines += std::string(texts[i % 4]) + "\n";
  for (int i = 0; i < 8200; ++i) all.push_back(texts[i % 4]);
  testutil::writeFile(x.d.file("texts.txt"), lines);
  SentimentPredictArgs a;
  a.model_file = model_file;
  a.input = x.d.file("texts.txt");
  std::vector<size_t> chunks;
  std::vector<SentimentPrediction> streamed;
  predictSentiment(a, [&](const std::vector<SentimentPrediction>& c) {
    chunks.push_back(c.size());
    streamed.insert(streamed.end(), c.begin(), c.end());
  });
  CHECK(chunks == std::vector<size_t>{8192, 8});
  const std::string expected = formatted(predictSentiment(model, all));
  CHECK(formatted(streamed) == expected);
  const auto cli = testutil::runWembed("sentiment predict --model-file " + q(model_file) + " " + q(a.input), x.d);
  REQUIRE(cli.status == 0);
  CHECK(cli.out == expected);
}

TEST_CASE("sentiment pipeline: a run resumed from its last checkpoint ends with the uninterrupted model") {
  Data x;
  const std::string full = x.d.file("full.sent"), ckpt = x.d.file("run.ckpt");
  SentimentRunArgs a = x.args(full, 4);
  a.checkpoint = ckpt;
  a.checkpoint_every = 1e-9;  // at every minibatch: the last one is inside the last epoch
  trainSentiment(a);
  const std::string resumed = x.d.file("resumed.sent");
  SentimentRunArgs r;  // settings and inputs from the checkpoint
  r.resume = ckpt;
  r.model_file = resumed;
  SentimentRunArgs seen;
  SentimentHooks h;
  h.on_args = [&](const SentimentRunArgs& e) { seen = e; };
  RunRecorder recorder(ProgressSpan::kEpoch);
  recordSentimentRun(h, recorder);
  const TrainResult res = trainSentiment(r, h);
  // The history starts where the run resumed: the rest of the last epoch.
  const RunHistory& history = recorder.history();
  CHECK(history.title.find("(resumed)") != std::string::npos);
  REQUIRE(!history.points.empty());
  CHECK(history.points.front().x > 3);
  CHECK(history.points.back().x == doctest::Approx(4));
  REQUIRE(history.scores.size() == 1);
  CHECK(history.scores[0].x == 4);
  CHECK(seen.net.hidden == 8);
  CHECK(seen.training.epochs == 4);
  CHECK(seen.train == x.train);
  CHECK(seen.checkpoint == ckpt);
  CHECK(res.epochs_run == 4);
  CHECK(testutil::readFile(resumed) == testutil::readFile(full));

  // An input that changed since the checkpoint is refused, naming it: in
  // size, or in place to the same size (one label flipped).
  std::string train = testutil::readFile(x.train);
  testutil::writeFile(x.train, testutil::sentimentTsv(201, 1));
  CHECK_THROWS_WITH_AS(trainSentiment(r), doctest::Contains("changed since checkpoint"), Error);
  const size_t label = train.rfind('\t') + 1;
  train[label] = train[label] == '0' ? '1' : '0';
  testutil::writeFile(x.train, train);
  CHECK_THROWS_WITH_AS(trainSentiment(r), doctest::Contains("(the same size, other content)"), Error);
  r.resume = x.vec;
  CHECK_THROWS_AS(trainSentiment(r), Error);
}

TEST_CASE("sentiment pipeline: the vocabulary of a vector file and a new model over it") {
  const std::vector<std::string> words = {"good", "The", "bad", "good", "x1", "ok", "", "fine"};
  VectorVocabulary v = classifierVocabulary(words, 0);
  CHECK(v.words == std::vector<std::string>{"good", "bad", "ok", "fine"});
  CHECK(v.rows == std::vector<int64_t>{0, 2, 5, 7});
  CHECK(classifierVocabulary(words, 2).words == std::vector<std::string>{"good", "bad"});

  Matrix vectors(8, 3);
  for (int64_t i = 0; i < 8; ++i)
    for (int j = 0; j < 3; ++j) vectors.row(i)[j] = static_cast<float>(10 * i + j);
  NetConfig c;
  c.hidden = 4;
  const SentimentModel m = newSentimentModel(vectors, v, c, 7, 1);
  CHECK(m.max_len == 7);
  CHECK(m.net.config.embed_dim == 3);
  CHECK(m.net.embeddings.rows() == 5);
  CHECK(m.net.embeddings.row(0).isZero());
  CHECK(m.net.embeddings(3, 1) == 51.0f);  // "ok": row 5 of the vectors
  CHECK(m.vocab.find("ok") == 3);
  CHECK(m.vocab.find("x1") == 0);

  const std::vector<LabeledText> rows = {{"ok OK fine", 1}, {"nope, fine", 0}, {"", 0}};
  int64_t unknown = 0, total = 0;
  const auto ex = encodeExamples(rows, m.vocab, 2, &unknown, &total);
  CHECK(ex[0].ids == std::vector<int32_t>{3, 3});  // cut to 2 words
  CHECK(ex[0].label == 1);
  CHECK(ex[1].ids == std::vector<int32_t>{0, 4});
  CHECK(ex[1].label == 0);
  CHECK(ex[2].ids == std::vector<int32_t>{0});  // no word: one unknown token (not counted)
  CHECK(total == 4);
  CHECK(unknown == 1);
}

TEST_CASE("sentiment pipeline: tokens in both formats, labelled or not") {
  TempDir d;
  SentimentTokenizeArgs a;
  a.data = d.file("t.tsv");
  testutil::writeFile(a.data, "id\tlabel\ttext\nx\t1\tDon't GO, 10/10!\ny\t0\t\n");
  CHECK(tokenizeSentiment(a) == "1\tdon t go one zero one zero\n0\t\n");
  a.format = parseTokenFormat("fasttext");
  a.max_len = 3;
  CHECK(tokenizeSentiment(a) == "__label__1 don t go\n__label__0 \n");
  testutil::writeFile(a.data, "text\nCafé au lait\n");
  CHECK(tokenizeSentiment(a) == "cafe au lait\n");
  a.format = TokenFormat::kTsv;
  CHECK(tokenizeSentiment(a) == "\tcafe au lait\n");
}

TEST_CASE("sentiment pipeline: mistakes are one Error naming the flag or the file, and write nothing") {
  Data x;
  const std::string out = x.d.subdir("out"), model = out + "/m.sent";
  auto refused = [&](const SentimentRunArgs& a, const std::string& what) {
    CHECK_THROWS_WITH_AS(trainSentiment(a), doctest::Contains(what.c_str()), Error);
    CHECK(testutil::listDir(out).empty());
  };
  SentimentRunArgs a = x.args(model);
  a.vectors.clear();
  refused(a, "no --vectors file given");
  a = x.args(model);
  a.dev.clear();
  refused(a, "no --dev file given");
  refused(x.args(""), "no --model-file output given");
  a = x.args(model);
  a.max_len = -1;
  refused(a, "--max-len");
  a = x.args(model);
  a.checkpoint_every = 0;
  refused(a, "--checkpoint-every");
  a = x.args(model);
  a.net.hidden = 0;
  refused(a, "hidden");
  a = x.args(model);
  a.training.dropout = 1;
  refused(a, "--dropout");
  a = x.args(model);
  a.train = x.d.file("none.tsv");
  refused(a, "none.tsv");
  a = x.args(out + "/no/dir/m.sent");
  refused(a, "no/dir");
  a = x.args(model);
  a.train = "-";
  a.checkpoint = out + "/c.ckpt";
  refused(a, "--checkpoint needs input files");
  testutil::writeFile(x.d.file("upper.vec"), "2 2\nGood 1 2\nBAD 3 4\n");
  a = x.args(model);
  a.vectors = x.d.file("upper.vec");
  refused(a, "no word made of lower-case letters");
  testutil::writeFile(x.d.file("empty.tsv"), "sentence\tlabel\n");
  a = x.args(model);
  a.dev = x.d.file("empty.tsv");
  refused(a, "has no rows");
  // The caller's check of the effective settings runs before anything is written.
  SentimentHooks h;
  h.on_args = [](const SentimentRunArgs&) { throw Error("refused by the caller"); };
  CHECK_THROWS_WITH_AS(trainSentiment(x.args(model), h), "refused by the caller", Error);
  CHECK(testutil::listDir(out).empty());

  SentimentEvalArgs e;
  e.data = x.dev;
  CHECK_THROWS_WITH_AS(evalSentiment(e), "no --model-file given", Error);
  e.model_file = x.vec;
  CHECK_THROWS_WITH_AS(evalSentiment(e), doctest::Contains("not a wembed sentiment model"), Error);
  e.threads = -1;
  CHECK_THROWS_WITH_AS(evalSentiment(e), doctest::Contains("--threads"), Error);
  SentimentPredictArgs p;
  CHECK_THROWS_WITH_AS(predictSentiment(p, [](const std::vector<SentimentPrediction>&) {}), "no --model-file given",
                       Error);
  p.model_file = x.d.file("none.sent");
  p.input = x.dev;
  CHECK_THROWS_WITH_AS(predictSentiment(p, [](const std::vector<SentimentPrediction>&) {}),
                       doctest::Contains("none.sent"), Error);
  SentimentTokenizeArgs t;
  CHECK_THROWS_WITH_AS(tokenizeSentiment(t), "no --data file given", Error);
  t.data = x.dev;
  t.max_len = -1;
  CHECK_THROWS_WITH_AS(tokenizeSentiment(t), doctest::Contains("--max-len"), Error);
  CHECK_THROWS_WITH_AS(parseTokenFormat("xml"), "--format must be tsv or fasttext", Error);
}
