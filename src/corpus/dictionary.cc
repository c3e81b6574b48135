#include "wembed/corpus/dictionary.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

#include <omp.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <exception>
#include <fstream>
#include <mutex>
#include <numeric>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/progress.h"
#include "wembed/core/range_check.h"
#include "wembed/core/threads.h"
#include "wembed/distributed/comm.h"
#include "wembed/corpus/input_split.h"
#include "wembed/corpus/token_stream.h"
#include "wembed/corpus/tokenizer.h"

namespace wembed {

void VocabArgs::validate() const {
  if (input.empty()) throw Error("no input given (--input FILE...)");
  validateLimits();
  checkRange("--prune-at", prune_at, Range::closed(1000, 1e9));
  resolveThreads(threads);  // refuses a count out of range
  checkRange("min_bytes_per_thread", min_bytes_per_thread, Range::closed(1, 1e15));
}

void VocabArgs::validateLimits() const {
  checkRange("--min-count", min_count, Range::closed(1, 1e12));
  checkRange("--max-vocab", max_vocab, Range::closed(0, 1e9).orZero("all"));
}


static inline uint64_t hashWord(std::string_view w) { return XXH3_64bits(w.data(), w.size()); }

Dictionary::Dictionary() { rehash(1 << 16); }

void Dictionary::rehash(size_t slots) {
  size_t n = 16;
  while (n < slots) n <<= 1;
  slots_.assign(n, -1);
  mask_ = n - 1;
  for (int32_t i = 0; i < static_cast<int32_t>(entries_.size()); ++i) {
    size_t s = hashWord(entries_[i].word) & mask_;
    while (slots_[s] >= 0) s = (s + 1) & mask_;
    slots_[s] = i;
  }
}

size_t Dictionary::slotOf(std::string_view word, uint64_t h) const {
  size_t s = h & mask_;
  for (;;) {
    int32_t i = slots_[s];
    if (i < 0) return s;
    const std::string& e = entries_[i].word;
    if (e.size() == word.size() && std::memcmp(e.data(), word.data(), word.size()) == 0) return s;
    s = (s + 1) & mask_;
  }
}

void Dictionary::add(std::string_view word, int64_t count) {
  tokens_seen_ += count;
  insert(word, count);
}

void Dictionary::insert(std::string_view word, int64_t count) {
  size_t s = slotOf(word, hashWord(word));
  if (slots_[s] >= 0) {
    entries_[slots_[s]].count += count;
    return;
  }
  slots_[s] = static_cast<int32_t>(entries_.size());
  entries_.push_back(Entry{std::string(word), count});
  if (entries_.size() * 2 > slots_.size()) rehash(slots_.size() * 2);
  if (static_cast<int64_t>(entries_.size()) > prune_at_) prune();
}

void Dictionary::merge(const Dictionary& other) {
  // Words other dropped may be undercounted up to its bar: the merged table
  // keeps the higher bar (and prunes from it if the merge overflows).
  min_reduce_ = std::max(min_reduce_, other.min_reduce_);
  prune_events_ += other.prune_events_;
  tokens_seen_ += other.tokens_seen_;
  for (const auto& e : other.entries_) insert(e.word, e.count);
}

namespace {
template <class T>
void putRaw(std::string& out, T v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}
template <class T>
T getRaw(std::string_view& in) {
  if (in.size() < sizeof(T)) throw Error("corrupt vocabulary message");
  T v;
  std::memcpy(&v, in.data(), sizeof v);
  in.remove_prefix(sizeof v);
  return v;
}
}  // namespace

std::string Dictionary::serialize() const {
  std::string out;
  putRaw<int64_t>(out, tokens_seen_);
  putRaw<int64_t>(out, min_reduce_);
  putRaw<int64_t>(out, prune_at_);
  putRaw<int32_t>(out, prune_events_);
  putRaw<uint64_t>(out, entries_.size());
  for (const auto& e : entries_) {
    putRaw<uint32_t>(out, static_cast<uint32_t>(e.word.size()));
    out.append(e.word);
    putRaw<int64_t>(out, e.count);
  }
  return out;
}

Dictionary Dictionary::deserialize(std::string_view in) {
  Dictionary d;
  d.tokens_seen_ = getRaw<int64_t>(in);
  d.min_reduce_ = getRaw<int64_t>(in);
  d.prune_at_ = getRaw<int64_t>(in);
  d.prune_events_ = getRaw<int32_t>(in);
  const uint64_t n = getRaw<uint64_t>(in);
  for (uint64_t i = 0; i < n; ++i) {
    const uint32_t len = getRaw<uint32_t>(in);
    if (in.size() < len) throw Error("corrupt vocabulary message");
    const std::string_view word = in.substr(0, len);
    in.remove_prefix(len);
    d.insert(word, getRaw<int64_t>(in));
  }
  return d;
}

void Dictionary::prune() {
  // word2vec's ReduceVocab: drop every word seen at most min_reduce times,
  // raising the bar each time, until the table is back under the limit.
  while (static_cast<int64_t>(entries_.size()) > prune_at_ * 3 / 4 + 1) {
    size_t j = 0;
    for (size_t i = 0; i < entries_.size(); ++i)
      if (entries_[i].count > min_reduce_) {
        // No self-move: libstdc++ leaves a self-moved std::string empty.
        if (i != j) entries_[j] = std::move(entries_[i]);
        ++j;
      }
    entries_.resize(j);
    ++min_reduce_;
  }
  ++prune_events_;
  rehash(slots_.size());
}

void Dictionary::finalize(int64_t min_count, int64_t max_vocab) {
  std::vector<Entry> kept;
  kept.reserve(entries_.size());
  for (auto& e : entries_)
    if (e.count >= min_count) kept.push_back(std::move(e));
  std::stable_sort(kept.begin(), kept.end(), [](const Entry& a, const Entry& b) { return a.count > b.count; });
  if (max_vocab > 0 && static_cast<int64_t>(kept.size()) > max_vocab) kept.resize(max_vocab);
  entries_ = std::move(kept);
  entries_.shrink_to_fit();
  rehash(entries_.size() * 2 + 16);
}

void Dictionary::finalizeInOrder() {
  entries_.shrink_to_fit();
  rehash(entries_.size() * 2 + 16);
}

int32_t Dictionary::find(std::string_view word) const {
  size_t s = slotOf(word, hashWord(word));
  return slots_[s];
}

int64_t Dictionary::totalCount() const {
  int64_t t = 0;
  for (const auto& e : entries_) t += e.count;
  return t;
}

void Dictionary::save(const std::string& path) const {
  AtomicFile f(path);
  write(f);
  f.commit();
}

void Dictionary::write(AtomicFile& f) const {
  std::string line;
  for (const auto& e : entries_) {
    line.assign(e.word);
    line.push_back(' ');
    line.append(std::to_string(e.count));
    line.push_back('\n');
    f.puts(line);
  }
}

Dictionary Dictionary::load(const std::string& path) {
  checkReadable(path);
  LineReader in(path, 1 << 16);  // a word is cut at 100 bytes when counting; 64 KB is no vocabulary line
  Dictionary d;
  d.setPruneAt(INT64_MAX);
  std::string line;
  int64_t total = 0;
  while (in.next(line)) {
    const int64_t lineno = in.lineNumber();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    size_t b = 0;
    while (b < line.size() && isSpace(static_cast<unsigned char>(line[b]))) ++b;
    if (b == line.size()) continue;  // blank line
    size_t e = b;
    while (e < line.size() && !isSpace(static_cast<unsigned char>(line[e]))) ++e;
    std::string_view word(line.data() + b, e - b);
    size_t c = e;
    while (c < line.size() && isSpace(static_cast<unsigned char>(line[c]))) ++c;
    size_t ce = c;
    while (ce < line.size() && line[ce] >= '0' && line[ce] <= '9') ++ce;
    size_t rest = ce;
    while (rest < line.size() && isSpace(static_cast<unsigned char>(line[rest]))) ++rest;
    if (ce == c || rest != line.size() || ce - c > 18)
      throw Error("bad vocabulary line in " + quotedName(path) + " line " + std::to_string(lineno) +
                  ": expected 'word count'");
    int64_t count = std::stoll(line.substr(c, ce - c));
    if (count > INT64_MAX - total)
      throw Error("bad vocabulary file " + quotedName(path) + ": the counts add up to more than 2^63 (line " +
                  std::to_string(lineno) + ")");
    total += count;
    if (d.find(word) >= 0)
      throw Error("duplicate word " + quote(word) + " in " + quotedName(path) + " line " + std::to_string(lineno));
    d.add(word, count);
  }
  if (d.size() == 0) throw Error("vocabulary file " + quotedName(path) + " is empty");
  d.tokens_seen_ = d.totalCount();
  return d;
}

namespace {

constexpr int64_t kReportTokens = 1 << 24;  // progress shown every 16M tokens

// A table counted over some of the inputs, with its tokenizers' note.
struct Counted {
  Dictionary dict;
  uint64_t truncated = 0;  // tokens cut at kMaxTokenBytes
};

// The counting threads to use: args.threads, but one unless every input is a
// plain file (stdin, compressed files and pipes can be read only once, in
// order) and no spool wants the bytes in input order; fewer so that each
// thread gets at least args.min_bytes_per_thread bytes.
int countingThreads(const VocabArgs& args, bool spool) {
  const int wanted = resolveThreads(args.threads);
  if (wanted == 1 || spool) return 1;
  uint64_t total = 0;
  for (const auto& p : args.input) {
    if (isStreamInput(p)) return 1;
    total += regularFileSize(p);
  }
  const uint64_t per_thread = static_cast<uint64_t>(std::max<int64_t>(args.min_bytes_per_thread, 1));
  return static_cast<int>(std::clamp<uint64_t>(total / per_thread, 1, static_cast<uint64_t>(wanted)));
}

// One pass over whole inputs (any kind), the bytes copied to spool if given.
Counted countStream(const VocabArgs& args, TempFile* spool, const Reporter& log) {
  Counted c;
  c.dict.setPruneAt(args.prune_at);
  Tokenizer tok(args.input);
  if (spool) tok.teeTo(spool);
  TokenStream stream(tok, args.rewriting);
  int64_t next_report = kReportTokens;
  for (;;) {
    Tokenizer::Kind k = stream.next();
    if (k == Tokenizer::kEnd) break;
    if (k != Tokenizer::kWord) continue;
    c.dict.add(stream.word());
    if (c.dict.tokensSeen() >= next_report) {
      next_report += kReportTokens;
      log.show("vocab: " + std::to_string(c.dict.tokensSeen() / 1000000) + "M tokens read");
    }
  }
  c.truncated = tok.tokensTruncated();
  return c;
}

// What the counting threads share: the tokens counted so far, shown by
// OpenMP thread 0 (the caller's thread, where a Reporter expects its calls),
// and the first failure, which stops the others.
class SharedCount {
 public:
  explicit SharedCount(const Reporter& log) : log_(log) {}
  void add(int64_t tokens) {
    const int64_t done = done_.fetch_add(tokens, std::memory_order_relaxed) + tokens;
    if (omp_get_thread_num() != 0 || done < next_report_) return;
    while (next_report_ <= done) next_report_ += kReportTokens;
    log_.show("vocab: " + std::to_string(done / 1000000) + "M tokens read");
  }
  void fail() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!error_) error_ = std::current_exception();
    abort_ = true;
  }
  bool aborted() const { return abort_.load(std::memory_order_relaxed); }
  void rethrow() const {
    if (error_) std::rethrow_exception(error_);
  }

 private:
  const Reporter& log_;
  std::atomic<int64_t> done_{0};
  int64_t next_report_ = kReportTokens;  // thread 0's alone
  std::mutex mu_;
  std::exception_ptr error_;
  std::atomic<bool> abort_{false};
};

// Counts one thread's byte ranges with the range tokenizer, the same token
// rules as countStream (a token belongs to the range holding its first byte).
void countSegments(const std::vector<Segment>& segs, const TokenRewriting* rewriting, Counted& c, SharedCount& shared) {
  constexpr int64_t kFlush = 1 << 20;
  int64_t pending = 0;
  for (const Segment& seg : segs) {
    Tokenizer tok(seg.path, seg.begin, seg.end);
    TokenStream stream(tok, rewriting);
    for (;;) {
      const Tokenizer::Kind k = stream.next();
      if (k == Tokenizer::kEnd) break;
      if (k != Tokenizer::kWord) continue;
      c.dict.add(stream.word());
      if (++pending == kFlush) {
        shared.add(pending);
        pending = 0;
        if (shared.aborted()) return;
      }
    }
    c.truncated += tok.tokensTruncated();
  }
  shared.add(pending);
}

// Counts byte ranges parts[first, first + n) on n threads, one range each,
// and merges the tables in range order, so that first-seen order (which
// orders ties) is the whole text's.
Counted countParts(const std::vector<std::vector<Segment>>& all_parts, int first, int n, const VocabArgs& args,
                   const Reporter& log) {
  const std::vector<std::vector<Segment>> parts(all_parts.begin() + first, all_parts.begin() + first + n);
  std::vector<Counted> counts(parts.size());
  for (auto& c : counts) c.dict.setPruneAt(args.prune_at);
  SharedCount shared(log);
#pragma omp parallel for num_threads(n) schedule(dynamic, 1)
  for (int t = 0; t < n; ++t) {
    try {
      countSegments(parts[t], args.rewriting, counts[t], shared);
    } catch (...) {
      shared.fail();
    }
  }
  shared.rethrow();
  Counted all = std::move(counts[0]);
  for (int t = 1; t < n; ++t) {
    all.dict.merge(counts[t].dict);
    all.truncated += counts[t].truncated;
    counts[t] = Counted();  // its memory back now
  }
  return all;
}

// The cut of the inputs into n byte ranges (at line starts when phrases are
// joined, so that no pair is cut apart).
std::vector<std::vector<Segment>> cutInputs(const VocabArgs& args, int n) {
  return partitionInputs(args.input, n, args.rewriting ? SplitAt::kLineStart : SplitAt::kAnyByte);
}

// Counts the plain-file inputs on `threads` threads, one byte range each.
Counted countRanges(const VocabArgs& args, int threads, const Reporter& log) {
  return countParts(cutInputs(args, threads), 0, threads, args, log);
}

// Distributed: this rank's threads count their ranges of the ranks x
// threads cut; every rank's table goes to every rank, merged in rank order.
Counted countRanks(const VocabArgs& args, const Reporter& log) {
  const int ranks = distributed::size(), me = distributed::rank();
  const std::vector<std::string> tables = distributed::gatherTogether([&] {
    for (const auto& p : args.input) {
      checkReadable(p);
      if (isStreamInput(p)) throw Error("a distributed run needs plain input files, not " + quotedName(p));
    }
    const int threads = resolveThreads(args.threads);
    Counted c = countParts(cutInputs(args, ranks * threads), me * threads, threads, args, log);
    std::string bytes = c.dict.serialize();
    putRaw<uint64_t>(bytes, c.truncated);
    return bytes;
  });
  Counted all;
  for (int r = 0; r < ranks; ++r) {
    std::string_view bytes(tables[r]);
    std::string_view tail = bytes.substr(bytes.size() - sizeof(uint64_t));
    all.truncated += getRaw<uint64_t>(tail);
    const Dictionary d = Dictionary::deserialize(bytes.substr(0, bytes.size() - sizeof(uint64_t)));
    if (r == 0) {
      all.dict = d;
    } else {
      all.dict.merge(d);
    }
  }
  return all;
}

}  // namespace

Dictionary buildVocabulary(const VocabArgs& args, TempFile* spool, const Reporter& log) {
  Counted c;
  if (distributed::active()) {
    if (spool) throw Error("a distributed run needs plain input files (not standard input or .gz)");
    c = countRanks(args, log);
  } else {
    for (const auto& p : args.input) checkReadable(p);
    const int threads = countingThreads(args, spool != nullptr);
    c = threads > 1 ? countRanges(args, threads, log) : countStream(args, spool, log);
  }
  Dictionary& d = c.dict;
  const int64_t seen = d.tokensSeen();
  const int32_t types = d.size();
  // One note for all the prunings (a corpus of many rare words prunes
  // hundreds of times), with what they cost.
  if (d.pruneEvents() > 0)
    log.say(stringPrintf("vocab: the table passed --prune-at %lld distinct words %d times; each time the rarest "
                         "were dropped, so words seen <= %lld times may be missing or undercounted",
                         static_cast<long long>(args.prune_at), d.pruneEvents(),
                         static_cast<long long>(d.pruneThreshold())));
  if (c.truncated > 0)
    log.say(stringPrintf("vocab: %llu tokens longer than %d bytes were truncated",
                         static_cast<unsigned long long>(c.truncated), kMaxTokenBytes));
  if (seen == 0) throw Error("the corpus is empty: no words in " + describeInputs(args.input));
  d.finalize(args.min_count, args.max_vocab);
  if (d.size() == 0)
    throw Error("no word occurs at least --min-count " + std::to_string(args.min_count) + " times (" +
                std::to_string(seen) + " tokens read)");
  log.say(stringPrintf("vocab: %lld tokens, %d distinct, %d kept (min-count %lld%s)", static_cast<long long>(seen),
                       types, d.size(), static_cast<long long>(args.min_count),
                       args.max_vocab > 0 ? (", max-vocab " + std::to_string(args.max_vocab)).c_str() : ""));
  return std::move(d);
}

std::string describeInputs(const std::vector<std::string>& inputs) {
  std::string names;
  for (const auto& p : inputs) names += (names.empty() ? "" : ", ") + (isStdinPath(p) ? "standard input" : quotedName(p));
  return names;
}

}  // namespace wembed
