// Distributed counting: under `mpirun -np 2` (this test binary run as a job)
// each rank counts its share of the corpus and keeps the pairs it owns; the
// two ranks' records together are exactly one process's counts.
#include <doctest/doctest.h>

#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "mpi_util.h"
#include "test_fixtures.h"
#include "test_util.h"
#include "wembed/corpus/dictionary.h"
#include "wembed/distributed/comm.h"
#include "wembed/glove/cooccur.h"

using namespace wembed;
namespace dist = wembed::distributed;

namespace {

constexpr const char* kDirVar = "WEMBED_TEST_MPI_DIR";

using Counts = std::map<std::pair<int32_t, int32_t>, double>;

Counts readAll(const std::string& path) {
  CooccurReader r(path);
  std::vector<CooccurRecord> recs(r.records());
  REQUIRE(r.read(0, recs.data(), recs.size()) == recs.size());
  Counts c;
  for (const auto& x : recs) {
    CHECK(c.count({x.word, x.context}) == 0);  // every pair once
    c[{x.word, x.context}] = x.count;
  }
  return c;
}

// The corpus's vocabulary and the counting settings: small buffers, so that
// both ranks spill runs and merge them before the exchange.
CooccurArgs settings(const std::string& dir, bool symmetric) {
  CooccurArgs a;
  a.window = 4;
  a.symmetric = symmetric;
  a.threads = 2;
  a.tmp_dir = dir;
  a.buffer_records = 300;
  a.max_product = 200;
  a.max_open = 3;
  return a;
}

Dictionary vocabulary(const std::string& corpus) {
  VocabArgs v;
  v.input = {corpus};
  v.min_count = 2;
  return buildVocabulary(v, nullptr);  // on 2 ranks: counted by both, the same (distributed/test_comm)
}

std::string oneFile(bool symmetric) { return symmetric ? "one.sym" : "one.asym"; }

}  // namespace

TEST_CASE("cooccur on 2 ranks: the ranks' records together are one process's counts") {
  const char* dir = std::getenv(kDirVar);
  if (!dist::active()) {
    const std::string why = testutil::mpiUnavailable();
    if (!why.empty()) {
      MESSAGE("skipped: " << why);
      return;
    }
    testutil::TempDir d;
    std::string text = testutil::topicsText(1500, 30);
    for (int i = 0; i < 700; ++i) text += "w" + std::to_string(i % 53) + (i % 11 ? " " : "\n");
    testutil::writeFile(d.file("corpus.txt"), text);
    // One process's counts, which the job compares its ranks' with.
    const Dictionary dict = vocabulary(d.file("corpus.txt"));
    for (bool symmetric : {true, false})
      countCooccurrences({d.file("corpus.txt")}, dict, settings(d.path(), symmetric), d.file(oneFile(symmetric)));
    const testutil::RunResult r = testutil::run(std::string(kDirVar) + "=" + testutil::q(d.path()) + " " +
                                                    testutil::mpirun(2) + "/proc/" + std::to_string(getpid()) +
                                                    "/exe --test-case=" + testutil::q("cooccur on 2 ranks*"),
                                                d.path());
    INFO("stdout: " << r.out);
    INFO("stderr: " << r.err);
    CHECK(r.status == 0);
    CHECK(r.out.find("2 ranks count as one") != std::string::npos);
    return;
  }
  REQUIRE(dir);
  const std::string d = dir, corpus = d + "/corpus.txt";
  const Dictionary dict = vocabulary(corpus);
  bool all_equal = true;
  for (bool symmetric : {true, false}) {
    INFO("symmetric " << symmetric);
    const auto file = [&](int rank) { return d + "/rank" + std::to_string(rank) + (symmetric ? ".sym" : ".asym"); };
    const CooccurStats st = countCooccurrences({corpus}, dict, settings(d, symmetric), file(dist::rank()));
    CHECK(st.runs > 0);  // runs spilled and merged before the exchange
    dist::together([] {});  // both files written
    if (dist::rank() != 0) continue;
    Counts ranks = readAll(file(0));
    for (const auto& [k, x] : readAll(file(1))) {
      CHECK(ranks.count(k) == 0);  // each pair on one rank only
      ranks[k] = x;
    }
    const Counts one = readAll(d + "/" + oneFile(symmetric));
    CHECK(ranks.size() == one.size());
    for (const auto& [k, x] : one) {
      const auto it = ranks.find(k);
      const bool same = it != ranks.end() && std::fabs(it->second - x) <= 1e-5 * x;
      CHECK(same);
      all_equal = all_equal && same && ranks.size() == one.size();
    }
  }
  if (dist::rank() == 0 && all_equal) std::printf("2 ranks count as one\n");
}
