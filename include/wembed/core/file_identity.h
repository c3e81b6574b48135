#pragma once
// What a checkpoint records about each file a resumed run reads again (the
// word2vec corpus, GloVe's co-occurrence counts, the sentiment classifier's
// vectors and data): its size and a hash of all its bytes. A file edited in
// place, even to the same size, is then refused on --resume instead of
// resumed on different text.
#include <cstdint>
#include <string>

namespace wembed {

struct FileIdentity {
  uint64_t size = 0;
  uint64_t hash = 0;  // XXH3-64 of the whole file

  bool operator==(const FileIdentity& o) const { return size == o.size && hash == o.hash; }
  bool operator!=(const FileIdentity& o) const { return !(*this == o); }
};

// Reads the regular file at path once, start to end. Throws Error naming it
// if it cannot be read (missing, a directory, a pipe, a read error).
FileIdentity identify(const std::string& path);

// Throws Error "'PATH' changed since checkpoint 'CHECKPOINT' was written
// (...)" unless the file at path is still `saved` (a changed size is found
// without reading the file). An empty checkpoint is named "the checkpoint".
void checkUnchanged(const std::string& path, const FileIdentity& saved, const std::string& checkpoint = "");

}  // namespace wembed
