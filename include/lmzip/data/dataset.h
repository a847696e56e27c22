// lmzip/data/dataset.h - data sets as the paper prepares them, delivered as a stream of chunks.
//
// A data set is a modality plus files or folders (or, for `random`, a byte count and seed).
// open_dataset() returns a ChunkStream that yields fixed-size chunks one at a time, so data sets
// larger than memory work: at most one file (one image, one audio file) is held in memory.
//
// Preparation (../shared/REFERENCE.md section 3):
//   text   any file -> consecutive chunk_size-byte chunks; each file's partial last chunk dropped
//   image  PNG/JPEG/PPM/PGM -> gray = floor((R+G+B)/3) -> 32x64 tiles (32 rows, 64 columns) in
//          row-major tile order, partial border tiles dropped, each tile flattened row by row
//   audio  WAV/FLAC -> int16 -> mono (floor mean of channels) -> 16 kHz (libsoxr, only if the
//          rate differs) -> (sample16 >> 8) + 128 -> chunks of chunk_size bytes per file, last
//          partial chunk dropped
//   random xoshiro256** bytes seeded by splitmix64, cut into chunks (a partial last chunk is
//          dropped)
// The exact rules (rounding, order, which files a folder contributes) are in docs/data.md;
// the decoders are in image.h, tiler.h, audio.h and random_source.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "lmzip/bytes.h"

namespace lmzip::data {

inline constexpr std::size_t kChunkSize = 2048;  // the paper's chunk: 2048 bytes
inline constexpr std::size_t kTileRows = 32;
inline constexpr std::size_t kTileCols = 64;
inline constexpr std::uint64_t kPaperChunkLimit = 488281;  // 488,281 chunks = 999,999,488 bytes

enum class Modality { text, image, audio, random };

std::string_view to_string(Modality m);
// @throws lmzip::Error for anything but text, image, audio, random.
Modality parse_modality(std::string_view name);

struct DatasetSpec {
  Modality modality = Modality::text;
  std::vector<std::filesystem::path> paths;  // files or folders (not for random)
  std::uint64_t random_bytes = 0;            // random only
  std::uint64_t seed = 0;                    // random only
  std::uint64_t max_chunks = 0;              // 0 = no limit
  std::size_t chunk_size = kChunkSize;       // image chunks are always 32*64 = 2048
  std::string label;                         // column name in reports, e.g. "text"
};

// Parses a --data argument: "text=PATH[,PATH...]", "image=PATH", "audio=PATH", "random=N"
// (N bytes; suffixes k, M, G = 10^3, 10^6, 10^9 and Ki, Mi, Gi = 2^10, 2^20, 2^30).
// "random=N:SEED" sets the seed (default 0). "MODALITY:LABEL=..." names the data set LABEL in
// reports (default: the modality), e.g. "text:wikitext2=test.txt".
// @throws lmzip::Error on a malformed argument or unknown modality.
DatasetSpec parse_dataset_arg(std::string_view arg);

// One input file of a data set, as the stream found it.
struct SourceFile {
  std::filesystem::path path;
  std::uint64_t size_bytes = 0;  // size on disk (random: the byte count N)
  // Filled in by the ChunkStream once it has reached this file (zero/false before that):
  std::uint64_t chunks = 0;      // chunks taken from it so far
  std::uint32_t width = 0;       // image: decoded size in pixels
  std::uint32_t height = 0;
  int sample_rate = 0;           // audio: the file's own rate in Hz, before resampling
  int channels = 0;              // audio: the file's channel count
  bool resampled = false;        // audio: resampled to 16 kHz (sample_rate != 16000)
};

// Expands the spec's paths into the sorted list of input files. Folders are walked
// recursively; inside folders only files with an extension of the modality are taken
// (text: every regular file). Explicitly named files are always taken.
// @throws lmzip::Error naming the path if it does not exist or a folder holds no usable file.
// For random (no paths) the list is empty.
// @throws lmzip::Error naming the path if it does not exist, is neither a regular file nor a
//         folder, a folder cannot be walked, or a folder holds no usable file; also if a
//         non-random spec has no paths.
std::vector<SourceFile> list_files(const DatasetSpec& spec);

// Whether a file found inside a folder belongs to the modality, judged by its extension
// (case-insensitive): image .png .jpg .jpeg .ppm .pgm .pnm; audio .wav .flac; text: every file;
// random: none.
bool has_modality_extension(Modality m, const std::filesystem::path& file);

struct Chunk {
  Bytes bytes;                  // exactly chunk_size bytes
  std::size_t source_index = 0;  // index into ChunkStream::sources()
  std::uint64_t index_in_source = 0;
};

class ChunkStream {
 public:
  virtual ~ChunkStream() = default;
  // Fills `out` with the next chunk. @return false at the end of the data set.
  // @throws lmzip::Error naming the file if it is unreadable, truncated or corrupt.
  virtual bool next(Chunk& out) = 0;
  // The input files in stream order (list_files order). For random: one entry whose path is
  // "random=N:SEED" and whose size is N. The per-file fields after size_bytes are updated as the
  // stream advances.
  virtual const std::vector<SourceFile>& sources() const = 0;
};

// Opens the data set. Files are listed now (list_files) but opened and decoded only when the
// stream reaches them, one at a time. spec.max_chunks > 0 ends the stream after that many chunks.
// @throws lmzip::Error (see list_files); also if chunk_size is 0, or is not 2048 for images.
std::unique_ptr<ChunkStream> open_dataset(const DatasetSpec& spec);

}  // namespace lmzip::data
