#pragma once
// Where a vector file's bytes come from: a regular file (mapped, or read with
// pread), or read whole into memory: a gzip-compressed file, standard input
// ("-", a pipe or a file) or a named pipe. Readers see the same content
// either way.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "wembed/core/io.h"

namespace wembed::formats {

class VectorSource {
 public:
  // Opens path ("-": standard input; it and a path that is not a regular
  // file, such as a named pipe, are read to their end). Content starting
  // with the gzip magic (1f 8b) is decompressed, whatever the file's name.
  // populate: the whole content will be read (a mapped file is faulted in at once).
  // Throws Error naming the file if it cannot be read.
  VectorSource(const std::string& path, bool populate);
  ~VectorSource();
  VectorSource(const VectorSource&) = delete;
  VectorSource& operator=(const VectorSource&) = delete;

  // As given, for messages ("-" for standard input).
  const std::string& path() const { return path_; }
  // The file's name without a ".gz" or ".xz" suffix ("" for standard input): the name
  // the content had before compression, where side files are looked for.
  const std::string& innerName() const { return inner_; }
  bool fromStdin() const { return inner_.empty(); }
  bool compressed() const { return compressed_; }
  uint64_t size() const { return size_; }
  // The first bytes (up to 64), without mapping the file.
  std::string_view head() const { return {head_, head_len_}; }
  // The whole content; a regular file is mapped on the first call.
  const char* data() const;
  // Copies n bytes at offset into buf (pread for a regular file); false if
  // the content ends first. Safe to call from several threads.
  bool readAt(void* buf, size_t n, uint64_t offset) const;

 private:
  void readStream(int fd);
  void readXz();  // an .xz file, decoded into memory
  void decompress(const char* data, size_t size);

  std::string path_, inner_;
  bool compressed_ = false, populate_ = false;
  int fd_ = -1;
  uint64_t size_ = 0;
  std::string memory_;  // the content of standard input, a pipe or a compressed file
  mutable std::unique_ptr<MappedFile> map_;
  char head_[64] = {};
  size_t head_len_ = 0;
};

// Throws Error (one line) if the content is a kind of file wembed knows but
// does not read (a Python pickle such as a gensim
// model, a zip archive, xz/bzip2/zstd compressed data), saying what it is.
void refuseForeign(const VectorSource& src);

}  // namespace wembed::formats
