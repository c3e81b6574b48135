// Replays every input kept in fuzz/regressions/<target>/ (inputs that once
// crashed a fuzz target or broke one of its invariants) and every seed in
// fuzz/corpus/<target>/ through the same target bodies the fuzzers run
// (fuzz/fuzz_targets.h), in the normal and the sanitizer builds.
#include <doctest/doctest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

// A broken invariant fails the test instead of aborting the test binary.
#define FUZZ_FAIL(msg) throw std::logic_error(std::string("fuzz invariant: ") + (msg))
#include "../fuzz/fuzz_targets.h"
#include "test_util.h"

namespace fs = std::filesystem;

namespace {
int replay(const std::string& kind) {
  int n = 0;
  for (const auto& t : wembed::fuzz::targets()) {
    const fs::path dir = fs::path(WEMBED_SOURCE_DIR) / "fuzz" / kind / t.name;
    if (!fs::is_directory(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      INFO("target " << t.name << ", input " << e.path().string());
      const std::string bytes = testutil::readFile(e.path().string());
      CHECK_NOTHROW(t.run(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
      ++n;
    }
  }
  return n;
}
}  // namespace

TEST_CASE("fuzz regressions: every saved crashing input runs cleanly through its target") {
  const int n = replay("regressions");
  MESSAGE(n << " regression inputs replayed");
}

TEST_CASE("fuzz regressions: every seed runs cleanly through its target") {
  CHECK(replay("corpus") > 0);
}

TEST_CASE("fuzz regressions: the invariants do catch a broken round trip") {
  // Sanity of the harness: a tokenizer input whose reference differs would throw.
  const std::string ok = "\x03\x11the cat\nsat";
  CHECK_NOTHROW(wembed::fuzz::fuzzTokenizer(reinterpret_cast<const uint8_t*>(ok.data()), ok.size()));
  CHECK_THROWS_AS(FUZZ_CHECK(1 + 1 == 3), std::logic_error);
}
