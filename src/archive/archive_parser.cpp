// archive_parser.cpp - header, frame, index and footer validation (docs/format.md).
#include "archive/archive_parser.h"

#include <algorithm>
#include <cstdio>

#include "lmzip/coding/frequency_table.h"
#include "lmzip/error.h"
#include "lmzip/version.h"

namespace lmzip::archive {

namespace {

[[noreturn]] void fail(const InputCursor& in, const std::string& message) { throw Error(in.name() + ": " + message); }

[[noreturn]] void fail_chunk(const InputCursor& in, std::uint64_t chunk, const std::string& message) {
  throw Error(in.name() + ": chunk " + std::to_string(chunk) + ": " + message);
}

std::string hex_byte(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02x", v & 0xFFu);
  return buf;
}

std::uint64_t varint_or(InputCursor& in, const char* truncated, const std::string& malformed_message,
                        std::uint64_t chunk = ~std::uint64_t{0}) {
  std::uint64_t v = 0;
  switch (in.read_varint(v)) {
    case InputCursor::VarintStatus::ok:
      return v;
    case InputCursor::VarintStatus::end:
      if (chunk != ~std::uint64_t{0}) fail_chunk(in, chunk, truncated);
      fail(in, truncated);
    case InputCursor::VarintStatus::malformed:
      break;
  }
  if (chunk != ~std::uint64_t{0}) fail_chunk(in, chunk, malformed_message);
  fail(in, malformed_message);
}

std::size_t varint_size(std::uint64_t v) {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

}  // namespace

ArchiveHeader parse_header(InputCursor& in) {
  std::uint8_t fixed[format::kFixedHeaderSize];
  in.begin_digest();
  std::uint8_t magic[8] = {};
  if (in.peek() < 0) fail(in, "not an lmzip archive (empty input)");
  if (!in.read(magic) || !std::equal(magic, magic + 8, format::kMagic.begin())) fail(in, "not an lmzip archive");
  std::copy(magic, magic + 8, fixed);
  if (!in.read(std::span<std::uint8_t>(fixed + 8, 4))) fail(in, "truncated archive (header incomplete)");
  const std::uint16_t version = format::get_u16(fixed + 8);
  const std::uint16_t flags = format::get_u16(fixed + 10);
  if (version != format::kFormatVersion) {
    fail(in, "archive format version " + std::to_string(version) + " is not supported (lmzip " + std::string(lmzip::version()) +
                 " reads version " + std::to_string(format::kFormatVersion) + (version > format::kFormatVersion ? "; a newer lmzip is needed)" : ")"));
  }
  if (flags != 0) fail(in, "archive uses unknown flags " + hex_byte(flags) + "; a newer lmzip is needed");
  if (!in.read(std::span<std::uint8_t>(fixed + 12, format::kFixedHeaderSize - 12))) {
    fail(in, "truncated archive (header incomplete)");
  }
  const unsigned name_length = fixed[21];
  std::string name(name_length, '\0');
  if (!in.read(std::span<std::uint8_t>(reinterpret_cast<std::uint8_t*>(name.data()), name.size()))) {
    fail(in, "truncated archive (header incomplete)");
  }
  const std::uint32_t expected = static_cast<std::uint32_t>(in.digest());
  in.end_digest();
  std::uint32_t stored = 0;
  if (!in.read_u32(stored)) fail(in, "truncated archive (header incomplete)");
  if (stored != expected) fail(in, "header checksum mismatch (corrupt archive)");

  ArchiveHeader h;
  h.format_version = version;
  h.chunk_size = format::get_u32(fixed + 12);
  h.model.numerics_version = format::get_u32(fixed + 16);
  h.precision_bits = fixed[20];
  h.model.parameters = format::get_u64(fixed + 24);
  h.model.sha256 = format::sha256_to_hex(fixed + 32);
  h.model.name = name;
  h.model.context = 0;
  if (h.chunk_size == 0 || h.chunk_size > kMaxChunkSize) fail(in, "corrupt header (chunk size " + std::to_string(h.chunk_size) + ")");
  if (h.precision_bits < coding::kMinPrecisionBits || h.precision_bits > coding::kMaxPrecisionBits) {
    fail(in, "corrupt header (table precision " + std::to_string(h.precision_bits) + " bits)");
  }
  if (name_length == 0 || format::get_u16(fixed + 22) != 0) fail(in, "corrupt header (reserved fields)");
  return h;
}

std::uint64_t frame_size(const format::FrameHeader& f, std::uint32_t chunk_size) {
  std::uint64_t n = 1 + 4 + f.coded_size;
  if (f.raw_size != chunk_size) n += varint_size(f.raw_size);
  if (f.mode == format::kModeCoded) n += varint_size(f.coded_size);
  return n;
}

bool parse_frame_header(InputCursor& in, const ArchiveHeader& header, std::uint64_t chunk, format::FrameHeader& f) {
  const int d = in.peek();
  if (d < 0) fail(in, "truncated archive (index missing)");
  if (d == format::kIndexMarker) return false;
  std::uint8_t descriptor = 0;
  in.read(std::span<std::uint8_t>(&descriptor, 1));
  f.mode = descriptor & format::kModeMask;
  if ((descriptor & ~(format::kModeMask | format::kShortFlag)) != 0 || f.mode > format::kModeCoded) {
    fail_chunk(in, chunk, "corrupt frame header (descriptor " + hex_byte(descriptor) + ")");
  }
  static constexpr char kTruncated[] = "truncated archive (chunk incomplete)";
  f.raw_size = header.chunk_size;
  if (descriptor & format::kShortFlag) {
    const std::uint64_t raw = varint_or(in, kTruncated, "corrupt frame header (raw size)", chunk);
    if (raw == 0 || raw >= header.chunk_size) {
      fail_chunk(in, chunk, "corrupt frame header (raw size " + std::to_string(raw) + ")");
    }
    f.raw_size = static_cast<std::uint32_t>(raw);
  }
  f.coded_size = f.raw_size;
  if (f.mode == format::kModeCoded) {
    const std::uint64_t coded = varint_or(in, kTruncated, "corrupt frame header (coded size)", chunk);
    if (coded >= f.raw_size) fail_chunk(in, chunk, "corrupt frame header (coded size " + std::to_string(coded) + ")");
    f.coded_size = static_cast<std::uint32_t>(coded);
  }
  if (!in.read_u32(f.checksum)) fail_chunk(in, chunk, kTruncated);
  return true;
}

void EntryDigest::add(std::uint64_t frame, std::uint64_t raw) {
  Bytes b;
  format::put_varint(b, frame);
  format::put_varint(b, raw);
  hash_.update(b);
}

IndexInfo parse_index_and_footer(InputCursor& in, const ArchiveHeader& header) {
  static constexpr char kTruncated[] = "truncated archive (index incomplete)";
  static constexpr char kCorrupt[] = "corrupt index";
  IndexInfo info;
  const std::uint64_t start = in.position();
  in.begin_digest();
  std::uint8_t marker = 0;
  if (!in.read(std::span<std::uint8_t>(&marker, 1))) fail(in, "truncated archive (index missing)");
  if (marker != format::kIndexMarker) fail(in, "corrupt index (no index marker)");
  info.chunk_count = varint_or(in, kTruncated, kCorrupt);
  EntryDigest entries;
  std::uint64_t raw_total = 0;
  for (std::uint64_t i = 0; i < info.chunk_count; ++i) {
    const std::uint64_t frame = varint_or(in, kTruncated, kCorrupt);
    const std::uint64_t raw = varint_or(in, kTruncated, kCorrupt);
    if (raw == 0 || raw > header.chunk_size || frame < 5 || frame > raw + format::kMaxFrameHeaderSize) {
      fail(in, "corrupt index (entry " + std::to_string(i) + ")");
    }
    entries.add(frame, raw);
    info.frames_bytes += frame;
    raw_total += raw;
  }
  info.entries_digest = entries.value();
  if (!in.read_u64(info.original_size) || !in.read_u64(info.content_xxh64)) fail(in, kTruncated);
  if (raw_total != info.original_size) fail(in, "corrupt index (chunk sizes do not add up to the original size)");
  const std::uint32_t expected = static_cast<std::uint32_t>(in.digest());
  in.end_digest();
  std::uint32_t stored = 0;
  if (!in.read_u32(stored)) fail(in, kTruncated);
  if (stored != expected) fail(in, "index checksum mismatch (corrupt archive)");
  info.index_size = in.position() - start;

  std::uint8_t footer[format::kFooterSize];
  if (!in.read(footer)) fail(in, "truncated archive (footer missing)");
  if (!std::equal(footer + 12, footer + 16, format::kEndMagic.begin())) fail(in, "corrupt footer (no end marker)");
  if (format::get_u32(footer + 8) != format::low32_xxh64(ByteView(footer, 8))) fail(in, "corrupt footer (checksum)");
  if (format::get_u64(footer) != info.index_size) fail(in, "corrupt footer (index size)");
  return info;
}

namespace {

// The bytes [offset, end) of a seekable source, as a stream.
class RangeSource final : public ByteSource {
 public:
  RangeSource(ByteSource& base, std::uint64_t offset, std::uint64_t end) : base_(base), pos_(offset), end_(end) {}
  std::size_t read(std::span<std::uint8_t> out) override {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), end_ - pos_));
    base_.read_at(pos_, out.first(n));
    pos_ += n;
    return n;
  }
  const std::string& name() const override { return base_.name(); }

 private:
  ByteSource& base_;
  std::uint64_t pos_, end_;
};

}  // namespace

IndexInfo read_index_from_end(ByteSource& source, const ArchiveHeader& header, std::uint64_t header_size) {
  const std::uint64_t size = *source.size();
  const std::string& name = source.name();
  // The smallest index: marker, count, two u64, checksum = 1 + 1 + 8 + 8 + 4 bytes.
  if (size < header_size + 22 + format::kFooterSize) throw Error(name + ": truncated archive (index missing)");
  std::uint8_t footer[format::kFooterSize];
  source.read_at(size - format::kFooterSize, footer);
  if (!std::equal(footer + 12, footer + 16, format::kEndMagic.begin()) ||
      format::get_u32(footer + 8) != format::low32_xxh64(ByteView(footer, 8))) {
    throw Error(name + ": truncated archive (index missing)");
  }
  const std::uint64_t index_size = format::get_u64(footer);
  if (index_size < 22 || index_size > size - format::kFooterSize - header_size) {
    throw Error(name + ": corrupt footer (index size)");
  }
  const std::uint64_t index_offset = size - format::kFooterSize - index_size;
  RangeSource range(source, index_offset, size);
  InputCursor in(range);
  IndexInfo info = parse_index_and_footer(in, header);
  if (info.frames_bytes != index_offset - header_size) {
    throw Error(name + ": corrupt index (chunk sizes do not add up to the archive size)");
  }
  return info;
}

}  // namespace lmzip::archive
