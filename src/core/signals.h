#pragma once
// Internal to core: creating a temporary file registered for the signal
// handler (see removeTemporariesOnSignals in io.h).
#include <string>

namespace wembed {

// Creates a file from a mkstemp template with its name registered for the
// signal handler before the file exists: the template is registered first
// and filled in place, with the cleanup signals held back on this thread
// meanwhile, so there is no moment when the file exists unregistered.
// `path` must keep its buffer (not be modified) until it is unregistered.
// Returns the descriptor, or -1 with errno set.
int createRegistered(std::string& path);

}  // namespace wembed
