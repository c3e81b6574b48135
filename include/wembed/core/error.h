#pragma once
#include <stdexcept>
#include <string>
#include <utility>

namespace wembed {

// Every user-facing failure (bad file, bad flag, empty corpus, ...) is thrown
// as an Error whose message is one line; the front end prints it and exits 1.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg) : std::runtime_error(msg) {}
};

// The one shape of a message about a file: "<what> 'path': <why>", or
// "<what> standard input: <why>" for "-" (see quotedName in io.h), e.g.
// fileError("cannot read", "a.txt", "it is a directory").
Error fileError(const std::string& what, const std::string& path, const std::string& why);
// fileError with why = strerror(errno), errno read on entry:
// sysError("cannot open", "a.txt") -> "cannot open 'a.txt': No such file or directory".
Error sysError(const std::string& what, const std::string& path);
// "<what>: strerror(errno)", for a failure that names no file.
Error sysError(const std::string& what);

// Runs f(); an Error it throws propagates as "<context>: <its message>" (one
// line still), e.g. withContext("cannot resume from 'run.ckpt'", [&] { ... }).
// Other exceptions pass unchanged.
template <class F>
decltype(auto) withContext(const std::string& context, F&& f) {
  try {
    return std::forward<F>(f)();
  } catch (const Error& e) {
    throw Error(context + ": " + e.what());
  }
}

}  // namespace wembed
