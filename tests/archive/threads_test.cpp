// The archive does not depend on the number of threads, and neither does decoding.
#include <gtest/gtest.h>

#include "archive_test_support.h"
#include "lmzip/archive/archive.h"
#include "lmzip/error.h"
#include "lmzip/model/adaptive.h"

namespace lmzip::archive {
namespace {

using testdata::concat;
using testdata::random_bytes;
using testdata::text_bytes;

TEST(ArchiveThreads, ArchivesAreIdenticalForAnyThreadCount) {
  const Bytes input = concat({text_bytes(150000), random_bytes(20000, 4), text_bytes(33333, 2)});
  for (int k = 0; k <= 2; ++k) {
    const model::AdaptiveOrderModel m(k);
    CompressOptions opt;
    opt.chunk_size = 1024;
    opt.threads = 1;
    const Bytes reference = compress_bytes(m, input, opt);
    for (unsigned t : {2u, 3u, 8u}) {
      opt.threads = t;
      EXPECT_EQ(compress_bytes(m, input, opt), reference) << "order" << k << " threads " << t;
      DecompressOptions dopt;
      dopt.threads = t;
      EXPECT_EQ(decompress_bytes(m, reference, dopt), input) << "order" << k << " threads " << t;
    }
  }
}

TEST(ArchiveThreads, TheReportedErrorIsTheFirstBadChunkWhateverTheThreads) {
  const model::AdaptiveOrderModel m(1);
  const Bytes input = text_bytes(64 * 512);
  CompressOptions opt;
  opt.chunk_size = 512;
  Bytes archive = compress_bytes(m, input, opt);
  // Damage the last byte of many payloads: flip bits near the end of the archive's chunk area.
  for (std::size_t pos = 2000; pos < archive.size() - 400; pos += 997) archive[pos] ^= 0x5A;
  std::string first;
  for (unsigned t : {1u, 2u, 8u}) {
    DecompressOptions dopt;
    dopt.threads = t;
    try {
      decompress_bytes(m, archive, dopt, "x.lmz");
      ADD_FAILURE() << "no error with " << t << " threads";
    } catch (const Error& e) {
      if (first.empty()) first = e.what();
      EXPECT_EQ(first, e.what()) << t << " threads";
    }
  }
  EXPECT_NE(first.find("x.lmz: chunk "), std::string::npos) << first;
}

}  // namespace
}  // namespace lmzip::archive
