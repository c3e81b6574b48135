#include "wembed/vectors.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "wembed/error.h"
#include "wembed/io.h"
#include "wembed/tokenizer.h"

namespace wembed {

void saveWord2vec(const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                  bool binary) {
  AtomicFile f(path);
  const int d = m.cols();
  f.puts(std::to_string(words.size()) + " " + std::to_string(d) + "\n");
  std::string line;
  char num[32];
  for (size_t i = 0; i < words.size(); ++i) {
    const float* r = m.row(static_cast<int64_t>(i));
    line.assign(words[i]);
    if (binary) {
      line.push_back(' ');
      line.append(reinterpret_cast<const char*>(r), sizeof(float) * d);
    } else {
      for (int j = 0; j < d; ++j) {
        line.push_back(' ');
        auto res = std::to_chars(num, num + sizeof(num), r[j]);
        line.append(num, res.ptr);
      }
    }
    line.push_back('\n');
    f.puts(line);
  }
  f.commit();
}

namespace {

struct FileCloser {
  void operator()(FILE* f) const {
    if (f) std::fclose(f);
  }
};

[[noreturn]] void bad(const std::string& path, const std::string& what) {
  throw Error("bad vector file '" + path + "': " + what);
}

bool readLine(FILE* f, std::string& line) {
  line.clear();
  int c;
  while ((c = std::getc(f)) != EOF) {
    if (c == '\n') return true;
    line.push_back(static_cast<char>(c));
  }
  return !line.empty();
}

bool parseFloat(const char*& p, const char* end, float& out) {
  while (p < end && isSpace(static_cast<unsigned char>(*p))) ++p;
  if (p == end) return false;
  char* e = nullptr;
  // strtof needs a terminated string; the line buffer is terminated by std::string.
  out = std::strtof(p, &e);
  if (e == p || (e < end && !isSpace(static_cast<unsigned char>(*e)))) return false;
  p = e;
  return true;
}

// For a line "word n1 n2 ...": how many numbers follow the word, or -1 if
// anything else does.
int numbersAfterWord(const std::string& line) {
  const char* p = line.c_str();
  const char* end = p + line.size();
  while (p < end && !isSpace(static_cast<unsigned char>(*p))) ++p;
  int n = 0;
  float v;
  while (parseFloat(p, end, v)) ++n;
  while (p < end && isSpace(static_cast<unsigned char>(*p))) ++p;
  return p == end ? n : -1;
}

}  // namespace

Vectors loadWord2vec(const std::string& path, VectorFormat format) {
  uint64_t fsize = regularFileSize(path);
  std::unique_ptr<FILE, FileCloser> fp(std::fopen(path.c_str(), "rb"));
  if (!fp) throw Error("cannot open '" + path + "': " + std::strerror(errno));
  FILE* f = fp.get();
  if (fsize == 0) bad(path, "the file is empty");
  std::string line;
  if (!readLine(f, line)) bad(path, "missing header");
  long long rows = -1, cols = -1;
  char extra = 0;
  if (std::sscanf(line.c_str(), "%lld %lld %c", &rows, &cols, &extra) != 2 || rows < 0 || cols <= 0 ||
      cols > 100000)
    bad(path, "line 1 is not a 'rows dims' header");
  // Each value takes at least 2 bytes (text "0 ", binary 4): refuse a header
  // that promises more than the file holds before allocating the matrix.
  if (static_cast<unsigned long long>(rows) > fsize / 2 ||
      static_cast<unsigned long long>(rows) * static_cast<unsigned long long>(cols) > fsize / 2)
    bad(path, "header says " + std::to_string(rows) + " rows of " + std::to_string(cols) +
                  " numbers, more than the file can hold");
  const int d = static_cast<int>(cols);

  long data_start = std::ftell(f);
  if (format == VectorFormat::kAuto) {
    // Text if the first row is "word" followed by exactly d numbers on one line.
    // A first row of only numbers but the wrong count is a malformed text file
    // (reported by the text reader) rather than binary data, if the next line
    // also reads as "word numbers" or there is no next line; otherwise the
    // binary reader would silently turn the text into garbage floats.
    format = VectorFormat::kWord2vecBinary;
    std::string first, second;
    if (readLine(f, first)) {
      const int n = numbersAfterWord(first);
      if (n == d || (n >= 1 && (!readLine(f, second) || numbersAfterWord(second) >= 1)))
        format = VectorFormat::kWord2vecText;
    }
    std::fseek(f, data_start, SEEK_SET);
  }

  Vectors v;
  v.matrix = Matrix(rows, d);
  v.words.reserve(rows);
  if (format == VectorFormat::kWord2vecText) {
    for (long long r = 0; r < rows; ++r) {
      const std::string where = "line " + std::to_string(r + 2);
      if (!readLine(f, line)) bad(path, "header says " + std::to_string(rows) + " rows but the file ends after " + std::to_string(r));
      if (!line.empty() && line.back() == '\r') line.pop_back();
      const char* p = line.c_str();
      const char* end = p + line.size();
      const char* w = p;
      while (p < end && !isSpace(static_cast<unsigned char>(*p))) ++p;
      if (p == w) bad(path, where + " has no word");
      v.words.emplace_back(w, p);
      float* row = v.matrix.row(r);
      for (int j = 0; j < d; ++j)
        if (!parseFloat(p, end, row[j]))
          bad(path, where + " ('" + v.words.back() + "') has " + std::to_string(j) + " numbers, expected " + std::to_string(d));
      while (p < end && isSpace(static_cast<unsigned char>(*p))) ++p;
      if (p != end) bad(path, where + " ('" + v.words.back() + "') has more than " + std::to_string(d) + " numbers");
    }
  } else {
    std::string word;
    for (long long r = 0; r < rows; ++r) {
      const std::string where = "row " + std::to_string(r + 1);
      word.clear();
      int c;
      while ((c = std::getc(f)) != EOF && (c == '\n' || c == '\r')) {}
      while (c != EOF && c != ' ') {
        word.push_back(static_cast<char>(c));
        if (word.size() > 10000) bad(path, where + ": word longer than 10000 bytes (not a word2vec binary file?)");
        c = std::getc(f);
      }
      if (c == EOF) bad(path, "header says " + std::to_string(rows) + " rows but the file ends in " + where);
      if (word.empty()) bad(path, where + " has no word");
      float* row = v.matrix.row(r);
      if (std::fread(row, sizeof(float), d, f) != static_cast<size_t>(d))
        bad(path, "the file ends in the middle of " + where + " ('" + word + "')");
      v.words.push_back(word);
    }
  }
  return v;
}

}  // namespace wembed
