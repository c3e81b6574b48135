// One libFuzzer binary per target: built as fuzz_<name> with
// WEMBED_FUZZ_TARGET="<name>" (fuzz/CMakeLists.txt); the bodies are in
// fuzz_targets.h.
#include <cstdlib>
#include <cstring>

#include "fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto run = [] {
    for (const auto& t : wembed::fuzz::targets())
      if (std::strcmp(t.name, WEMBED_FUZZ_TARGET) == 0) return t.run;
    std::abort();
  }();
  return run(data, size);
}
