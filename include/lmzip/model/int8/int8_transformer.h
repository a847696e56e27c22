// lmzip/model/int8/int8_transformer.h - the byte transformer (config.h) run with int8 weights and
// activations under numerics contract version 1 (docs/numerics.md): every matmul is
// int8 x int8 -> int32 (exact in any order), every float step follows numerics.h in a fixed
// order, so the frequency tables are bit-identical on every x86-64 machine, for every kernel
// path, thread count and batch size.
//
//   Int8Transformer model(weights, {"my-model", sha256_hex}, {});  // quantises the weights
//   auto session = model.new_session();                  // KV cache for config.context positions
//   session->reset();
//   for (byte b : chunk) { coder.encode(session->next_table(), b); session->feed(b); }
//   session->tables_for_chunk(chunk, fn);                // the same tables, blocks of positions
#pragma once

#include <memory>

#include "lmzip/model/byte_model.h"
#include "lmzip/model/int8/kernel_path.h"
#include "lmzip/model/weights.h"

namespace lmzip::model::int8 {

struct QuantizedModel;  // the quantised weights, RoPE table and kernels (private)

struct Int8Options {
  // Which kernels run; automatic = $LMZIP_KERNELS if set, else the fastest this CPU supports.
  KernelPath kernels = KernelPath::automatic;
  // Positions per block in tables_for_chunk() (>= 1; clamped to the context). Any value gives
  // the same tables; larger blocks run the projections as GEMMs over more rows.
  int block = 64;
};

class Int8Transformer final : public ByteModel {
 public:
  // Quantises `weights` (copying everything it needs: the view may die afterwards) and builds
  // the RoPE table. identity() is `id` with numerics_version = kNumericsVersion (numerics.h) and
  // context = weights.config.context.
  // @throws lmzip::Error if the config is out of range (d_model % n_heads != 0, odd head_dim,
  //         head_dim > 1024, n_heads > 1024, d_mlp > 2^17, context outside 1..2^20, ...), a
  //         weight is not finite, options.block < 1, or the kernel path is unknown or
  //         unsupported on this CPU.
  Int8Transformer(const Weights& weights, ModelIdentity id, Int8Options options = {});
  ~Int8Transformer() override;

  ModelIdentity identity() const override;
  // A session with its own KV cache (int8 keys and values: about L * context * (2 D + 12 H)
  // bytes, 1.4 MB for the 200K preset) and buffers for `block` positions. Sessions are
  // independent and may run on different threads; one session is not thread-safe.
  //   next_table() @throws lmzip::Error once context bytes have been fed;
  //   feed()       @throws lmzip::Error for the (context + 1)-th byte since reset();
  //   tables_for_chunk() @throws lmzip::Error if the chunk is longer than the context (before
  //                calling fn), and leaves the session as if every byte had been fed;
  //   reset() and tables_for_chunk() @throw lmzip::Error if the thread's floating-point
  //                environment is not the IEEE default (flush-to-zero, denormals-are-zero or a
  //                directed rounding mode switched on, e.g. by code built with -ffast-math).
  std::unique_ptr<ModelSession> new_session() const override;

  const Config& config() const;
  // The resolved kernel path (never automatic).
  KernelPath kernel_path() const;
  int block() const;

 private:
  std::shared_ptr<const QuantizedModel> model_;
  ModelIdentity identity_;
};

}  // namespace lmzip::model::int8
