#include <cstdio>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/phrases/phrases.h"

namespace wembed::cli {

namespace {
void addCountOptions(po::options_description& d, PhrasesArgs& a, std::string& scoring) {
  PhraseSettings& s = a.settings;
  d.add_options()
    ("min-count", po::value(&s.min_count)->default_value(5), "gensim's min_count: subtracted from a pair's count (default scoring); npmi: pairs seen fewer times are never joined")
    ("threshold", po::value(&s.threshold)->default_value(10.0, "10"), "join a pair if its score is strictly greater (npmi: give one in [-1, 1]); with --phrases: apply only the table's phrases above it")
    ("scoring", po::value(&scoring)->default_value("default"), "'default': (count(ab) - min_count) * N / (count(a) * count(b)), N the entries (words + pairs) counted, as gensim; 'npmi': normalised PMI")
    ("delimiter", po::value(&s.delimiter)->default_value("_"), "joins the words of a phrase")
    ("passes", po::value(&a.passes)->default_value(1), "phrase passes, each counted on the output of the one before (2: trigrams such as new_york_times)")
    ("common-words", po::value(&a.common_words), "file of connector words (gensim's connector_words, e.g. 'of the a'): never counted alone, allowed inside a phrase (bank_of_america)")
    ("max-vocab", po::value(&s.max_vocab)->default_value(40000000), "entries (words + pairs) held while counting, as gensim's max_vocab_size: past it, after a sentence, entries seen fewer than 1, then 2, 3... times are dropped (about 24 bytes + the key each; a thread each)")
    ("threads", po::value(&a.threads)->default_value(1), "counting threads on plain files, each on its own byte range, merged at the end (0: all cores; stdin and .gz: one)");
}
}  // namespace

int cmdPhrases(int argc, char** argv) {
  return guarded("phrases", [&]() {
    PhrasesArgs a;
    std::string scoring;
    bool quiet = false;
    po::options_description io("input and output");
    io.add_options()
      ("help,h", "show this help")
      ("input,i", po::value(&a.input)->multitoken(), "corpus files, a sentence per line ('-' for stdin, .gz/.xz read directly)")
      ("output,o", po::value(&a.output), "the phrased text, a line per input line")
      ("save-phrases", po::value(&a.save_phrases), "also write the phrase table ('phrase<TAB>score' lines, highest first)")
      ("phrases", po::value(&a.phrases), "apply this saved phrase table instead of counting")
      ("tmp-dir", po::value(&a.tmp_dir), "where standard input is spooled (it is read more than once)")
      ("quiet,q", po::bool_switch(&quiet), "no progress output");
    po::options_description m("counting (gensim's Phrases)");
    addCountOptions(m, a, scoring);
    po::options_description all;
    all.add(io).add(m);
    po::positional_options_description pos;
    pos.add("input", -1);
    po::variables_map vm;
    if (!parse("phrases", "--input FILE... --output FILE [--save-phrases TABLE | --phrases TABLE] [options]", argc,
               argv, all, &pos, vm))
      return 0;
    a.settings.scoring = parsePhraseScoring(scoring);
    a.threshold_given = !vm["threshold"].defaulted();
    if (!a.phrases.empty())
      for (const char* flag : {"min-count", "scoring", "delimiter", "passes", "max-vocab", "save-phrases"})
        if (vm.count(flag) && !vm[flag].defaulted())
          throw Error(std::string("--") + flag + " is for counting phrases: not with --phrases (the table has them)");
    const PhrasesSummary r = runPhrases(a, quiet ? Reporter() : stderrReporter());
    if (!quiet) {
      if (!a.phrases.empty())
        for (size_t p = 0; p < r.phrases.size(); ++p)
          std::fprintf(stderr, "phrases: pass %zu: %lld phrases\n", p + 1, static_cast<long long>(r.phrases[p]));
      std::fprintf(stderr, "phrases: wrote %lld lines, %lld tokens to %s\n", static_cast<long long>(r.sentences),
                   static_cast<long long>(r.tokens_out), a.output.c_str());
    }
    return 0;
  });
}

}  // namespace wembed::cli
