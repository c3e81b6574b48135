#pragma once
// Labelled text for the sentiment classifier: reading TSV files (plain, .gz
// or .xz), cleaning text into the embedding corpus's words, and mapping words
// to rows of the embedding table.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace wembed {

// The whole content of a file: plain, gzip (*.gz), xz (*.xz) or stdin ("-").
// Throws Error naming the file on missing, unreadable or corrupt input.
std::string readWholeFile(const std::string& path);

// The longest line of sentiment data or texts to classify: the readers go
// line by line, and a longer line (no text file of the kind) is an error.
constexpr size_t kMaxTextLine = size_t(16) << 20;

// Splits text into words the way the embedding corpus was cleaned (the data
// kit's MANIFEST): HTML entities decoded; accented Latin letters folded to
// ASCII (é -> e, ß -> ss, æ -> ae, œ -> oe, ø -> o, ł -> l, þ -> th, ð -> d);
// lower-cased; every digit a word of its own, spelled out (1984 -> one nine
// eight four); everything else (punctuation, apostrophes, symbols, other
// scripts, invalid UTF-8) separates words. So "Don't" -> don t, "10/10" -> one
// zero one zero.
class TextCleaner {
 public:
  explicit TextCleaner(std::string_view text) : s_(text) {}
  // Next word (valid until the next call), or false at the end.
  bool next(std::string_view& word);

 private:
  // Appends the cleaned form of code point cp; returns false if it separates words.
  bool emitLetters(uint32_t cp);
  std::string_view s_;
  size_t pos_ = 0;
  std::string word_;
  const char* pending_ = nullptr;  // a spelled-out digit to return next
};

std::vector<std::string> cleanWords(std::string_view text);

// Row of a labelled TSV file; label is -1 when the file has no label column.
struct LabeledText {
  std::string text;
  int label = -1;
};

// Reads a tab-separated file with a header line. The text column is
// text_column, or when empty the first of "sentence", "text"; the label column
// (values 0 or 1) is label_column. Missing label column: an error if
// labels_required, else every label is -1. Errors name the file and line.
std::vector<LabeledText> readLabeledTsv(const std::string& path, const std::string& text_column,
                                        const std::string& label_column, bool labels_required);

// Words -> rows of the embedding table: word i of the list is row i + 1, row 0
// is the shared unknown-word vector.
class Vocabulary {
 public:
  Vocabulary() = default;
  explicit Vocabulary(std::vector<std::string> words);  // throws Error on a repeated word
  int32_t find(std::string_view word) const;            // 0 when unknown
  int32_t size() const { return static_cast<int32_t>(words_.size()); }  // without the unknown row
  const std::vector<std::string>& words() const { return words_; }
  // Cleans text and maps its first max_len words (0: all). Text without any
  // word becomes one unknown token, so every sequence has length >= 1.
  // unknown (if given) is incremented by the number of unknown words.
  std::vector<int32_t> encode(std::string_view text, int max_len, int64_t* unknown = nullptr,
                              int64_t* total = nullptr) const;

 private:
  std::vector<std::string> words_;
  std::vector<int32_t> slots_;  // open addressing: index into words_ or -1
  size_t mask_ = 0;
};

}  // namespace wembed
