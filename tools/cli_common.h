#pragma once
#include <boost/program_options.hpp>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "wembed/core/output_check.h"  // FilePlan
#include "wembed/vectors/index.h"
#include "wembed/vectors/query.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

namespace po = boost::program_options;

// Runs a subcommand body, turning every exception into one line on stderr
// ("wembed CMD: error: ...") and exit status 1.
int guarded(const std::string& cmd, const std::function<int()>& body);

// Parses argv into vm; returns false if --help was given (help already printed).
bool parse(const std::string& cmd, const std::string& usage, int argc, char** argv,
           const po::options_description& opts, const po::positional_options_description* pos,
           po::variables_map& vm);

// --threads: 0 (all cores) .. 1024; returns it, throws Error otherwise.
int checkThreads(int threads);

// A file named positionally (or by an old option) or by an option (VECTORS or
// -i, OUT or -o): the one given; both is an error unless they agree. `what`
// names it in the message ("input", "output"), as does `name` ("VECTORS").
std::string givenOnce(const std::string& what, const std::string& name, const std::string& positional,
                      const std::string& flag, const std::string& option);

// -i/--input (the vector file, also positional), --format (also --input-format)
// and --limit, for every command that reads a vector file.
struct VectorInput {
  std::string input;  // -i/--input, if given
  std::string format = "auto";
  std::string input_format;  // --input-format, if given
  int64_t limit = 0;
  void addTo(po::options_description& opts);
  // The vector file: -i/--input or the positional VECTORS (once).
  std::string path(const std::string& positional) const;
  VectorFormat parsedFormat() const;  // validates --format and --limit
  Vectors load(const std::string& path, VectorFormat* format_read = nullptr) const;
  // For commands that query the vectors: a file that holds no vectors
  // (header "0 D") is an error naming the file.
  VectorIndex loadIndex(const std::string& path) const;
};

// What the query commands (neighbors, analogy) share: the vector file and
// the words (positional), -k, --restrict and VectorInput's options.
struct QueryInput {
  std::string path;
  std::vector<std::string> words;
  QueryArgs args;
  VectorInput input;
  void addTo(po::options_description& opts, po::positional_options_description& pos, const char* words_help,
             const char* k_help);
  // Checks the options, loads the vectors (VECTORS, or -i/--input: then
  // every positional argument is a word) and answers the words, or the
  // prompt's queries when there are none.
  void run() const;
};

int cmdTrain(int argc, char** argv);
int cmdVocab(int argc, char** argv);
int cmdPhrases(int argc, char** argv);
int cmdNeighbors(int argc, char** argv);
int cmdEval(int argc, char** argv);
int cmdAnalogy(int argc, char** argv);
int cmdPlot(int argc, char** argv);
int cmdExport(int argc, char** argv);
int cmdInfo(int argc, char** argv);
int cmdVectors(int argc, char** argv);
int cmdSentiment(int argc, char** argv);

}  // namespace wembed::cli
