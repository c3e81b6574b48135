// The plot command's pipeline as a library call.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "vectors/subword_model.h"
#include "wembed/core/error.h"
#include "wembed/plot/plot_vectors.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::TempDir;

namespace {

size_t count(const std::string& s, const std::string& part) {
  size_t n = 0;
  for (size_t p = s.find(part); p != std::string::npos; p = s.find(part, p + 1)) ++n;
  return n;
}

// Six words, "b" twice (the second row, far from the first, is dropped as
// gensim drops it), and '</s>'.
std::string writeVectors(const TempDir& d) {
  const Vectors v = testutil::makeVectors({{"</s>", {1, 1, 1}}, {"a", {1, 0, 0}}, {"b", {0, 1, 0}},
                                           {"b", {-5, -5, 0}}, {"c", {0, 0, 1}}, {"d", {1, 1, 0}}});
  saveVectors(d.file("v.txt"), v, VectorFormat::kWord2vecText);
  return d.file("v.txt");
}

}  // namespace

TEST_CASE("plot_vectors: the first N words, once each, '</s>' skipped; nothing until committed") {
  TempDir d;
  PlotArgs a;
  a.vectors = writeVectors(d);
  a.top = 3;
  a.output = d.file("m.svg");
  PlotSummary s;
  {
    PendingFiles picture;
    s = plotVectors(a, picture);
    CHECK(testutil::hasTmpFile(d.path()));  // the picture, under a temporary name
  }
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"v.txt"});  // not committed: no picture
  PendingFiles picture;
  s = plotVectors(a, picture);
  picture.commit();
  CHECK(s.subtitle.find("3 words") == 0);
  CHECK(s.width >= 900);
  const std::string svg = testutil::readFile(d.file("m.svg"));
  CHECK(count(svg, "<circle ") == 3);
  CHECK(count(svg, ">b<") == 1);
  CHECK(svg.find(">c<") != std::string::npos);
  CHECK(svg.find("&lt;/s&gt;") == std::string::npos);
}

TEST_CASE("plot_vectors: chosen words use the first occurrence; unknown ones are a warning or an error") {
  TempDir d;
  PlotArgs a;
  a.vectors = writeVectors(d);
  a.words = {"a", "b", "d", "zz", "a"};
  a.tsne.metric = MapMetric::kEuclidean;
  a.output = d.file("m.svg");
  std::vector<std::string> warnings;
  a.warning = [&](const std::string& w) { warnings.push_back(w); };
  PendingFiles picture;
  const PlotSummary s = plotVectors(a, picture);
  CHECK(warnings == std::vector<std::string>{"not in the vocabulary, left out: zz"});
  // a (1,0,0), b (0,1,0), d (1,1,0), centred: covariance [[6,-3],[-3,6]]/9,
  // eigenvalues 1 and 1/3, so 75% and 25% (with b's second row, (-5,-5,0),
  // the first component would carry 99%).
  CHECK(s.subtitle.find("3 words · euclidean · PC1 75.0%, PC2 25.0% of the variance") == 0);
  a.words = {"zz", "yy"};
  CHECK_THROWS_WITH_AS(plotVectors(a, picture), doctest::Contains("zz, yy"), Error);
  a.words.clear();
  a.top = 1;
  CHECK_THROWS_WITH_AS(plotVectors(a, picture), doctest::Contains("--top must be in [2, 10000]"), Error);
  a.top = 3;
  a.output = d.file("m.jpg");
  CHECK_THROWS_WITH_AS(plotVectors(a, picture), doctest::Contains(".svg or .png"), Error);
}

TEST_CASE("plot_vectors: with subwords, a word outside the vocabulary is composed, labelled '*' and told") {
  TempDir d;
  const auto rows = std::vector<std::pair<std::string, std::vector<float>>>{
      {"topic", {1, 0, 0}}, {"apple", {0, 1, 0}}, {"zebra", {0, 0, 1}}};
  PlotArgs a;
  a.vectors = "model.bin";
  a.words = {"topic", "apple", "topics", "</s>"};
  a.tsne.metric = MapMetric::kEuclidean;
  a.output = d.file("m.svg");
  std::vector<std::string> warnings;
  a.warning = [&](const std::string& w) { warnings.push_back(w); };
  PendingFiles picture;
  const PlotSummary s = plotVectors(a, testutil::subwordModel(rows), picture);
  picture.commit();
  CHECK(warnings == std::vector<std::string>{"not in the vocabulary, left out: </s>",
                                             "not in the vocabulary, composed from n-grams (labelled '*'): topics"});
  // topics is 7/11 of topic (7 of its 11 n-grams): (7/11, 0, 0), on the line from topic to the
  // origin, so all three points lie in one plane; its own label says it was composed.
  CHECK(s.subtitle.find("3 words (1* composed from n-grams) · euclidean · PC1 ") == 0);
  const std::string svg = testutil::readFile(d.file("m.svg"));
  CHECK(count(svg, ">topics*<") == 1);
  CHECK(count(svg, ">topic<") == 1);
  // Without subwords: left out, as before.
  warnings.clear();
  PendingFiles other;
  const PlotSummary p = plotVectors(a, testutil::makeVectors(rows), other);
  CHECK(warnings == std::vector<std::string>{"not in the vocabulary, left out: topics, </s>"});
  CHECK(p.subtitle.find("2 words · euclidean") == 0);
}
