#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wembed/vectors/format.h"
#include "wembed/core/io.h"
#include "wembed/core/matrix.h"
#include "wembed/core/output_check.h"
#include "wembed/vectors/subwords.h"

namespace wembed {

// What a full model file (`train --save-model`, native version 3) holds
// beyond the input vectors: the output layer and the settings the model was
// trained with, as text (its owner, word2vec/model_file.h, reads and writes it).
struct ModelState {
  std::string settings;
  Matrix output;
};

// Word vectors as loaded from / written to vector files.
struct Vectors {
  std::vector<std::string> words;
  Matrix matrix;
  std::vector<int64_t> counts;  // empty, or one corpus count per word (native files, training)
  // The n-gram rows and settings when the model has subwords (a fastText
  // .bin, a native file written with subwords); null otherwise. matrix then
  // holds the composed vectors of the words (as fastText's .vec). Loaded
  // files set it only for a model with character n-grams (args.enabled()),
  // with the own rows of the words loaded (own.rows() == words.size()).
  std::shared_ptr<Subwords> subwords;
  // A full model's output layer and settings (a native version 3 file read
  // whole, without a limit); null otherwise.
  std::shared_ptr<ModelState> model;
};

// --- formats ------------------------------------------------------------------
//
// w2v-txt  "V D" header, then per word "word v1 ... vD\n" (word2vec -binary 0,
//          gensim binary=False, fastText .vec).
// w2v-bin  "V D\n" header, then per word "word " + D little-endian float32
//          (+ "\n" as word2vec writes it; gensim writes none).
// glove    no header: "word v1 ... vD\n" per word; D is the count of numbers
//          on the first line.
// native   wembed's own binary format (.wev), little-endian:
//            bytes 0-7    magic "WEMBEDV\x1a"
//            8-11         u32 version (1; 2 with subwords; 3 for a full model)
//            12-15        u32 dimensions D
//            16-23        u64 rows V
//            24-31        u64 size in bytes of the vocabulary section
//            32-39        u64 flags (bit 0: the vocabulary section holds counts;
//                         bit 1, versions 2 and 3: a subword section follows the matrix;
//                         bit 2, version 3 only: a model section ends the file)
//            40-47        u64 XXH3-64 of the vocabulary section
//            48-55        u64 XXH3-64 of the matrix section's piece hashes: the
//                         XXH3-64 (u64) of each consecutive 4 MiB piece of the
//                         section (the last one shorter), in order
//            56-63        u64 XXH3-64 of bytes 0-55
//          vocabulary section at byte 64: per word a u32 length and its bytes;
//          then, with flag bit 0, zero bytes up to a multiple of 8 and V i64 counts.
//          matrix section at the next multiple of 64: V*D float32, row-major;
//          version 1 ends right after it. Version 2 (written when the model has
//          subwords; without, version 1 as before) goes on, at the next multiple
//          of 64, with the subword section's 88-byte header:
//            0-7          i32 minn, i32 maxn
//            8-15         i64 bucket B
//            16-47        i32 window, epochs, min_count, negative, word_ngrams,
//                         loss, model, lr_update_rate (Subwords::Settings)
//            48-55        f64 sample
//            56-63        i64 tokens
//            64-71        u64 checksum of the own rows, 72-79 of the n-gram
//                         rows (each computed as the matrix's)
//            80-87        u64 XXH3-64 of bytes 0-79
//          then, each at the next multiple of 64, the words' own rows (V*D
//          float32) and the n-gram rows (B*D float32); the file ends there.
//          Version 3 (a full model, written by writeModelFile) is version 1 or
//          2 (flag bit 1 says which) followed, at the next multiple of 64 after
//          the matrix or the n-gram rows, by the model section's 64-byte header:
//            0-7          u64 output rows R
//            8-15         u64 size in bytes S of the settings text
//            16-23        u64 XXH3-64 of the settings text
//            24-31        u64 checksum of the output rows (computed as the matrix's)
//            32-55        zero
//            56-63        u64 XXH3-64 of bytes 0-55
//          then the settings text (ModelState::settings, S bytes) and, at the
//          next multiple of 64, the output rows (R*D float32); the file ends there.
//          Versions 1 and 2 are still written for vectors without a model.
// npy      a NumPy .npy float32 C-order V x D matrix plus the words, one per
//          line, in STEM.vocab.txt (read also: float64, versions 1 to 3).
// fasttext fastText's .bin model (versions 11 and 12 read, 12 written): its
//          settings, its words and counts, the input matrix (the words' own rows,
//          then the n-gram rows) and the output matrix; matrix holds the composed
//          word vectors and subwords the rest. Written with the composed vectors
//          as word2vec text beside it (X.bin: X.vec), as fastText does. The
//          layout is in src/vectors/formats/fasttext.cc.
// tsv      written only (export): a directory holding vectors.tsv (tab-separated
//          values, one row per word) and metadata.tsv (the words; "word<TAB>count"
//          lines under a header when counts are known).
// Each format is one entry of the table in src/vectors/formats/.
//
// Reading: a path of "-" is standard input (a pipe or a file), read to its
// end; gzip-compressed content (magic 1f 8b) is decompressed first, whatever
// the name (a ".gz" suffix is dropped to find a .npy file's vocabulary).

// The format of an existing vector file from its content: native, npy and
// fastText .bin by their magic numbers; "V D" on line 1 means word2vec, text if the first row
// reads as a word and D numbers, binary otherwise; a first line "word n1 n2
// ..." means GloVe. Throws Error naming the file when it is none of these,
// saying what it is if it can tell (a Python pickle
// such as a gensim model, a zip archive, xz/bzip2/zstd data).
VectorFormat detectVectorFormat(const std::string& path);

// Throws Error naming the file if it cannot be read, before a long job
// reads it: a missing file, a directory, no permission (a pipe is not
// opened, which would lose what it holds).
void checkVectorFile(const std::string& path);

// --limit, the rows read from a vector file: [0, 1e9] (0: all); throws Error
// naming the flag otherwise. loadVectors checks it too.
void checkRowLimit(int64_t limit);
// --restrict and --pairs-restrict, the most frequent words searched: [0, 1e9] (0: all).
void checkWordRestrict(const char* flag, int64_t restrict);

// Reads a vector file (format kAuto: detected as above; *format_read, if
// given, receives the format read). limit > 0 reads only the first `limit`
// rows, as gensim's load_word2vec_format(limit=). Text files are parsed on all
// threads (OpenMP). Anything truncated, inconsistent or malformed throws
// Error naming the file and the line (text) or row (binary); nothing is ever
// loaded partially. A NaN or infinite value (or a text number beyond the
// float range) is an error in every format: loaded vectors are always finite.
// The native format's matrix checksum is verified only when every row is
// loaded (with a limit the rest of the file is never read); its header and
// vocabulary checksums always are.
Vectors loadVectors(const std::string& path, VectorFormat format = VectorFormat::kAuto, int64_t limit = 0,
                    VectorFormat* format_read = nullptr);

// Writes words + matrix (+ counts, kept by the native format and tsv metadata;
// + subwords, kept by the native and fastText formats, the others write the
// composed word vectors of matrix alone; subwords without character n-grams
// are ignored, and others must match words and matrix) in `format` (kAuto: from the
// extension, see formatFromPath). Every file is
// written atomically. Throws Error naming the file and row, before writing
// anything, if a word cannot be represented in the format (a space in a word
// for w2v/glove, a tab or newline for tsv, a newline for npy, an empty word)
// or a vector holds NaN or Inf (never written, in any format).
// Text floats use the shortest representation that reads back exactly.
void saveVectors(const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                 VectorFormat format, const std::vector<int64_t>* counts = nullptr,
                 const Subwords* subwords = nullptr);
// The same into files the caller commits (out.commit()), together with its
// other outputs: until then nothing appears.
void writeVectors(PendingFiles& out, const std::string& path, const std::vector<std::string>& words, const Matrix& m,
                  VectorFormat format, const std::vector<int64_t>* counts = nullptr,
                  const Subwords* subwords = nullptr);
// A full model in the native format (version 3) whatever the name: v's
// words, counts, input vectors and subwords, the output layer (of
// v.matrix.cols() columns) and the settings text, into a file out commits.
void writeModelFile(PendingFiles& out, const std::string& path, const Vectors& v, const std::string& settings,
                    const Matrix& output);
inline void saveVectors(const std::string& path, const Vectors& v, VectorFormat format) {
  saveVectors(path, v.words, v.matrix, format, v.counts.empty() ? nullptr : &v.counts, v.subwords.get());
}
// The files saveVectors writes for path and format (two for tsv and npy).
std::vector<std::string> outputPaths(const std::string& path, VectorFormat format);
// Adds to plan, under flag, every file saveVectors writes for path
// (outputPaths), or every file loadVectors reads for it: the file, and for a
// .npy matrix (by name or content) the word list beside it. Empty: nothing.
void planVectorOutput(FilePlan& plan, const std::string& flag, const std::string& path, VectorFormat format);
void planVectorInput(FilePlan& plan, const std::string& flag, const std::string& path);

// word2vec formats (kept for existing callers): binary or text.
void saveWord2vec(const std::string& path, const std::vector<std::string>& words,
                  const Matrix& m, bool binary);
// Same as loadVectors(path, format).
Vectors loadWord2vec(const std::string& path, VectorFormat format = VectorFormat::kAuto);

}  // namespace wembed
