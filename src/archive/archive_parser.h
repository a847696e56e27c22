// archive/archive_parser.h (private) - reading and validating the parts of an .lmz archive.
//
// Every function throws lmzip::Error with a message that starts with the archive's name and,
// for frames, the chunk number: "x.lmz: chunk 17: truncated archive (chunk incomplete)".
#pragma once

#include <cstdint>
#include <string>

#include "archive/format.h"
#include "archive/input_cursor.h"
#include "lmzip/archive/archive.h"
#include "lmzip/common/checksum.h"

namespace lmzip::archive {

// Reads the header at the cursor (the start of the data).
ArchiveHeader parse_header(InputCursor& in);

// Reads the next frame header of chunk number `chunk`.
// @return false (consuming nothing) if the index starts here instead.
bool parse_frame_header(InputCursor& in, const ArchiveHeader& header, std::uint64_t chunk, format::FrameHeader& out);

// Bytes of the frame (header + payload) of `f`.
std::uint64_t frame_size(const format::FrameHeader& f, std::uint32_t chunk_size);

// What the index says, and a digest of its entries to compare with the frames.
struct IndexInfo {
  std::uint64_t chunk_count = 0;
  std::uint64_t original_size = 0;
  std::uint64_t content_xxh64 = 0;
  std::uint64_t frames_bytes = 0;    // sum of the entries' frame sizes
  std::uint64_t entries_digest = 0;  // EntryDigest of the entries
  std::uint64_t index_size = 0;      // bytes from the marker to the index checksum, inclusive
};

// XXH64 over (frame size, raw size) pairs as varints: the index's entries, or the frames seen.
class EntryDigest {
 public:
  void add(std::uint64_t frame_size, std::uint64_t raw_size);
  std::uint64_t value() const { return hash_.digest(); }

 private:
  Xxh64 hash_;
};

// Reads the index (from its marker) and the footer at the cursor.
IndexInfo parse_index_and_footer(InputCursor& in, const ArchiveHeader& header);

// For a seekable source: reads the footer and the index from the end of the data, and checks that
// the chunks fill the space between the header (of `header_size` bytes) and the index.
IndexInfo read_index_from_end(ByteSource& source, const ArchiveHeader& header, std::uint64_t header_size);

}  // namespace lmzip::archive
