#pragma once
// Private to the trainers: a rank's part of a distributed checkpoint as
// bytes for allgather (fixed-size values appended, then taken back in order).
#include <cstring>
#include <string>

#include "wembed/core/error.h"

namespace wembed::distributed {

template <class T>
void put(std::string& s, T v) {
  s.append(reinterpret_cast<const char*>(&v), sizeof v);
}

// The value at `at` (advanced past it); Error if the message ends first.
template <class T>
T take(const std::string& s, size_t& at) {
  T v;
  if (at + sizeof v > s.size()) throw Error("MPI: a checkpoint message was cut short");
  std::memcpy(&v, s.data() + at, sizeof v);
  at += sizeof v;
  return v;
}

}  // namespace wembed::distributed
