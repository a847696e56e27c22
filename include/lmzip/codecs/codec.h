// lmzip/codecs/codec.h - one interface for every compressor lmzip measures.
//
// A Codec turns a byte block into a self-contained compressed block and back. The classical
// codecs (gzip, xz, PNG, FLAC, ...) wrap their real libraries; language-model compressors plug
// in behind the same interface later. Codecs are stateless: compress() and decompress() are
// const and may be called from several threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "lmzip/bytes.h"

namespace lmzip::codecs {

class Codec {
 public:
  virtual ~Codec() = default;

  // Short registry name, e.g. "gzip", "xz-9e", "png-64".
  virtual std::string name() const = 0;
  // One line for tables and --help: library, level, container, e.g. "zlib 1.2.13, level 9, gzip container".
  virtual std::string description() const = 0;

  // Compresses `raw` (any length, including 0) into a block that decompress() restores.
  // @throws lmzip::Error if the library fails.
  virtual Bytes compress(ByteView raw) const = 0;

  // Restores the original bytes. `raw_size` is the original length (known to the caller, as the
  // paper's chunk size is); codecs whose container stores the length check it against this.
  // @return exactly raw_size bytes.
  // @throws lmzip::Error if `packed` is corrupt, truncated or decodes to a different length.
  virtual Bytes decompress(ByteView packed, std::size_t raw_size) const = 0;

  // Number of model parameters, for the paper's adjusted rate (2 bytes per parameter).
  // 0 for classical codecs.
  virtual std::uint64_t parameter_count() const { return 0; }

  // Size in bytes of the model's weights file as shipped (0 for classical codecs and built-in
  // models), for a second adjusted rate that counts the real file instead of 2 bytes/parameter.
  virtual std::uint64_t model_file_bytes() const { return 0; }

  // The form of this codec for data of kind `modality` ("text", "image", "audio", "random"), or
  // nullptr when it codes every kind alike (all but the paper's 7-bit protocol, "lm7:MODEL").
  // The bench asks once per data set.
  virtual std::unique_ptr<Codec> for_modality(std::string_view /*modality*/) const { return nullptr; }

  // True for codecs that cut whatever they are given into their own fixed chunks (lmzip's own
  // compressor, 2048-byte chunks): a "whole stream" row would repeat the chunked one, so the
  // bench measures only the chunked row.
  virtual bool codes_in_chunks() const { return false; }

  // The paper's accounting of a compressed block where it differs from the true size (the
  // 7-bit protocol: the model's code x 8/7); nullopt for every other codec.
  virtual std::optional<double> paper_bytes(ByteView /*packed*/) const { return std::nullopt; }
};

}  // namespace lmzip::codecs
