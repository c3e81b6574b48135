#include <doctest/doctest.h>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>

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
    p.makeDirectory(d.file("dir"));
    CHECK(std::filesystem::is_directory(d.file("dir")));
    p.open(d.file("dir") + "/x").puts("x");
  }
  CHECK(testutil::listDir(d.path()) == std::vector<std::string>{"a"});
  {
    PendingFiles p;
    p.makeDirectory(d.file("kept"));
    p.open(d.file("kept") + "/x").puts("x");
    p.commit();
  }
  CHECK(testutil::readFile(d.file("kept") + "/x") == "x");
  std::filesystem::remove_all(d.file("kept"));
  {
    PendingFiles p;
    CHECK_THROWS_WITH_AS(p.makeDirectory(d.file("no/such")), doctest::Contains("cannot create the directory"), Error);
  }
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

TEST_CASE("io: quote() keeps a message one short printable line whatever the input holds") {
  CHECK(quote("paris") == "'paris'");
  CHECK(quote("caf\xc3\xa9") == "'caf\xc3\xa9'");  // valid UTF-8 stays
  CHECK(quote("a\nb\tc\rd") == "'a\\nb\\tc\\rd'");
  CHECK(quote(std::string("a\0b", 3)) == "'a\\x00b'");  // a NUL does not end the message
  CHECK(quote("\x1b[31mred\x7f") == "'\\x1b[31mred\\x7f'");  // terminal escapes, DEL
  CHECK(quote("\xc2\x9b") == "'\\xc2\\x9b'");  // a C1 control (8-bit CSI)
  CHECK(quote("\xff\xfe") == "'\\xff\\xfe'");  // not UTF-8
  CHECK(quote("a\\b") == "'a\\\\b'");
  const std::string big(60000, 'x');
  CHECK(quote(big) == "'" + std::string(80, 'x') + "...' (60000 bytes)");
  CHECK(quote(std::string(1000, '\n'), 40).size() < 80);
  // Never cut inside a character or an escape.
  CHECK(quote(std::string(79, 'x') + "\xc3\xa9") == "'" + std::string(79, 'x') + "...' (81 bytes)");
  CHECK(quote(std::string(78, 'x') + "\n") == "'" + std::string(78, 'x') + "\\n'");
  CHECK(quote(std::string(79, 'x') + "\n") == "'" + std::string(79, 'x') + "...' (80 bytes)");
  CHECK(quotedName("-") == "standard input");
  CHECK(quotedName("a\nb.txt") == "'a\\nb.txt'");
}

TEST_CASE("io: inputs are opened once; pipes stream, devices and bzip2 are refused by name") {
  TempDir d;
  // A named pipe: checkReadable does not open it (that would lose the writer), ByteReader reads it.
  const std::string fifo = d.file("fifo");
  REQUIRE(::mkfifo(fifo.c_str(), 0644) == 0);
  CHECK_NOTHROW(checkReadable(fifo));
  CHECK(isStreamInput(fifo));
  CHECK_THROWS_WITH_AS(regularFileSize(fifo), doctest::Contains("not a regular file"), Error);
  const auto writer = testutil::run("printf 'one\\ntwo\\n' > " + fifo + " &", d.path());
  REQUIRE(writer.status == 0);
  {
    ByteReader r(fifo);
    CHECK(readAll(r, 3) == "one\ntwo\n");
    CHECK_THROWS_WITH_AS(r.seek(0), doctest::Contains("a stream"), Error);
  }
  // Devices: /dev/zero never ends, /dev/null is no file to train on.
  for (const char* dev : {"/dev/zero", "/dev/null"}) {
    CHECK_THROWS_WITH_AS(checkReadable(dev), doctest::Contains("it is a device"), Error);
    CHECK_THROWS_WITH_AS(ByteReader{dev}, doctest::Contains("it is a device"), Error);
    CHECK_THROWS_WITH_AS(LineReader{dev}, doctest::Contains("it is a device"), Error);
    CHECK_THROWS_WITH_AS(MappedFile{dev}, doctest::Contains("it is a device"), Error);
  }
  testutil::writeFile(d.file("c.txt.bz2"), "BZh9");
  CHECK_THROWS_WITH_AS(checkReadable(d.file("c.txt.bz2")), doctest::Contains("bzip2 is not supported"), Error);
  CHECK_THROWS_WITH_AS(ByteReader{d.file("c.txt.bz2")}, doctest::Contains("bzip2 is not supported"), Error);
  CHECK(isCompressedPath("a.xz"));
  CHECK(isCompressedPath("a.gz"));
  CHECK_FALSE(isCompressedPath("a.txt"));
  testutil::writeFile(d.file("plain"), "x");
  CHECK_FALSE(isStreamInput(d.file("plain")));
  CHECK(isStreamInput("-"));
  CHECK(isStreamInput(d.file("c.xz")));
  InputFile in(d.file("plain"));
  CHECK(in.regular());
  CHECK(in.size() == 1);
}

TEST_CASE("io: ByteReader and LineReader decode xz (one stream or several), errors name the file") {
  TempDir d;
  std::string content;
  for (int i = 0; i < 20000; ++i) content += "line " + std::to_string(i) + "\n";
  testutil::writeFile(d.file("c.txt"), content);
  REQUIRE(testutil::run("cd '" + d.path() + "' && xz -k -c c.txt > c.txt.xz && cat c.txt.xz c.txt.xz > twice.xz",
                        d.path()).status == 0);
  {
    ByteReader r(d.file("c.txt.xz"));
    CHECK(readAll(r, 1000) == content);
    CHECK_THROWS_AS(r.seek(0), Error);
  }
  {
    ByteReader r(d.file("twice.xz"));
    CHECK(readAll(r, 1 << 16) == content + content);
  }
  {
    LineReader r(d.file("c.txt.xz"));
    std::string line;
    int n = 0;
    while (r.next(line)) ++n;
    CHECK(n == 20000);
  }
  const std::string packed = testutil::readFile(d.file("c.txt.xz"));
  testutil::writeFile(d.file("cut.xz"), packed.substr(0, packed.size() / 2));
  ByteReader cut(d.file("cut.xz"));
  CHECK_THROWS_WITH_AS(readAll(cut, 1 << 16), doctest::Contains("cut.xz': the file is truncated"), Error);
  testutil::writeFile(d.file("plain.xz"), "not xz at all");
  ByteReader plain(d.file("plain.xz"));
  CHECK_THROWS_WITH_AS(readAll(plain, 100), doctest::Contains("not in xz format"), Error);
}

TEST_CASE("io: AtomicFile writes through a dangling symlink (chains, relative links), never replaces the link") {
  TempDir d;
  namespace fs = std::filesystem;
  fs::create_symlink("target.bin", d.file("o.bin"));  // relative, dangling
  {
    AtomicFile f(d.file("o.bin"));
    f.puts("new");
    f.commit();
  }
  CHECK(fs::is_symlink(d.file("o.bin")));
  CHECK(testutil::readFile(d.file("target.bin")) == "new");
  // A chain: link2 -> link1 -> sub/t.bin (not there yet).
  fs::create_directory(d.file("sub"));
  fs::create_symlink("sub/t.bin", d.file("link1"));
  fs::create_symlink(d.file("link1"), d.file("link2"));
  CHECK(resolveOutputPath(d.file("link2")) == d.path() + "/sub/t.bin");
  {
    AtomicFile f(d.file("link2"));
    f.puts("chain");
    f.commit();
  }
  CHECK(fs::is_symlink(d.file("link2")));
  CHECK(fs::is_symlink(d.file("link1")));
  CHECK(testutil::readFile(d.file("sub/t.bin")) == "chain");
  // The target's directory does not exist: one line, nothing written.
  fs::create_symlink("nodir/t.bin", d.file("bad"));
  CHECK_THROWS_WITH_AS(AtomicFile{d.file("bad")}, doctest::Contains("symbolic link to"), Error);
  CHECK(fs::is_symlink(d.file("bad")));
  // A loop.
  fs::create_symlink("loop2", d.file("loop1"));
  fs::create_symlink("loop1", d.file("loop2"));
  CHECK_THROWS_WITH_AS(AtomicFile{d.file("loop1")}, doctest::Contains("too many levels"), Error);
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("io: outputs with names of 246-255 bytes get temporary names that fit; leftovers are found") {
  TempDir d;
  for (size_t len : {size_t(240), size_t(245), size_t(246), size_t(250), size_t(255)}) {
    INFO("name length " << len);
    const std::string name = std::string(len - 4, 'n') + ".bin";
    {
      AtomicFile f(d.file(name));
      f.puts("x");
      // A killed run leaves its temporary file: removeAtomicLeftovers finds it.
      const std::string tmp = f.tempPath();
      CHECK(tmp.size() - d.path().size() - 1 <= 255);
      REQUIRE(::link(tmp.c_str(), (tmp.substr(0, tmp.size() - 6) + "zzzzzz").c_str()) == 0);
      f.commit();
    }
    CHECK(testutil::readFile(d.file(name)) == "x");
    CHECK(testutil::listDir(d.path()).size() == 2);
    removeAtomicLeftovers(d.file(name));
    CHECK(testutil::listDir(d.path()) == std::vector<std::string>{name});
    // Another long name with the same first bytes is not taken for it.
    std::filesystem::remove(d.file(name));
  }
  const std::string a = std::string(250, 'n') + "a", b = std::string(250, 'n') + "b";
  AtomicFile fa(d.file(a));
  removeAtomicLeftovers(d.file(b));
  CHECK(std::filesystem::exists(fa.tempPath()));
}

TEST_CASE("io: a signal during PendingFiles::commit waits for the whole set to be renamed") {
  // A child process: holds, gets SIGTERM from another thread's view (the
  // process), renames, and dies only after.
  TempDir d;
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    removeTemporariesOnSignals();
    PendingFiles p;
    p.open(d.file("a")).puts("a");
    p.open(d.file("b")).puts("b");
    {
      const SignalHold hold;
      ::kill(::getpid(), SIGTERM);  // pending: blocked on this thread
      p.commit();                   // nested hold: still held
      testutil::writeFile(d.file("after-commit"), "reached");
    }
    testutil::writeFile(d.file("after-hold"), "never");
    ::_exit(0);
  }
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGTERM);
  CHECK(testutil::readFile(d.file("a")) == "a");
  CHECK(testutil::readFile(d.file("b")) == "b");
  CHECK(std::filesystem::exists(d.file("after-commit")));
  CHECK_FALSE(std::filesystem::exists(d.file("after-hold")));
  CHECK_FALSE(testutil::hasTmpFile(d.path()));
}

TEST_CASE("io: a closed pipe (SIGPIPE) ends the process as usual, its temporary files removed first") {
  TempDir d;
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  ::close(fds[0]);  // nobody reads
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::signal(SIGPIPE, SIG_DFL);
    removeTemporariesOnSignals();
    AtomicFile f(d.file("out.bin"));
    f.puts("half");
    (void)!::write(fds[1], "x", 1);  // SIGPIPE
    ::_exit(0);
  }
  ::close(fds[1]);
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  CHECK(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGPIPE);
  CHECK(testutil::listDir(d.path()).empty());
}
