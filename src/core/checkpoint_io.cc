#include "wembed/core/checkpoint_io.h"

#include <cstring>

// GCC 12 reports false -Warray-bounds positives inside xxHash's inlined
// streaming update; the calls below pass whole objects.
#pragma GCC diagnostic ignored "-Warray-bounds"
#define XXH_INLINE_ALL
#include <xxhash.h>

#include "wembed/core/error.h"
#include "wembed/core/io.h"

namespace wembed {

namespace {

constexpr size_t kMagicBytes = 8;
constexpr CheckpointKind kKinds[] = {CheckpointKind::kWord2vec, CheckpointKind::kGlove, CheckpointKind::kSentiment};

const char* magic(CheckpointKind k) {
  switch (k) {
    case CheckpointKind::kWord2vec: return "WEMBCKPT";
    case CheckpointKind::kGlove: return "WEMBCKGV";
    case CheckpointKind::kSentiment: return "WEMBCKSN";
  }
  return "";
}

// The kind whose magic is m, if any.
bool kindOf(const char* m, CheckpointKind& out) {
  for (CheckpointKind k : kKinds)
    if (std::memcmp(m, magic(k), kMagicBytes) == 0) {
      out = k;
      return true;
    }
  return false;
}

}  // namespace

std::string toString(CheckpointKind k) {
  switch (k) {
    case CheckpointKind::kWord2vec: return "word2vec";
    case CheckpointKind::kGlove: return "GloVe";
    case CheckpointKind::kSentiment: return "sentiment classifier";
  }
  return "?";
}

std::string resumeCommand(CheckpointKind k) {
  return k == CheckpointKind::kSentiment ? "wembed sentiment train --resume" : "wembed train --resume";
}

CheckpointKind checkpointKind(const std::string& path) {
  checkReadable(path);
  std::ifstream in(path, std::ios::binary);
  char m[kMagicBytes];
  in.read(m, kMagicBytes);
  if (!in) throw Error("checkpoint " + quotedName(path) + " is unusable: too short to be a checkpoint");
  CheckpointKind k;
  if (!kindOf(m, k)) throw Error("checkpoint " + quotedName(path) + " is unusable: not a wembed checkpoint (bad magic)");
  return k;
}

struct CheckpointWriter::Hash {
  XXH64_state_t st;
};

CheckpointWriter::CheckpointWriter(const std::string& path, CheckpointKind kind)
    : f_(std::make_unique<AtomicFile>(path)), h_(std::make_unique<Hash>()) {
  f_->write(magic(kind), kMagicBytes);
  XXH64_reset(&h_->st, 0);
}

CheckpointWriter::~CheckpointWriter() = default;

void CheckpointWriter::raw(const void* p, size_t n) {
  f_->write(p, n);
  XXH64_update(&h_->st, p, n);
}

void CheckpointWriter::str(const std::string& s) {
  pod<uint32_t>(static_cast<uint32_t>(s.size()));
  raw(s.data(), s.size());
}

void CheckpointWriter::matrix(const Matrix& m) {
  pod<int64_t>(m.rows());
  pod<int32_t>(m.cols());
  for (int64_t r = 0; r < m.rows(); ++r) raw(m.row(r), sizeof(float) * m.cols());
}

void CheckpointWriter::floats(const float* p, uint64_t n) {
  pod<uint64_t>(n);
  raw(p, sizeof(float) * n);
}

void CheckpointWriter::identity(const FileIdentity& id) {
  pod<uint64_t>(id.size);
  pod<uint64_t>(id.hash);
}

void CheckpointWriter::commit() {
  const uint64_t sum = XXH64_digest(&h_->st);
  f_->write(&sum, sizeof sum);
  f_->commit();
}

struct CheckpointReader::Hash {
  XXH64_state_t st;
};

CheckpointReader::CheckpointReader(const std::string& path, CheckpointKind kind)
    : path_(path), h_(std::make_unique<Hash>()) {
  checkReadable(path);
  in_.open(path, std::ios::binary);
  if (!in_) throw Error("cannot open checkpoint " + quotedName(path));
  in_.seekg(0, std::ios::end);
  size_ = static_cast<uint64_t>(in_.tellg());
  in_.seekg(0);
  if (size_ < kMagicBytes) fail("too short to be a checkpoint");
  char m[kMagicBytes];
  in_.read(m, kMagicBytes);
  if (!in_) fail("read error");
  pos_ = kMagicBytes;
  CheckpointKind found;
  if (!kindOf(m, found)) fail("not a wembed checkpoint (bad magic)");
  if (found != kind)
    throw Error(quotedName(path) + " is a " + toString(found) + " checkpoint, not a " + toString(kind) +
                " one: resume it with " + quote(resumeCommand(found)));
  XXH64_reset(&h_->st, 0);  // the checksum covers what follows the magic
}

CheckpointReader::~CheckpointReader() = default;

void CheckpointReader::raw(void* p, size_t n) {
  if (n > size_ - pos_) fail("truncated");
  in_.read(static_cast<char*>(p), static_cast<std::streamsize>(n));
  if (!in_) fail("read error");
  pos_ += n;
  XXH64_update(&h_->st, p, n);
}

uint32_t CheckpointReader::checkVersion(uint32_t current, uint32_t oldest) {
  const uint32_t v = pod<uint32_t>();
  const std::string reads = "this wembed reads version " +
                            (oldest < current ? std::to_string(oldest) + " to " : std::string()) + std::to_string(current);
  if (v < oldest) fail("version " + std::to_string(v) + ", written by an older wembed (" + reads + "): start the run again");
  if (v > current) fail("version " + std::to_string(v) + " (" + reads + ")");
  return v;
}

std::string CheckpointReader::str() {
  const uint32_t n = pod<uint32_t>();
  if (n > size_ - pos_) fail("truncated");
  std::string s(n, '\0');
  raw(s.data(), n);
  return s;
}

Matrix CheckpointReader::matrix() {
  const int64_t rows = pod<int64_t>();
  const int32_t cols = pod<int32_t>();
  if (rows < 0 || cols < 1 || cols > 100000 ||
      static_cast<uint64_t>(rows) > (size_ - pos_) / (sizeof(float) * static_cast<uint64_t>(cols)))
    fail("bad matrix size");
  Matrix m(rows, cols);
  for (int64_t r = 0; r < rows; ++r) raw(m.row(r), sizeof(float) * cols);
  return m;
}

void CheckpointReader::floats(float* p, uint64_t expect, const std::string& what) {
  const uint64_t n = pod<uint64_t>();
  if (n != expect) fail(what + ": " + std::to_string(n) + " values where " + std::to_string(expect) + " are expected");
  if (n > (size_ - pos_) / sizeof(float)) fail("truncated");
  raw(p, sizeof(float) * n);
}

std::vector<float> CheckpointReader::floats() {
  const uint64_t n = pod<uint64_t>();
  if (n > (size_ - pos_) / sizeof(float)) fail("truncated");
  std::vector<float> v(n);
  raw(v.data(), sizeof(float) * n);
  return v;
}

FileIdentity CheckpointReader::identity() {
  FileIdentity id;
  id.size = pod<uint64_t>();
  id.hash = pod<uint64_t>();
  return id;
}

void CheckpointReader::finish() {
  const uint64_t expect = XXH64_digest(&h_->st);
  uint64_t sum = 0;
  if (remaining() != sizeof sum) fail(remaining() < sizeof sum ? "truncated" : "trailing bytes");
  raw(&sum, sizeof sum);
  if (sum != expect) fail("checksum mismatch (corrupted)");
}

void CheckpointReader::fail(const std::string& why) const {
  throw Error("checkpoint " + quotedName(path_) + " is unusable: " + why);
}

}  // namespace wembed
