// format.cpp - encoding the parts of an .lmz archive (docs/format.md).
#include "archive/format.h"

#include <algorithm>

#include "lmzip/common/checksum.h"
#include "lmzip/coding/frequency_table.h"
#include "lmzip/error.h"

namespace lmzip::archive::format {

std::uint32_t low32_xxh64(ByteView bytes) { return static_cast<std::uint32_t>(xxh64(bytes)); }

void put_u16(Bytes& out, std::uint16_t v) {
  for (int i = 0; i < 2; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_u32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_u64(Bytes& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}
void put_varint(Bytes& out, std::uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}
std::uint16_t get_u16(const std::uint8_t* p) { return static_cast<std::uint16_t>(p[0] | (p[1] << 8)); }
std::uint32_t get_u32(const std::uint8_t* p) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
std::uint64_t get_u64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}

std::string sha256_to_hex(const std::uint8_t* raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (int i = 0; i < 32; ++i) {
    hex.push_back(kHex[raw[i] >> 4]);
    hex.push_back(kHex[raw[i] & 15]);
  }
  return hex;
}

bool sha256_from_hex(const std::string& hex, std::uint8_t* raw) {
  if (hex.size() != 64) return false;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (int i = 0; i < 32; ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    raw[i] = static_cast<std::uint8_t>(hi << 4 | lo);
  }
  return true;
}

Bytes encode_header(const ArchiveHeader& h) {
  const std::string& name = h.model.name;
  if (name.empty() || name.size() > kMaxNameLength) {
    throw Error("model name '" + name + "': must be 1 to 255 bytes to be recorded in an archive");
  }
  std::uint8_t sha[32];
  if (!sha256_from_hex(h.model.sha256, sha)) {
    throw Error("model " + name + ": identity sha256 '" + h.model.sha256 + "' is not 64 hex digits");
  }
  if (h.chunk_size == 0 || h.chunk_size > kMaxChunkSize) {
    throw Error("chunk size " + std::to_string(h.chunk_size) + " is outside 1.." + std::to_string(kMaxChunkSize));
  }
  if (h.precision_bits < coding::kMinPrecisionBits || h.precision_bits > coding::kMaxPrecisionBits) {
    throw Error("table precision " + std::to_string(h.precision_bits) + " bits is outside 16..24");
  }
  Bytes out(kMagic.begin(), kMagic.end());
  put_u16(out, kFormatVersion);
  put_u16(out, 0);  // flags
  put_u32(out, h.chunk_size);
  put_u32(out, h.model.numerics_version);
  out.push_back(static_cast<std::uint8_t>(h.precision_bits));
  out.push_back(static_cast<std::uint8_t>(name.size()));
  put_u16(out, 0);  // reserved
  put_u64(out, h.model.parameters);
  out.insert(out.end(), sha, sha + 32);
  out.insert(out.end(), name.begin(), name.end());
  put_u32(out, low32_xxh64(out));
  return out;
}

void encode_frame_header(const FrameHeader& f, std::uint32_t chunk_size, Bytes& out) {
  const bool is_short = f.raw_size != chunk_size;
  out.push_back(static_cast<std::uint8_t>(f.mode | (is_short ? kShortFlag : 0)));
  if (is_short) put_varint(out, f.raw_size);
  if (f.mode == kModeCoded) put_varint(out, f.coded_size);
  put_u32(out, f.checksum);
}

Bytes encode_footer(std::uint64_t index_size) {
  Bytes out;
  put_u64(out, index_size);
  put_u32(out, low32_xxh64(out));
  out.insert(out.end(), kEndMagic.begin(), kEndMagic.end());
  return out;
}

}  // namespace lmzip::archive::format
