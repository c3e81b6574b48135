#include <cstdio>
#include <string>

#include "cli_common.h"
#include "wembed/core/error.h"
#include "wembed/vectors/vectors.h"

namespace wembed::cli {

int cmdExport(int argc, char** argv) {
  return guarded("export", [&]() {
    std::string in, input, out_pos, output, format = "auto", output_format, input_format = "auto";
    int64_t limit = 0;
    bool quiet = false;
    po::options_description opts("options");
    opts.add_options()
      ("help,h", "show this help")
      ("in", po::value(&in), "vector file to read (format detected, or --input-format; '-': standard input)")
      ("input,i", po::value(&input), "the same as IN (the first positional argument)")
      ("output,o", po::value(&output), "file to write (a directory for tsv); also the second positional argument")
      ("out", po::value(&out_pos), "the same as --output")
      ("format", po::value(&format)->default_value("auto"),
       "output format: w2v-bin, w2v-txt, glove, native, tsv, npy, fasttext; auto: from OUT's extension "
       "(.bin, .txt/.vec, .wev, .npy; an existing directory or a name ending in '/': tsv)")
      ("output-format", po::value(&output_format), "the same as --format")
      ("input-format", po::value(&input_format)->default_value("auto"),
       "input format: auto (detected), w2v-bin, w2v-txt, glove, native, npy, fasttext")
      ("limit", po::value(&limit)->default_value(0), "convert only the first N rows (0: all)")
      ("quiet,q", po::bool_switch(&quiet), "print nothing on success");
    po::positional_options_description pos;
    pos.add("in", 1).add("out", 1);
    po::variables_map vm;
    if (!parse("export",
               "IN OUT [--format w2v-bin|w2v-txt|glove|native|tsv|npy|fasttext] [--input-format F] [--limit N]\n"
               "       (or: -i IN -o OUT)\n\n"
               "Converts a vector file. tsv writes OUT/vectors.tsv and OUT/metadata.tsv (for embedding\n"
               "projectors); npy writes OUT (a NumPy float32 matrix) and OUT's stem + .vocab.txt (the words,\n"
               "one per line); fasttext writes OUT (fastText's .bin model) and OUT's stem + .vec (the word\n"
               "vectors as word2vec text). A model's subwords (a fastText .bin, a native file written with\n"
               "them) are kept by native and fasttext; the others write the word vectors alone. Binary\n"
               "formats keep every float exactly; text formats print the shortest decimal that reads back\n"
               "to the same float, so they are exact too.",
               argc, argv, opts, &pos, vm))
      return 0;
    in = givenOnce("input", "IN", in, "-i", input);
    std::string out = givenOnce("output", "OUT", out_pos, "-o", output);
    if (in.empty() || out.empty()) throw Error("expected IN and OUT");
    checkRowLimit(limit);
    const VectorFormat f = outputFormat(out, parseFormat(output_format.empty() ? format : output_format));
    const VectorFormat fin = parseFormat(input_format);
    if (!canRead(fin)) throw Error("--input-format " + toString(fin) + ": wembed writes that format but does not read it");
    FilePlan plan;
    planVectorInput(plan, "IN", in);
    planVectorOutput(plan, "OUT", out, f);
    plan.check();
    const Vectors v = loadVectors(in, fin, limit);
    saveVectors(out, v, f);
    if (quiet) return 0;
    std::string files;
    for (const auto& p : outputPaths(out, f)) files += (files.empty() ? "" : " and ") + p;
    std::fprintf(stderr, "export: wrote %s (%s, %zu words, dim %d%s%s)\n", files.c_str(), toString(f).c_str(),
                 v.words.size(), v.matrix.cols(),
                 v.counts.empty() ? "" : keepsCounts(f) ? ", with counts" : "; the word counts are not kept by this format",
                 !v.subwords ? "" : keepsSubwords(f) ? ", with subwords" : "; the subwords are not kept by this format");
    return 0;
  });
}

}  // namespace wembed::cli
