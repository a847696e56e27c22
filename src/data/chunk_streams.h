// Internal: the ChunkStream implementations behind open_dataset (src/data only).
#pragma once

#include <memory>
#include <vector>

#include "lmzip/data/dataset.h"

namespace lmzip::data::detail {

// Each file's consecutive chunk_size-byte blocks, read one block at a time; partial last dropped.
std::unique_ptr<ChunkStream> make_text_stream(std::vector<SourceFile> files, std::size_t chunk_size);

// Each image decoded to gray in turn, then its 32x64 tiles in row-major tile order.
std::unique_ptr<ChunkStream> make_image_stream(std::vector<SourceFile> files);

// Each audio file decoded to 8-bit 16 kHz mono in turn, then its chunk_size-byte blocks.
std::unique_ptr<ChunkStream> make_audio_stream(std::vector<SourceFile> files,
                                               std::size_t chunk_size);

// floor(bytes / chunk_size) chunks of RandomSource(seed)'s byte stream.
std::unique_ptr<ChunkStream> make_random_stream(std::uint64_t bytes, std::uint64_t seed,
                                                std::size_t chunk_size);

// Passes on at most max_chunks chunks of `inner`.
std::unique_ptr<ChunkStream> limit_chunks(std::unique_ptr<ChunkStream> inner,
                                          std::uint64_t max_chunks);

}  // namespace lmzip::data::detail
