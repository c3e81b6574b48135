#include "cli_common.h"

#include <omp.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <new>

#include "wembed/word2vec/args.h"
#include "wembed/core/error.h"
#include "wembed/distributed/comm.h"
#include "wembed/core/io.h"
#include "wembed/core/progress.h"
#include "wembed/core/range_check.h"
#include "wembed/core/threads.h"

namespace wembed::cli {

int guarded(const std::string& cmd, const std::function<int()>& body) {
  removeTemporariesOnSignals();  // Ctrl-C never leaves a spool or half-written output behind
  omp_set_num_threads(resolveThreads(0));  // OMP_NUM_THREADS above kMaxThreads: capped
  // mpirun stops the other ranks with SIGTERM when one ends early (killed,
  // crashed): rank 0 then says so in one line, as for every other failure.
  if (distributed::active() && distributed::reporting())
    setSignalNote("wembed " + cmd + ": error: the job was stopped: another rank ended early (killed or crashed) "
                  "or mpirun was interrupted; no output was written\n");
  std::string msg;
  auto kind = distributed::ErrorKind::kLocal;
  try {
    const int rc = body();
    setSignalNote("");  // done: a SIGTERM from now on is not another rank's failure
    // Results printed to a full disk or a closed pipe are an error, not a success.
    if (std::fflush(stdout) != 0) throw sysError("cannot write to standard output");
    if (std::ferror(stdout)) throw Error("cannot write to standard output");
    return rc;
  } catch (const po::error& e) {
    msg = std::string(e.what()) + " (see 'wembed " + cmd + " --help')";
  } catch (const std::bad_alloc&) {
    msg = "out of memory";
  } catch (const std::exception& e) {  // wembed::Error and the rest
    msg = e.what();
    kind = distributed::errorKind(e);
  }
  endProgressLine();
  // In a distributed run every rank stops; rank 0 says why (a rank that failed
  // alone first tells the others). mpirun may stop this rank meanwhile
  // (another one ended first): the reason stays the one given.
  setSignalNote("");
  if (distributed::leaveOnError(msg, kind)) std::fprintf(stderr, "wembed %s: error: %s\n", cmd.c_str(), msg.c_str());
  std::fflush(stderr);
  distributed::reportedError();
  return 1;
}

bool parse(const std::string& cmd, const std::string& usage, int argc, char** argv,
           const po::options_description& opts, const po::positional_options_description* pos,
           po::variables_map& vm) {
  po::command_line_parser p(argc, argv);
  p.options(opts);
  if (pos) p.positional(*pos);
  po::store(p.run(), vm);
  if (vm.count("help")) {
    std::cout << "usage: wembed " << cmd << " " << usage << "\n\n" << opts << std::endl;
    return false;
  }
  po::notify(vm);
  // An empty file name (--output "") is a mistake, never "not given".
  for (const auto& [name, value] : vm) {
    if (value.defaulted()) continue;
    bool empty = false;
    if (const auto* str = boost::any_cast<std::string>(&value.value())) empty = str->empty();
    if (const auto* list = boost::any_cast<std::vector<std::string>>(&value.value()))
      for (const auto& x : *list) empty |= x.empty();
    if (empty) throw Error("empty file name or value for --" + name);
    // Every command's --threads and --seed, by one rule each (a million threads would crash OpenMP).
    if (const auto* threads = boost::any_cast<int>(&value.value()); threads && name == "threads") resolveThreads(*threads);
    if (const auto* seed = boost::any_cast<int64_t>(&value.value()); seed && name == "seed")
      checkRange("--seed", *seed, Range::atLeast(0));
  }
  return true;
}

int checkThreads(int threads) {
  resolveThreads(threads);  // the one rule
  return threads;
}

std::string givenOnce(const std::string& what, const std::string& name, const std::string& positional,
                      const std::string& flag, const std::string& option) {
  if (!positional.empty() && !option.empty() && positional != option)
    throw Error("two " + what + "s given (" + quote(positional) + " and " + flag + " " + quote(option) + "): give " +
                name + " once");
  return option.empty() ? positional : option;
}

void VectorInput::addTo(po::options_description& opts) {
  opts.add_options()
    ("input,i", po::value(&input), "the vector file (the same as VECTORS)")
    ("format", po::value(&format)->default_value("auto"),
     "vector file format: auto (detected), w2v-bin, w2v-txt (also fastText .vec), glove, native, npy, "
     "fasttext (fastText's .bin model: every word gets a vector); "
     "'-' reads standard input, gzip-compressed files are read directly")
    ("input-format", po::value(&input_format), "the same as --format")
    ("limit", po::value(&limit)->default_value(0), "read only the first N rows (0: all), as gensim's limit=");
}

std::string VectorInput::path(const std::string& positional) const {
  return givenOnce("input", "VECTORS", positional, "-i", input);
}

VectorFormat VectorInput::parsedFormat() const {
  checkRowLimit(limit);
  return parseFormat(input_format.empty() ? format : input_format);
}

Vectors VectorInput::load(const std::string& path, VectorFormat* format_read) const {
  return loadVectors(path, parsedFormat(), limit, format_read);
}

VectorIndex VectorInput::loadIndex(const std::string& path) const {
  return VectorIndex::load(path, parsedFormat(), limit);
}

void QueryInput::addTo(po::options_description& opts, po::positional_options_description& pos, const char* words_help,
                       const char* k_help) {
  opts.add_options()
    ("vectors", po::value(&path), "vector file (word2vec binary/text, GloVe, fastText .bin/.vec, native .wev, .npy)")
    ("words", po::value(&words)->multitoken(), words_help)
    ("k,k", po::value(&args.k)->default_value(10), k_help)
    ("restrict", po::value(&args.restrict)->default_value(0), "answers only among the N most frequent words (0: all)");
  input.addTo(opts);
  pos.add("vectors", 1).add("words", -1);
}

void QueryInput::run() const {
  // With -i/--input every positional argument is a word.
  std::vector<std::string> query = words;
  if (!input.input.empty() && !path.empty()) query.insert(query.begin(), path);
  const std::string& file = input.input.empty() ? path : input.input;
  if (file.empty()) throw Error("no vector file given");
  checkQueryArgs(args, query);
  const VectorIndex index = input.loadIndex(file);
  QueryRunner(index, args).serve(query, std::cin, stdout, stderr);
}

}  // namespace wembed::cli
