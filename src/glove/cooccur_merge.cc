// Merging co-occurrence records: sources that deliver them in key order,
// and the intermediate merge rounds when there are more run files than can
// be open at once.
#include "glove/cooccur_internal.h"
#include "wembed/core/error.h"

namespace wembed::cooccur_internal {

bool MemSource::next(const Rec*& b, const Rec*& e) {
  if (done_ || n_ == 0) return false;
  done_ = true;
  b = b_;
  e = b_ + n_;
  return true;
}

bool FileSource::next(const Rec*& b, const Rec*& e) {
  char* p = reinterpret_cast<char*>(buf_.data());
  const size_t want = buf_.size() * sizeof(Rec);
  size_t got = 0;
  while (got < want) {
    const size_t r = reader_.read(p + got, want - got);
    if (r == 0) break;
    got += r;
  }
  if (got % sizeof(Rec) != 0) throw Error("temporary run file '" + path_ + "' is truncated");
  if (got == 0) return false;
  b = buf_.data();
  e = buf_.data() + got / sizeof(Rec);
  return true;
}

bool DenseSource::next(const Rec*& b, const Rec*& e) {
  size_t n = 0;
  while (i_ < l_.rows && n < buf_.size()) {
    const int32_t lim = static_cast<int32_t>(l_.row[i_].lim);
    const float* row = d_ + l_.row[i_].off;
    while (j_ < lim && n < buf_.size()) {
      const float v = row[j_];
      if (v != 0.f) buf_[n++] = Rec{i_, j_, v};
      ++j_;
    }
    if (j_ >= lim && ++i_ < l_.rows) j_ = l_.start(i_);
  }
  if (n == 0) return false;
  b = buf_.data();
  e = buf_.data() + n;
  return true;
}

int mergeRounds(std::vector<Run>& runs, int max_open, size_t read_block, const std::string& dir, const Reporter& log) {
  int rounds = 0;
  while (static_cast<int>(runs.size()) > max_open) {
    const size_t k = std::min<size_t>(max_open, runs.size() - max_open + 1);
    std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.records < b.records; });
    std::vector<std::unique_ptr<FileSource>> fs;
    std::vector<Source*> srcs;
    for (size_t i = 0; i < k; ++i) {
      fs.push_back(std::make_unique<FileSource>(runs[i].file->path(), read_block));
      srcs.push_back(fs.back().get());
    }
    Run merged;
    merged.file = std::make_unique<TempFile>(dir, "run");
    RecWriter w(*merged.file, read_block);
    mergeSources(srcs, [&](int32_t i, int32_t j, double c) { w.put(Rec{i, j, static_cast<float>(c)}); }, {});
    w.flush();
    merged.file->close();
    merged.records = w.written();
    fs.clear();
    runs.erase(runs.begin(), runs.begin() + static_cast<std::ptrdiff_t>(k));  // removes their files
    runs.push_back(std::move(merged));
    ++rounds;
    log.say(stringPrintf("cooccur: merge round %d: %zu runs into one, %zu runs left", rounds, k, runs.size()));
  }
  return rounds;
}

}  // namespace wembed::cooccur_internal
