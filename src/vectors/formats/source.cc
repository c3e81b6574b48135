#include "source.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common.h"
#include "wembed/core/error.h"

namespace wembed::formats {

namespace {

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
bool gzipMagic(std::string_view s) { return startsWith(s, "\x1f\x8b"); }
bool isXzPath(const std::string& p) { return p.size() > 3 && p.compare(p.size() - 3, 3, ".xz") == 0; }

// Reads exactly n bytes at offset (pread, in pieces below 1 GB); false at end of file.
bool preadAll(int fd, char* p, size_t n, uint64_t offset, const std::string& path) {
  while (n) {
    const ssize_t r = ::pread(fd, p, std::min<size_t>(n, size_t(1) << 30), static_cast<off_t>(offset));
    if (r < 0) {
      if (errno == EINTR) continue;
      throw sysError("cannot read", path);
    }
    if (r == 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
    offset += static_cast<uint64_t>(r);
  }
  return true;
}

}  // namespace

VectorSource::VectorSource(const std::string& path, bool populate) : path_(path), populate_(populate) {
  if (isStdinPath(path)) {
    readStream(0);
  } else {
    inner_ = isCompressedPath(path) ? path.substr(0, path.size() - 3) : path;
    if (isXzPath(path)) {
      readXz();
    } else {
      InputFile in(path);  // opened once: a named pipe, <(...) is read as it comes
      if (!in.regular()) {
        readStream(in.fd());
      } else {
        size_ = in.size();
        fd_ = in.release();
      }
    }
  }
  if (fd_ >= 0) {
    try {
      head_len_ = static_cast<size_t>(std::min<uint64_t>(size_, sizeof head_));
      if (!preadAll(fd_, head_, head_len_, 0, path_)) head_len_ = 0;
      if (gzipMagic(head())) {
        const MappedFile packed(path, true);
        decompress(packed.data(), packed.size());
      }
    } catch (...) {
      if (fd_ >= 0) ::close(fd_);
      throw;
    }
  }
  if (fd_ < 0) {  // read into memory
    size_ = memory_.size();
    head_len_ = std::min(memory_.size(), sizeof head_);
    std::memcpy(head_, memory_.data(), head_len_);
  }
}

VectorSource::~VectorSource() {
  if (fd_ >= 0) ::close(fd_);
}

void VectorSource::readXz() {
  ByteReader r(path_);
  std::vector<char> chunk(1 << 20);
  for (size_t n; (n = r.read(chunk.data(), chunk.size())) > 0;) memory_.append(chunk.data(), n);
  compressed_ = true;
}

// A stream is read whole before it is parsed, so one that never ends (cat
// /dev/zero | wembed info -) would take all memory: every vector format but
// the binary ones with a magic number has a line break long before this.
constexpr size_t kMaxFirstLine = size_t(16) << 20;

void VectorSource::readStream(int fd) {
  std::string buf(size_t(1) << 20, '\0');
  size_t n = 0;
  bool first_line_checked = false;
  for (;;) {
    if (!first_line_checked && n >= kMaxFirstLine) {
      first_line_checked = true;
      const std::string_view start(buf.data(), kMaxFirstLine);
      const bool magic = gzipMagic(buf) || startsWith(start, "\x93NUMPY") || startsWith(start, "WEMBEDV\x1a") ||
                         startsWith(start, "\xba\x16\x4f\x2f");  // fastText
      if (!magic && start.find('\n') == std::string_view::npos)
        bad(path_, "no line break in its first 16 MB: not a vector file");
    }
    if (n == buf.size()) buf.resize(buf.size() * 2);
    const ssize_t r = ::read(fd, buf.data() + n, buf.size() - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw sysError("cannot read", path_);
    }
    if (r == 0) break;
    n += static_cast<size_t>(r);
  }
  buf.resize(n);
  if (gzipMagic(buf)) decompress(buf.data(), buf.size());
  else memory_ = std::move(buf);
}

// Every gzip member in turn (as gzip -d does); the content must end with one.
void VectorSource::decompress(const char* data, size_t size) {
  const auto fail = [&](const char* what) {
    throw Error("cannot read gzip file " + quotedName(path_) + ": " + what);
  };
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) fail("out of memory");
  std::string out(std::max<size_t>(size_t(1) << 16, size * 3), '\0');
  const char* in = data;
  size_t left = size, produced = 0;
  int rc = Z_OK;
  for (;;) {
    if (z.avail_in == 0 && left) {
      z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
      z.avail_in = static_cast<uInt>(std::min<size_t>(left, size_t(1) << 30));
      in += z.avail_in;
      left -= z.avail_in;
    }
    if (produced == out.size()) out.resize(out.size() * 2);
    z.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
    z.avail_out = static_cast<uInt>(std::min<size_t>(out.size() - produced, size_t(1) << 30));
    const uInt room = z.avail_out;
    rc = inflate(&z, Z_NO_FLUSH);
    produced += room - z.avail_out;
    if (rc == Z_STREAM_END) {
      const char* next = z.avail_in ? reinterpret_cast<const char*>(z.next_in) : in;
      if (z.avail_in + left >= 2 && gzipMagic(std::string_view(next, 2)) && inflateReset(&z) == Z_OK) continue;
      break;
    }
    if (rc == Z_BUF_ERROR && z.avail_in == 0 && left == 0) break;
    if (rc != Z_OK && rc != Z_BUF_ERROR) break;
  }
  inflateEnd(&z);
  if (rc == Z_BUF_ERROR) fail("the file is truncated");
  if (rc != Z_STREAM_END) fail("corrupt data");
  out.resize(produced);
  memory_ = std::move(out);
  compressed_ = true;
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

const char* VectorSource::data() const {
  if (fd_ < 0) return memory_.data();
  if (!map_) map_ = std::make_unique<MappedFile>(path_, populate_);
  return map_->data();
}

bool VectorSource::readAt(void* buf, size_t n, uint64_t offset) const {
  if (fd_ >= 0) return preadAll(fd_, static_cast<char*>(buf), n, offset, path_);
  if (offset > memory_.size() || n > memory_.size() - offset) return false;
  std::memcpy(buf, memory_.data() + offset, n);
  return true;
}

namespace {

struct Foreign {
  std::string_view magic;
  const char* what;
};

// Files people hand to a vector reader by mistake, by their first bytes.
constexpr Foreign kForeign[] = {
    {"PK\x03\x04", "this is a zip archive (a NumPy .npz?), not a vector file; wembed reads a .npy matrix with its "
                   "STEM.vocab.txt"},
    {"\xfd" "7zXZ", "this is xz-compressed; name it *.xz (read directly) or decompress it first"},
    {"WEMBCKPT", "this is a wembed word2vec checkpoint, not a vector file; continue it with 'wembed train --resume'"},
    {"WEMBCKGV", "this is a wembed GloVe checkpoint, not a vector file; continue it with 'wembed train --resume'"},
    {"WEMBCKSN", "this is a wembed sentiment checkpoint, not a vector file; continue it with 'wembed sentiment train "
                 "--resume'"},
    {"WEMBSENT", "this is a wembed sentiment model, not a vector file; use it with 'wembed sentiment eval' or "
                 "'predict'"},
    {"\x28\xb5\x2f\xfd", "this is zstd-compressed; decompress it first (wembed reads gzip-compressed files directly)"},
    {"\xff\xfe", "this is UTF-16 text (it starts with a UTF-16 byte-order mark); convert it to UTF-8"},
    {"\xfe\xff", "this is UTF-16 text (it starts with a UTF-16 byte-order mark); convert it to UTF-8"},
};

}  // namespace

void refuseForeign(const VectorSource& src) {
  const std::string_view h = src.head();
  for (const Foreign& f : kForeign)
    if (startsWith(h, f.magic)) bad(src.path(), f.what);
  // A pickle starts with the PROTO opcode and a protocol number (2 to 5).
  if (h.size() >= 2 && h[0] == '\x80' && h[1] >= 2 && h[1] <= 5)
    bad(src.path(), "this is a Python pickle (a gensim model saved with save()?), not a vector file; write the "
                    "vectors with model.wv.save_word2vec_format(PATH, binary=True) and read that");
  // bzip2: "BZh", the block size digit, then the block magic (the digits of pi).
  if (h.size() >= 10 && startsWith(h, "BZh") && h[3] >= '1' && h[3] <= '9' && h.substr(4, 6) == "\x31\x41\x59\x26\x53\x59")
    bad(src.path(), "this is bzip2-compressed; decompress it first (wembed reads gzip-compressed files directly)");
}

}  // namespace wembed::formats
