#include "lmzip/eval/measurement.h"

#include <gtest/gtest.h>

namespace lmzip::eval {
namespace {

TEST(Measurement, ChunkedRowsCountTheHeaderOnce) {
  Measurement m;
  m.chunking = Chunking::chunked;
  m.chunks = 10;
  m.raw_bytes = 20480;
  m.coded_bytes_sum = 10 * 1000;  // each chunk: 980 bytes of payload + a 20-byte header
  m.header_bytes = 20;
  EXPECT_EQ(m.compressed_bytes(), 10000u - 9u * 20u);
  EXPECT_DOUBLE_EQ(m.rate(), (10000.0 - 180.0) / 20480.0);
}

TEST(Measurement, WholeRowsIgnoreTheHeader) {
  Measurement m;
  m.chunking = Chunking::whole;
  m.chunks = 1;
  m.raw_bytes = 1000;
  m.coded_bytes_sum = 400;
  m.header_bytes = 20;
  EXPECT_EQ(m.compressed_bytes(), 400u);
  EXPECT_DOUBLE_EQ(m.rate(), 0.4);
}

TEST(Measurement, AdjustedRateAddsTwoBytesPerParameter) {
  Measurement m;
  m.chunking = Chunking::whole;
  m.chunks = 1;
  m.raw_bytes = 1'000'000;
  m.coded_bytes_sum = 170'000;
  m.parameters = 3'286'272;  // the paper's 3.2M transformer
  EXPECT_DOUBLE_EQ(m.adjusted_rate(), (170'000.0 + 2.0 * 3'286'272.0) / 1'000'000.0);
  EXPECT_DOUBLE_EQ(m.rate(), 0.17);
}

TEST(Measurement, FileAdjustedRateCountsTheShippedFile) {
  Measurement m;
  m.chunking = Chunking::whole;
  m.chunks = 1;
  m.raw_bytes = 1'000'000;
  m.coded_bytes_sum = 300'000;
  m.parameters = 232'128;
  m.model_file_bytes = 933'104;  // float32 safetensors: 4 bytes per parameter + header
  EXPECT_DOUBLE_EQ(m.file_adjusted_rate(), (300'000.0 + 933'104.0) / 1'000'000.0);
  EXPECT_DOUBLE_EQ(m.adjusted_rate(), (300'000.0 + 2.0 * 232'128.0) / 1'000'000.0);
}

TEST(Measurement, ThroughputAndEmptyInputs) {
  Measurement m;
  EXPECT_EQ(m.rate(), 0.0);
  EXPECT_EQ(m.compress_mb_per_s(), 0.0);
  m.raw_bytes = 2'000'000;
  m.compress_seconds = 0.5;
  m.decompress_seconds = 0.25;
  EXPECT_DOUBLE_EQ(m.compress_mb_per_s(), 4.0);
  EXPECT_EQ(m.decompress_mb_per_s(), 0.0) << "unverified rows have no decode speed";
  m.verified = true;
  EXPECT_DOUBLE_EQ(m.decompress_mb_per_s(), 8.0);
}

TEST(Measurement, HeaderLargerThanSumDoesNotUnderflow) {
  Measurement m;
  m.chunking = Chunking::chunked;
  m.chunks = 5;
  m.coded_bytes_sum = 10;
  m.header_bytes = 100;
  EXPECT_EQ(m.compressed_bytes(), 0u);
}

}  // namespace
}  // namespace lmzip::eval
