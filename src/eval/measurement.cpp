#include "lmzip/eval/measurement.h"

namespace lmzip::eval {

std::string_view to_string(Chunking c) { return c == Chunking::whole ? "whole" : "chunked"; }

std::uint64_t Measurement::compressed_bytes() const {
  if (chunking == Chunking::whole || chunks == 0) return coded_bytes_sum;
  const std::uint64_t shared = (chunks - 1) * header_bytes;
  return coded_bytes_sum > shared ? coded_bytes_sum - shared : 0;
}

double Measurement::rate() const {
  if (raw_bytes == 0) return 0.0;
  return static_cast<double>(compressed_bytes()) / static_cast<double>(raw_bytes);
}

double Measurement::adjusted_rate() const {
  if (raw_bytes == 0) return 0.0;
  return (static_cast<double>(compressed_bytes()) + 2.0 * static_cast<double>(parameters)) /
         static_cast<double>(raw_bytes);
}

double Measurement::file_adjusted_rate() const {
  if (raw_bytes == 0) return 0.0;
  return (static_cast<double>(compressed_bytes()) + static_cast<double>(model_file_bytes)) /
         static_cast<double>(raw_bytes);
}

double Measurement::paper_rate() const {
  if (!has_paper || raw_bytes == 0) return 0.0;
  const double shared = chunking == Chunking::chunked && chunks > 0 ? static_cast<double>(chunks - 1) * paper_header_bytes : 0;
  return (paper_bytes_sum - shared) / static_cast<double>(raw_bytes);
}

double Measurement::compress_mb_per_s() const {
  return compress_seconds > 0 ? static_cast<double>(raw_bytes) / 1e6 / compress_seconds : 0.0;
}

double Measurement::decompress_mb_per_s() const {
  return verified && decompress_seconds > 0 ? static_cast<double>(raw_bytes) / 1e6 / decompress_seconds : 0.0;
}

}  // namespace lmzip::eval
