#pragma once
// Checks a run makes on its files before it starts (so that hours of work
// do not end in an error).
#include <string>
#include <utility>
#include <vector>

namespace wembed {

// Throws Error if two of the outputs ({flag, path}; empty paths ignored) are
// the same file, or an output is one of the inputs (its atomic replacement
// would destroy the input).
void checkDistinctFiles(const std::vector<std::pair<std::string, std::string>>& outputs,
                        const std::vector<std::string>& inputs);

// Throws unless dir (if given) is an existing directory (--tmp-dir).
void checkTmpDir(const std::string& dir);

}  // namespace wembed
