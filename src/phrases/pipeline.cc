// `wembed phrases`: count and apply the phrases of a corpus, pass by pass.
#include <sys/stat.h>

#include <cmath>
#include <exception>
#include <limits>
#include <memory>
#include <thread>

#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/core/output_check.h"
#include "wembed/core/threads.h"
#include "wembed/core/utf8.h"
#include "wembed/corpus/input_split.h"
#include "wembed/corpus/tokenizer.h"
#include "wembed/phrases/phrases.h"

namespace wembed {

namespace {

// The phrased text, a line per sentence, tokens separated by one space.
class LineWriter : public TokenSink {
 public:
  explicit LineWriter(std::FILE* f) : f_(f) {}
  void word(std::string_view w) override {
    if (!first_) std::fputc(' ', f_);
    std::fwrite(w.data(), 1, w.size(), f_);
    first_ = false;
    ++tokens;
  }
  void endSentence() override {
    std::fputc('\n', f_);
    first_ = true;
    ++sentences;
  }
  int64_t tokens = 0, sentences = 0;

 private:
  std::FILE* f_;
  bool first_ = true;
};

// The inputs token by token, every line a sentence (empty lines too), as
// the output keeps them: Tokenizer's tokens (cut at kMaxTokenBytes), but an
// end of sentence for every line end, and at the end of an input that does
// not end with one.
void feedLines(const std::vector<std::string>& files, TokenSink& sink, uint64_t& truncated) {
  std::vector<char> buf(1 << 20);
  std::string tok;
  for (const auto& path : files) {
    ByteReader in(path);
    bool open_line = false;
    auto endToken = [&] {
      if (tok.empty()) return;
      if (tok.size() > kMaxTokenBytes) {
        tok.resize(utf8SafeLength(tok.data(), tok.size(), kMaxTokenBytes));
        ++truncated;
      }
      sink.word(tok);
      tok.clear();
    };
    for (size_t n; (n = in.read(buf.data(), buf.size())) > 0;) {
      for (size_t i = 0; i < n; ++i) {
        const unsigned char c = static_cast<unsigned char>(buf[i]);
        if (!isSpace(c)) {
          if (tok.size() < kMaxTokenBytes + 4) tok.push_back(static_cast<char>(c));  // the rest is cut anyway
          open_line = true;
          continue;
        }
        endToken();
        if (c == '\n') {
          sink.endSentence();
          open_line = false;
        }
      }
    }
    endToken();
    if (open_line) sink.endSentence();
  }
}

// The appliers of the model's first n passes, each feeding the next, the last feeding `last`.
struct Chain : TokenSink {
  std::vector<std::unique_ptr<PhraseApplier>> appliers;
  TokenSink* head = nullptr;
  void word(std::string_view w) override { head->word(w); }
  void endSentence() override { head->endSentence(); }
};

Chain makeChain(const PhraseModel& m, size_t n, double threshold, TokenSink* last) {
  Chain c;
  c.head = last;
  for (size_t p = n; p-- > 0;) {
    c.appliers.push_back(
        std::make_unique<PhraseApplier>(m.passes[p], m.connector_words, m.delimiter, threshold, c.head));
    c.head = c.appliers.back().get();
  }
  return c;
}

}  // namespace

std::unique_ptr<TokenSink> PhraseRewriting::start(TokenSink* out) const {
  auto c = std::make_unique<Chain>();
  *c = makeChain(model_, model_.passes.size(), -std::numeric_limits<double>::infinity(), out);
  return c;
}

namespace {

uint64_t feed(Tokenizer& t, TokenSink& sink) {
  for (Tokenizer::Kind k; (k = t.next()) != Tokenizer::kEnd;) {
    if (k == Tokenizer::kWord)
      sink.word(t.word());
    else
      sink.endSentence();
  }
  return t.tokensTruncated();
}

// Standard input and pipes can be read once only: they are spooled first.
bool readableOnce(const std::string& path) {
  struct stat st;
  return isStdinPath(path) || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode);
}

// Copies the inputs into the spool, each ending with a line end (so that the
// copy has the lines of the inputs, no more).
void spoolInputs(const std::vector<std::string>& files, TempFile& spool) {
  std::vector<char> buf(1 << 20);
  for (const auto& p : files) {
    ByteReader r(p);
    char last = '\n';
    for (size_t n; (n = r.read(buf.data(), buf.size())) > 0;) {
      spool.write(buf.data(), n);
      last = buf[n - 1];
    }
    if (last != '\n') spool.write("\n", 1);
  }
  spool.close();
}

bool splittable(const std::vector<std::string>& files) {
  for (const auto& f : files)
    if (readableOnce(f) || isCompressedPath(f)) return false;
  return true;
}

// One counting thread: its byte ranges through the earlier passes into its own counter.
void countSegments(const std::vector<Segment>& segs, const PhraseModel& m, size_t pass, PhraseCounter& counter) {
  Chain c = makeChain(m, pass, -std::numeric_limits<double>::infinity(), &counter);
  for (const Segment& s : segs) {
    Tokenizer t(s.path, s.begin, s.end);
    feed(t, *c.head);
  }
}

// Counts pass `pass` (0-based) over files, read through the phrases of the
// passes before it; plain files on `threads` threads, merged in order.
PhraseCounter countPass(const std::vector<std::string>& files, const PhraseModel& m, size_t pass,
                        const PhraseSettings& s, int threads) {
  PhraseCounter counter(s);
  if (threads <= 1 || !splittable(files)) {
    Chain c = makeChain(m, pass, -std::numeric_limits<double>::infinity(), &counter);
    Tokenizer t(files);
    feed(t, *c.head);
    return counter;
  }
  const auto parts = partitionInputs(files, threads, SplitAt::kLineStart);
  std::vector<PhraseCounter> counters;
  for (int i = 0; i < threads; ++i) counters.emplace_back(s);
  std::vector<std::exception_ptr> errors(threads);
  std::vector<std::thread> pool;
  for (int i = 0; i < threads; ++i)
    pool.emplace_back([&, i] {
      try {
        countSegments(parts[i], m, pass, counters[i]);
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& th : pool) th.join();
  for (auto& e : errors)
    if (e) std::rethrow_exception(e);
  for (const auto& c : counters) counter.merge(c);
  return counter;
}

void checkFiles(const PhrasesArgs& a) {
  if (a.input.empty()) throw Error("no input: give --input FILE ('-' for standard input)");
  if (a.output.empty()) throw Error("no output: give --output FILE");
  if (a.passes < 1 || a.passes > 10) throw Error("--passes must be between 1 and 10, not " + std::to_string(a.passes));
  resolveThreads(a.threads);
  FilePlan plan;
  plan.read("--input", a.input);
  plan.read("--phrases", a.phrases);
  plan.read("--common-words", a.common_words);
  plan.write("--output", a.output);
  plan.write("--save-phrases", a.save_phrases);
  plan.check();
  for (const auto& p : a.input) checkReadable(p);
  if (!a.phrases.empty()) withContext("--phrases", [&] { checkReadable(a.phrases); });
  if (!a.common_words.empty()) withContext("--common-words", [&] { checkReadable(a.common_words); });
  checkTmpDir(a.tmp_dir);
}

// The phrase model to apply: read from args.phrases, or counted pass by pass.
PhraseModel buildModel(const PhrasesArgs& a, PhraseSettings& s, std::vector<std::string>& files,
                       std::unique_ptr<TempFile>& spool, const Reporter& log) {
  PhraseModel m;
  m.delimiter = s.delimiter;
  m.connector_words = s.connector_words;
  bool needs_spool = false;
  for (const auto& f : files) needs_spool |= readableOnce(f);
  if (needs_spool) {
    spool = std::make_unique<TempFile>(a.tmp_dir.empty() ? defaultTmpDir() : a.tmp_dir, "wembed-phrases");
    spoolInputs(files, *spool);
    files = {spool->path()};
  }
  const int threads = resolveThreads(a.threads);
  for (int p = 0; p < a.passes; ++p) {
    PhraseCounter counter = countPass(files, m, static_cast<size_t>(p), s, threads);
    m.passes.push_back(counter.exportPhrases());
    log.say(stringPrintf("phrases: pass %d: %lld words, %lld entries (words and pairs; %lld prunes), %zu phrases",
                         p + 1, static_cast<long long>(counter.corpusWords()),
                         static_cast<long long>(counter.entries()), static_cast<long long>(counter.prunes()),
                         m.passes.back().phrases.size()));
  }
  return m;
}

}  // namespace

PhrasesSummary runPhrases(const PhrasesArgs& a, const Reporter& log) {
  checkFiles(a);
  PhraseSettings s = a.settings;
  if (!a.common_words.empty()) s.connector_words = readWordList(a.common_words, "--common-words");
  if (a.phrases.empty()) s.validate();
  PendingFiles out;
  AtomicFile& text = out.open(a.output);
  AtomicFile* table = a.save_phrases.empty() ? nullptr : &out.open(a.save_phrases);
  std::vector<std::string> files = a.input;
  std::unique_ptr<TempFile> spool;
  PhraseModel m;
  double threshold = -std::numeric_limits<double>::infinity();
  if (a.phrases.empty()) {
    m = buildModel(a, s, files, spool, log);
  } else {
    m = readPhraseModel(a.phrases);
    if (!a.common_words.empty()) m.connector_words = s.connector_words;
    if (a.threshold_given) threshold = s.threshold;
  }
  LineWriter writer(text.stream());
  Chain c = makeChain(m, m.passes.size(), threshold, &writer);
  uint64_t truncated = 0;
  feedLines(files, *c.head, truncated);
  if (truncated > 0)
    log.say(stringPrintf("phrases: %llu tokens longer than %d bytes were cut", static_cast<unsigned long long>(truncated),
                         kMaxTokenBytes));
  if (table) writePhraseModel(m, s, table->stream());
  out.commit();
  PhrasesSummary r;
  for (const auto& p : m.passes) r.phrases.push_back(static_cast<int64_t>(p.phrases.size()));
  r.sentences = writer.sentences;
  r.tokens_out = writer.tokens;
  return r;
}

}  // namespace wembed
