// An archive decodes only with the model that made it, and says which one that is.
#include <gtest/gtest.h>

#include "archive/format.h"
#include "archive_test_support.h"
#include "lmzip/archive/archive.h"
#include "lmzip/error.h"
#include "lmzip/model/adaptive.h"

namespace lmzip::archive {
namespace {

std::string message_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

ArchiveHeader header_of(const model::ByteModel& m) {
  ArchiveHeader h;
  h.format_version = 1;
  h.model = m.identity();
  return h;
}

TEST(ArchiveModelMatch, AnotherModelIsRefusedNamingTheRightOne) {
  const model::AdaptiveOrderModel order1(1), order2(2);
  const Bytes archive = compress_bytes(order1, testdata::text_bytes(3000));
  const std::string e = message_of([&] { decompress_bytes(order2, archive, {}, "x.lmz"); });
  EXPECT_EQ(e, "x.lmz: made with model order1 (sha256 " + order1.identity().sha256 + "), but model order2 (sha256 " +
                   order2.identity().sha256 + ") was given; decompress with -m order1");
}

TEST(ArchiveModelMatch, TheArchiveNamesItsBuiltinModel) {
  const model::AdaptiveOrderModel order0(0);
  const Bytes input = testdata::text_bytes(3000);
  const Bytes archive = compress_bytes(order0, input);
  MemorySource in(archive, "x.lmz");
  ArchiveReader reader(in);
  auto m = model_for_archive(reader.header(), "x.lmz", std::nullopt, "order2");
  EXPECT_EQ(m->identity().name, "order0");
  MemorySink out;
  decompress(reader, *m, out);
  EXPECT_EQ(out.bytes(), input);
  EXPECT_THROW(model_for_archive(reader.header(), "x.lmz", std::string("order1")), Error);
  EXPECT_EQ(model_for_archive(reader.header(), "x.lmz", std::string("order0"))->identity().name, "order0");
}

TEST(ArchiveModelMatch, AModelFileArchiveAsksForTheFile) {
  ArchiveHeader h = header_of(model::AdaptiveOrderModel(2));
  h.model.name = "lmzip-200k.safetensors";
  h.model.sha256 = std::string(64, 'a');
  const std::string e = message_of([&] { model_for_archive(h, "x.lmz", std::nullopt, "order2"); });
  EXPECT_EQ(e, "x.lmz: made with model lmzip-200k.safetensors (sha256 " + std::string(64, 'a') +
                   "), which is not built in; decompress with -m <the model file lmzip-200k.safetensors>");
}

TEST(ArchiveModelMatch, AnotherVersionOfABuiltinModelIsNamed) {
  ArchiveHeader h = header_of(model::AdaptiveOrderModel(2));
  h.model.sha256 = std::string(64, 'b');
  const std::string e = message_of([&] { model_for_archive(h, "x.lmz", std::nullopt); });
  EXPECT_TRUE(contains(e, "x.lmz: made with model order2 (sha256 bbbb")) << e;
  EXPECT_TRUE(contains(e, "different version")) << e;
}

TEST(ArchiveModelMatch, NumericsVersionAndContextAreChecked) {
  const model::AdaptiveOrderModel m(1);
  ArchiveHeader h = header_of(m);
  h.model.numerics_version = 2;
  EXPECT_TRUE(contains(message_of([&] { check_model(h, m, "x.lmz"); }), "numerics version 2")) << message_of([&] { check_model(h, m, "x.lmz"); });
  h = header_of(m);
  EXPECT_NO_THROW(check_model(h, m, "x.lmz"));
}

}  // namespace
}  // namespace lmzip::archive
