// archive/input_cursor.h (private) - buffered, position-counting reads from a ByteSource, with
// an optional running XXH64 of the bytes consumed (for the header and index checksums).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "lmzip/archive/stream.h"
#include "lmzip/common/checksum.h"

namespace lmzip::archive {

class InputCursor {
 public:
  explicit InputCursor(ByteSource& source);

  const std::string& name() const { return source_.name(); }
  ByteSource& source() { return source_; }
  // Bytes consumed so far.
  std::uint64_t position() const { return consumed_; }

  // The next byte without consuming it, or -1 at the end of the data.
  int peek();
  // Consumes exactly out.size() bytes. @return false if the data ends first (then all of the
  // rest has been consumed).
  bool read(std::span<std::uint8_t> out);
  // Consumes n bytes without keeping them. @return false if the data ends first.
  bool skip(std::uint64_t n);
  bool read_u32(std::uint32_t& v);
  bool read_u64(std::uint64_t& v);

  enum class VarintStatus { ok, end, malformed };
  // A canonical unsigned LEB128 number of at most 10 bytes.
  VarintStatus read_varint(std::uint64_t& v);

  // From begin_digest() on, consumed bytes are hashed; digest() returns XXH64 of them so far.
  void begin_digest();
  std::uint64_t digest() const;
  void end_digest() { digest_.reset(); }

 private:
  bool fill();  // refills an empty buffer; false at the end of the data
  void consume(std::size_t n);

  ByteSource& source_;
  std::vector<std::uint8_t> buffer_;
  std::size_t pos_ = 0, len_ = 0;
  bool at_end_ = false;
  std::uint64_t consumed_ = 0;
  std::unique_ptr<Xxh64> digest_;
};

}  // namespace lmzip::archive
