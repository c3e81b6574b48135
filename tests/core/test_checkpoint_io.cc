// The framing shared by all checkpoints: kinds told apart by their magic, a
// checkpoint of one kind refused by the others with one clear message.
#include <cstring>
#include <functional>
#include <random>
#include <sstream>

#include "doctest/doctest.h"
#include "test_util.h"
#include "wembed/word2vec/checkpoint.h"
#include "wembed/core/checkpoint_io.h"
#include "wembed/core/error.h"
#include "wembed/glove/checkpoint.h"
#include "wembed/sentiment/checkpoint.h"

using namespace wembed;
using testutil::errorOf;
using testutil::TempDir;

namespace {

void writeWord2vec(const std::string& path) {
  Word2VecCheckpoint c;
  c.args.vocab.input = {"corpus.txt"};
  c.args.output = "v.bin";
  c.args.dim = 2;
  c.args.epochs = 1;
  c.args.threads = 1;
  c.files = {"corpus.txt"};
  c.inputs = {{10, 0}};
  c.vocab = {{"a", 3}};
  c.in = Matrix(1, 2);
  c.out = Matrix(1, 2);
  c.in.zero();
  c.out.zero();
  c.epoch_words = {0};
  c.threads = {Word2VecThreadPosition()};
  saveWord2VecCheckpoint(path, c, c.in, c.out);
}

void writeGlove(const std::string& path) {
  GloveCheckpoint c;
  c.args.dim = 2;
  c.args.epochs = 1;
  c.args.threads = 1;
  c.run.vocab = {{"a", 3}};
  c.records = 1;
  const int width = 2 * gloveRowWidth(2);
  Matrix w(1, width), x(1, width);
  w.zero();
  x.zero();
  saveGloveCheckpoint(path, c, w, x);
}

void writeSentiment(const std::string& path) {
  SentimentCheckpoint c;
  c.config.embed_dim = 2;
  c.config.hidden = 2;
  c.args.threads = 1;
  c.embedding_rows = 3;
  c.train_examples = c.dev_examples = 1;
  std::ostringstream rng;
  rng << std::mt19937_64(1);
  c.rng = rng.str();
  const NetLayout layout(c.config);
  std::vector<float> dense(layout.size, 0.f), rows(2, 0.f);
  SentimentArrays a{dense.data(), rows.data(), dense.data(), dense.data(), rows.data(), rows.data(),
                    dense.data(), rows.data(), dense.size(), 1, 0};
  saveSentimentCheckpoint(path, c, a);
}

}  // namespace

TEST_CASE("checkpoint io: each kind is recognised by its magic") {
  TempDir d;
  writeWord2vec(d.file("w.ckpt"));
  writeGlove(d.file("g.ckpt"));
  writeSentiment(d.file("s.ckpt"));
  CHECK((checkpointKind(d.file("w.ckpt")) == CheckpointKind::kWord2vec));
  CHECK((checkpointKind(d.file("g.ckpt")) == CheckpointKind::kGlove));
  CHECK((checkpointKind(d.file("s.ckpt")) == CheckpointKind::kSentiment));
  CHECK_NOTHROW(loadWord2VecCheckpoint(d.file("w.ckpt")));
  CHECK_NOTHROW(loadGloveCheckpoint(d.file("g.ckpt")));
  CHECK_NOTHROW(loadSentimentCheckpoint(d.file("s.ckpt")));

  testutil::writeFile(d.file("x.ckpt"), "WEMBCKXXsomething");
  CHECK_THROWS_WITH_AS(checkpointKind(d.file("x.ckpt")), doctest::Contains("bad magic"), Error);
  testutil::writeFile(d.file("short.ckpt"), "WEMB");
  CHECK_THROWS_WITH_AS(checkpointKind(d.file("short.ckpt")), doctest::Contains("too short"), Error);
  CHECK_THROWS_AS(checkpointKind(d.file("missing.ckpt")), Error);
}

TEST_CASE("checkpoint io: a checkpoint of another kind is refused, naming its kind and how to resume it") {
  TempDir d;
  writeWord2vec(d.file("w.ckpt"));
  writeGlove(d.file("g.ckpt"));
  writeSentiment(d.file("s.ckpt"));
  const std::string w = d.file("w.ckpt"), g = d.file("g.ckpt"), s = d.file("s.ckpt");

  std::string e = errorOf([&] { loadGloveCheckpoint(w); });
  CHECK(e.find(w) != std::string::npos);
  CHECK(e.find("is a word2vec checkpoint, not a GloVe one") != std::string::npos);
  CHECK(e.find("'wembed train --resume'") != std::string::npos);

  e = errorOf([&] { loadSentimentCheckpoint(w); });
  CHECK(e.find("is a word2vec checkpoint, not a sentiment classifier one") != std::string::npos);

  e = errorOf([&] { loadWord2VecCheckpoint(g); });
  CHECK(e.find("is a GloVe checkpoint, not a word2vec one") != std::string::npos);

  e = errorOf([&] { loadWord2VecCheckpoint(s); });
  CHECK(e.find("is a sentiment classifier checkpoint, not a word2vec one") != std::string::npos);
  CHECK(e.find("'wembed sentiment train --resume'") != std::string::npos);

  e = errorOf([&] { loadGloveCheckpoint(s); });
  CHECK(e.find("'wembed sentiment train --resume'") != std::string::npos);
  e = errorOf([&] { loadSentimentCheckpoint(g); });
  CHECK(e.find("is a GloVe checkpoint") != std::string::npos);
  CHECK(e.find("'wembed train --resume'") != std::string::npos);
}

TEST_CASE("checkpoint io: writer and reader agree; the reader checks sizes, checksum and trailing bytes") {
  TempDir d;
  const std::string p = d.file("t.ckpt");
  {
    CheckpointWriter w(p, CheckpointKind::kGlove);
    w.pod<uint32_t>(7);
    w.str("héllo");
    const float f[3] = {1.5f, -2.f, 3.25f};
    w.floats(f, 3);
    Matrix m(2, 3);
    for (int r = 0; r < 2; ++r)
      for (int c = 0; c < 3; ++c) m.row(r)[c] = static_cast<float>(r * 3 + c);
    w.matrix(m);
    w.commit();
  }
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
  {
    CheckpointReader r(p, CheckpointKind::kGlove);
    CHECK(r.pod<uint32_t>() == 7);
    CHECK(r.str() == "héllo");
    const std::vector<float> f = r.floats();
    CHECK(f == std::vector<float>{1.5f, -2.f, 3.25f});
    const Matrix m = r.matrix();
    CHECK(m.rows() == 2);
    CHECK(m.cols() == 3);
    CHECK(m.row(1)[2] == 5.f);
    CHECK_NOTHROW(r.finish());
  }
  {
    CheckpointReader r(p, CheckpointKind::kGlove);
    r.pod<uint32_t>();
    r.str();
    float f[3];
    CHECK_THROWS_WITH_AS(r.floats(f, 4, "weights"), doctest::Contains("weights: 3 values where 4"), Error);
  }
  const std::string good = testutil::readFile(p);
  testutil::writeFile(p, good + "z");
  {
    CheckpointReader r(p, CheckpointKind::kGlove);
    r.pod<uint32_t>();
    r.str();
    r.floats();
    r.matrix();
    CHECK_THROWS_WITH_AS(r.finish(), doctest::Contains("trailing bytes"), Error);
  }
  std::string bad = good;
  bad[9] ^= 1;  // inside the body
  testutil::writeFile(p, bad);
  {
    CheckpointReader r(p, CheckpointKind::kGlove);
    r.pod<uint32_t>();
    r.str();
    r.floats();
    r.matrix();
    CHECK_THROWS_WITH_AS(r.finish(), doctest::Contains("checksum mismatch"), Error);
  }
}

TEST_CASE("checkpoint io: input identities round trip; an older or newer version is refused with one line") {
  TempDir d;
  const std::string p = d.file("t.ckpt");
  const FileIdentity id{123456789012ull, 0x0123456789abcdefull};
  {
    CheckpointWriter w(p, CheckpointKind::kSentiment);
    w.pod<uint32_t>(3);
    w.identity(id);
    w.commit();
  }
  {
    CheckpointReader r(p, CheckpointKind::kSentiment);
    CHECK_NOTHROW(r.checkVersion(3));
    CHECK(r.identity() == id);
    CHECK_NOTHROW(r.finish());
  }
  CheckpointReader newer(p, CheckpointKind::kSentiment);
  CHECK(errorOf([&] { newer.checkVersion(2); }) == "checkpoint '" + p + "' is unusable: version 3 (this wembed reads version 2)");
  CheckpointReader older(p, CheckpointKind::kSentiment);
  CHECK(errorOf([&] { older.checkVersion(4); }) ==
        "checkpoint '" + p + "' is unusable: version 3, written by an older wembed (this wembed reads version 4): "
        "start the run again");
}
