// Loading and saving vector files: every call goes through the format table
// (src/vectors/formats/table.h).
#include "wembed/vectors/vectors.h"

#include <cmath>

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <fstream>

#include "formats/common.h"
#include "formats/source.h"
#include "formats/table.h"
#include "wembed/core/error.h"
#include "wembed/core/range_check.h"

namespace wembed {

namespace {

using formats::FormatSpec;

std::string readableNames() {
  std::string s;
  std::vector<std::string> names;
  for (const FormatSpec* f : formats::formatTable())
    if (f->read) names.push_back(f->name);
  for (size_t i = 0; i < names.size(); ++i) s += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
  return s;
}

std::string charName(char c) {
  switch (c) {
    case ' ': return "a space";
    case '\t': return "a tab";
    case '\n': return "a newline";
    case '\r': return "a carriage return";
    case '\v': return "a vertical tab";
    case '\f': return "a form feed";
  }
  return quote(std::string_view(&c, 1));
}

// Every word must be representable in the format (and read back the same).
void checkWords(const std::string& path, const std::vector<std::string>& words, const FormatSpec& f) {
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    const auto where = [&] { return "cannot write " + quotedName(path) + " as " + f.name + ": row " + std::to_string(i + 1); };
    if (w.size() > 0xFFFFFFFFu) throw Error(where() + ": word longer than 4 GB");
    if (w.empty() && !f.empty_words) throw Error(where() + " has an empty word");
    if (f.forbidden) {
      const size_t k = w.find_first_of(f.forbidden);
      if (k != std::string::npos)
        throw Error(where() + "'s word " + formats::shown(w) + " contains " + charName(w[k]) +
                    ", which the format uses as a separator (the native format keeps any word)");
    }
  }
  // A GloVe file starts with its first word, and readers drop a UTF-8
  // byte-order mark there: such a word would not read back.
  if (f.id == VectorFormat::kGlove && !words.empty() && words[0].compare(0, 3, "\xEF\xBB\xBF") == 0)
    throw Error("cannot write " + quotedName(path) + " as " + f.name + ": its first word " + formats::shown(words[0]) +
                " starts with a byte-order mark, which readers drop at the start of a file (the native format keeps any word)");
}

// NaN and infinities are never written: the readers refuse them.
void checkFinite(const std::string& path, const std::vector<std::string>& words, const Matrix& m) {
  const int64_t rows = m.rows();
  int64_t bad_row = rows;
#pragma omp parallel for schedule(static) reduction(min : bad_row)
  for (int64_t r = 0; r < rows; ++r)
    if (!formats::allFinite(m.row(r), m.cols())) bad_row = std::min(bad_row, r);
  if (bad_row < rows)
    throw Error("cannot write " + quotedName(path) + ": the vector of " + formats::shown(words[static_cast<size_t>(bad_row)]) +
                " (row " + std::to_string(bad_row + 1) +
                ") holds NaN or Inf (did the training diverge? try a smaller --alpha)");
}

// A model's subwords, for a format that writes them: the own rows match the
// words and the matrix, the n-gram rows the bucket count; no NaN or Inf.
void checkSubwords(const std::string& path, const std::vector<std::string>& words, const Matrix& m, const Subwords& s) {
  const auto fail = [&](const std::string& what) { throw Error("cannot write " + quotedName(path) + ": " + what); };
  if (s.own.rows() != m.rows() || s.own.cols() != m.cols())
    fail("the model's subwords hold " + std::to_string(s.own.rows()) + " x " + std::to_string(s.own.cols()) +
         " own word rows for " + std::to_string(m.rows()) + " x " + std::to_string(m.cols()) + " vectors");
  if (s.buckets.rows() != s.args.bucket || (s.buckets.rows() > 0 && s.buckets.cols() != m.cols()))
    fail("the model's subwords hold " + std::to_string(s.buckets.rows()) + " n-gram rows of " +
         std::to_string(s.buckets.cols()) + " dimensions for " + std::to_string(s.args.bucket) + " buckets of " +
         std::to_string(m.cols()));
  checkFinite(path, words, s.own);
  for (int64_t r = 0; r < s.buckets.rows(); ++r)
    if (!formats::allFinite(s.buckets.row(r), s.buckets.cols()))
      fail("n-gram row " + std::to_string(r + 1) + " holds NaN or Inf (did the training diverge? try a smaller --alpha)");
}

// Whether loadVectors would read path as a .npy matrix: its name (before
// .gz/.xz) ends in .npy, or it is a plain file that starts with the magic
// number (a pipe is not opened: that would lose what it holds).
bool holdsNpy(const std::string& path, const std::string& inner) {
  const FormatSpec& npy = formats::npyFormat();
  const std::string& ext = npy.extensions.front();
  if (inner.size() > ext.size() && inner.compare(inner.size() - ext.size(), ext.size(), ext) == 0) return true;
  struct stat st;
  if (isCompressedPath(path) || ::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  std::ifstream f(path, std::ios::binary);
  std::string head(npy.magic.size(), '\0');
  return f.read(head.data(), static_cast<std::streamsize>(head.size())) && head == npy.magic;
}

}  // namespace

void checkVectorFile(const std::string& path) { checkReadable(path); }

void checkRowLimit(int64_t limit) { checkRange("--limit", limit, Range::closed(0, 1e9).orZero("all rows")); }

void checkWordRestrict(const char* flag, int64_t restrict) {
  checkRange(flag, restrict, Range::closed(0, 1e9).orZero("all words"));
}

VectorFormat detectVectorFormat(const std::string& path) {
  const formats::VectorSource src(path, false);
  return formats::detectFormat(src).id;
}

Vectors loadVectors(const std::string& path, VectorFormat format, int64_t limit, VectorFormat* format_read) {
  checkRowLimit(limit);
  if (!canRead(format))
    throw Error("cannot read " + quotedName(path) + " as " + toString(format) +
                ": wembed writes that format (export) but reads only " + readableNames());
  const formats::VectorSource src(path, /*populate=*/limit == 0);
  if (format != VectorFormat::kAuto) {
    if (src.size() == 0) formats::bad(path, "the file is empty");
    formats::refuseForeign(src);
    formats::refuseFastText(src, formats::formatSpec(format));
  }
  const FormatSpec& f = format == VectorFormat::kAuto ? formats::detectFormat(src) : formats::formatSpec(format);
  if (format_read) *format_read = f.id;
  return f.read(src, limit);
}

std::vector<std::string> outputPaths(const std::string& path, VectorFormat format) {
  const FormatSpec& f = formats::formatSpec(format == VectorFormat::kAuto ? formatFromPath(path) : format);
  return f.outputs ? f.outputs(path) : std::vector<std::string>{path};
}

void planVectorOutput(FilePlan& plan, const std::string& flag, const std::string& path, VectorFormat format) {
  if (path.empty()) return;
  std::vector<std::string> paths{path};
  try {
    paths = outputPaths(path, format);
  } catch (const Error&) {  // no format: the caller says so when it needs one, after the plan's check
  }
  for (const auto& p : paths) plan.writeBeside(flag, path, p);
}

void planVectorInput(FilePlan& plan, const std::string& flag, const std::string& path) {
  plan.read(flag, path);
  if (path.empty() || isStdinPath(path)) return;
  // The name the npy reader takes its word list's name from (m.npy.gz: m.vocab.txt or m.vocab.txt.gz).
  const std::string inner = isCompressedPath(path) ? path.substr(0, path.size() - 3) : path;
  if (!holdsNpy(path, inner)) return;
  const std::string words = formats::npyFormat().outputs(inner).back();
  for (const auto& p : {words, words + ".gz"}) plan.readBeside(flag, path, p);
}

void saveVectors(const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                 VectorFormat format, const std::vector<int64_t>* counts, const Subwords* subwords) {
  PendingFiles pf;
  writeVectors(pf, path, words, m, format, counts, subwords);
  pf.commit();
}

void writeVectors(PendingFiles& pf, const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                  VectorFormat format, const std::vector<int64_t>* counts, const Subwords* subwords) {
  const FormatSpec& f = formats::formatSpec(format == VectorFormat::kAuto ? formatFromPath(path) : format);
  if (static_cast<int64_t>(words.size()) != m.rows())
    throw Error("cannot write " + quotedName(path) + ": " + std::to_string(words.size()) + " words for " +
                std::to_string(m.rows()) + " rows");
  if (counts && counts->size() != words.size())
    throw Error("cannot write " + quotedName(path) + ": " + std::to_string(counts->size()) + " counts for " +
                std::to_string(words.size()) + " words");
  checkWords(path, words, f);
  checkFinite(path, words, m);
  // Subwords without n-grams (maxn 0) compose nothing: the word vectors are the model.
  if (subwords && !subwords->args.enabled()) subwords = nullptr;
  if (subwords && f.keeps_subwords) checkSubwords(path, words, m, *subwords);
  f.write(pf, path, formats::VectorsRef{words, m, counts, subwords});
}

void writeModelFile(PendingFiles& pf, const std::string& path, const Vectors& v, const std::string& settings,
                    const Matrix& output) {
  const FormatSpec& f = formats::formatSpec(VectorFormat::kNative);
  const Matrix& m = v.matrix;
  const std::vector<int64_t>* counts = v.counts.empty() ? nullptr : &v.counts;
  if (static_cast<int64_t>(v.words.size()) != m.rows() || (counts && counts->size() != v.words.size()))
    throw Error("cannot write " + quotedName(path) + ": the words, counts and rows differ in number");
  if (output.cols() != m.cols())
    throw Error("cannot write " + quotedName(path) + ": the output layer has " + std::to_string(output.cols()) +
                " columns, the vectors " + std::to_string(m.cols()));
  checkWords(path, v.words, f);
  checkFinite(path, v.words, m);
  for (int64_t r = 0; r < output.rows(); ++r)
    for (int k = 0; k < output.cols(); ++k)
      if (!std::isfinite(output.row(r)[k]))
        throw Error("cannot write " + quotedName(path) + ": output row " + std::to_string(r + 1) +
                    " holds a value that is not a finite number");
  const Subwords* subwords = v.subwords && v.subwords->args.enabled() ? v.subwords.get() : nullptr;
  if (subwords) checkSubwords(path, v.words, m, *subwords);
  const formats::VectorsRef::Model model{settings, output};
  f.write(pf, path, formats::VectorsRef{v.words, m, counts, subwords, &model});
}

void saveWord2vec(const std::string& path, const std::vector<std::string>& words, const Matrix& m, bool binary) {
  saveVectors(path, words, m, binary ? VectorFormat::kWord2vecBinary : VectorFormat::kWord2vecText);
}

Vectors loadWord2vec(const std::string& path, VectorFormat format) { return loadVectors(path, format, 0); }

}  // namespace wembed
