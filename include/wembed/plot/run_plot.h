#pragma once
// A picture of a training run (`--plot-loss FILE.svg|.png`): the loss, on the
// left axis, and the learning rate, on a right axis, over the run in epochs;
// with scores (the classifier's dev accuracy), a second panel below with one
// marker per epoch. Points with a value that is not finite are left out and
// the title says how many.
#include <string>

#include "wembed/core/run_history.h"

namespace wembed {

struct RunPlotStyle {
  int width = 900;  // pixels (at least 300)
  int height = 0;   // pixels (at least 200); 0: 480, or 680 with a score panel
};

// Throws Error (one line) if path does not end in .svg or .png (any case) or
// cannot be written there: what a command checks before it trains.
void checkPlotPath(const std::string& path);

// The picture as a standalone SVG document.
std::string runHistorySvg(const RunHistory& h, const RunPlotStyle& style = {});

// Writes the picture atomically as SVG or PNG, by path's extension.
void plotRunHistory(const RunHistory& h, const std::string& path, const RunPlotStyle& style = {});

}  // namespace wembed
