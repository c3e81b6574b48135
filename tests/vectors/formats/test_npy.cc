// The NumPy .npy format: written by export, read back with its vocabulary.
#include <doctest/doctest.h>

#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/vectors/vectors.h"

using namespace wembed;
using testutil::sameMatrix;
using testutil::TempDir;

namespace {

// A .npy file as NumPy writes it: version, header dict, then the data.
std::string npyFile(int major, const std::string& dict, const std::string& data) {
  std::string h = dict;
  const size_t len_bytes = major == 1 ? 2 : 4;
  while ((8 + len_bytes + h.size() + 1) % 64) h.push_back(' ');
  h.push_back('\n');
  std::string s("\x93NUMPY", 6);
  s.push_back(static_cast<char>(major));
  s.push_back('\0');
  const uint32_t n = static_cast<uint32_t>(h.size());
  s.append(reinterpret_cast<const char*>(&n), len_bytes);
  return s + h + data;
}

std::string loadError(const std::string& path) {
  return testutil::errorOf([&] { loadVectors(path); });
}

}  // namespace

TEST_CASE("npy: what export writes reads back, words and floats exactly") {
  TempDir d;
  Matrix m(4, 3);
  m.uniform(2.f, 17);
  const std::vector<std::string> words = {"new york", "naïve", "x", "</s>"};
  saveVectors(d.file("m.npy"), words, m, VectorFormat::kNpy);
  CHECK(testutil::readFile(d.file("m.vocab.txt")) == "new york\nnaïve\nx\n</s>\n");
  const Vectors v = loadVectors(d.file("m.npy"));
  CHECK(v.words == words);
  CHECK(sameMatrix(v.matrix, m));
  CHECK(v.counts.empty());
  // Through the command line: export to npy and back to native, the same vectors.
  auto r = testutil::runWembed("export -q " + testutil::q(d.file("m.npy")) + " " + testutil::q(d.file("back.wev")), d);
  CHECK(r.status == 0);
  const Vectors back = loadVectors(d.file("back.wev"));
  CHECK(back.words == words);
  CHECK(sameMatrix(back.matrix, m));
}

TEST_CASE("npy: files NumPy writes (float64, version 2, CRLF vocabulary) read; others are refused") {
  TempDir d;
  const double f8[4] = {0.5, -1.25, 3.0, 1e-3};
  testutil::writeFile(d.file("d.npy"), npyFile(2, "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }",
                                               std::string(reinterpret_cast<const char*>(f8), sizeof f8)));
  testutil::writeFile(d.file("d.vocab.txt"), "a\r\nb\r\n");
  const Vectors v = loadVectors(d.file("d.npy"));
  CHECK(v.words == std::vector<std::string>{"a", "b"});
  CHECK(v.matrix.row(0)[1] == -1.25f);
  CHECK(v.matrix.row(1)[1] == static_cast<float>(1e-3));

  const float f4[2] = {1.f, 2.f};
  const std::string data(reinterpret_cast<const char*>(f4), sizeof f4);
  auto refused = [&](const std::string& dict, const std::string& body, const std::string& why) {
    testutil::writeFile(d.file("bad.npy"), npyFile(1, dict, body));
    testutil::writeFile(d.file("bad.vocab.txt"), "a\n");
    const std::string e = loadError(d.file("bad.npy"));
    CAPTURE(e);
    CHECK(e.find(d.file("bad.npy")) != std::string::npos);
    CHECK(e.find(why) != std::string::npos);
  };
  refused("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2), }", data, "'<i4' values");
  refused("{'descr': '<f4', 'fortran_order': True, 'shape': (1, 2), }", data, "Fortran order");
  refused("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", data, "not a matrix");
  refused("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3), }", data, "bytes follow it");
  // A vocabulary of the wrong length, an empty word, a NaN.
  testutil::writeFile(d.file("two.npy"), npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }", data));
  testutil::writeFile(d.file("two.vocab.txt"), "a\nb\n");
  CHECK(loadError(d.file("two.npy")).find("has 2 words for 1 row") != std::string::npos);
  testutil::writeFile(d.file("two.vocab.txt"), "\n");
  CHECK(loadError(d.file("two.npy")).find("line 1 of its vocabulary") != std::string::npos);
  const float nan[2] = {1.f, std::numeric_limits<float>::quiet_NaN()};
  testutil::writeFile(d.file("two.npy"), npyFile(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2), }",
                                                 std::string(reinterpret_cast<const char*>(nan), sizeof nan)));
  testutil::writeFile(d.file("two.vocab.txt"), "w\n");
  CHECK(loadError(d.file("two.npy")).find("row 1 ('w') value 2 is not a finite number") != std::string::npos);
}

TEST_CASE("npy: a matrix without its vocabulary is refused, saying which file is missing") {
  TempDir d;
  Matrix m(2, 2);
  saveVectors(d.file("m.npy"), {"a", "b"}, m, VectorFormat::kNpy);
  std::remove(d.file("m.vocab.txt").c_str());
  const std::string e = loadError(d.file("m.npy"));
  CHECK(e.find("a NumPy .npy matrix without its vocabulary") != std::string::npos);
  CHECK(e.find(d.file("m.vocab.txt")) != std::string::npos);
  CHECK(e.find('\n') == std::string::npos);
  // The same from the command line: one line.
  testutil::checkError(testutil::runWembed("info " + testutil::q(d.file("m.npy")), d), "info",
                       "without its vocabulary");
}
