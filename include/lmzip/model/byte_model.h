// lmzip/model/byte_model.h - what the compressor needs from a model: next-byte frequency
// tables, computed bit-identically by encoder and decoder on any machine.
//
// The compressor codes each chunk independently: it opens a session, and for every position
// asks for the integer frequency table of the next byte, codes the byte, and feeds it back.
// The encoder, which knows the whole chunk, may ask for all tables at once (tables_for_chunk);
// that path must give exactly the tables that the incremental path gives.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "lmzip/bytes.h"
#include "lmzip/coding/arithmetic_coder.h"
#include "lmzip/coding/frequency_table.h"

namespace lmzip::model {

// What an archive records to name the model it needs.
struct ModelIdentity {
  std::string name;            // e.g. "lmzip-200k-v1" or a file name
  std::string sha256;          // 64 lower-case hex digits of the weights file
  std::uint64_t parameters = 0;
  std::uint32_t numerics_version = 1;  // the numerics contract the tables follow (docs/numerics.md)
  std::uint32_t context = 0;   // the longest chunk the model can code
};

// Per-thread state (e.g. a KV cache). Not thread-safe; one per worker.
class ModelSession {
 public:
  virtual ~ModelSession() = default;
  // Starts a new chunk (position 0: the model has seen only BOS).
  virtual void reset() = 0;
  // The table for the next byte given everything fed since reset().
  virtual const coding::FrequencyTable& next_table() = 0;
  // Feeds the byte that was coded at the current position.
  virtual void feed(std::uint8_t byte) = 0;
  // Calls fn(i, table_i) for every position i of `chunk`, in order (table_i predicts chunk[i]),
  // starting from reset(). The tables must equal those of reset()/next_table()/feed(); a model
  // may compute them in one batched pass. Default: the incremental path.
  using TableFn = std::function<void(std::size_t, const coding::FrequencyTable&)>;
  virtual void tables_for_chunk(ByteView chunk, const TableFn& fn);

  // Coding a whole chunk (what the archive calls). `check` sees every table before it is used
  // (the archive throws from it when a total is not 2^precision). The defaults code one symbol
  // per byte with the tables above (encode: tables_for_chunk; decode: the incremental path).
  // A token model (lmzip/model/token_model.h) overrides both: it codes the chunk's tokens, one
  // table over its vocabulary each, and decodes tokens until out.size() bytes are restored.
  using TableCheck = std::function<void(const coding::FrequencyTable&)>;
  // The precision of the tables, when the model fixes it (a token model: 24); otherwise nullopt
  // and the archive learns it from the first byte table.
  virtual std::optional<unsigned> fixed_precision_bits() const { return std::nullopt; }
  // @return false when this model cannot code `chunk` exactly (a token model whose tokenizer
  // does not give the bytes back); the archive then stores the chunk raw. Byte models: true.
  virtual bool encode_chunk(ByteView chunk, coding::ArithmeticEncoder& enc, const TableCheck& check);
  // Fills `out` (the chunk's raw size is known from the frame). @throws lmzip::Error for a
  // token stream that does not end exactly at out.size() bytes (a corrupt payload).
  virtual void decode_chunk(coding::ArithmeticDecoder& dec, std::span<std::uint8_t> out, const TableCheck& check);
};

class ByteModel {
 public:
  virtual ~ByteModel() = default;
  virtual ModelIdentity identity() const = 0;
  virtual std::unique_ptr<ModelSession> new_session() const = 0;
};

}  // namespace lmzip::model
