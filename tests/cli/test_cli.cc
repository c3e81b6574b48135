#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/vectors/vectors.h"

using testutil::checkFailure, testutil::kBin, testutil::q, testutil::runWembed, testutil::TempDir;

namespace {

// A small corpus with known counts: the 5, cat 3, sat 2, mat 2, on 1, dog 1.
const char* kCorpus = "the cat sat on the mat\nthe cat\n\nthe dog sat\r\nthe cat mat";

}  // namespace

TEST_CASE("cli: --help, --version and usage") {
  TempDir d;
  auto r = runWembed("train --help", d);
  CHECK(r.status == 0);
  for (const char* opt : {"--input", "--output", "--model", "--loss", "--dim", "--window", "--negative", "--sample",
                          "--min-count", "--epochs", "--threads", "--seed", "--alpha"}) {
    INFO(opt);
    CHECK(r.out.find(opt) != std::string::npos);
  }
  r = runWembed("vocab --help", d);
  CHECK(r.status == 0);
  for (const char* opt : {"--input", "--output", "--min-count", "--max-vocab", "--prune-at", "--threads"}) {
    INFO(opt);
    CHECK(r.out.find(opt) != std::string::npos);
  }
  r = runWembed("neighbors --help", d);
  CHECK(r.status == 0);
  CHECK(r.out.find("usage") != std::string::npos);
  r = runWembed("--help", d);
  CHECK(r.status == 0);
  CHECK(r.out.find("train") != std::string::npos);
  r = runWembed("--version", d);
  CHECK(r.status == 0);
  CHECK(r.out.find("wembed") != std::string::npos);
  r = runWembed("", d);
  CHECK(r.status != 0);
  checkFailure(runWembed("frobnicate", d), std::vector<std::string>{}, "unknown command", "'frobnicate'");
}

TEST_CASE("cli: train error paths - one error line, non-zero exit, no output") {
  TempDir d;
  const std::string in = d.subdir("in");
  testutil::writeFile(in + "/corpus.txt", kCorpus);
  testutil::writeFile(in + "/empty.txt", "");
  testutil::writeFile(in + "/blank.txt", "\n  \n\t\r\n");
  {
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "word" + std::to_string(i % 1000) + (i % 10 ? " " : "\n");
    testutil::writeGzip(in + "/bad.gz", text);
    std::string gz = testutil::readFile(in + "/bad.gz");
    for (size_t i = 40; i < gz.size(); i += 53) gz[i] = static_cast<char>(gz[i] ^ 0xA5);
    testutil::writeFile(in + "/bad.gz", gz);
  }
  const std::string corpus = q(in + "/corpus.txt");
  const std::string base = " --threads 2 --dim 8 --epochs 1 --min-count 1";
  int n = 0;
  auto expectFailure = [&](const std::string& what, const std::string& args_with_out) {
    const std::string out = d.subdir("out" + std::to_string(n++));
    std::string args = args_with_out;
    const std::string marker = "OUT";
    for (size_t p; (p = args.find(marker)) != std::string::npos;) args.replace(p, marker.size(), out);
    checkFailure(runWembed("train " + args, d), out, what);
  };
  expectFailure("missing input", "-i " + q(in + "/missing.txt") + " -o OUT/v.bin" + base);
  expectFailure("input is a directory", "-i " + q(in) + " -o OUT/v.bin" + base);
  expectFailure("one of several inputs missing", "-i " + corpus + " " + q(in + "/nope.txt") + " -o OUT/v.bin" + base);
  expectFailure("empty corpus", "-i " + q(in + "/empty.txt") + " -o OUT/v.bin" + base);
  expectFailure("whitespace-only corpus", "-i " + q(in + "/blank.txt") + " -o OUT/v.bin" + base);
  expectFailure("no word reaches min-count", "-i " + corpus + " -o OUT/v.bin --min-count 100 --threads 2");
  expectFailure("output in a missing directory", "-i " + corpus + " -o OUT/no/such/dir/v.bin" + base);
  expectFailure("output is a directory", "-i " + corpus + " -o OUT" + base);
  expectFailure("output is a directory (--format bin)", "-i " + corpus + " -o OUT --format bin" + base);
  expectFailure("--dim 0", "-i " + corpus + " -o OUT/v.bin --threads 2 --min-count 1 --dim 0");
  expectFailure("--window 0", "-i " + corpus + " -o OUT/v.bin" + base + " --window 0");
  expectFailure("--negative 0 with ns", "-i " + corpus + " -o OUT/v.bin" + base + " --loss ns --negative 0");
  expectFailure("--epochs 0", "-i " + corpus + " -o OUT/v.bin --threads 2 --min-count 1 --epochs 0");
  expectFailure("--sample 1", "-i " + corpus + " -o OUT/v.bin" + base + " --sample 1");
  expectFailure("unknown --model", "-i " + corpus + " -o OUT/v.bin" + base + " --model lda");
  expectFailure("unknown --loss", "-i " + corpus + " -o OUT/v.bin" + base + " --loss softmax");
  expectFailure("unknown --format", "-i " + corpus + " -o OUT/v.bin" + base + " --format json");
  expectFailure("unknown flag", "-i " + corpus + " -o OUT/v.bin" + base + " --frobnicate 3");
  expectFailure("non-numeric --dim", "-i " + corpus + " -o OUT/v.bin --threads 2 --min-count 1 --dim abc");
  expectFailure("non-numeric --sample", "-i " + corpus + " -o OUT/v.bin" + base + " --sample lots");
  expectFailure("output with an unknown extension", "-i " + corpus + " -o OUT/vectors.foo" + base);
  expectFailure("output without an extension", "-i " + corpus + " -o OUT/vectors" + base);
  expectFailure("no output", "-i " + corpus + base);
  expectFailure("no input", "-o OUT/v.bin" + base);
  expectFailure("--output-context with hs", "-i " + corpus + " -o OUT/v.bin --output-context OUT/c.bin --loss hs" + base);
  expectFailure("missing --read-vocab file", "-i " + corpus + " -o OUT/v.bin --read-vocab " + q(in + "/nov.txt") + base);
  // A corrupt .gz input: the error comes while spooling into --tmp-dir, which must be left clean.
  expectFailure("corrupt gzip input", "-i " + q(in + "/bad.gz") + " -o OUT/v.bin" + base + " --tmp-dir OUT");
}

TEST_CASE("cli: vocab error paths") {
  TempDir d;
  const std::string in = d.subdir("in");
  testutil::writeFile(in + "/corpus.txt", kCorpus);
  testutil::writeFile(in + "/empty.txt", "");
  int n = 0;
  auto expectFailure = [&](const std::string& what, const std::string& args) {
    const std::string out = d.subdir("out" + std::to_string(n++));
    std::string a = args;
    for (size_t p; (p = a.find("OUT")) != std::string::npos;) a.replace(p, 3, out);
    checkFailure(runWembed("vocab " + a, d), out, what);
  };
  expectFailure("missing input", q(in + "/missing.txt") + " -o OUT/v.txt");
  expectFailure("directory input", q(in) + " -o OUT/v.txt");
  expectFailure("empty corpus", q(in + "/empty.txt") + " -o OUT/v.txt --min-count 1");
  expectFailure("no word reaches min-count", q(in + "/corpus.txt") + " -o OUT/v.txt --min-count 6");
  expectFailure("missing output directory", q(in + "/corpus.txt") + " -o OUT/x/v.txt");
  expectFailure("no output", q(in + "/corpus.txt"));
  expectFailure("--min-count 0", q(in + "/corpus.txt") + " -o OUT/v.txt --min-count 0");
  expectFailure("unknown flag", q(in + "/corpus.txt") + " -o OUT/v.txt --bogus");
}

TEST_CASE("cli: vocab writes the expected counts") {
  TempDir d;
  testutil::writeFile(d.file("corpus.txt"), kCorpus);
  auto r = runWembed("vocab " + q(d.file("corpus.txt")) + " --min-count 1 -o " + q(d.file("v.txt")), d);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("v.txt")) == "the 5\ncat 3\nsat 2\nmat 2\non 1\ndog 1\n");
  r = runWembed("vocab -i " + q(d.file("corpus.txt")) + " --min-count 2 --max-vocab 3 -q -o " + q(d.file("v2.txt")), d);
  CHECK(r.status == 0);
  CHECK(r.err.empty());
  CHECK(testutil::readFile(d.file("v2.txt")) == "the 5\ncat 3\nsat 2\n");
  // Default min-count is 5.
  r = runWembed("vocab " + q(d.file("corpus.txt")) + " -q -o " + q(d.file("v3.txt")), d);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("v3.txt")) == "the 5\n");
  // --input and --output in full, and the message naming the output.
  r = runWembed("vocab --input " + q(d.file("corpus.txt")) + " --output " + q(d.file("v4.txt")), d);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("v4.txt")) == "the 5\n");
  CHECK(r.err.find("vocab: wrote 1 words to " + d.file("v4.txt")) != std::string::npos);
  // The result loads as a vocabulary.
  CHECK(wembed::Dictionary::load(d.file("v.txt")).size() == 6);
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("cli: end-to-end train, text and binary output") {
  TempDir d;
  testutil::writeFile(d.file("corpus.txt"), kCorpus);
  const std::string common = " --threads 2 --dim 10 --epochs 2 --min-count 1 --window 2 --negative 2 ";
  // Text output, with the vocabulary and context vectors saved too.
  auto r = runWembed("train -i " + q(d.file("corpus.txt")) + " -o " + q(d.file("v.txt")) + common +
                      "--save-vocab " + q(d.file("vocab.txt")) + " --output-context " + q(d.file("ctx.txt")),
                  d);
  INFO(r.err);
  REQUIRE(r.status == 0);
  auto v = wembed::loadWord2vec(d.file("v.txt"), wembed::VectorFormat::kWord2vecText);
  CHECK(v.words == std::vector<std::string>{"the", "cat", "sat", "mat", "on", "dog"});
  CHECK(v.matrix.rows() == 6);
  CHECK(v.matrix.cols() == 10);
  CHECK(testutil::readFile(d.file("vocab.txt")) == "the 5\ncat 3\nsat 2\nmat 2\non 1\ndog 1\n");
  auto c = wembed::loadWord2vec(d.file("ctx.txt"));
  CHECK(c.matrix.rows() == 6);
  // Binary output, every model/loss combination, quiet.
  for (const char* ml : {"--model skipgram --loss ns", "--model cbow --loss ns", "--model skipgram --loss hs",
                         "--model cbow --loss hs"}) {
    INFO(ml);
    r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("v.bin")) + common + ml + " -q", d);
    CHECK(r.status == 0);
    CHECK(r.err.empty());
    auto b = wembed::loadWord2vec(d.file("v.bin"), wembed::VectorFormat::kWord2vecBinary);
    CHECK(b.matrix.rows() == 6);
    CHECK(b.matrix.cols() == 10);
    CHECK(b.words.front() == "the");
  }
  // --format overrides the extension.
  r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("v.out")) + common + "--format txt -q", d);
  CHECK(r.status == 0);
  CHECK(wembed::loadWord2vec(d.file("v.out"), wembed::VectorFormat::kWord2vecText).matrix.rows() == 6);
  // --read-vocab restricts training to its words.
  testutil::writeFile(d.file("rv.txt"), "cat 3\nthe 5\n");
  r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("rv.vec")) + common + "--read-vocab " +
                 q(d.file("rv.txt")) + " -q",
             d);
  CHECK(r.status == 0);
  CHECK(wembed::loadWord2vec(d.file("rv.vec")).words == std::vector<std::string>{"the", "cat"});
  // A plain corpus with --tmp-dir: nothing is spooled there.
  const std::string tmp = d.subdir("spool");
  r = runWembed("train " + q(d.file("corpus.txt")) + " -o " + q(d.file("v2.bin")) + common + "--tmp-dir " + q(tmp) + " -q", d);
  CHECK(r.status == 0);
  CHECK(testutil::listDir(tmp).empty());
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
  // The neighbors command reads the result.
  r = runWembed("neighbors " + q(d.file("v.bin")) + " the -k 3", d);
  CHECK(r.status == 0);
  CHECK(r.out.find("the") != std::string::npos);
  CHECK(testutil::nonEmptyLines(r.out).size() == 4);  // the query and 3 neighbours
  r = runWembed("neighbors " + q(d.file("v.bin")) + " unknownword", d);
  CHECK(r.status != 0);
}

TEST_CASE("cli: train reads .gz and stdin input") {
  TempDir d;
  testutil::writeGzip(d.file("corpus.txt.gz"), kCorpus);
  testutil::writeFile(d.file("corpus.txt"), kCorpus);
  const std::string tmp = d.subdir("spool");
  const std::string common = " --threads 2 --dim 8 --epochs 1 --min-count 1 -q --tmp-dir " + q(tmp) + " ";
  const std::string expected_vocab = "the 5\ncat 3\nsat 2\nmat 2\non 1\ndog 1\n";
  // .gz
  auto r = runWembed("train -i " + q(d.file("corpus.txt.gz")) + " -o " + q(d.file("gz.bin")) + common +
                      "--save-vocab " + q(d.file("gz.vocab")),
                  d);
  INFO(r.err);
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("gz.vocab")) == expected_vocab);
  CHECK(wembed::loadWord2vec(d.file("gz.bin")).matrix.rows() == 6);
  CHECK(testutil::listDir(tmp).empty());  // the spool file is removed
  // stdin
  r = testutil::run("cat " + q(d.file("corpus.txt")) + " | " + q(kBin) + " train - -o " + q(d.file("in.txt")) +
                        common + "--save-vocab " + q(d.file("in.vocab")),
                    d.path());
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("in.vocab")) == expected_vocab);
  CHECK(wembed::loadWord2vec(d.file("in.txt")).matrix.rows() == 6);
  CHECK(testutil::listDir(tmp).empty());
  // stdin + gzip + plain together: counts add up.
  r = testutil::run("cat " + q(d.file("corpus.txt")) + " | " + q(kBin) + " train " + q(d.file("corpus.txt.gz")) +
                        " - " + q(d.file("corpus.txt")) + " -o " + q(d.file("mix.bin")) + common + "--save-vocab " +
                        q(d.file("mix.vocab")),
                    d.path());
  CHECK(r.status == 0);
  CHECK(testutil::readFile(d.file("mix.vocab")) == "the 15\ncat 9\nsat 6\nmat 6\non 3\ndog 3\n");
  CHECK(testutil::listDir(tmp).empty());
  // stdin with --read-vocab (spooled without counting).
  testutil::writeFile(d.file("rv.txt"), "the 5\ncat 3\n");
  r = testutil::run("cat " + q(d.file("corpus.txt")) + " | " + q(kBin) + " train - --read-vocab " + q(d.file("rv.txt")) +
                        " -o " + q(d.file("rv.bin")) + common,
                    d.path());
  CHECK(r.status == 0);
  CHECK(wembed::loadWord2vec(d.file("rv.bin")).matrix.rows() == 2);
  CHECK(testutil::listDir(tmp).empty());
  // An empty stdin is an empty corpus: one error line, no output, no spool left.
  const std::string out = d.subdir("out");
  r = testutil::run("printf '' | " + q(kBin) + " train - -o " + q(out + "/v.bin") + common, d.path());
  checkFailure(r, out, "empty stdin");
  CHECK(testutil::listDir(tmp).empty());
}
