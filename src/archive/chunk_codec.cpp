// chunk_codec.cpp - coding and decoding one chunk, with the raw fallback.
#include "archive/chunk_codec.h"

#include <algorithm>

#include "lmzip/coding/arithmetic_coder.h"
#include "lmzip/error.h"

namespace lmzip::archive {

namespace {

[[noreturn]] void bad_total(const ChunkPlace& place, std::uint32_t total, unsigned precision_bits) {
  throw Error(place.prefix() + "the model gave a table of total " + std::to_string(total) + ", not 2^" +
              std::to_string(precision_bits) + " as the archive's precision requires");
}

// The check every table passes before it codes a symbol: total 2^precision_bits.
model::ModelSession::TableCheck table_check(unsigned precision_bits, const ChunkPlace& place) {
  const std::uint32_t total = std::uint32_t{1} << precision_bits;
  return [total, precision_bits, &place](const coding::FrequencyTable& table) {
    if (table.size() == 0 || table.total() != total) bad_total(place, table.size() == 0 ? 0 : table.total(), precision_bits);
  };
}

// Decodes `coded` into `out` (out.size() bytes) through the model's incremental path.
void decode_symbols(model::ModelSession& session, ByteView coded, unsigned precision_bits, const ChunkPlace& place,
                    std::span<std::uint8_t> out) {
  coding::ArithmeticDecoder dec(coded);
  try {
    session.decode_chunk(dec, out, table_check(precision_bits, place));
  } catch (const Error& e) {
    const std::string what = e.what();
    if (what.rfind(place.prefix(), 0) == 0) throw;
    throw Error(place.prefix() + what);
  }
}

}  // namespace

void encode_chunk(model::ModelSession& session, ByteView raw, unsigned precision_bits, bool verify,
                  const ChunkPlace& place, format::FrameHeader& frame, Bytes& payload) {
  coding::ArithmeticEncoder enc;
  const bool codable = session.encode_chunk(raw, enc, table_check(precision_bits, place));
  Bytes coded = enc.finish();
  frame.raw_size = static_cast<std::uint32_t>(raw.size());
  frame.checksum = format::low32_xxh64(raw);
  // Stored unless the coded frame is smaller: coded bytes plus their size field against the raw
  // bytes (the frames share everything else), so a frame never exceeds raw size + 5 (+ the raw
  // size field of a short chunk).
  std::size_t size_field = 1;
  for (std::size_t v = coded.size(); v >= 0x80; v >>= 7) ++size_field;
  if (!codable || coded.size() + size_field >= raw.size()) {
    frame.mode = format::kModeStored;
    frame.coded_size = frame.raw_size;
    payload.assign(raw.begin(), raw.end());
    return;
  }
  frame.mode = format::kModeCoded;
  frame.coded_size = static_cast<std::uint32_t>(coded.size());
  if (verify) {
    Bytes check(raw.size());
    decode_symbols(session, coded, precision_bits, place, check);
    if (!std::equal(check.begin(), check.end(), raw.begin())) {
      throw Error(place.prefix() + "verification failed: decoding does not give the input back (the model's "
                  "batched and incremental tables differ)");
    }
  }
  payload = std::move(coded);
}

void decode_chunk(model::ModelSession& session, const format::FrameHeader& frame, ByteView payload,
                  unsigned precision_bits, const ChunkPlace& place, std::span<std::uint8_t> out) {
  if (frame.mode == format::kModeStored) {
    std::copy(payload.begin(), payload.end(), out.begin());
  } else {
    decode_symbols(session, payload, precision_bits, place, out);
  }
  if (format::low32_xxh64(ByteView(out.data(), out.size())) != frame.checksum) {
    throw Error(place.prefix() + "checksum mismatch (corrupt archive)");
  }
}

}  // namespace lmzip::archive
