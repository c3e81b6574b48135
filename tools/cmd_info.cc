#include <chrono>
#include <cstdio>
#include <string>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

// Loads a vector file completely (every check the other commands make) and
// describes it; the load time is measured in-process, for benchmarks.
int cmdInfo(int argc, char** argv) {
  return guarded("info", [&]() {
    std::string path;
    VectorInput input;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("vectors", po::value(&path), "vector file (word2vec binary/text, GloVe, fastText .bin/.vec, native .wev, .npy; "
       "'-': standard input)");
    input.addTo(opts);
    po::positional_options_description pos;
    pos.add("vectors", 1);
    po::variables_map vm;
    if (!parse("info", "VECTORS [--format F] [--limit N]\n\nReads the file, checks it, and prints its format, size and load time.",
               argc, argv, opts, &pos, vm))
      return 0;
    path = input.path(path);
    if (path.empty()) throw Error("no vector file given");
    const bool detected = input.parsedFormat() == VectorFormat::kAuto;
    VectorFormat format = VectorFormat::kAuto;
    const auto t0 = std::chrono::steady_clock::now();
    const Vectors v = input.load(path, &format);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("file: %s\nformat: %s%s\nwords: %zu\ndimensions: %d\ncounts: %s\n", path.c_str(),
                toString(format).c_str(), detected ? " (detected)" : "", v.words.size(), v.matrix.cols(),
                v.counts.empty() ? "no" : "yes");
    if (v.subwords)
      std::printf("subwords: minn %d, maxn %d, bucket %lld\n", v.subwords->args.minn, v.subwords->args.maxn,
                  static_cast<long long>(v.subwords->args.bucket));
    std::printf("load seconds: %.3f\n", secs);
    return 0;
  });
}

}  // namespace wembed::cli
