#include "lmzip/eval/bench.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sndfile.h>

#include <cmath>
#include <vector>

#include "lmzip/codecs/registry.h"
#include "lmzip/error.h"
#include "lmzip/eval/report.h"
#include "lmzip/model/model_file.h"
#include "test_support.h"

namespace lmzip::eval {
namespace {

// A codec that stores bytes as they are, and one that damages its output on decode: the bench
// must count the first exactly and refuse to report the second.
class StoreCodec : public codecs::Codec {
 public:
  explicit StoreCodec(bool broken) : broken_(broken) {}
  std::string name() const override { return broken_ ? "test-broken" : "test-store"; }
  std::string description() const override { return "test codec"; }
  Bytes compress(ByteView raw) const override {
    Bytes out(raw.size() + 2);
    out[0] = 0xAA;  // a 2-byte "header"
    out[1] = 0xBB;
    std::copy(raw.begin(), raw.end(), out.begin() + 2);
    return out;
  }
  Bytes decompress(ByteView packed, std::size_t raw_size) const override {
    Bytes out(packed.begin() + 2, packed.end());
    if (out.size() != raw_size) throw Error("test-store: wrong size");
    if (broken_ && !out.empty()) out[out.size() / 2] ^= 1;
    return out;
  }
  std::uint64_t parameter_count() const override { return broken_ ? 0 : 1000; }

 private:
  bool broken_;
};

void register_test_codecs() {
  static bool done = [] {
    auto& reg = codecs::Registry::builtin();
    reg.add("test-store", [] { return std::make_unique<StoreCodec>(false); }, false);
    reg.add("test-broken", [] { return std::make_unique<StoreCodec>(true); }, false);
    return true;
  }();
  (void)done;
}

BenchOptions random_options(std::uint64_t bytes, std::vector<std::string> codecs) {
  BenchOptions o;
  data::DatasetSpec spec;
  spec.modality = data::Modality::random;
  spec.random_bytes = bytes;
  spec.seed = 3;
  spec.label = "random";
  o.datasets.push_back(spec);
  o.codecs = std::move(codecs);
  return o;
}

TEST(BenchRunner, StoreCodecGivesExactFigures) {
  register_test_codecs();
  BenchReport r = run_bench(random_options(10 * 2048, {"test-store"}));
  ASSERT_EQ(r.datasets.size(), 1u);
  EXPECT_EQ(r.datasets[0].chunks, 10u);
  EXPECT_EQ(r.datasets[0].raw_bytes, 20480u);
  ASSERT_EQ(r.measurements.size(), 2u);
  const Measurement& whole = r.measurements[0];
  const Measurement& chunked = r.measurements[1];
  EXPECT_EQ(whole.chunking, Chunking::whole);
  EXPECT_EQ(whole.compressed_bytes(), 20480u + 2u);
  EXPECT_EQ(chunked.chunking, Chunking::chunked);
  EXPECT_EQ(chunked.header_bytes, 3u) << "H = size of compressing one zero byte";
  EXPECT_EQ(chunked.coded_bytes_sum, 10u * 2050u);
  EXPECT_EQ(chunked.compressed_bytes(), 10u * 2050u - 9u * 3u);
  EXPECT_TRUE(chunked.verified);
  EXPECT_DOUBLE_EQ(chunked.adjusted_rate(), (chunked.compressed_bytes() + 2000.0) / 20480.0);
}

TEST(BenchRunner, BrokenRoundTripIsAnErrorNotANumber) {
  register_test_codecs();
  try {
    run_bench(random_options(4 * 2048, {"test-broken"}));
    FAIL() << "expected lmzip::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("test-broken"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("chunk 0"), std::string::npos) << e.what();
  }
}

TEST(BenchRunner, NoVerifySkipsDecoding) {
  register_test_codecs();
  auto o = random_options(4 * 2048, {"test-broken"});
  o.verify = false;
  BenchReport r = run_bench(o);
  for (const auto& m : r.measurements) EXPECT_FALSE(m.verified);
  EXPECT_FALSE(r.verified);
  EXPECT_NE(format_table(r).find("NOT verified"), std::string::npos);
}

TEST(BenchRunner, UnknownCodecIsRefused) {
  EXPECT_THROW(run_bench(random_options(2048, {"no-such-codec"})), Error);
}

TEST(BenchRunner, WholeLimitSkipsWholeRows) {
  register_test_codecs();
  auto o = random_options(8 * 2048, {"test-store"});
  o.whole_limit_bytes = 4 * 2048;
  BenchReport r = run_bench(o);
  EXPECT_TRUE(r.datasets[0].whole_skipped);
  ASSERT_EQ(r.measurements.size(), 1u);
  EXPECT_EQ(r.measurements[0].chunking, Chunking::chunked);
  EXPECT_EQ(r.measurements[0].chunks, 8u);
}

TEST(BenchRunner, ChunkLimitAndRealCodecs) {
  auto o = random_options(64 * 2048, {"gzip", "xz"});
  o.datasets[0].max_chunks = 5;
  BenchReport r = run_bench(o);
  EXPECT_EQ(r.datasets[0].chunks, 5u);
  for (const auto& m : r.measurements) {
    EXPECT_TRUE(m.verified);
    EXPECT_EQ(m.raw_bytes, 5u * 2048u);
    EXPECT_GT(m.rate(), 0.99) << m.codec << " cannot compress random bytes";
    EXPECT_LT(m.rate(), 1.02) << m.codec;
  }
}

TEST(BenchRunner, ReportsCarryEveryFigureAndChecksums) {
  register_test_codecs();
  BenchReport r = run_bench(random_options(3 * 2048, {"test-store", "gzip"}));
  auto j = nlohmann::json::parse(to_json(r));
  EXPECT_EQ(j["schema"], "lmzip-bench/1");
  EXPECT_FALSE(j["machine"]["cpu_model"].get<std::string>().empty());
  EXPECT_EQ(j["datasets"][0]["prepared_xxh64"].get<std::string>().size(), 16u);
  EXPECT_EQ(j["measurements"].size(), 4u);
  EXPECT_EQ(j["measurements"][1]["compressed_bytes"], r.measurements[1].compressed_bytes());
  const std::string csv = to_csv(r);
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 5);
  const std::string table = format_table(r);
  EXPECT_NE(table.find("whole"), std::string::npos);
  EXPECT_NE(table.find("2048"), std::string::npos);
  EXPECT_NE(table.find("test-store"), std::string::npos);
}

TEST(BenchRunner, SameSeedSameChecksumOtherSeedOther) {
  register_test_codecs();
  auto a = run_bench(random_options(2 * 2048, {"test-store"}));
  auto b = run_bench(random_options(2 * 2048, {"test-store"}));
  auto o = random_options(2 * 2048, {"test-store"});
  o.datasets[0].seed = 4;
  auto c = run_bench(o);
  EXPECT_EQ(a.datasets[0].prepared_xxh64, b.datasets[0].prepared_xxh64);
  EXPECT_NE(a.datasets[0].prepared_xxh64, c.datasets[0].prepared_xxh64);
}

TEST(BenchRunner, ThreadCountChangesNoFigureButTimes) {
  auto o = random_options(6 * 2048, {"gzip", "zstd", "bzip2"});
  o.datasets.push_back(o.datasets[0]);
  o.datasets[1].seed = 9;
  o.datasets[1].label = "random-2";
  BenchReport one = run_bench(o);
  o.threads = 3;
  BenchReport three = run_bench(o);
  ASSERT_EQ(one.measurements.size(), three.measurements.size());
  for (std::size_t i = 0; i < one.measurements.size(); ++i) {
    EXPECT_EQ(one.measurements[i].codec, three.measurements[i].codec);
    EXPECT_EQ(one.measurements[i].dataset, three.measurements[i].dataset);
    EXPECT_EQ(one.measurements[i].chunking, three.measurements[i].chunking);
    EXPECT_EQ(one.measurements[i].coded_bytes_sum, three.measurements[i].coded_bytes_sum);
  }
  EXPECT_EQ(one.datasets[1].prepared_xxh64, three.datasets[1].prepared_xxh64);
}

TEST(BenchRunner, ModelRowsCarryParametersAndTheFileSize) {
  test::TempDir tmp;
  model::Config c = model::preset("200K");
  c.context = 2048;
  const auto path = tmp / "m.safetensors";
  model::write_model_file(path, c, model::random_weights(c, 1).view(), "bench-test");
  auto o = random_options(2 * 2048, {"lm:" + path.string(), "lm:order1"});
  o.whole = false;
  BenchReport r = run_bench(o);
  ASSERT_EQ(r.measurements.size(), 2u);
  const Measurement& lm = r.measurements[0];
  EXPECT_EQ(lm.parameters, c.parameter_count());
  EXPECT_EQ(lm.model_file_bytes, std::filesystem::file_size(path));
  EXPECT_TRUE(lm.verified);
  EXPECT_GT(lm.adjusted_rate(), lm.rate() + 2.0 * c.parameter_count() / 4096.0 - 1e-9);
  EXPECT_EQ(r.measurements[1].model_file_bytes, 0u) << "built-in models have no file";
  EXPECT_EQ(r.measurements[1].parameters, 0u);
  EXPECT_NE(format_table(r).find("weights file's real size"), std::string::npos);
}

TEST(BenchRunner, LmRowsAreChunkedOnlyAndTheProtocolRowHasThePapersAccounting) {
  auto o = random_options(3 * 2048, {"lm:order1", "lm7:order1", "gzip"});
  BenchReport r = run_bench(o);  // whole rows asked for: only gzip gets one
  ASSERT_EQ(r.measurements.size(), 4u);
  int whole = 0;
  for (const auto& m : r.measurements) {
    if (m.chunking == Chunking::whole) {
      ++whole;
      EXPECT_EQ(m.codec, "gzip") << "lm codecs code 2048-byte chunks: a whole row would repeat the chunked one";
    }
  }
  EXPECT_EQ(whole, 1);
  const Measurement* lm7 = nullptr;
  for (const auto& m : r.measurements) {
    if (m.codec == "lm7:order1") lm7 = &m;
    if (m.codec != "lm7:order1") {
      EXPECT_FALSE(m.has_paper) << m.codec;
    }
  }
  ASSERT_TRUE(lm7);
  EXPECT_TRUE(lm7->has_paper);
  EXPECT_TRUE(lm7->verified);
  // Random data: the dropped low bits are incompressible, so the true rate exceeds the paper's 8/7.
  EXPECT_GT(lm7->paper_rate(), 0.5);
  EXPECT_GT(lm7->rate(), lm7->paper_rate() - 0.02);
  const std::string table = format_table(r);
  EXPECT_NE(table.find("paper's accounting"), std::string::npos) << table;
  const auto j = nlohmann::json::parse(to_json(r));
  bool found = false;
  for (const auto& m : j["measurements"]) {
    if (m["codec"] == "lm7:order1") {
      found = true;
      EXPECT_NEAR(m["paper_rate"].get<double>(), lm7->paper_rate(), 1e-12);
    } else {
      EXPECT_TRUE(m["paper_rate"].is_null());
    }
  }
  EXPECT_TRUE(found);
}

TEST(BenchRunner, ReportSaysWhichAudioWasResampledOrMixed) {
  test::TempDir tmp;
  const auto path = tmp / "stereo44k.wav";
  SF_INFO info{};
  info.samplerate = 44100;
  info.channels = 2;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* f = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(f, nullptr) << sf_strerror(nullptr);
  std::vector<short> frames(2 * 44100);  // one second of a 440 Hz tone, both channels
  for (std::size_t i = 0; i < frames.size() / 2; ++i) {
    frames[2 * i] = frames[2 * i + 1] = static_cast<short>(8000 * std::sin(2 * M_PI * 440.0 * i / 44100.0));
  }
  ASSERT_EQ(sf_writef_short(f, frames.data(), 44100), 44100);
  sf_close(f);

  BenchOptions o;
  o.datasets.push_back(data::parse_dataset_arg("audio=" + path.string()));
  o.codecs = {"gzip"};
  BenchReport r = run_bench(o);
  EXPECT_EQ(r.datasets[0].chunks, 16000u / 2048u) << "one second at 16 kHz after resampling";
  ASSERT_EQ(r.datasets[0].inputs.size(), 1u);
  const std::string note = r.datasets[0].inputs[0].note;
  EXPECT_NE(note.find("mixed 2 channels"), std::string::npos) << note;
  EXPECT_NE(note.find("resampled 44100 Hz -> 16000 Hz"), std::string::npos) << note;
  EXPECT_NE(format_table(r).find("resampled 44100"), std::string::npos);
  EXPECT_EQ(nlohmann::json::parse(to_json(r))["datasets"][0]["inputs"][0]["note"], note);
}

}  // namespace
}  // namespace lmzip::eval
