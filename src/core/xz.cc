#include "xz.h"

#include <lzma.h>
#include <unistd.h>

#include <cerrno>

#include "wembed/core/error.h"

namespace wembed::detail {

struct XzDecoder::State {
  lzma_stream strm = LZMA_STREAM_INIT;
};

XzDecoder::XzDecoder(int fd, const std::string& path) : fd_(fd), path_(path), s_(new State), in_(1 << 16) {
  if (lzma_stream_decoder(&s_->strm, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK)
    fail("decoder initialisation failed");
}

XzDecoder::~XzDecoder() { lzma_end(&s_->strm); }

void XzDecoder::fail(const std::string& why) const { throw fileError("cannot read xz file", path_, why); }

size_t XzDecoder::read(char* buf, size_t n) {
  lzma_stream& strm = s_->strm;
  strm.next_out = reinterpret_cast<uint8_t*>(buf);
  strm.avail_out = n;
  while (!done_ && strm.avail_out == n) {
    if (strm.avail_in == 0 && !finishing_) {
      ssize_t r;
      while ((r = ::read(fd_, in_.data(), in_.size())) < 0 && errno == EINTR) {
      }
      if (r < 0) throw sysError("cannot read", path_);
      strm.next_in = in_.data();
      strm.avail_in = static_cast<size_t>(r);
      finishing_ = r == 0;
    }
    const lzma_ret rc = lzma_code(&strm, finishing_ ? LZMA_FINISH : LZMA_RUN);
    if (rc == LZMA_STREAM_END) done_ = true;
    else if (rc == LZMA_BUF_ERROR) fail("the file is truncated");
    else if (rc == LZMA_FORMAT_ERROR) fail("not in xz format");
    else if (rc == LZMA_MEM_ERROR) fail("out of memory");
    else if (rc != LZMA_OK) fail("corrupt data");
  }
  return n - strm.avail_out;
}

}  // namespace wembed::detail
