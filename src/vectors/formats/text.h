#pragma once
// Reading and writing rows of text ("word v1 v2 ..."), shared by the word2vec
// text and GloVe formats, and the word2vec "V D" header line, shared by the
// word2vec text and binary formats.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "wembed/core/io.h"
#include "wembed/core/matrix.h"
#include "wembed/vectors/vectors.h"

namespace wembed::formats {

class VectorSource;

// Where the text of a text vector file starts: after a UTF-8 byte-order mark,
// if there is one (Windows editors write it; it belongs to no word or number).
const char* textStart(const VectorSource& src);

// [p, end of line) for the line starting at p (the '\n' excluded).
const char* lineEnd(const char* p, const char* end);

// For a line "word n1 n2 ...": how many numbers follow the word, or -1 if
// anything else does (or there is no word).
int numbersAfterWord(const char* p, const char* end);

struct Word2vecHeader {
  int64_t rows = 0;
  int dim = 0;
  const char* body = nullptr;  // the byte after line 1
};

// Line 1 "V D" (exactly two integer fields, after a byte-order mark)?
// Validates the values (throws Error naming the file for a negative V, D
// outside 1..kMaxDim, or numbers beyond 64 bits).
bool readWord2vecHeader(const VectorSource& src, Word2vecHeader& h);

// The header of a file read as word2vec `format` (its name, for the
// message; hint: appended to it); throws Error naming the file if line 1 is
// not a header.
Word2vecHeader requireWord2vecHeader(const VectorSource& src, const char* format, const char* hint);
// "V D\n".
std::string word2vecHeaderLine(int64_t rows, int dim);

// Which word2vec flavour a file with a "V D" header is: text if its first
// row is a word and D numbers, or a malformed text row (see the .cc), binary
// otherwise. Throws as readWord2vecHeader; false if there is no such header.
bool isWord2vecFile(const VectorSource& src, bool* text);

// Line 1 of a text file that is neither a header nor a GloVe row but close
// to one: two fields above rows of "word v1 ... vD" text (not GloVe of
// dimension 1) are a bad header; a word and values that are mostly numbers
// are a GloVe row with a bad value. Throws Error saying which; returns if
// line 1 is neither.
void refuseBadLine1(const VectorSource& src);

// Parses the rows of a text body [b, e): word2vec text (header_rows >= 0,
// dim from the header) or GloVe (header_rows < 0, dim from the first line),
// on all threads. first_line: the file line number of the body's first line.
Vectors parseTextRows(const std::string& path, const char* b, const char* e, int64_t header_rows, int dim,
                      int64_t limit, int64_t first_line);

// Writes rows as text, formatted in parallel: [word sep] v1 sep v2 ... '\n',
// each float in the shortest form that reads back exactly.
void writeTextRows(AtomicFile& f, const std::vector<std::string>* words, const Matrix& m, char sep);

// The words one per line (with counts: "word<TAB>count"), written in pieces of 1 MiB.
void writeWordLines(AtomicFile& f, const std::vector<std::string>& words, const std::vector<int64_t>* counts);

}  // namespace wembed::formats
