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

nlohmann::json read_run_json(const std::filesystem::path& dir) {
  const Bytes rj = test::read_file(dir / "run.json");
  return nlohmann::json::parse(std::string(rj.begin(), rj.end()));
}

// Every test starts with a corpus of 20,000 bytes and a held-out part of 2,000 in `tmp`.
class Trainer : public testing::Test {
 protected:
  Trainer() {
    write_text(tmp / "train.txt", 20000);
    write_text(tmp / "valid.txt", 2000);
  }
  test::TempDir tmp;
};

TEST_F(Trainer, LearnsWritesAModelAndALog) {
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

TEST_F(Trainer, ResumeGivesTheSameModelAsOneRun) {
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

TEST_F(Trainer, StopAfterAStepThenResumeWithLongerWindows) {
  auto short_windows = options(tmp, "run");
  short_windows.seq_len = 16;
  short_windows.batch = 8;
  short_windows.stop_after = 12;
  run_training(short_windows);
  EXPECT_EQ(read_run_json(tmp / "run")["steps_done"], 12);
  auto rest = options(tmp, "run");  // windows of 32 from step 13 on
  rest.resume = true;
  std::vector<TrainLogRow> rows;
  run_training(rest, [&](const TrainLogRow& r) { rows.push_back(r); });
  ASSERT_EQ(rows.size(), 18u);
  EXPECT_EQ(rows.front().step, 13);
  EXPECT_EQ(rows.back().bytes_seen, 30u * 128u) << "both phases: 8 x 16 = 4 x 32 bytes a step";
  const auto run = read_run_json(tmp / "run");
  EXPECT_EQ(run["steps_done"], 30);
  ASSERT_EQ(run["sessions"].size(), 2u);  // each phase's steps and windows
  EXPECT_EQ(run["sessions"][0]["steps"], nlohmann::json({1, 12}));
  EXPECT_EQ(run["sessions"][0]["seq_len"], 16);
  EXPECT_EQ(run["sessions"][0]["batch"], 8);
  EXPECT_EQ(run["sessions"][1]["steps"], nlohmann::json({13, 30}));
  EXPECT_EQ(run["sessions"][1]["seq_len"], 32);
}

std::vector<float> weights_of(const std::filesystem::path& model_file) {
  const model::OwnedWeights w(model::ModelFile(model_file).weights());
  return {w.data().begin(), w.data().end()};
}

TEST_F(Trainer, InitStartsFromAModelsWeights) {
  run_training(options(tmp, "first"));
  const auto first = tmp / "first" / "model.safetensors";

  // With a learning rate of zero the weights stay those of the model started from.
  auto still = options(tmp, "still");
  still.init_model = first.string();
  still.steps = 3;
  still.lr = still.min_lr = 0;
  run_training(still);
  EXPECT_EQ(weights_of(tmp / "still" / "model.safetensors"), weights_of(first));

  // Training on from it starts where it ended, not at a random model's 8 bits per byte.
  auto more = options(tmp, "more");
  more.init_model = first.string();
  more.steps = 5;
  std::vector<TrainLogRow> rows;
  run_training(more, [&](const TrainLogRow& r) { rows.push_back(r); });
  ASSERT_FALSE(rows.empty());
  EXPECT_LT(rows.front().loss_bits, 4.5);
  const auto run = read_run_json(tmp / "more");
  EXPECT_EQ(run["init_model"]["sha256"], model::ModelFile(first).sha256());
  EXPECT_EQ(run["init_model"]["model"], first.string());
  EXPECT_EQ(run["steps_done"], 5) << "a fresh schedule";

  // A resume takes the checkpoint's weights and keeps the record of the start.
  auto cut = options(tmp, "cut");
  cut.init_model = first.string();
  cut.max_seconds = 1e-9;
  run_training(cut);
  auto rest = options(tmp, "cut");
  rest.resume = true;
  run_training(rest);
  EXPECT_EQ(read_run_json(tmp / "cut")["init_model"]["sha256"], model::ModelFile(first).sha256());
}

TEST_F(Trainer, InitRefusesAnotherShapeOrAMissingFile) {
  run_training(options(tmp, "first"));
  auto o = options(tmp, "wide");
  o.init_model = (tmp / "first" / "model.safetensors").string();
  o.config.d_mlp = 48;
  try {
    run_training(o);
    FAIL() << "another config";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("config"), std::string::npos) << e.what();
  }
  o = options(tmp, "none");
  o.init_model = (tmp / "absent.safetensors").string();
  try {
    run_training(o);
    FAIL() << "a missing file";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.safetensors"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(tmp / "none" / "log.csv")) << "refused before any step";
}

TEST_F(Trainer, TheGpuBackendsCodeTrainsLikeTheCpuBackend) {
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

TEST_F(Trainer, BadInputsAreClearErrors) {
  write_text(tmp / "train.txt", 50);
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
