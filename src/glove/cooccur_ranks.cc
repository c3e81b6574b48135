// Distributed counting (mpirun -np N): each rank counts its share of the
// corpus, splits its merged counts by owner and sends every rank the records
// it owns; each rank then merges what it owns (cooccur.cc).
#include "glove/cooccur_internal.h"
#include "wembed/core/error.h"
#include "wembed/distributed/comm.h"

namespace wembed::cooccur_internal {

std::vector<std::vector<Segment>> rankParts(const std::vector<std::string>& files, int threads, SplitAt at) {
  const int ranks = distributed::size(), me = distributed::rank();
  std::vector<std::vector<Segment>> all = partitionInputs(files, ranks * threads, at);
  return std::vector<std::vector<Segment>>(all.begin() + me * threads, all.begin() + (me + 1) * threads);
}

int ownerOf(int32_t word) { return static_cast<int>(word % distributed::size()); }

std::vector<Run> splitByOwner(const std::vector<Source*>& srcs, const std::string& dir, size_t block,
                              bool to_first) {
  const int ranks = distributed::size();
  std::vector<Run> runs(ranks);
  std::vector<std::unique_ptr<RecWriter>> w;
  for (auto& r : runs) {
    r.file = std::make_unique<TempFile>(dir, "owned");
    w.push_back(std::make_unique<RecWriter>(*r.file, block));
  }
  mergeSources(
      srcs, [&](int32_t i, int32_t j, double c) { w[to_first ? 0 : ownerOf(i)]->put(Rec{i, j, static_cast<float>(c)}); }, {});
  for (int r = 0; r < ranks; ++r) {
    w[r]->flush();
    runs[r].file->close();
    runs[r].records = w[r]->written();
  }
  return runs;
}

namespace {

// Reads up to n records of `from` (from its offset `done`) into a message.
std::string take(const Run& from, uint64_t& done, size_t n, ByteReader& reader) {
  const uint64_t k = std::min<uint64_t>(n, from.records - done);
  std::string msg(static_cast<size_t>(k) * sizeof(Rec), '\0');
  size_t got = 0;
  while (got < msg.size()) {
    const size_t r = reader.read(msg.data() + got, msg.size() - got);
    if (r == 0) throw Error("temporary run file '" + from.file->path() + "' is truncated");
    got += r;
  }
  done += k;
  return msg;
}

}  // namespace

std::vector<Run> exchangeRuns(std::vector<Run> by_owner, const std::string& dir, size_t block) {
  const int ranks = distributed::size(), me = distributed::rank();
  std::vector<Run> mine(ranks);
  std::vector<std::unique_ptr<ByteReader>> readers(ranks);
  std::vector<uint64_t> sent(ranks, 0);
  std::vector<std::string> got(ranks);
  distributed::together([&] {
    for (int r = 0; r < ranks; ++r) {
      if (r == me) continue;
      readers[r] = std::make_unique<ByteReader>(by_owner[r].file->path());
      mine[r].file = std::make_unique<TempFile>(dir, "received");
    }
  });
  // Rounds of at most `block` records to every rank, until no rank sends any:
  // each round first stores what the last one brought (an error there stops all).
  for (;;) {
    std::vector<std::string> out(ranks);
    int64_t bytes = 0;
    distributed::together([&] {
      for (int r = 0; r < ranks; ++r)
        if (!got[r].empty()) {
          mine[r].file->write(got[r].data(), got[r].size());
          mine[r].records += got[r].size() / sizeof(Rec);
        }
      for (int r = 0; r < ranks; ++r)
        if (r != me) {
          out[r] = take(by_owner[r], sent[r], block, *readers[r]);
          bytes += static_cast<int64_t>(out[r].size());
        }
    });
    distributed::allreduceSum(&bytes, 1);
    if (bytes == 0) break;
    got = distributed::alltoall(out);
  }
  distributed::together([&] {
    for (int r = 0; r < ranks; ++r)
      if (r != me) {
        readers[r].reset();
        by_owner[r].file.reset();  // removes it
        mine[r].file->close();
      }
  });
  mine[me] = std::move(by_owner[me]);
  return mine;
}

}  // namespace wembed::cooccur_internal
