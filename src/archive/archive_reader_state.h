// archive/archive_reader_state.h (private) - what an ArchiveReader holds between its header and
// the decoding of its chunks.
#pragma once

#include <optional>

#include "archive/archive_parser.h"
#include "archive/input_cursor.h"
#include "lmzip/archive/archive.h"

namespace lmzip::archive {

struct ArchiveReader::State {
  explicit State(ByteSource& source) : cursor(source) {}
  InputCursor cursor;
  ArchiveHeader header;
  std::uint64_t header_size = 0;
  std::optional<IndexInfo> index;  // read from the end at once when the source is seekable
  bool consumed = false;           // the chunks have been read (a reader cannot rewind)
};

}  // namespace lmzip::archive
