#pragma once
// Internal to core: the xz decoder behind ByteReader (liblzma).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace wembed::detail {

// Decodes an xz stream (or several concatenated, as xz -d does) read from a
// descriptor it does not own. Errors name the file: truncated, not xz, corrupt.
class XzDecoder {
 public:
  XzDecoder(int fd, const std::string& path);
  ~XzDecoder();
  XzDecoder(const XzDecoder&) = delete;
  XzDecoder& operator=(const XzDecoder&) = delete;
  // Up to n decoded bytes (n > 0); 0 at the end of the data.
  size_t read(char* buf, size_t n);

 private:
  [[noreturn]] void fail(const std::string& why) const;
  int fd_;
  std::string path_;
  struct State;
  std::unique_ptr<State> s_;
  std::vector<uint8_t> in_;
  bool finishing_ = false, done_ = false;
};

}  // namespace wembed::detail
