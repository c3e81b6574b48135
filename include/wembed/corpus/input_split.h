#pragma once
// Splitting training inputs across threads: the concatenation of the files is
// cut into n byte ranges of (nearly) equal size, one list of segments per
// thread, each file piece a segment.
#include <cstdint>
#include <string>
#include <vector>

namespace wembed {

// One contiguous piece of the training text: bytes [begin, end) of a plain file.
struct Segment {
  std::string path;
  uint64_t begin, end;
};

// Where a cut between two threads' ranges may fall.
enum class SplitAt {
  kAnyByte,    // exactly at total * t / n; a reader whose range starts inside a
               // token leaves that token to the range before (Tokenizer's range mode)
  kLineStart,  // moved forward to the next line start in its file (or its end)
};

// Splits the files (plain, seekable; sizes read now) into n lists of
// segments covering every byte exactly once, in order: thread t gets the
// bytes from cut t to cut t + 1 of the concatenation. With kLineStart a
// thread's range may be empty. Throws Error naming a file that cannot be read.
std::vector<std::vector<Segment>> partitionInputs(const std::vector<std::string>& files, int n,
                                                  SplitAt at = SplitAt::kAnyByte);

}  // namespace wembed
