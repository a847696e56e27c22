// lmzip/eval/measurement.h - one compressor on one data set, and the paper's rates.
//
// raw rate      = compressed bytes / original bytes
// adjusted rate = (compressed bytes + 2 bytes x parameters) / original bytes   (float16 weights)
// file-adjusted = (compressed bytes + the model file's size) / original bytes  (what is shipped)
// Chunked rows compress each chunk alone; as the paper's code does, a codec's fixed header H
// (the size of compressing one zero byte) is counted once for the whole data set:
//   compressed = sum of chunk sizes - (chunks - 1) x H.
// Whole rows compress the data set's prepared bytes (all chunks, in order) as one stream.
// paper rate    = the paper's own accounting where a codec has one (the 7-bit protocol of
//                 "lm7:MODEL": the model's code x 8/7, its header counted once like H), beside
//                 the true rate, which also counts the dropped bits' code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace lmzip::eval {

enum class Chunking { whole, chunked };
std::string_view to_string(Chunking c);  // "whole", "chunked"

struct Measurement {
  std::string codec;
  std::string description;
  Chunking chunking = Chunking::chunked;
  std::string dataset;

  std::uint64_t chunks = 0;            // chunks coded (1 for whole)
  std::uint64_t raw_bytes = 0;         // original bytes
  std::uint64_t coded_bytes_sum = 0;   // sum of every compressed block as produced
  std::uint64_t header_bytes = 0;      // H, chunked only (0 for whole)
  std::uint64_t parameters = 0;        // model parameters (0 for classical codecs)
  std::uint64_t model_file_bytes = 0;  // the model's weights file (0: none)
  double compress_seconds = 0;         // wall time inside compress(), one thread
  double decompress_seconds = 0;       // wall time inside decompress(), 0 if not verified
  bool verified = false;               // every block decoded and compared equal
  bool has_paper = false;              // the codec has a paper accounting (Codec::paper_bytes)
  double paper_bytes_sum = 0;          // sum of paper_bytes() of every block
  double paper_header_bytes = 0;       // paper_bytes() of H's block (chunked only)

  // coded_bytes_sum - (chunks - 1) x H for chunked rows, coded_bytes_sum for whole rows.
  std::uint64_t compressed_bytes() const;
  double rate() const;           // compressed / raw; 0 when raw is 0
  double adjusted_rate() const;  // (compressed + 2 x parameters) / raw
  double file_adjusted_rate() const;  // (compressed + model file bytes) / raw
  double paper_rate() const;     // (paper_bytes_sum - (chunks - 1) x paper H) / raw; 0 without one
  double compress_mb_per_s() const;    // raw bytes / 1e6 / compress_seconds
  double decompress_mb_per_s() const;  // 0 if not verified
};

}  // namespace lmzip::eval
