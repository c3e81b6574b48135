#pragma once
#include <stdexcept>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

namespace wembed {

// Every user-facing failure (bad file, bad flag, empty corpus, ...) is thrown
// as an Error whose message is one line; the front end prints it and exits 1.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg) : std::runtime_error(msg) {}
};

// User data (a word, a path, a header field) as a message shows it: in single
// quotes, printable and short, whatever the input holds. Control characters,
// NUL, DEL, terminal escapes (ESC, the C1 controls) and bytes that are not
// UTF-8 become escapes (\n, \t, \r, \\, \xHH); valid UTF-8 text is kept. Past
// max characters the text is cut (never inside a character or an escape) and
// its size told: quote("a\nb") -> 'a\nb'; a 60 KB word -> 'xxx...' (61440 bytes).
// (Not "quoted": std::quoted would win overload resolution for a std::string.)
std::string quote(std::string_view s, size_t max = 80);

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
