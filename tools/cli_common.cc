#include "cli_common.h"

#include <cstdio>
#include <iostream>
#include <new>

#include "wembed/error.h"

namespace wembed::cli {

int guarded(const std::string& cmd, const std::function<int()>& body) {
  try {
    return body();
  } catch (const po::error& e) {
    std::fprintf(stderr, "\nwembed %s: error: %s (see 'wembed %s --help')\n", cmd.c_str(), e.what(), cmd.c_str());
  } catch (const Error& e) {
    std::fprintf(stderr, "\nwembed %s: error: %s\n", cmd.c_str(), e.what());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "\nwembed %s: error: out of memory\n", cmd.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "\nwembed %s: error: %s\n", cmd.c_str(), e.what());
  }
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

}  // namespace wembed::cli
