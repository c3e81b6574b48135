#include <doctest/doctest.h>

#include <vector>

#include "wembed/core/run_history.h"

using namespace wembed;

TEST_CASE("run history: a whole-run fraction becomes epochs (word2vec, GloVe)") {
  RunRecorder r(ProgressSpan::kWholeRun, 5, "train");
  r.record(Progress{0.1, 1000, 0.025, 2.5, 30, 0});
  r.record(Progress{0.5, 1000, 0.0125, 2.0, 10, 0});
  r.record(Progress{1.0, 1000, 0.0001, 1.5, 0, 0});
  const RunHistory& h = r.history();
  CHECK(h.title == "train");
  CHECK(h.x_label == "epoch");
  REQUIRE(h.points.size() == 3);
  CHECK(h.points[0].x == doctest::Approx(0.5));
  CHECK(h.points[1].x == doctest::Approx(2.5));
  CHECK(h.points[2].x == doctest::Approx(5.0));
  CHECK(h.points[1].loss == 2.0);
  CHECK(h.points[1].lr == 0.0125);
  CHECK(h.scores.empty());
}

TEST_CASE("run history: an epoch fraction becomes epochs (sentiment); scores end their epoch") {
  RunRecorder r(ProgressSpan::kEpoch);
  r.record(Progress{0.5, 100, 1e-3, 0.69, 1, 1});
  r.record(Progress{1.0, 100, 1e-3, 0.6, 0, 1});
  r.record(Progress{0.25, 100, 1e-3, 0.5, 3, 2});
  r.recordScore(1, 0.75);
  r.recordScore(2, 0.8);
  const RunHistory& h = r.history();
  REQUIRE(h.points.size() == 3);
  CHECK(h.points[0].x == doctest::Approx(0.5));
  CHECK(h.points[1].x == doctest::Approx(1.0));
  CHECK(h.points[2].x == doctest::Approx(1.25));
  REQUIRE(h.scores.size() == 2);
  CHECK(h.scores[0].x == 1.0);
  CHECK(h.scores[1].x == 2.0);
  CHECK(h.scores[1].value == 0.8);
}

TEST_CASE("run history: wrap records each report and passes it on") {
  RunRecorder r(ProgressSpan::kWholeRun, 2);
  std::vector<double> seen;
  auto cb = r.wrap([&](const Progress& p) { seen.push_back(p.loss); });
  cb(Progress{0.5, 0, 0.1, 3.0, 0, 0});
  cb(Progress{1.0, 0, 0.05, 2.0, 0, 0});
  CHECK(seen == std::vector<double>{3.0, 2.0});
  REQUIRE(r.history().points.size() == 2);
  CHECK(r.history().points[1].x == doctest::Approx(2.0));
  // Without a callback to pass on, it only records.
  auto alone = r.wrap(nullptr);
  alone(Progress{0.75, 0, 0.1, 1.0, 0, 0});
  CHECK(r.history().points.size() == 3);
}
