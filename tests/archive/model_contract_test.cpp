// What the compressor does when a model breaks its contract (byte_model.h): tables that are not
// power-of-two totals, or a batched path that differs from the incremental one.
#include <gtest/gtest.h>

#include "archive_test_support.h"
#include "lmzip/archive/archive.h"
#include "lmzip/error.h"

namespace lmzip::archive {
namespace {

coding::FrequencyTable uniform(std::uint32_t per_symbol) {
  coding::FrequencyTable t;
  for (std::uint32_t i = 0; i <= 256; ++i) t.cum.push_back(i * per_symbol);
  return t;
}

// Incremental tables are uniform over 2^16; the batched path favours 'e' heavily: the two paths
// disagree, which only decoding (or --verify) can notice.
class TwoFacedModel final : public model::ByteModel {
 public:
  explicit TwoFacedModel(std::uint32_t per_symbol = 256) : per_symbol_(per_symbol) {}
  model::ModelIdentity identity() const override {
    model::ModelIdentity id;
    id.name = "two-faced";
    id.sha256 = std::string(64, 'c');
    id.context = 1 << 20;
    return id;
  }
  std::unique_ptr<model::ModelSession> new_session() const override { return std::make_unique<Session>(per_symbol_); }

 private:
  class Session final : public model::ModelSession {
   public:
    explicit Session(std::uint32_t per_symbol) : table_(uniform(per_symbol)), skewed_(table_) {
      // Move most of the mass to 'e' while keeping the total.
      const std::uint32_t total = skewed_.cum[256];
      for (std::uint32_t i = 0; i <= 256; ++i) skewed_.cum[i] = i <= 'e' ? i : total - (256 - i);
    }
    void reset() override {}
    const coding::FrequencyTable& next_table() override { return table_; }
    void feed(std::uint8_t) override {}
    void tables_for_chunk(ByteView chunk, const TableFn& fn) override {
      for (std::size_t i = 0; i < chunk.size(); ++i) fn(i, skewed_);
    }

   private:
    coding::FrequencyTable table_, skewed_;
  };
  std::uint32_t per_symbol_;
};

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ArchiveModelContract, VerifyCatchesBatchedAndIncrementalTablesThatDiffer) {
  const TwoFacedModel m;
  const Bytes input(3000, 'e');  // cheap under the skewed tables, so the chunks are model-coded
  CompressOptions opt;
  opt.chunk_size = 1000;
  opt.verify = true;
  const std::string e = message_of([&] { compress_bytes(m, input, opt); });
  EXPECT_NE(e.find("(memory): chunk 0: verification failed"), std::string::npos) << e;

  // Without --verify the archive is written, and decoding catches it by the chunk checksum.
  opt.verify = false;
  const Bytes archive = compress_bytes(m, input, opt);
  const std::string d = message_of([&] { decompress_bytes(m, archive, {}, "x.lmz"); });
  EXPECT_EQ(d, "x.lmz: chunk 0: checksum mismatch (corrupt archive)");
}

TEST(ArchiveModelContract, TablesMustHaveAPowerOfTwoTotal) {
  const TwoFacedModel m(100);  // total 25600
  const std::string e = message_of([&] { compress_bytes(m, Bytes{1, 2, 3}); });
  EXPECT_NE(e.find("model two-faced: gives tables of 256 symbols and total 25600"), std::string::npos) << e;
}

TEST(ArchiveModelContract, PrecisionIsTheModelsTotal) {
  const TwoFacedModel m(256);  // total 2^16
  const Bytes input = testdata::random_bytes(500, 1);
  const Bytes archive = compress_bytes(m, input);
  MemorySource src(archive);
  EXPECT_EQ(list(src).header.precision_bits, 16u);
}

}  // namespace
}  // namespace lmzip::archive
