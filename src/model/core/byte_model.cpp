#include "lmzip/model/byte_model.h"

namespace lmzip::model {

void ModelSession::tables_for_chunk(ByteView chunk, const TableFn& fn) {
  reset();
  for (std::size_t i = 0; i < chunk.size(); ++i) {
    fn(i, next_table());
    feed(chunk[i]);
  }
}

bool ModelSession::encode_chunk(ByteView chunk, coding::ArithmeticEncoder& enc, const TableCheck& check) {
  tables_for_chunk(chunk, [&](std::size_t i, const coding::FrequencyTable& table) {
    check(table);
    enc.encode(table, chunk[i]);
  });
  return true;
}

void ModelSession::decode_chunk(coding::ArithmeticDecoder& dec, std::span<std::uint8_t> out, const TableCheck& check) {
  reset();
  for (std::size_t i = 0; i < out.size(); ++i) {
    const coding::FrequencyTable& table = next_table();
    check(table);
    out[i] = static_cast<std::uint8_t>(dec.decode(table));
    if (i + 1 < out.size()) feed(out[i]);
  }
}

}  // namespace lmzip::model
