#pragma once
#include <string>
#include <vector>

#include "wembed/args.h"
#include "wembed/io.h"
#include "wembed/matrix.h"

namespace wembed {

// Word vectors as loaded from / written to word2vec files.
struct Vectors {
  std::vector<std::string> words;
  Matrix matrix;
};

// word2vec formats: "V D\n" header, then per word "word v1 ... vD\n" (text)
// or "word " + D little-endian float32 + "\n" (binary). Written atomically.
// Text floats use the shortest representation that reads back exactly. A
// NaN or infinite value, or an empty word or one holding whitespace (it would
// not read back), throws Error (and leaves no file): never written.
void saveWord2vec(const std::string& path, const std::vector<std::string>& words,
                  const Matrix& m, bool binary);
// The same into an open AtomicFile, which the caller commits (to commit
// several outputs together, after all of them have been written).
void writeWord2vec(AtomicFile& f, const std::vector<std::string>& words, const Matrix& m, bool binary);
// Detects text/binary from the content when format is kAuto. Throws Error
// naming the file and row on truncated or malformed input.
Vectors loadWord2vec(const std::string& path, VectorFormat format = VectorFormat::kAuto);

}  // namespace wembed
