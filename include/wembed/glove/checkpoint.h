#pragma once
// GloVe training checkpoints: everything `wembed train --resume` needs to
// continue a GloVe run from an epoch boundary and end with the vectors of an
// uninterrupted run: settings, vocabulary, the co-occurrence file (path,
// size and hash, record count, header), the outputs, both parameter tables as full
// rows (vectors, biases and AdaGrad sums), the epochs done with their costs,
// the tile order (which each epoch's shuffle permutes further) and the time
// spent. Framed as every checkpoint (checkpoint_io.h), magic WEMBCKGV.
//
// Under mpirun -np N (version 3) rank 0 writes the one file after the ranks
// combined their rows at an epoch boundary (every rank then holds the same
// tables), with the number of ranks, the synchronisation settings and what
// each rank trains on (its counts, FILE.rank-R.cooccur beside the checkpoint
// when the run counted them, or its slice of a shared --cooccur file; its
// record count and tile order); a resume needs as many ranks.
#include <cstdint>
#include <string>
#include <vector>

#include "wembed/corpus/dictionary.h"
#include "wembed/glove/trainer.h"
#include "wembed/core/file_identity.h"
#include "wembed/core/matrix.h"

namespace wembed {

// What the command trained on and writes (the trainer itself uses none of it).
struct GloveRun {
  std::vector<Dictionary::Entry> vocab;
  std::string cooccur;           // the co-occurrence file
  FileIdentity cooccur_id;       // its size and hash, record count and header flags at the start
  uint64_t cooccur_records = 0;
  uint32_t cooccur_flags = 0;
  bool cooccur_owned = false;    // counted by this run for the checkpoint: removed when the run finishes
  std::string output, output_context;
  int32_t format = 0;            // VectorFormat
  std::string vectors = "sum";   // --glove-vectors
  uint64_t cooccur_first = 0;    // mpirun with a shared --cooccur file: this rank's first record
};

// Under mpirun: what one rank trains on (its GloveRun's counts, and its part
// of the trainer's state).
struct GloveRankShare {
  std::string cooccur;
  FileIdentity cooccur_id;
  uint64_t cooccur_records = 0;  // in the file
  uint32_t cooccur_flags = 0;
  uint64_t first = 0;            // the rank's records: [first, first + records) of the file
  uint64_t records = 0;
  std::vector<uint32_t> tile_order;
};

struct GloveCheckpoint {
  GloveArgs args;                // effective settings (threads resolved)
  GloveRun run;
  Matrix w, c;                   // V x 2S rows (see gloveRowWidth)
  uint64_t records = 0;          // records trained on per epoch
  int32_t epochs_done = 0;       // epochs completed
  std::vector<GloveEpoch> history;  // one per completed epoch
  std::vector<uint32_t> tile_order; // tiled mode: the order after epochs_done shuffles; else empty
  double seconds = 0;            // training time before this checkpoint
  int32_t ranks = 1;             // the MPI ranks that wrote it (1: one process)
  // ranks > 1: every rank's share, in rank order (rank 0's is also in run,
  // records and tile_order, as a one-process checkpoint holds them).
  std::vector<GloveRankShare> shares;
};

// Puts rank r's share of a checkpoint of c.ranks ranks in c.run, c.records
// and c.tile_order (what that rank continues from).
void takeRankShare(GloveCheckpoint& c, int r);

// Version 2 added a hash of the co-occurrence file beside its size; version 1
// files are refused (their counts could not be told from others of that size).
// Version 3 added the ranks, their shares and the synchronisation settings
// (version 2 files are read as one process's).
constexpr uint32_t kGloveCheckpointVersion = 3;

// Writes through AtomicFile; the tables are passed separately so a running
// trainer can save without copying them (c.w and c.c are ignored).
void saveGloveCheckpoint(const std::string& path, const GloveCheckpoint& c, const Matrix& w, const Matrix& ctx);
// Throws Error naming the file on a missing, truncated, corrupted
// (checksum), inconsistent or foreign file (another kind of checkpoint: the
// error names the command that resumes it), or an unsupported version.
GloveCheckpoint loadGloveCheckpoint(const std::string& path);

}  // namespace wembed
