// archive/chunk_codec.h (private) - one chunk through the model and the arithmetic coder.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "archive/format.h"
#include "lmzip/bytes.h"
#include "lmzip/model/byte_model.h"

namespace lmzip::archive {

// Where a chunk's error messages point: "NAME: chunk N: ...".
struct ChunkPlace {
  const std::string* name;
  std::uint64_t chunk;
  std::string prefix() const { return *name + ": chunk " + std::to_string(chunk) + ": "; }
};

// Codes `raw` (1 .. 2^24 bytes) with a fresh start of `session`, every table of total
// 2^precision_bits (tables_for_chunk: the model may batch). Fills `frame` (mode, sizes, checksum)
// and `payload` (the coded bytes, or the raw bytes when coding does not make the frame smaller).
// With `verify`, a model-coded chunk is decoded again through the incremental path and compared.
// @throws lmzip::Error at `place` if a table has another total or verification fails.
void encode_chunk(model::ModelSession& session, ByteView raw, unsigned precision_bits, bool verify,
                  const ChunkPlace& place, format::FrameHeader& frame, Bytes& payload);

// Decodes a chunk into `out` (frame.raw_size bytes) and checks its checksum.
// @throws lmzip::Error at `place`: "checksum mismatch", or a table of another total.
void decode_chunk(model::ModelSession& session, const format::FrameHeader& frame, ByteView payload,
                  unsigned precision_bits, const ChunkPlace& place, std::span<std::uint8_t> out);

}  // namespace lmzip::archive
