// The storage pieces of the co-occurrence counting (a private header).
#include <filesystem>

#include "doctest/doctest.h"
#include "glove/cooccur_internal.h"
#include "test_util.h"

using namespace wembed;
using namespace wembed::cooccur_internal;

TEST_CASE("cooccur storage: sortAndCombine sorts by (word, context) and sums duplicates") {
  std::vector<Rec> r = {{2, 1, 1.f}, {0, 5, 0.5f}, {2, 1, 2.f}, {0, 3, 1.f}, {0, 5, 0.25f}};
  const size_t n = sortAndCombine(r.data(), r.size());
  REQUIRE(n == 3);
  CHECK((r[0].word == 0 && r[0].context == 3 && r[0].count == 1.f));
  CHECK((r[1].word == 0 && r[1].context == 5 && r[1].count == 0.75f));
  CHECK((r[2].word == 2 && r[2].context == 1 && r[2].count == 3.f));
  CHECK(sortAndCombine(r.data(), 0) == 0);
}

TEST_CASE("cooccur storage: the scratch directory goes with its files; runs hold their records") {
  testutil::TempDir d;
  std::string path;
  {
    ScratchDir s(d.path());
    path = s.path();
    const Rec recs[2] = {{0, 1, 1.f}, {1, 1, 2.f}};
    Run run = writeRun(s.path(), recs, 2);
    CHECK(run.records == 2);
    CHECK(std::filesystem::file_size(run.file->path()) == 2 * sizeof(Rec));
    CHECK(std::filesystem::exists(path));
  }
  CHECK_FALSE(std::filesystem::exists(path));
  ZeroPages z(1 << 20);
  CHECK(z.floats()[12345] == 0.f);
}

TEST_CASE("cooccur merge: sources are merged in key order with equal keys summed") {
  const Rec a[3] = {{0, 0, 1.f}, {0, 2, 1.f}, {3, 1, 1.f}};
  const Rec b[2] = {{0, 2, 2.f}, {1, 0, 1.f}};
  MemSource sa(a, 3), sb(b, 2);
  std::vector<Rec> out;
  mergeSources({&sa, &sb}, [&](int32_t w, int32_t c, double x) { out.push_back(Rec{w, c, static_cast<float>(x)}); },
               {});
  REQUIRE(out.size() == 4);
  CHECK((out[1].word == 0 && out[1].context == 2 && out[1].count == 3.f));
  CHECK((out[3].word == 3 && out[3].context == 1));
}
