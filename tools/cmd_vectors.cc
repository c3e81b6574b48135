#include <cstdio>
#include <string>
#include <vector>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/core/io.h"
#include "wembed/vectors/print_vectors.h"

namespace wembed::cli {

namespace {

std::string listed(const std::vector<std::string>& words, int64_t total) {
  std::string s;
  for (size_t i = 0; i < words.size(); ++i) s += (i ? ", " : "") + quote(words[i]);
  return total > static_cast<int64_t>(words.size()) ? s + ", ..." : s;
}

// What the vectors printed cannot show: words composed, words with no vector.
void note(const PrintCounts& c, bool subwords, bool sentences) {
  if (c.composed)
    std::fprintf(stderr, "wembed vectors: note: %lld of %lld words not in the vocabulary, composed from n-grams\n",
                 static_cast<long long>(c.composed), static_cast<long long>(c.words));
  if (c.unknown)
    std::fprintf(stderr, "wembed vectors: note: %lld of %lld words not in the vocabulary%s, %s: %s\n",
                 static_cast<long long>(c.unknown), static_cast<long long>(c.words),
                 subwords ? " and without n-grams" : " (the model has no subwords)",
                 sentences ? "left out of the sentence vectors" : "printed as zero vectors",
                 listed(c.unknown_words, c.unknown).c_str());
}

}  // namespace

int cmdVectors(int argc, char** argv) {
  return guarded("vectors", [&]() {
    std::string path;
    std::vector<std::string> words;
    bool sentences = false;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (any format wembed reads; a model with subwords composes "
       "the vectors of words outside its vocabulary from their character n-grams)")
      ("words", po::value(&words)->multitoken(), "the words (none: the whitespace-separated words of standard input)")
      ("sentences", po::bool_switch(&sentences), "one vector per line of standard input: the mean of its words' "
       "vectors scaled to unit length (fasttext print-sentence-vectors)");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1).add("words", -1);
    po::variables_map vm;
    if (!parse("vectors",
               "VECTORS [WORD...] [--sentences]\n\n"
               "Prints 'word v1 ... vD' for each word, as fasttext print-word-vectors (5 significant digits, each\n"
               "value followed by a space): a word of the vocabulary its row, another its vector composed from\n"
               "n-grams when the model has subwords, else zeros (noted on stderr). With --sentences, one vector per\n"
               "line of standard input, as fasttext print-sentence-vectors.",
               argc, argv, opts, &pos, vm))
      return 0;
    // With -i/--input every positional argument is a word.
    if (!input.input.empty() && !path.empty()) words.insert(words.begin(), path);
    const std::string file = input.input.empty() ? path : input.input;
    if (file.empty()) throw Error("no vector file given");
    if (sentences && !words.empty())
      throw Error("--sentences reads the sentences from standard input; give no words on the command line");
    if (words.empty() && isStdinPath(file))
      throw Error("the vectors and the words cannot both come from standard input: give the vector file by name");
    input.parsedFormat();  // --format and --limit checked before the vectors are read
    checkVectorFile(file);
    const WordVectors v(input.load(file));
    PrintCounts counts;
    if (sentences) printSentenceVectors(v, "-", stdout, counts);
    else if (!words.empty()) printWordVectors(v, words, stdout, counts);
    else printWordVectorsFrom(v, "-", stdout, counts);
    std::fflush(stdout);
    note(counts, v.hasSubwords(), sentences);
    return 0;
  });
}

}  // namespace wembed::cli
