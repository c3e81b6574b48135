#pragma once
// The plot command as one call: words chosen from a vector file, projected
// to 2-D (PCA or exact t-SNE), laid out and drawn as SVG or PNG.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wembed/core/io.h"
#include "wembed/plot/plot.h"
#include "wembed/plot/projection.h"
#include "wembed/vectors/format.h"
#include "wembed/vectors/vectors.h"

namespace wembed {

// Beyond this a map is a blot of labels (and the label placement gets slow).
constexpr int64_t kMaxMapWords = 10000;

struct PlotArgs {
  std::string vectors;                        // vector file
  VectorFormat format = VectorFormat::kAuto;  // of the vector file
  int64_t limit = 0;                          // read only its first N rows (0: all)
  std::vector<std::string> words;             // the words to show (a repeated one once), or
  int64_t top = 0;                            // the first N words, '</s>' skipped (words empty)
  std::string output;                         // the picture: .svg or .png
  bool use_tsne = false;                      // exact t-SNE, else PCA
  TsneArgs tsne;                              // t-SNE's arguments; tsne.metric for both methods
  MapStyle style;
  std::string title;                          // "": the method and the file's name
  bool progress = true;                       // t-SNE's progress line on stderr
  std::function<void(const std::string&)> warning;  // told which words are left out; may be empty
};

struct PlotSummary {
  int width = 0, height = 0;  // of the picture, px
  std::string subtitle;       // words, metric and the projection's numbers
  int64_t overlapping = 0;    // labels that overlap another
};

// Checks the arguments (Error naming the option), loads the vectors, picks
// the words (by WordIndex: gensim's duplicate-word rule), projects them, lays
// the map out and writes it into `picture` as args.output; the caller
// commits it (after reporting, so that a failed report leaves no picture).
PlotSummary plotVectors(const PlotArgs& args, PendingFiles& picture);
// The same for vectors already loaded (args.vectors names them in messages
// and the title). With a model's subwords, a word asked for that is not in
// the vocabulary is composed from its n-grams, labelled with a '*' and told
// to args.warning; the subtitle counts them.
PlotSummary plotVectors(const PlotArgs& args, Vectors vectors, PendingFiles& picture);

}  // namespace wembed
