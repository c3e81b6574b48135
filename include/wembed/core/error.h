#pragma once
#include <stdexcept>
#include <string>

namespace wembed {

// Every user-facing failure (bad file, bad flag, empty corpus, ...) is thrown
// as an Error whose message is one line; the front end prints it and exits 1.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg) : std::runtime_error(msg) {}
};

}  // namespace wembed
