// FileIdentity: what checkpoints record about their inputs (size and the
// XXH3-64 of all bytes), and the check a resumed run makes with it.
#include <doctest/doctest.h>

#include <sys/stat.h>

#include <string>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/file_identity.h"

using namespace wembed;
using testutil::errorOf;
using testutil::TempDir;

TEST_CASE("file identity: the size and the XXH3-64 of every byte, across read buffers") {
  TempDir d;
  std::string big;
  for (int i = 0; big.size() < (3u << 20) + 7; ++i) big += "line " + std::to_string(i) + "\n";
  for (const std::string& content : {std::string(), std::string("a b c\n"), big}) {
    testutil::writeFile(d.file("f"), content);
    const FileIdentity id = identify(d.file("f"));
    CHECK(id.size == content.size());
    CHECK(id.hash == XXH3_64bits(content.data(), content.size()));
  }
  // A compressed input is identified by its own bytes (not decompressed).
  testutil::writeGzip(d.file("f.gz"), "a b c\n");
  const std::string gz = testutil::readFile(d.file("f.gz"));
  CHECK(identify(d.file("f.gz")) == FileIdentity{gz.size(), XXH3_64bits(gz.data(), gz.size())});
}

TEST_CASE("file identity: an unchanged file passes; a changed size or content is one line naming it") {
  TempDir d;
  const std::string f = d.file("corpus.txt"), ckpt = d.file("run.ckpt");
  testutil::writeFile(f, "the cat sat\n");
  const FileIdentity saved = identify(f);
  CHECK_NOTHROW(checkUnchanged(f, saved, ckpt));
  testutil::writeFile(f, "the cat sat");  // rewritten, same bytes: still the same file
  testutil::writeFile(f, "the cat sat\n");
  CHECK_NOTHROW(checkUnchanged(f, saved, ckpt));

  testutil::writeFile(f, "the dog sat\n");  // edited in place, to the same size
  CHECK(errorOf([&] { checkUnchanged(f, saved, ckpt); }) ==
        "'" + f + "' changed since checkpoint '" + ckpt + "' was written (the same size, other content)");
  testutil::writeFile(f, "the cat sat on the mat\n");
  CHECK(errorOf([&] { checkUnchanged(f, saved, ckpt); }) ==
        "'" + f + "' changed since checkpoint '" + ckpt + "' was written (12 bytes then, 23 now)");
  CHECK(errorOf([&] { checkUnchanged(f, saved); }) ==
        "'" + f + "' changed since the checkpoint was written (12 bytes then, 23 now)");
}

TEST_CASE("file identity: a missing file, a directory or a pipe is refused, naming it") {
  TempDir d;
  const FileIdentity none;
  for (const std::string& p : {d.file("missing.txt"), d.subdir("dir")}) {
    INFO(p);
    CHECK(errorOf([&] { identify(p); }).find("'" + p + "'") != std::string::npos);
    CHECK(errorOf([&] { checkUnchanged(p, none, "c.ckpt"); }).find("'" + p + "'") != std::string::npos);
  }
  // A FIFO is refused without being opened (which would wait for a writer).
  const std::string fifo = d.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  CHECK(errorOf([&] { identify(fifo); }).find("pipe") != std::string::npos);
  CHECK(errorOf([&] { checkUnchanged(fifo, none, "c.ckpt"); }).find("pipe") != std::string::npos);
}
