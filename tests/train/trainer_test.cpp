#include "lmzip/train/trainer.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "lmzip/error.h"
#include "lmzip/model/model_file.h"
#include "test_support.h"

namespace lmzip::train {
namespace {

model::Config tiny_config() {
  model::Config c;
  c.d_model = 16;
  c.n_layers = 1;
  c.n_heads = 2;
  c.d_mlp = 32;
  c.context = 64;
  return c;
}

void write_text(const std::filesystem::path& p, std::size_t n) {
  const std::string line = "the cat sat on the mat and the dog sat on the log. ";
  std::string s;
  while (s.size() < n) s += line;
  s.resize(n);
  test::write_file(p, ByteView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

TrainerOptions options(const test::TempDir& tmp, const std::string& out) {
  TrainerOptions o;
  o.config = tiny_config();
  o.train_file = tmp / "train.txt";
  o.valid_file = tmp / "valid.txt";
  o.out_dir = tmp / out;
  o.seq_len = 32;
  o.batch = 4;
  o.threads = 2;
  o.backend = "cpu";  // the exact-reproducibility checks below are the CPU backend's promise
  o.steps = 30;
  o.warmup = 5;
  o.lr = 1e-2;
  o.eval_every = 10;
  o.eval_bytes = 512;
  o.seed = 3;
  return o;
}

TEST(Trainer, LearnsWritesAModelAndALog) {
  test::TempDir tmp;
  write_text(tmp / "train.txt", 20000);
  write_text(tmp / "valid.txt", 2000);
  std::vector<TrainLogRow> rows;
  const double bits = run_training(options(tmp, "run"), [&](const TrainLogRow& r) { rows.push_back(r); });
  ASSERT_EQ(rows.size(), 30u);
  EXPECT_GT(rows.front().loss_bits, 6.0) << "a random model starts near 8 bits per byte";
  EXPECT_LT(bits, 4.0) << "30 steps on a repetitive text must learn something";
  EXPECT_GE(rows[9].valid_bits, 0.0) << "evaluated at step 10";
  EXPECT_LT(rows[8].valid_bits, 0.0) << "no evaluation between eval_every steps";
  model::ModelFile m(tmp / "run" / "model.safetensors");
  EXPECT_EQ(m.config(), tiny_config());
  const Bytes log = test::read_file(tmp / "run" / "log.csv");
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 31);
  // The JSON log: the same rows, one object per line.
  const Bytes jl = test::read_file(tmp / "run" / "log.jsonl");
  std::vector<nlohmann::json> lines;
  std::string text(jl.begin(), jl.end());
  for (std::size_t pos = 0, nl; (nl = text.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    lines.push_back(nlohmann::json::parse(text.substr(pos, nl - pos)));
  }
  ASSERT_EQ(lines.size(), 30u);
  EXPECT_EQ(lines[9]["step"], 10);
  EXPECT_DOUBLE_EQ(lines[9]["valid_bits"].get<double>(), rows[9].valid_bits);
  EXPECT_TRUE(lines[8]["valid_bits"].is_null());
  EXPECT_DOUBLE_EQ(lines[29]["loss_bits"].get<double>(), rows[29].loss_bits);
  // The run summary that model cards are made from.
  const Bytes rj = test::read_file(tmp / "run" / "run.json");
  const auto run = nlohmann::json::parse(std::string(rj.begin(), rj.end()));
  EXPECT_EQ(run["steps_done"], 30);
  EXPECT_EQ(run["bytes_seen"], 30 * 4 * 32);
  EXPECT_DOUBLE_EQ(run["valid_bits_per_byte"].get<double>(), bits);
  EXPECT_EQ(run["sessions"].size(), 1u);
}

TEST(Trainer, ResumeGivesTheSameModelAsOneRun) {
  test::TempDir tmp;
  write_text(tmp / "train.txt", 20000);
  write_text(tmp / "valid.txt", 2000);
  run_training(options(tmp, "straight"));
  auto first = options(tmp, "resumed");
  first.max_seconds = 1e-9;  // stops (and checkpoints) after its first step
  run_training(first);
  auto rest = options(tmp, "resumed");
  rest.resume = true;
  run_training(rest);
  EXPECT_EQ(test::read_file(tmp / "straight" / "model.safetensors"), test::read_file(tmp / "resumed" / "model.safetensors"));
  const Bytes rj = test::read_file(tmp / "resumed" / "run.json");
  const auto run = nlohmann::json::parse(std::string(rj.begin(), rj.end()));
  EXPECT_EQ(run["sessions"].size(), 2u) << "a resumed run keeps the earlier session";
  EXPECT_EQ(run["steps_done"], 30);
}

TEST(Trainer, TheGpuBackendsCodeTrainsLikeTheCpuBackend) {
  test::TempDir tmp;
  write_text(tmp / "train.txt", 20000);
  write_text(tmp / "valid.txt", 2000);
  auto cpu = options(tmp, "cpu");
  cpu.steps = 10;
  auto gpu = cpu;
  gpu.out_dir = tmp / "gpu";
  gpu.backend = "emulated-gpu";  // the CUDA backend's kernels and call sequence, run on the CPU
  const double bits_cpu = run_training(cpu);
  const double bits_gpu = run_training(gpu);
  EXPECT_LT(bits_gpu, 7.5) << "it learned";
  EXPECT_NEAR(bits_gpu, bits_cpu, 1e-3) << "same data, same optimizer: only float rounding differs";
  const Bytes rj = test::read_file(tmp / "gpu" / "run.json");
  const auto run = nlohmann::json::parse(std::string(rj.begin(), rj.end()));
  EXPECT_EQ(run["backend"], "emulated-gpu");
}

TEST(Trainer, BadInputsAreClearErrors) {
  test::TempDir tmp;
  write_text(tmp / "train.txt", 50);
  write_text(tmp / "valid.txt", 2000);
  EXPECT_THROW(run_training(options(tmp, "run")), Error) << "corpus smaller than the windows";
  write_text(tmp / "train.txt", 20000);
  auto o = options(tmp, "run");
  o.batch = 3;  // not a multiple of 2 threads
  EXPECT_THROW(run_training(o), Error);
  o = options(tmp, "run");
  o.resume = true;  // no checkpoint yet
  EXPECT_THROW(run_training(o), Error);
  write_text(tmp / "valid.txt", 40);
  EXPECT_THROW(run_training(options(tmp, "run")), Error) << "held-out text smaller than a batch of windows";
  write_text(tmp / "valid.txt", 2000);
  o = options(tmp, "run");
  o.eval_bytes = 64;  // less than one batch of 4 windows of 32: refused before any step
  EXPECT_THROW(run_training(o), Error);
  EXPECT_FALSE(std::filesystem::exists(tmp / "run" / "log.csv")) << "nothing trained before the refusal";
  o = options(tmp, "run");
  o.train_file = tmp / "missing.txt";
  try {
    run_training(o);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("missing.txt"), std::string::npos);
  }
  run_training(options(tmp, "run"));
  o = options(tmp, "run");
  o.resume = true;
  o.config.d_mlp = 48;
  EXPECT_THROW(run_training(o), Error) << "a resume with another config";
}

}  // namespace
}  // namespace lmzip::train
