#include "wembed/core/file_identity.h"

#include <unistd.h>

#include <cerrno>
#include <vector>

// GCC 12 warns falsely (-Wmaybe-uninitialized in avx512fintrin.h) about
// xxhash's inlined AVX-512 streaming code; the pragma must precede the
// intrinsics headers to cover them.
#pragma GCC diagnostic ignored "-Wuninitialized"
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

namespace wembed {

// Every input is hashed whole, once: when a run that writes checkpoints
// starts (just after the vocabulary's count or the co-occurrence counting
// has read it, so from the page cache) and when a run resumes. Measured on
// the 2-core machine (shared, load 5-9), XXH3-64 through 1 MiB read()s:
// 100 MB (notes/data/bench.txt) 0.02-0.03 s from the page cache, 0.09-0.18 s
// from disk; 490 MB (of corpus/big.txt.xz) 0.08-0.12 s cached (0.35-0.46 s
// beside two compilers), 0.6-2.8 s from disk. Training on those 100 MB takes
// 14-27 s (CBOW) to 46 s (skip-gram), README's benchmark, and about five
// times that on 500 MB: a whole-file hash costs under 0.5% of a run cached
// and at most ~4% of a resume from a cold disk. Hashing 64 sampled 64 KiB
// blocks plus the mtime took 0.5-2 ms cached and 7-36 ms from disk, but
// misses most edits (and an mtime survives `cp -p` and `touch -r`): not
// worth the saving.
FileIdentity identify(const std::string& path) {
  regularFileSize(path);  // a pipe cannot be read again: refused before it is opened
  const InputFile in(path);
  if (!in.regular()) throw fileError("cannot read", path, "not a regular file");
  XXH3_state_t st;
  XXH3_64bits_reset(&st);
  std::vector<char> buf(1 << 20);
  FileIdentity id;
  for (;;) {
    const ssize_t n = ::read(in.fd(), buf.data(), buf.size());
    if (n == 0) break;
    if (n < 0) {
      if (errno == EINTR) continue;
      throw sysError("cannot read", path);
    }
    XXH3_64bits_update(&st, buf.data(), static_cast<size_t>(n));
    id.size += static_cast<uint64_t>(n);
  }
  id.hash = XXH3_64bits_digest(&st);
  return id;
}

void checkUnchanged(const std::string& path, const FileIdentity& saved, const std::string& checkpoint) {
  const std::string since =
      " changed since " + (checkpoint.empty() ? std::string("the checkpoint") : "checkpoint " + quotedName(checkpoint)) +
      " was written";
  const uint64_t size = regularFileSize(path);
  if (size != saved.size)
    throw Error(quotedName(path) + since + " (" + std::to_string(saved.size) + " bytes then, " + std::to_string(size) +
                " now)");
  if (identify(path) != saved) throw Error(quotedName(path) + since + " (the same size, other content)");
}

}  // namespace wembed
