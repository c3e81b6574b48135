#include <doctest/doctest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "test_util.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"

using namespace wembed;
using testutil::TempDir;

namespace {
std::string readAll(ByteReader& r, size_t chunk) {
  std::string out;
  std::vector<char> buf(chunk);
  size_t n;
  while ((n = r.read(buf.data(), buf.size())) > 0) out.append(buf.data(), n);
  return out;
}
}  // namespace

TEST_CASE("io: path predicates and file checks") {
  CHECK(isGzipPath("a.gz"));
  CHECK(isGzipPath("/x/corpus.txt.gz"));
  CHECK_FALSE(isGzipPath(".gz"));
  CHECK_FALSE(isGzipPath("a.gzip"));
  CHECK_FALSE(isGzipPath("gz"));
  CHECK(isStdinPath("-"));
  CHECK_FALSE(isStdinPath("--"));
  TempDir d;
  testutil::writeFile(d.file("f"), "12345");
  CHECK(regularFileSize(d.file("f")) == 5);
  CHECK_THROWS_AS(regularFileSize(d.file("missing")), Error);
  CHECK_THROWS_AS(regularFileSize(d.path()), Error);
  CHECK_NOTHROW(checkReadable(d.file("f")));
  CHECK_NOTHROW(checkReadable("-"));
  CHECK_THROWS_AS(checkReadable(d.file("missing")), Error);
  CHECK_THROWS_AS(checkReadable(d.path()), Error);
  // The message names the file.
  CHECK(testutil::errorOf([&] { checkReadable(d.file("missing")); }).find("missing") != std::string::npos);
}

TEST_CASE("io: ByteReader reads plain and gzip files, seeks in plain ones") {
  TempDir d;
  std::string content;
  for (int i = 0; i < 50000; ++i) content += static_cast<char>('a' + i % 26);
  testutil::writeFile(d.file("p.txt"), content);
  testutil::writeGzip(d.file("p.gz"), content);
  {
    ByteReader r(d.file("p.txt"));
    CHECK(readAll(r, 7) == content);
    CHECK(r.read(nullptr, 0) == 0);
  }
  {
    ByteReader r(d.file("p.gz"));
    CHECK(readAll(r, 4096) == content);
    CHECK_THROWS_AS(r.seek(0), Error);
  }
  {
    ByteReader r(d.file("p.txt"));
    r.seek(49990);
    CHECK(readAll(r, 100) == content.substr(49990));
    r.seek(3);
    char c;
    CHECK(r.read(&c, 1) == 1);
    CHECK(c == 'd');
  }
  CHECK_THROWS_AS(ByteReader(d.file("missing")), Error);
  CHECK_THROWS_AS(ByteReader(d.path()), Error);
  // An empty .gz file (no gzip header at all) reads as empty.
  testutil::writeFile(d.file("empty.gz"), "");
  ByteReader e(d.file("empty.gz"));
  CHECK(readAll(e, 10).empty());
}

TEST_CASE("io: AtomicFile commits by rename and cleans up otherwise") {
  TempDir d;
  const std::string p = d.file("out.txt");
  {
    AtomicFile f(p);
    f.puts("hello ");
    f.write("world", 5);
    CHECK_FALSE(std::filesystem::exists(p));  // nothing visible before commit
    CHECK(testutil::hasTmpFile(d.path()));
    f.commit();
  }
  CHECK(testutil::readFile(p) == "hello world");
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"out.txt"});
  {
    AtomicFile f(p);
    f.puts("half-written");
    // destroyed without commit: the old file stays, the temporary goes
  }
  CHECK(testutil::readFile(p) == "hello world");
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"out.txt"});
  CHECK_THROWS_AS(AtomicFile(d.file("nodir/x.txt")), Error);
  CHECK_THROWS_AS(AtomicFile(d.path()), Error);
  CHECK_THROWS_AS(AtomicFile(""), Error);
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"out.txt"});
}

TEST_CASE("io: removeAtomicLeftovers removes a killed AtomicFile's temporaries and nothing else") {
  TempDir d;
  for (const char* n : {"out.bin", "out.bin.tmp.a1B2c3", "out.bin.tmp.zzzzzz", "out.bin.tmp.toolong", "out.bin.tmp.",
                        "other.bin.tmp.a1B2c3", "xout.bin.tmp.a1B2c3"})
    testutil::writeFile(d.file(n), "x");
  removeAtomicLeftovers(d.file("out.bin"));
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"other.bin.tmp.a1B2c3", "out.bin", "out.bin.tmp.",
                                                                "out.bin.tmp.toolong", "xout.bin.tmp.a1B2c3"});
  removeAtomicLeftovers(d.file("missing/dir/file"));  // no directory: nothing to do
}

TEST_CASE("io: TempFile is unique and removed on destruction") {
  TempDir d;
  std::string p1, p2;
  {
    TempFile a(d.path(), "stem"), b(d.path(), "stem");
    p1 = a.path();
    p2 = b.path();
    CHECK(p1 != p2);
    CHECK(p1.find(d.path() + "/stem.") == 0);
    a.write("abc", 3);
    a.write("de", 2);
    a.close();
    a.close();  // idempotent
    CHECK(testutil::readFile(p1) == "abcde");
  }
  CHECK_FALSE(std::filesystem::exists(p1));
  CHECK_FALSE(std::filesystem::exists(p2));
  CHECK_THROWS_AS(TempFile(d.file("nodir")), Error);
}

TEST_CASE("io: a truncated or corrupt gzip file is an error, not a short read") {
  TempDir d;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "word" + std::to_string(i % 97) + " ";
  testutil::writeGzip(d.file("full.gz"), content);
  const std::string gz = testutil::readFile(d.file("full.gz"));
  testutil::writeFile(d.file("cut.gz"), gz.substr(0, gz.size() / 2));
  ByteReader cut(d.file("cut.gz"));
  CHECK_THROWS_WITH_AS(readAll(cut, 4096), doctest::Contains("truncated"), Error);
  std::string bad = gz;
  for (size_t i = 20; i < 60 && i < bad.size(); ++i) bad[i] = static_cast<char>(bad[i] ^ 0x5A);
  testutil::writeFile(d.file("bad.gz"), bad);
  ByteReader corrupt(d.file("bad.gz"));
  CHECK_THROWS_AS(readAll(corrupt, 4096), Error);
}

namespace {
std::vector<std::string> allLines(LineReader& r) {
  std::vector<std::string> out;
  std::string line;
  while (r.next(line)) out.push_back(line);
  return out;
}
}  // namespace

TEST_CASE("io: LineReader splits lines in bounded memory") {
  TempDir d;
  using V = std::vector<std::string>;
  testutil::writeFile(d.file("a.txt"), "one\ntwo\r\n\nlast");
  {
    LineReader r(d.file("a.txt"));
    CHECK(allLines(r) == V{"one", "two\r", "", "last"});
    CHECK(r.lineNumber() == 4);
  }
  {
    LineReader r(d.file("a.txt"), 100, true);  // universal newlines: \r\n is one terminator
    CHECK(allLines(r) == V{"one", "two", "", "last"});
  }
  testutil::writeFile(d.file("cr.txt"), "a\rb\r\rc\r");
  {
    LineReader r(d.file("cr.txt"), 100, true);
    CHECK(allLines(r) == V{"a", "b", "", "c"});
  }
  testutil::writeFile(d.file("empty.txt"), "");
  {
    LineReader r(d.file("empty.txt"));
    CHECK(allLines(r).empty());
  }
  testutil::writeFile(d.file("nl.txt"), "\n");
  {
    LineReader r(d.file("nl.txt"));
    CHECK(allLines(r) == V{""});
  }
  // Lines across the 64 KB read buffer, and through gzip.
  std::string big;
  for (int i = 0; i < 30000; ++i) big += "line" + std::to_string(i) + "\n";
  testutil::writeGzip(d.file("big.gz"), big);
  {
    LineReader r(d.file("big.gz"));
    const auto lines = allLines(r);
    REQUIRE(lines.size() == 30000);
    CHECK(lines[12345] == "line12345");
  }
  // A line over the limit is an error naming the file and the line.
  testutil::writeFile(d.file("long.txt"), "ok\n" + std::string(200000, 'x') + "\nafter\n");
  {
    LineReader r(d.file("long.txt"), 1000);
    std::string line;
    CHECK(r.next(line));
    CHECK_THROWS_WITH_AS(r.next(line), doctest::Contains("long.txt' line 2 is longer than 1000 bytes"), Error);
  }
  CHECK_THROWS_AS(LineReader(d.file("missing")), Error);
}

TEST_CASE("io: AtomicFile refuses FIFOs, follows symlinks, keeps permissions, names the failing directory") {
  TempDir d;
  const std::string fifo = d.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  CHECK_THROWS_WITH_AS(AtomicFile{fifo}, doctest::Contains("not a regular file"), Error);
  CHECK(std::filesystem::is_fifo(fifo));
  // A symlink: the target is replaced, the link stays a link.
  testutil::writeFile(d.file("target.txt"), "old");
  std::filesystem::create_symlink(d.file("target.txt"), d.file("link.txt"));
  {
    AtomicFile f(d.file("link.txt"));
    f.puts("new");
    f.commit();
  }
  CHECK(std::filesystem::is_symlink(d.file("link.txt")));
  CHECK(testutil::readFile(d.file("target.txt")) == "new");
  // An existing file's permissions are kept.
  testutil::writeFile(d.file("mode.txt"), "x");
  ::chmod(d.file("mode.txt").c_str(), 0600);
  {
    AtomicFile f(d.file("mode.txt"));
    f.puts("y");
    f.commit();
  }
  struct stat st;
  REQUIRE(::stat(d.file("mode.txt").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  // A path under a regular file.
  CHECK_THROWS_WITH_AS(AtomicFile{d.file("mode.txt") + "/x"}, doctest::Contains("is not a directory"), Error);
  CHECK_THROWS_WITH_AS(AtomicFile{d.file("mode.txt") + "/y/x"}, doctest::Contains("Not a directory"), Error);
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("io: a full disk - the write fails cleanly, no temporary file, the old file untouched") {
  TempDir d;
  testutil::TmpfsMount full(d.file("full"), "size=256k");
  if (!full.ok()) {
    MESSAGE("full-disk test skipped: " << full.why());
    return;
  }
  const std::string p = full.path() + "/out.bin";
  const std::string old(100000, 'o');
  testutil::writeFile(p, old);
  const std::string chunk(64 * 1024, 'n');
  bool threw = false;
  try {
    AtomicFile f(p);
    for (int i = 0; i < 8; ++i) f.write(chunk.data(), chunk.size());  // 512 KB into 156 KB of space
    f.commit();
  } catch (const Error& e) {
    threw = true;
    CHECK(std::string(e.what()).find("No space left on device") != std::string::npos);
    CHECK(std::string(e.what()).find(p) != std::string::npos);
  }
  CHECK(threw);
  CHECK(testutil::readFile(p) == old);
  CHECK(testutil::listDir(full.path()) == std::vector<std::string>{"out.bin"});
  // The same for a spool file.
  threw = false;
  try {
    TempFile t(full.path(), "spool");
    for (int i = 0; i < 8; ++i) t.write(chunk.data(), chunk.size());
  } catch (const Error&) {
    threw = true;
  }
  CHECK(threw);
  CHECK(testutil::listDir(full.path()) == std::vector<std::string>{"out.bin"});
}

TEST_CASE("io: MappedFile maps whole files; errors name the file") {
  TempDir d;
  std::string content(100000, 'x');
  content[99999] = 'y';
  testutil::writeFile(d.file("f"), content);
  for (bool populate : {false, true}) {
    MappedFile m(d.file("f"), populate);
    REQUIRE(m.size() == content.size());
    CHECK(std::string(m.data(), m.size()) == content);
    CHECK(m.path() == d.file("f"));
  }
  testutil::writeFile(d.file("empty"), "");
  MappedFile e(d.file("empty"));
  CHECK(e.size() == 0);
  CHECK(e.data() == nullptr);
  try {
    MappedFile missing(d.file("missing"));
    FAIL("no error");
  } catch (const Error& err) {
    CHECK(std::string(err.what()).find("missing") != std::string::npos);
  }
  CHECK_THROWS_AS(MappedFile(d.path()), Error);  // a directory
}

TEST_CASE("io: PendingFiles commits all outputs together or none, and removes the directories it made") {
  TempDir d;
  testutil::writeFile(d.file("a"), "old a");
  {
    PendingFiles p;
    p.open(d.file("a")).puts("new a");
    p.open(d.file("b")).puts("new b");
    // Not committed: nothing changes, no temporary file stays.
  }
  CHECK(testutil::readFile(d.file("a")) == "old a");
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"a"});
  {
    PendingFiles p;
    REQUIRE(::mkdir(d.file("dir").c_str(), 0755) == 0);
    p.madeDirectory(d.file("dir"));
    p.open(d.file("dir") + "/x").puts("x");
  }
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"a"});
  {
    PendingFiles p;
    p.open(d.file("a")).puts("new a");
    p.open(d.file("b")).puts("new b");
    p.commit();
  }
  CHECK(testutil::readFile(d.file("a")) == "new a");
  CHECK(testutil::readFile(d.file("b")) == "new b");
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}
