#pragma once
// The phrase counter's table: string keys (words and joined pairs) to counts,
// open addressing with the keys in one byte arena: 24 bytes a slot (at most
// 70% full) plus the key's bytes. A pair's entry also keeps where its first
// and its last word end and start (the words it is scored with).
#include <cstdint>
#include <string_view>
#include <vector>

namespace wembed::phrases_detail {

class CountTable {
 public:
  // Longest key and longest word of a pair kept; longer ones are not counted.
  static constexpr size_t kMaxKey = (1u << 24) - 1, kMaxPart = 0xffff;
  CountTable();
  // Adds n to key's count; first_len and last_len (both > 0) mark a pair:
  // its first word is key[0, first_len), its last key[size - last_len, size).
  void add(std::string_view key, int64_t n = 1, size_t first_len = 0, size_t last_len = 0);
  int64_t get(std::string_view key) const;
  bool contains(std::string_view key) const { return get(key) > 0; }
  int64_t size() const { return size_; }
  // Drops every entry counted fewer than min times (gensim's prune_vocab).
  void prune(int64_t min);
  // f(key, count, first_len, last_len) for every entry (lengths 0: not a pair).
  template <class F>
  void forEach(F&& f) const {
    for (const Slot& s : slots_)
      if (s.count > 0) f(key(s), s.count, size_t{s.first}, size_t{s.last});
  }

  struct Slot {  // public for the size check in count_table.cc
    uint64_t off : 40;
    uint64_t len : 24;
    uint32_t tag;
    uint16_t first, last;
    int64_t count;  // 0: empty
  };

 private:
  std::string_view key(const Slot& s) const { return std::string_view(arena_.data() + s.off, s.len); }
  size_t find(std::string_view key, uint64_t h) const;
  void rehash(size_t capacity);
  void rebuild(size_t capacity, int64_t min);
  std::vector<Slot> slots_;
  std::vector<char> arena_;
  size_t mask_ = 0;
  int64_t size_ = 0;
};

}  // namespace wembed::phrases_detail
