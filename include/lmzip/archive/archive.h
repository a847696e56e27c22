// lmzip/archive/archive.h - compress, decompress, test and list .lmz archives.
//
// An archive is self-describing: it names the model that made it (name, SHA-256, parameter
// count) and every parameter needed to decode (chunk size, numerics version, table precision),
// so decoding needs nothing retyped. docs/format.md specifies the bytes.
//
// Each chunk (default 2048 bytes) is coded independently: the model's tables for the chunk ->
// arithmetic coder. A chunk is stored raw unless coding makes its frame smaller, so an archive
// is never larger than the input plus its overhead: for 2048-byte chunks 9 bytes per chunk
// (frame header and index entry) plus at most 68 + 255 + 2 + 31 + 16 bytes (docs/format.md,
// "Size bound").
//
// Chunks are coded in parallel on `threads` threads (one model session each); the archive is
// byte-identical for every thread count. Input is streamed in groups of chunks, so memory stays
// bounded (about max(8 x threads, 1 MiB / chunk size) chunks in flight, plus the encoded index:
// about 4 bytes per chunk) whatever the input size; inputs of unknown size (pipes) work.
//
// Errors are lmzip::Error with messages that start with the archive's (or input's) name and,
// where it applies, the chunk: "x.lmz: chunk 17: checksum mismatch". Chunks are numbered from 0.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lmzip/archive/defaults.h"
#include "lmzip/archive/stream.h"
#include "lmzip/bytes.h"
#include "lmzip/model/byte_model.h"
#include "lmzip/model/open_model.h"

namespace lmzip::archive {

// What an archive's header records.
struct ArchiveHeader {
  std::uint16_t format_version = 0;
  // name, sha256 (64 hex digits), parameters, numerics_version; context is not stored (0).
  model::ModelIdentity model;
  std::uint32_t chunk_size = kDefaultChunkSize;
  unsigned precision_bits = 24;  // every table that coded the archive has total 2^precision_bits
};

// What compress, decompress, test and list report.
struct ArchiveSummary {
  ArchiveHeader header;
  std::uint64_t original_size = 0;   // bytes before compression
  std::uint64_t archive_size = 0;    // bytes of the archive
  std::uint64_t chunk_count = 0;
  std::optional<std::uint64_t> stored_chunks;  // chunks stored raw (not known to list() on files)
  std::uint64_t content_xxh64 = 0;   // XXH64 (seed 0) of the original bytes
};

struct Progress {
  std::uint64_t input_bytes = 0;              // consumed so far
  std::uint64_t output_bytes = 0;             // written so far
  std::optional<std::uint64_t> input_total;   // when the input's size is known
};
using ProgressFn = std::function<void(const Progress&)>;

struct CompressOptions {
  std::uint32_t chunk_size = kDefaultChunkSize;  // 1 .. min(kMaxChunkSize, model context)
  unsigned threads = 1;                          // >= 1
  // Decode every model-coded chunk again right after coding it (incremental tables against the
  // batched ones) and fail if it does not give the input back.
  bool verify = false;
  ProgressFn progress;  // called from the calling thread after each group of chunks
};

struct DecompressOptions {
  unsigned threads = 1;
  ProgressFn progress;
};

// Compresses everything `in` yields into an archive written to `out`.
// @throws lmzip::Error naming the input (read errors, bad options, a model whose tables are not
//         power-of-two totals of 2^16..2^24, --verify failures with the chunk).
ArchiveSummary compress(const model::ByteModel& model, ByteSource& in, ByteSink& out,
                        const CompressOptions& options = {});

// Reads an archive's header on construction (and, when the source is seekable, checks its footer
// and index at once, so a truncated file fails before any decoding).
// @throws lmzip::Error "NAME: not an lmzip archive", "NAME: truncated archive (index missing)",
//         "NAME: header checksum mismatch", "NAME: archive format version N is not supported ...".
class ArchiveReader {
 public:
  explicit ArchiveReader(ByteSource& in);
  ~ArchiveReader();
  ArchiveReader(const ArchiveReader&) = delete;
  ArchiveReader& operator=(const ArchiveReader&) = delete;

  const ArchiveHeader& header() const;
  const std::string& name() const;

 private:
  friend ArchiveSummary decompress(ArchiveReader&, const model::ByteModel&, ByteSink&, const DecompressOptions&);
  friend ArchiveSummary list(ByteSource&);
  struct State;  // the input cursor and what was read from the header and index (src/archive)
  std::unique_ptr<State> state_;
};

// Decodes the archive behind `reader` (once; a reader cannot be rewound) into `out`, checking every
// chunk checksum before writing the chunk, then the index and the whole-content checksum.
// The model must be the one the archive names (check_model()).
// @throws lmzip::Error naming the archive and the chunk. `out` may have received the chunks
//         before the failing one.
ArchiveSummary decompress(ArchiveReader& reader, const model::ByteModel& model, ByteSink& out,
                          const DecompressOptions& options = {});

// decompress() into nothing: decodes and checks everything.
ArchiveSummary test(ArchiveReader& reader, const model::ByteModel& model, const DecompressOptions& options = {});

// The header and totals of an archive, without a model. A seekable source is read through its
// footer and index only; a pipe is scanned frame by frame (payloads skipped, not decoded).
// @throws lmzip::Error as ArchiveReader, and for a damaged index or frame structure.
ArchiveSummary list(ByteSource& in);

// Refuses (throws) unless `model` is the one `header` names, with a message that says which model
// is needed: "NAME: made with model X (sha256 ...), but model Y (sha256 ...) was given;
// decompress with -m X". Also checks the numerics version and the model's context.
void check_model(const ArchiveHeader& header, const model::ByteModel& model, const std::string& archive_name);

// The model to decode `header` with: `spec` when given (checked with check_model()); otherwise the
// built-in model the archive names, or else `default_spec` if it is the model the archive names.
// @throws lmzip::Error as check_model() when no candidate matches, or as model::open_model().
std::shared_ptr<const model::ByteModel> model_for_archive(const ArchiveHeader& header,
                                                          const std::string& archive_name,
                                                          const std::optional<std::string>& spec,
                                                          std::string_view default_spec = kDefaultModel,
                                                          const model::OpenOptions& open = {});

// In-memory conveniences (tests, small data).
Bytes compress_bytes(const model::ByteModel& model, ByteView input, const CompressOptions& options = {});
Bytes decompress_bytes(const model::ByteModel& model, ByteView archive, const DecompressOptions& options = {},
                       const std::string& name = "(memory)");

}  // namespace lmzip::archive
