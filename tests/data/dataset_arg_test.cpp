// The --data argument grammar and modality names.
#include <gtest/gtest.h>

#include "lmzip/data/dataset.h"
#include "lmzip/error.h"

namespace lmzip::data {
namespace {

TEST(Modality, NamesRoundTrip) {
  for (Modality m : {Modality::text, Modality::image, Modality::audio, Modality::random}) {
    EXPECT_EQ(parse_modality(to_string(m)), m);
  }
  EXPECT_EQ(to_string(Modality::image), "image");
  EXPECT_THROW(parse_modality("video"), Error);
  EXPECT_THROW(parse_modality(""), Error);
  EXPECT_THROW(parse_modality("Text"), Error);
}

TEST(DatasetArg, PathsAndLabel) {
  const DatasetSpec a = parse_dataset_arg("text=/data/enwik9");
  EXPECT_EQ(a.modality, Modality::text);
  EXPECT_EQ(a.label, "text");
  ASSERT_EQ(a.paths.size(), 1u);
  EXPECT_EQ(a.paths[0], "/data/enwik9");
  EXPECT_EQ(a.chunk_size, kChunkSize);
  EXPECT_EQ(a.max_chunks, 0u);

  const DatasetSpec b = parse_dataset_arg("image=kodak,extra/one.png,x=y.png");
  EXPECT_EQ(b.modality, Modality::image);
  ASSERT_EQ(b.paths.size(), 3u);
  EXPECT_EQ(b.paths[1], "extra/one.png");
  EXPECT_EQ(b.paths[2], "x=y.png");  // only the first '=' separates the modality

  EXPECT_EQ(parse_dataset_arg("audio=a.wav").modality, Modality::audio);

  const DatasetSpec c = parse_dataset_arg("text:wikitext2=w/test.txt");
  EXPECT_EQ(c.modality, Modality::text);
  EXPECT_EQ(c.label, "wikitext2");
  EXPECT_EQ(c.paths, std::vector<std::filesystem::path>{"w/test.txt"});
  EXPECT_THROW(parse_dataset_arg("text:=a.txt"), Error) << "an empty label";
  EXPECT_THROW(parse_dataset_arg("texts:x=a.txt"), Error) << "the modality is still checked";
}

TEST(DatasetArg, RandomCountsAndSeeds) {
  const DatasetSpec r = parse_dataset_arg("random=1000");
  EXPECT_EQ(r.modality, Modality::random);
  EXPECT_EQ(r.random_bytes, 1000u);
  EXPECT_EQ(r.seed, 0u);
  EXPECT_TRUE(r.paths.empty());
  EXPECT_EQ(parse_dataset_arg("random=3k").random_bytes, 3000u);
  EXPECT_EQ(parse_dataset_arg("random=3K").random_bytes, 3000u);
  EXPECT_EQ(parse_dataset_arg("random=2M").random_bytes, 2000000u);
  EXPECT_EQ(parse_dataset_arg("random=1G").random_bytes, 1000000000u);
  EXPECT_EQ(parse_dataset_arg("random=3Ki").random_bytes, 3072u);
  EXPECT_EQ(parse_dataset_arg("random=2Mi").random_bytes, 2097152u);
  EXPECT_EQ(parse_dataset_arg("random=1Gi").random_bytes, 1073741824u);
  const DatasetSpec s = parse_dataset_arg("random=10Mi:18446744073709551615");
  EXPECT_EQ(s.random_bytes, 10485760u);
  EXPECT_EQ(s.seed, 18446744073709551615ull);
  EXPECT_EQ(parse_dataset_arg("random=5:42").seed, 42u);
}

TEST(DatasetArg, Errors) {
  for (const char* bad : {"text", "text=", "text=a,,b", "text=a,", ",text=a", "video=x",
                          "=x", "random=", "random=abc", "random=10X", "random=1.5M",
                          "random=-1", "random=0", "random=10:", "random=10:x",
                          "random=10:18446744073709551616", "random=20000000000G", "random=k",
                          "random=Ki"}) {
    EXPECT_THROW(parse_dataset_arg(bad), Error) << bad;
  }
  try {
    parse_dataset_arg("text=a,,b");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("empty path"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lmzip::data
