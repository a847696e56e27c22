#include "lmzip/eval/figure2.h"

#include <gtest/gtest.h>

#include "lmzip/error.h"
#include "lmzip/eval/bench.h"
#include "lmzip/eval/report.h"

namespace lmzip::eval {
namespace {

std::string report_json() {
  BenchReport r;
  r.codecs = {"lm:big", "gzip", "lm:dir/sub/m.bin@dir/tok.bin"};
  r.verified = true;
  auto row = [](std::string codec, std::uint64_t params, std::uint64_t coded) {
    Measurement m;
    m.codec = std::move(codec);
    m.dataset = "text";
    m.chunks = 1;
    m.raw_bytes = 50'000'000;
    m.coded_bytes_sum = coded;
    m.parameters = params;
    m.verified = true;
    return m;
  };
  r.measurements = {row("lm:big", 3'000'000, 10'000'000), row("gzip", 0, 24'000'000),
                    row("lm:dir/sub/m.bin@dir/tok.bin", 1000, 30'000'000)};
  Measurement whole = row("gzip", 0, 1);
  whole.chunking = Chunking::whole;
  r.measurements.push_back(whole);  // whole rows are not Figure 2 points
  return to_json(r);
}

// A later run's report: `rows` (codec, coded bytes) on text prepared to `prepared`, 300 chunks.
std::string run_report(const std::string& prepared, const std::vector<std::pair<std::string, std::uint64_t>>& rows,
                       bool describe_data = true) {
  BenchReport r;
  r.verified = true;
  if (describe_data) {
    DatasetResult d;
    d.label = "text";
    d.chunks = 300;
    d.raw_bytes = 614'400;
    d.prepared_xxh64 = prepared;
    r.datasets.push_back(d);
  }
  for (const auto& [codec, coded] : rows) {
    Measurement m;
    m.codec = codec;
    m.dataset = "text";
    m.chunks = 300;
    m.raw_bytes = 614'400;
    m.coded_bytes_sum = coded;
    m.parameters = codec == "gzip" ? 0 : 1'000'000;
    m.verified = true;
    r.codecs.push_back(codec);
    r.measurements.push_back(m);
  }
  return to_json(r);
}

TEST(Figure2, AdjustedRateIsRawPlusTwoBytesPerParameterOverTheDataSize) {
  const auto pts = figure2_points(report_json(), "text");
  ASSERT_EQ(pts.size(), 9u);  // 3 chunked rows x 3 sizes
  EXPECT_EQ(pts[0].codec, "lm:big");
  EXPECT_EQ(pts[0].data_bytes, 10'000'000u);
  EXPECT_DOUBLE_EQ(pts[0].raw_rate, 0.2);
  EXPECT_DOUBLE_EQ(pts[0].adjusted_rate, 0.2 + 0.6);  // 6 MB of weights on 10 MB of data
  EXPECT_FALSE(pts[0].extrapolated);
  EXPECT_DOUBLE_EQ(pts[2].adjusted_rate, 0.2 + 0.006);  // 1 GB
  EXPECT_TRUE(pts[2].extrapolated) << "1 GB > the 50 MB measured";
  EXPECT_DOUBLE_EQ(pts[4].adjusted_rate, 0.48) << "no parameters: adjusted = raw";
  const std::string table = figure2_table(pts);
  EXPECT_NE(table.find("lm:big\t3000000\t1000000000\t20.0000\t20.6000\t50000000\tyes\tlm:big"), std::string::npos) << table;
  EXPECT_NE(table.find("\tlm:m.bin\n"), std::string::npos) << "plot labels drop folders and the tokenizer";
  const auto own = figure2_points(run_report("4ed6", {{"lm:models/lmzip-3.2m/model.safetensors", 1}}), "text", {10'000'000});
  EXPECT_NE(figure2_table(own).find("\tlm:lmzip-3.2m\n"), std::string::npos) << "models/NAME/model.* is labelled NAME";
  EXPECT_NE(figure2_gnuplot_script("t.tsv", "f.png", "x").find("set output 'f.png'"), std::string::npos);
}

TEST(Figure2, UnknownDataSetAndForeignJsonAreErrors) {
  try {
    figure2_points(report_json(), "audio");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("text"), std::string::npos) << "lists the known data sets: " << e.what();
  }
  EXPECT_THROW(figure2_points("{\"schema\": \"other\"}", "text"), Error);
  EXPECT_THROW(figure2_points("not json", "text"), Error);
}

std::string message_of(const std::vector<NamedReport>& reports) {
  try {
    figure2_points(reports, "text");
  } catch (const Error& e) {
    return e.what();
  }
  return "no error";
}

TEST(Figure2, ReportsOfTheSameDataJoinAndACodecInSeveralAppearsOnce) {
  const std::vector<NamedReport> reports = {{"a.json", run_report("4ed6", {{"gzip", 300'000}, {"lm:old", 200'000}})},
                                            {"b.json", run_report("4ed6", {{"gzip", 300'000}, {"lm:new", 150'000}})}};
  const auto pts = figure2_points(reports, "text", {10'000'000});
  ASSERT_EQ(pts.size(), 3u);
  EXPECT_EQ(pts[0].codec, "gzip");
  EXPECT_EQ(pts[1].codec, "lm:old");
  EXPECT_EQ(pts[2].codec, "lm:new");
  EXPECT_DOUBLE_EQ(pts[2].raw_rate, 150'000.0 / 614'400);
  EXPECT_DOUBLE_EQ(pts[2].adjusted_rate, 150'000.0 / 614'400 + 0.2);
}

TEST(Figure2, ReportsOfOtherBytesOrDisagreeingRowsDoNotJoin) {
  const std::string a = run_report("4ed6", {{"gzip", 300'000}});
  std::string m = message_of({{"a.json", a}, {"b.json", run_report("9999", {{"lm:new", 1}})}});
  EXPECT_NE(m.find("a.json"), std::string::npos) << m;
  EXPECT_NE(m.find("b.json"), std::string::npos) << m;
  EXPECT_NE(m.find("9999"), std::string::npos) << m;
  m = message_of({{"a.json", a}, {"b.json", run_report("4ed6", {{"gzip", 300'001}})}});
  EXPECT_NE(m.find("not the same measurement"), std::string::npos) << m;
  m = message_of({{"a.json", a}, {"b.json", run_report("4ed6", {{"lm:new", 1}}, false)}});
  EXPECT_NE(m.find("b.json does not describe"), std::string::npos) << m;
  m = message_of({{"a.json", a}, {"c.json", "[]"}});
  EXPECT_NE(m.find("c.json is not an lmzip bench report"), std::string::npos) << m;
  EXPECT_THROW(figure2_points(std::vector<NamedReport>{}, "text"), Error);
}

}  // namespace
}  // namespace lmzip::eval
