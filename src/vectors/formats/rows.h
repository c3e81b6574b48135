#pragma once
// Sections of float32 rows stored unpadded in a binary vector file (the
// native format's matrices, fastText's input matrix): read straight into a
// Matrix's padded rows in 4 MiB pieces on all threads, each piece
// checksummed while in cache; checksummed and written back unpadded.
// Internal to the vectors library.
#include <cstdint>

#include "source.h"
#include "wembed/core/io.h"
#include "wembed/core/matrix.h"

namespace wembed::formats {

// Reads m.rows() rows of m.cols() float32 stored unpadded at `offset` of src
// into m. Returns the section's checksum when hash is set (the XXH3-64 of the
// XXH3-64 hashes, u64 each in order, of its consecutive 4 MiB pieces, the
// last one shorter), 0 otherwise. Throws Error naming the file if the content
// ends first ("the file is cut in its <what>"). *first_bad receives the first
// row holding a NaN or an infinity, m.rows() if none does.
uint64_t readRows(const VectorSource& src, uint64_t offset, Matrix& m, bool hash, const char* what,
                  int64_t* first_bad);

// The checksum readRows returns, of m's rows as written by writeRows.
uint64_t rowsChecksum(const Matrix& m);

// Writes the first `rows` rows of m unpadded (m.cols() float32 each).
void writeRows(AtomicFile& out, const Matrix& m, int64_t rows);

}  // namespace wembed::formats
