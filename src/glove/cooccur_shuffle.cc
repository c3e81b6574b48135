// Shuffling co-occurrence records in bounded memory: scattered to random
// buckets on disk, then each bucket shuffled in memory and appended to the output.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "glove/cooccur_internal.h"
#include "wembed/core/error.h"

namespace wembed::cooccur_internal {

void Scatter::finish() {
  for (size_t k = 0; k < bufs_.size(); ++k) {
    flushBucket(k);
    std::vector<Rec>().swap(bufs_[k]);
  }
}

uint64_t Scatter::total() const {
  uint64_t t = 0;
  for (auto s : sizes_) t += s;
  return t;
}

void Scatter::readBucket(int k, Rec* out) const {
  for (const auto& [off, n] : blocks_[k]) {
    char* p = reinterpret_cast<char*>(out);
    size_t want = n * sizeof(Rec), got = 0;
    while (got < want) {
      const ssize_t r = ::pread(file_.fd(), p + got, want - got, static_cast<off_t>(off + got));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) throw sysError("cannot read temporary file", file_.path());
      got += static_cast<size_t>(r);
    }
    out += n;
  }
}

void Scatter::flushBucket(size_t k) {
  auto& b = bufs_[k];
  if (b.empty()) return;
  file_.write(b.data(), b.size() * sizeof(Rec));
  blocks_[k].emplace_back(offset_, b.size());
  offset_ += b.size() * sizeof(Rec);
  sizes_[k] += b.size();
  b.clear();
}

namespace {

// The output: an AtomicFile, or for scratch output a plain file written in
// place (removed again if the run fails).
class Output {
 public:
  Output(const std::string& path, bool durable) : path_(path) {
    if (durable) {
      atomic_ = std::make_unique<AtomicFile>(path);
    } else {
      f_ = std::fopen(path.c_str(), "wb");
      if (!f_) throw sysError("cannot write", path);
    }
  }
  ~Output() {
    if (f_) {
      std::fclose(f_);
      std::remove(path_.c_str());
    }
  }
  void write(const void* p, size_t n) {
    if (atomic_) return atomic_->write(p, n);
    if (n && std::fwrite(p, 1, n, f_) != n) throw sysError("cannot write", path_);
  }
  void commit() {
    if (atomic_) return atomic_->commit();
    const int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0) throw sysError("cannot write", path_);
  }

 private:
  std::string path_;
  std::unique_ptr<AtomicFile> atomic_;
  FILE* f_ = nullptr;
};

void writeHeader(Output& f, const CooccurHeader& h) {
  char buf[kCooccurHeaderBytes] = {};
  std::memcpy(buf, kCooccurMagic, 8);
  std::memcpy(buf + 8, &h.version, 4);
  std::memcpy(buf + 12, &h.flags, 4);
  std::memcpy(buf + 16, &h.vocab_size, 4);
  std::memcpy(buf + 20, &h.window, 4);
  std::memcpy(buf + 24, &h.records, 8);
  f.write(buf, sizeof(buf));
}

}  // namespace

void writeShuffled(const Scatter& scatter, const CooccurHeader& h, const std::string& output, bool durable,
                   uint64_t seed, const Reporter& log) {
  Stopwatch clock;
  const int K = scatter.buckets();
  Output out(output, durable);
  writeHeader(out, h);
  uint64_t largest = 0;
  for (int k = 0; k < K; ++k) largest = std::max(largest, scatter.bucketSize(k));
  std::vector<Rec> arr(largest);
  Rng rng(seed * 0xD1B54A32D192ED03ull + 5);
  Throttle shown;
  for (int k = 0; k < K; ++k) {
    const size_t n = scatter.bucketSize(k);
    scatter.readBucket(k, arr.data());
    for (size_t i = n; i > 1; --i) {  // Fisher-Yates
      const size_t j = static_cast<size_t>((static_cast<unsigned __int128>(rng.next()) * i) >> 64);
      std::swap(arr[i - 1], arr[j]);
    }
    out.write(arr.data(), n * sizeof(Rec));
    if (log.showsStatus() && shown.due(clock.seconds()))
      log.show("cooccur: shuffling bucket " + std::to_string(k + 1) + "/" + std::to_string(K));
  }
  out.commit();
}

}  // namespace wembed::cooccur_internal
