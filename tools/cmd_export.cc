#include <sys/stat.h>

#include <cstdio>
#include <string>

#include "cli_common.h"
#include "wembed/word2vec/args.h"
#include "wembed/core/error.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

int cmdExport(int argc, char** argv) {
  return guarded("export", [&]() {
    std::string in, out, format = "auto", input_format = "auto";
    int64_t limit = 0;
    bool quiet = false;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("in", po::value(&in), "vector file to read (format detected, or --input-format)")
      ("out", po::value(&out), "file to write (a directory for tsv)")
      ("format", po::value(&format)->default_value("auto"),
       "output format: w2v-bin, w2v-txt, glove, native, tsv, npy; auto: from OUT's extension "
       "(.bin, .txt/.vec, .wev, .npy; an existing directory or a name ending in '/': tsv)")
      ("input-format", po::value(&input_format)->default_value("auto"),
       "input format: auto (detected), w2v-bin, w2v-txt, glove, native")
      ("limit", po::value(&limit)->default_value(0), "convert only the first N rows (0: all)")
      ("quiet,q", po::bool_switch(&quiet), "print nothing on success");
    po::positional_options_description pos;
    pos.add("in", 1).add("out", 1);
    po::variables_map vm;
    if (!parse("export",
               "IN OUT [--format w2v-bin|w2v-txt|glove|native|tsv|npy] [--limit N]\n\n"
               "Converts a vector file. tsv writes OUT/vectors.tsv and OUT/metadata.tsv (for embedding\n"
               "projectors); npy writes OUT (a NumPy float32 matrix) and OUT's stem + .vocab.txt (the words,\n"
               "one per line). Binary formats (w2v-bin, native, npy) keep every float exactly; text formats\n"
               "print the shortest decimal that reads back to the same float, so they are exact too.",
               argc, argv, opts, &pos, vm))
      return 0;
    if (in.empty() || out.empty()) throw Error("expected IN and OUT");
    if (limit < 0) throw Error("--limit must be 0 (all rows) or more");
    VectorFormat f = parseFormat(format);
    if (f == VectorFormat::kAuto) {
      struct stat st;
      if (out.back() == '/' || (::stat(out.c_str(), &st) == 0 && S_ISDIR(st.st_mode))) f = VectorFormat::kTsv;
      else f = formatFromPath(out);
    }
    VectorFormat fin = parseFormat(input_format);
    if (fin == VectorFormat::kTsv || fin == VectorFormat::kNpy)
      throw Error("--input-format " + toString(fin) + ": wembed writes that format but does not read it");
    while (f == VectorFormat::kTsv && out.size() > 1 && out.back() == '/') out.pop_back();
    {
      std::vector<std::pair<std::string, std::string>> outputs;
      for (const auto& p : outputPaths(out, f)) outputs.emplace_back("OUT", p);
      checkDistinctFiles(outputs, {in});
    }
    const Vectors v = loadVectors(in, fin, limit);
    saveVectors(out, v, f);
    if (!quiet) {
      std::string files;
      for (const auto& p : outputPaths(out, f)) files += (files.empty() ? "" : " and ") + p;
      const bool keeps = f == VectorFormat::kNative || f == VectorFormat::kTsv;
      std::fprintf(stderr, "export: wrote %s (%s, %zu words, dim %d%s)\n", files.c_str(), toString(f).c_str(),
                   v.words.size(), v.matrix.cols(),
                   v.counts.empty() ? "" : keeps ? ", with counts" : "; the word counts are not kept by this format");
    }
    return 0;
  });
}

}  // namespace wembed::cli
