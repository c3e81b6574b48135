#include "wembed/corpus/prepare.h"

#include "wembed/core/error.h"
#include "wembed/core/output_check.h"
#include "wembed/distributed/comm.h"

namespace wembed {

bool needsSpool(const std::vector<std::string>& inputs) {
  for (const auto& p : inputs)
    if (isStreamInput(p)) return true;
  return false;
}

Dictionary readVocabulary(const std::string& path, const VocabArgs& vocab) {
  vocab.validateLimits();
  Dictionary dict = Dictionary::load(path);
  dict.finalize(vocab.min_count, vocab.max_vocab);
  if (dict.size() == 0) throw Error("no word in '" + path + "' reaches --min-count");
  return dict;
}

void wordsAndCounts(const Dictionary& dict, std::vector<std::string>& words, std::vector<int64_t>& counts) {
  words.clear();
  counts.clear();
  words.reserve(dict.size());
  counts.reserve(dict.size());
  for (const auto& e : dict.entries()) {
    words.push_back(e.word);
    counts.push_back(e.count);
  }
}

namespace {
// Copies every input into the spool (a newline after each, so the last line
// of one never runs into the first of the next).
void spoolInputs(const std::vector<std::string>& inputs, TempFile& spool) {
  std::vector<char> buf(1 << 20);
  for (const auto& p : inputs) {
    ByteReader r(p);
    size_t n;
    while ((n = r.read(buf.data(), buf.size())) > 0) spool.write(buf.data(), n);
    spool.write("\n", 1);
  }
}
}  // namespace

PreparedCorpus prepareCorpus(const VocabArgs& vocab, const std::string& read_vocab, const std::string& tmp_dir,
                             const Reporter& log) {
  for (const auto& p : vocab.input) checkReadable(p);
  PreparedCorpus c;
  if (needsSpool(vocab.input))
    c.spool = std::make_unique<TempFile>(tmp_dir.empty() ? defaultTmpDir() : tmp_dir, "wembed-corpus");
  if (!read_vocab.empty()) {
    c.dict = readVocabulary(read_vocab, vocab);
    if (c.spool) spoolInputs(vocab.input, *c.spool);
  } else {
    c.dict = buildVocabulary(vocab, c.spool.get(), log);
  }
  if (c.spool) c.spool->close();
  c.files = c.spool ? std::vector<std::string>{c.spool->path()} : vocab.input;
  return c;
}

Dictionary runVocab(const VocabArgs& args, const std::string& output, const Reporter& log) {
  args.validate();
  if (output.empty()) throw Error("no output given (--output FILE)");
  FilePlan plan;
  plan.read("--input", args.input);
  plan.write("--output", output);
  plan.check();
  const bool writer = distributed::reporting();  // distributed: every rank counts, rank 0 writes
  distributed::together([&] {
    if (writer) AtomicFile probe(output);  // fail now, not after counting, if it cannot be written
  });
  Dictionary d = buildVocabulary(args, nullptr, log);
  if (writer) d.save(output);
  return d;
}

}  // namespace wembed
