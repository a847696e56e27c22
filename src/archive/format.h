// archive/format.h (private) - the byte layout of an .lmz archive (docs/format.md is the
// specification; this file is its one implementation).
//
//   archive = header, frame*, index, footer
//
// All integers are little-endian. "varint" = unsigned LEB128, at most 10 bytes, canonical (no
// redundant final zero group). "low32(XXH64(x))" = the low 32 bits of XXH64 with seed 0.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "lmzip/archive/archive.h"
#include "lmzip/bytes.h"

namespace lmzip::archive::format {

// "\x89LMZ\r\n\x1a\n": a non-ASCII first byte, then CR LF / ^Z / LF to catch text-mode damage.
inline constexpr std::array<std::uint8_t, 8> kMagic = {0x89, 'L', 'M', 'Z', '\r', '\n', 0x1A, '\n'};
inline constexpr std::uint16_t kFormatVersion = 1;
inline constexpr std::size_t kFixedHeaderSize = 64;  // up to the model name
inline constexpr std::size_t kMaxNameLength = 255;

// Frame descriptor byte: bits 0-1 the mode, bit 7 "short" (an explicit raw size follows); the
// other bits are zero. Never 0xFF, which marks the start of the index.
inline constexpr std::uint8_t kModeStored = 0;
inline constexpr std::uint8_t kModeCoded = 1;
inline constexpr std::uint8_t kModeMask = 0x03;
inline constexpr std::uint8_t kShortFlag = 0x80;
inline constexpr std::uint8_t kIndexMarker = 0xFF;

// Footer: index size (u64), low32(XXH64(those 8 bytes)), end magic.
inline constexpr std::size_t kFooterSize = 16;
inline constexpr std::array<std::uint8_t, 4> kEndMagic = {'L', 'M', 'Z', 0x1A};

// Largest frame header: descriptor + two varints of <= 2^24 (4 bytes each) + checksum.
inline constexpr std::size_t kMaxFrameHeaderSize = 1 + 4 + 4 + 4;

struct FrameHeader {
  std::uint8_t mode = kModeStored;
  std::uint32_t raw_size = 0;    // 1..chunk_size
  std::uint32_t coded_size = 0;  // payload bytes: raw_size if stored, < raw_size if coded
  std::uint32_t checksum = 0;    // low32(XXH64(raw chunk))
};

std::uint32_t low32_xxh64(ByteView bytes);

void put_u16(Bytes& out, std::uint16_t v);
void put_u32(Bytes& out, std::uint32_t v);
void put_u64(Bytes& out, std::uint64_t v);
void put_varint(Bytes& out, std::uint64_t v);
std::uint16_t get_u16(const std::uint8_t* p);
std::uint32_t get_u32(const std::uint8_t* p);
std::uint64_t get_u64(const std::uint8_t* p);

// The header bytes (checksum included). @throws lmzip::Error if a field cannot be represented
// (name empty or longer than 255 bytes, sha256 not 64 hex digits, chunk size or precision out of
// range).
Bytes encode_header(const ArchiveHeader& header);

// The frame header bytes for a chunk of an archive with chunk size `chunk_size`.
void encode_frame_header(const FrameHeader& frame, std::uint32_t chunk_size, Bytes& out);

// The footer for an index of `index_size` bytes.
Bytes encode_footer(std::uint64_t index_size);

// Hex <-> the 32 raw bytes of a SHA-256. from_hex returns false on malformed input.
std::string sha256_to_hex(const std::uint8_t* raw);
bool sha256_from_hex(const std::string& hex, std::uint8_t* raw);

}  // namespace lmzip::archive::format
