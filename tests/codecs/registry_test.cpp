// Tests of the codec registry: the built-in list, lookups and registration errors.
#include "lmzip/codecs/registry.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "lmzip/error.h"

namespace lmzip::codecs {
namespace {

const std::vector<std::string> kBuiltinOrder = {"gzip", "xz",   "xz-9e", "png",    "png-64",
                                                "flac", "zstd", "bzip2", "brotli", "jxl"};

// A minimal codec for registering into a local registry.
class IdentityCodec final : public Codec {
 public:
  explicit IdentityCodec(std::string name) : name_(std::move(name)) {}
  std::string name() const override { return name_; }
  std::string description() const override { return "identity"; }
  Bytes compress(ByteView raw) const override { return Bytes(raw.begin(), raw.end()); }
  Bytes decompress(ByteView packed, std::size_t) const override { return Bytes(packed.begin(), packed.end()); }

 private:
  std::string name_;
};

Registry::Factory identity(const std::string& name) {
  return [name] { return std::make_unique<IdentityCodec>(name); };
}

TEST(CodecRegistry, BuiltinNamesInRegistrationOrder) {
  EXPECT_EQ(Registry::builtin().names(), kBuiltinOrder);
}

TEST(CodecRegistry, EveryBuiltinIsInTheDefaultSet) {
  EXPECT_EQ(Registry::builtin().default_names(), kBuiltinOrder);
}

TEST(CodecRegistry, CreatesEachBuiltinUnderItsName) {
  const Registry& registry = Registry::builtin();
  for (const std::string& name : kBuiltinOrder) {
    ASSERT_TRUE(registry.contains(name)) << name;
    std::unique_ptr<Codec> codec = registry.create(name);
    ASSERT_NE(codec, nullptr) << name;
    EXPECT_EQ(codec->name(), name);
    EXPECT_EQ(codec->parameter_count(), 0u) << name;
  }
}

TEST(CodecRegistry, UnknownNameThrowsListingKnownNames) {
  try {
    Registry::builtin().create("lzw");
    FAIL() << "create(\"lzw\") did not throw";
  } catch (const Error& e) {
    std::string message = e.what();
    EXPECT_NE(message.find("unknown codec 'lzw'"), std::string::npos) << message;
    for (const std::string& name : kBuiltinOrder) {
      EXPECT_NE(message.find(name), std::string::npos) << name << " missing from: " << message;
    }
  }
  EXPECT_FALSE(Registry::builtin().contains("lzw"));
  EXPECT_FALSE(Registry::builtin().contains("GZIP"));  // exact, case-sensitive names
  EXPECT_FALSE(Registry::builtin().contains(""));
}

TEST(CodecRegistry, DuplicateAddThrowsAndKeepsTheFirst) {
  Registry registry;
  registry.add("id", identity("id"));
  EXPECT_THROW(registry.add("id", identity("other")), Error);
  EXPECT_EQ(registry.names(), std::vector<std::string>{"id"});
  EXPECT_THROW(Registry::builtin().add("gzip", identity("gzip")), Error);
  EXPECT_EQ(Registry::builtin().names(), kBuiltinOrder);
}

TEST(CodecRegistry, DefaultSetExcludesOptOutCodecs) {
  Registry registry;
  registry.add("a", identity("a"));
  registry.add("b", identity("b"), /*in_default_set=*/false);
  registry.add("c", identity("c"));
  EXPECT_EQ(registry.names(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(registry.default_names(), (std::vector<std::string>{"a", "c"}));
  EXPECT_EQ(registry.create("b")->name(), "b");
}

TEST(CodecRegistry, RejectsEmptyNameAndEmptyFactory) {
  Registry registry;
  EXPECT_THROW(registry.add("", identity("x")), Error);
  EXPECT_THROW(registry.add("x", Registry::Factory{}), Error);
  EXPECT_TRUE(registry.names().empty());
}

TEST(CodecRegistry, EmptyRegistrySaysSoWhenAskedForACodec) {
  Registry registry;
  try {
    registry.create("gzip");
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("unknown codec 'gzip'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lmzip::codecs
