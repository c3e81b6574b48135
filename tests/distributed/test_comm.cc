// The ranks of a job and their collectives: one rank without mpirun; under
// `mpirun -np 2` (this test binary run as a job, see mpi_util.h) every rank
// counts its share of the corpus and all end with the same vocabulary,
// Huffman tree and negative table, and a failure on one rank stops both.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "mpi_util.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/corpus/tokenizer.h"
#include "wembed/distributed/comm.h"
#include "wembed/word2vec/huffman.h"
#include "wembed/word2vec/sampling.h"

using namespace wembed;
namespace dist = wembed::distributed;

namespace {

constexpr const char* kCorpusVar = "WEMBED_TEST_MPI_CORPUS";

// Runs the test case `name` of this binary as a job of 2 ranks with the
// corpus file in the environment; the job must succeed.
void runAsJob(const std::string& name, const std::string& corpus, const testutil::TempDir& d) {
  const std::string why = testutil::mpiUnavailable();
  if (!why.empty()) {
    MESSAGE("skipped: " << why);
    return;
  }
  const testutil::RunResult r =
      testutil::run(std::string(kCorpusVar) + "=" + testutil::q(corpus) + " " + testutil::mpirun(2) +
                        "/proc/" + std::to_string(getpid()) + "/exe --test-case=" + testutil::q(name),
                    d.path());
  INFO("stdout: " << r.out);
  INFO("stderr: " << r.err);
  CHECK(r.status == 0);
  CHECK(r.out.find("2 ranks agree") != std::string::npos);
}

// Everything the trainers derive from the vocabulary, as one string.
std::string digest(const Dictionary& dict) {
  std::vector<int64_t> counts;
  std::string s;
  for (const auto& e : dict.entries()) {
    s += e.word + " " + std::to_string(e.count) + "\n";
    counts.push_back(e.count);
  }
  const HuffmanTree tree(counts);
  for (int32_t w = 0; w < dict.size(); ++w)
    for (int i = 0; i < tree.length(w); ++i) s += std::to_string(tree.points(w)[i]) + char('0' + tree.codes(w)[i]);
  const NegativeTable neg(counts);
  for (int32_t w = 0; w < dict.size(); ++w) s += std::to_string(neg.probability(w)) + " ";
  return s;
}

}  // namespace

TEST_CASE("distributed: one rank without mpirun") {
  if (dist::active()) return;  // this case is about a process on its own
  CHECK(dist::rank() == 0);
  CHECK(dist::size() == 1);
  float f[2] = {1.5f, -2};
  dist::allreduceSum(f, 2);
  CHECK(f[0] == 1.5f);
  int64_t i[1] = {7};
  dist::allreduceSum(i, 1);
  CHECK(i[0] == 7);
  CHECK(dist::allgather("abc") == std::vector<std::string>{"abc"});
  double x[1] = {0.25};
  dist::allreduceSum(x, 1);
  CHECK(x[0] == 0.25);
  CHECK(dist::alltoall({"to myself"}) == std::vector<std::string>{"to myself"});
  CHECK(dist::gatherTogether([] { return std::string("x"); }) == std::vector<std::string>{"x"});
  CHECK(testutil::errorOf([] { dist::gatherTogether([]() -> std::string { throw Error("bad file"); }); }) ==
        "bad file");
  CHECK(testutil::errorOf([] { dist::together([] { throw Error("bad file"); }); }) == "bad file");
}

TEST_CASE("distributed: 2 ranks count the same vocabulary, Huffman tree and negative table") {
  const char* corpus = std::getenv(kCorpusVar);
  if (!dist::active()) {
    testutil::TempDir d;
    // Words of every frequency, ties included, and a file cut mid-word between the ranks' ranges.
    std::string text = testutil::topicsText(3000, 40);
    for (int i = 0; i < 500; ++i) text += "w" + std::to_string(i % 97) + (i % 13 ? " " : "\n");
    testutil::writeFile(d.file("corpus.txt"), text);
    runAsJob("distributed: 2 ranks count the same vocabulary*", d.file("corpus.txt"), d);
    return;
  }
  REQUIRE(corpus);
  VocabArgs args;
  args.input = {corpus};
  args.min_count = 2;
  args.threads = 2;  // 2 ranks x 2 threads: 4 ranges
  const Dictionary dict = buildVocabulary(args, nullptr);
  const std::vector<std::string> all = dist::allgather(digest(dict));
  REQUIRE(all.size() == 2);
  CHECK(all[0] == all[1]);
  // The vocabulary one process counts over the whole text.
  Dictionary one;
  Tokenizer tok(std::vector<std::string>{corpus});
  for (Tokenizer::Kind k; (k = tok.next()) != Tokenizer::kEnd;)
    if (k == Tokenizer::kWord) one.add(tok.word());
  one.finalize(args.min_count, 0);
  CHECK(digest(one) == all[0]);
  CHECK(dict.size() == 40 * 2 + 97);

  // Personalised exchange: rank r sends "r>s" to rank s (an empty message to itself).
  const int me = dist::rank();
  std::vector<std::string> to(2);
  for (int r = 0; r < 2; ++r) to[r] = r == me ? std::string() : std::to_string(me) + ">" + std::to_string(r);
  const std::vector<std::string> got = dist::alltoall(to);
  CHECK(got[me].empty());
  CHECK(got[1 - me] == std::to_string(1 - me) + ">" + std::to_string(me));
  double sum[2] = {0.5, static_cast<double>(me)};
  dist::allreduceSum(sum, 2);
  CHECK(sum[0] == 1.0);
  CHECK(sum[1] == 1.0);

  // A failure on one rank stops both, naming the rank.
  const std::string e = testutil::errorOf([] {
    dist::gatherTogether([]() -> std::string {
      if (dist::rank() == 1) throw Error("cannot open 'x'");
      return "fine";
    });
  });
  CHECK(e == "rank 1: cannot open 'x'");
  const bool agree = all[0] == all[1] && e == "rank 1: cannot open 'x'" && got[1 - me].size() == 3;
  if (dist::rank() == 0 && agree) std::printf("2 ranks agree\n");
}
