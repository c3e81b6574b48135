#include "phrases/count_table.h"

#include <cstring>
#include <functional>
#include <utility>

namespace wembed::phrases_detail {

namespace {
uint64_t hashOf(std::string_view key) { return std::hash<std::string_view>()(key); }
uint32_t tagOf(uint64_t h) { return static_cast<uint32_t>(h >> 32); }
}  // namespace

static_assert(sizeof(CountTable::Slot) == 24, "a slot is 24 bytes");

namespace {
}  // namespace

CountTable::CountTable() : slots_(1024, Slot{0, 0, 0, 0, 0, 0}), mask_(1023) {}

size_t CountTable::find(std::string_view k, uint64_t h) const {
  const uint32_t tag = tagOf(h);
  for (size_t i = h & mask_;; i = (i + 1) & mask_) {
    const Slot& s = slots_[i];
    if (s.count == 0) return i;
    if (s.tag == tag && s.len == k.size() && std::memcmp(arena_.data() + s.off, k.data(), k.size()) == 0) return i;
  }
}

int64_t CountTable::get(std::string_view k) const { return slots_[find(k, hashOf(k))].count; }

void CountTable::add(std::string_view k, int64_t n, size_t first_len, size_t last_len) {
  if (k.size() > kMaxKey || first_len > kMaxPart || last_len > kMaxPart) return;
  const uint64_t h = hashOf(k);
  Slot& s = slots_[find(k, h)];
  if (s.count == 0) {
    s.off = arena_.size();
    s.len = k.size();
    s.tag = tagOf(h);
    s.first = s.last = 0;
    arena_.insert(arena_.end(), k.begin(), k.end());
    ++size_;
  }
  s.count += n;
  if (first_len > 0 && s.first == 0) {
    s.first = static_cast<uint16_t>(first_len);
    s.last = static_cast<uint16_t>(last_len);
  }
  if (static_cast<size_t>(size_) * 10 > slots_.size() * 7) rehash(slots_.size() * 2);
}

void CountTable::prune(int64_t min) {
  size_t capacity = 1024;
  int64_t kept = 0;
  for (const Slot& s : slots_) kept += s.count >= min;
  while (static_cast<size_t>(kept) * 10 > capacity * 7) capacity *= 2;
  rebuild(capacity, min);
}

// The same entries in a table of `capacity` slots (the arena stays).
void CountTable::rehash(size_t capacity) {
  std::vector<Slot> old(capacity, Slot{0, 0, 0, 0, 0, 0});
  old.swap(slots_);
  mask_ = capacity - 1;
  for (const Slot& s : old) {
    if (s.count <= 0) continue;
    const std::string_view k = key(s);
    slots_[find(k, hashOf(k))] = s;
  }
}

// Moves the entries counted at least min times into a table of `capacity`
// slots and a new arena (which drops the keys of the entries left out).
void CountTable::rebuild(size_t capacity, int64_t min) {
  std::vector<Slot> old(capacity, Slot{0, 0, 0, 0, 0, 0});
  old.swap(slots_);
  std::vector<char> old_arena;
  old_arena.swap(arena_);
  size_t bytes = 0;
  for (const Slot& s : old)
    if (s.count >= min && s.count > 0) bytes += s.len;
  arena_.reserve(bytes + bytes / 4);
  mask_ = capacity - 1;
  size_ = 0;
  for (const Slot& s : old) {
    if (s.count <= 0 || s.count < min) continue;
    const std::string_view k(old_arena.data() + s.off, s.len);
    Slot& d = slots_[find(k, hashOf(k))];
    d = s;
    d.off = arena_.size();
    arena_.insert(arena_.end(), k.begin(), k.end());
    ++size_;
  }
}

}  // namespace wembed::phrases_detail
