#include "cli_common.h"

#include <cstdio>
#include <iostream>
#include <new>

#include "wembed/args.h"
#include "wembed/error.h"
#include "wembed/progress.h"

namespace wembed::cli {

int guarded(const std::string& cmd, const std::function<int()>& body) {
  std::string msg;
  try {
    return body();
  } catch (const po::error& e) {
    msg = std::string(e.what()) + " (see 'wembed " + cmd + " --help')";
  } catch (const std::bad_alloc&) {
    msg = "out of memory";
  } catch (const std::exception& e) {  // wembed::Error and the rest
    msg = e.what();
  }
  endProgressLine();
  std::fprintf(stderr, "wembed %s: error: %s\n", cmd.c_str(), msg.c_str());
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
  return true;
}

void VectorInput::addTo(po::options_description& opts) {
  opts.add_options()
    ("format", po::value(&format)->default_value("auto"),
     "vector file format: auto (detected), w2v-bin, w2v-txt (also fastText .vec), glove, native")
    ("limit", po::value(&limit)->default_value(0), "read only the first N rows (0: all), as gensim's limit=");
}

Vectors VectorInput::load(const std::string& path) const {
  if (limit < 0) throw Error("--limit must be 0 (all rows) or more");
  return loadVectors(path, parseFormat(format), limit);
}

}  // namespace wembed::cli
