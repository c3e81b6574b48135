#pragma once
// The binary framing shared by every kind of training checkpoint: an 8-byte
// magic naming the kind (word2vec WEMBCKPT, GloVe WEMBCKGV, sentiment
// WEMBCKSN), the body (each kind starts it with its own uint32 version), then
// the XXH64 of everything after the magic. Written through AtomicFile, so a
// kill never leaves a half-written checkpoint in place.
#include <cstdint>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "wembed/core/file_identity.h"
#include "wembed/core/matrix.h"

namespace wembed {

class AtomicFile;

enum class CheckpointKind { kWord2vec, kGlove, kSentiment };

std::string toString(CheckpointKind k);  // "word2vec", "GloVe", "sentiment classifier"
// The command that resumes a checkpoint of this kind.
std::string resumeCommand(CheckpointKind k);
// The kind of the checkpoint at path, from its magic. Throws Error naming the
// file when it is missing, too short or not a wembed checkpoint.
CheckpointKind checkpointKind(const std::string& path);

class CheckpointWriter {
 public:
  // Opens path through AtomicFile and writes kind's magic.
  CheckpointWriter(const std::string& path, CheckpointKind kind);
  ~CheckpointWriter();
  CheckpointWriter(const CheckpointWriter&) = delete;
  CheckpointWriter& operator=(const CheckpointWriter&) = delete;

  void raw(const void* p, size_t n);
  template <class T>
  void pod(T v) { raw(&v, sizeof v); }
  void str(const std::string& s);                   // uint32 length, bytes
  void matrix(const Matrix& m);                     // int64 rows, int32 cols, the rows
  void floats(const float* p, uint64_t n);          // uint64 n, n floats
  void identity(const FileIdentity& id);            // uint64 size, uint64 hash
  // Appends the checksum and moves the file into place.
  void commit();

 private:
  std::unique_ptr<AtomicFile> f_;
  struct Hash;
  std::unique_ptr<Hash> h_;
};

class CheckpointReader {
 public:
  // Opens path and checks its magic. A checkpoint of another kind is an
  // Error naming the file, its kind and the command that resumes it.
  CheckpointReader(const std::string& path, CheckpointKind kind);
  ~CheckpointReader();
  CheckpointReader(const CheckpointReader&) = delete;
  CheckpointReader& operator=(const CheckpointReader&) = delete;

  void raw(void* p, size_t n);
  template <class T>
  T pod() {
    T v;
    raw(&v, sizeof v);
    return v;
  }
  // Reads the body's uint32 version, which must be `current`: an older one
  // is refused as written by an older wembed, to be started again (each kind
  // reads only its current layout), a newer one as unknown.
  // Versions from `oldest` to `current` are read; returns the one read.
  uint32_t checkVersion(uint32_t current, uint32_t oldest);
  void checkVersion(uint32_t current) { checkVersion(current, current); }
  std::string str();
  Matrix matrix();
  // uint64 n then n floats; n must equal expect (else fail(what)).
  void floats(float* p, uint64_t expect, const std::string& what);
  std::vector<float> floats();  // uint64 n then n floats, any n that fits in the file
  FileIdentity identity();
  uint64_t remaining() const { return size_ - pos_; }
  // Reads and compares the checksum; fails on a mismatch or trailing bytes.
  void finish();
  [[noreturn]] void fail(const std::string& why) const;  // "checkpoint 'P' is unusable: why"

 private:
  std::string path_;
  std::ifstream in_;
  uint64_t size_ = 0, pos_ = 0;
  struct Hash;
  std::unique_ptr<Hash> h_;
};

}  // namespace wembed
