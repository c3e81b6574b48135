#include "wembed/corpus/input_split.h"

#include <algorithm>
#include <cstring>

#include "wembed/core/io.h"

namespace wembed {

namespace {

// The first line start at or after offset (the file size if none).
uint64_t alignToLine(const std::string& path, uint64_t offset, uint64_t size) {
  if (offset == 0 || offset >= size) return std::min(offset, size);
  ByteReader r(path);
  r.seek(offset - 1);
  std::vector<char> buf(1 << 16);
  uint64_t pos = offset - 1;
  size_t n;
  while ((n = r.read(buf.data(), buf.size())) > 0) {
    const void* nl = std::memchr(buf.data(), '\n', n);
    if (nl) return pos + static_cast<uint64_t>(static_cast<const char*>(nl) - buf.data()) + 1;
    pos += n;
  }
  return size;
}

}  // namespace

std::vector<std::vector<Segment>> partitionInputs(const std::vector<std::string>& files, int n, SplitAt at) {
  std::vector<uint64_t> sizes;
  uint64_t total = 0;
  for (const auto& f : files) {
    sizes.push_back(regularFileSize(f));
    total += sizes.back();
  }
  // Global cut points, moved to line starts inside their file if asked.
  std::vector<uint64_t> cut(n + 1);
  cut[0] = 0;
  cut[n] = total;
  for (int t = 1; t < n; ++t) {
    uint64_t c = total * t / n, fs = 0;
    if (at == SplitAt::kLineStart) {
      for (size_t i = 0; i < files.size(); ++i) {
        if (c < fs + sizes[i]) {
          c = fs + alignToLine(files[i], c - fs, sizes[i]);
          break;
        }
        fs += sizes[i];
      }
    }
    cut[t] = std::max(c, cut[t - 1]);
  }
  std::vector<std::vector<Segment>> parts(n);
  for (int t = 0; t < n; ++t) {
    uint64_t fs = 0;
    for (size_t i = 0; i < files.size(); ++i) {
      const uint64_t fe = fs + sizes[i];
      const uint64_t lo = std::max(cut[t], fs), hi = std::min(cut[t + 1], fe);
      if (lo < hi) parts[t].push_back(Segment{files[i], lo - fs, hi - fs});
      fs = fe;
    }
  }
  return parts;
}

}  // namespace wembed
