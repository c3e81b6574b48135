// wembed::Error -> wembed.Error (a ValueError: the argument or the file was
// bad), with the CLI's one-line message; a file that does not exist ->
// FileNotFoundError, as Python's open() raises. Nothing else is caught here:
// pybind11 turns std::bad_alloc into MemoryError and other std::exceptions
// into RuntimeError, so no C++ exception reaches the interpreter unhandled.
#include <cstring>
#include <cerrno>

#include "bindings.h"
#include "wembed/core/error.h"

namespace wembed::py {

void bindErrors(pyb::module_& m) {
  static pyb::exception<Error> error(m, "Error", PyExc_ValueError);
  error.doc() = "A wembed failure: a bad argument, an unreadable or malformed file (the CLI's one-line message).";
  pyb::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const Error& e) {
      // The library's file messages end in strerror(errno): "cannot open 'x': No such file or directory".
      const std::string msg = e.what(), missing = std::strerror(ENOENT);
      if (msg.size() >= missing.size() && msg.compare(msg.size() - missing.size(), missing.size(), missing) == 0) {
        PyErr_SetString(PyExc_FileNotFoundError, e.what());
        return;
      }
      error(e.what());
    }
  });
}

}  // namespace wembed::py
