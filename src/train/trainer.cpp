// The training loop: data sampling, data-parallel steps, evaluation, checkpoints. See trainer.h.
#include "lmzip/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cmath>
#include <fstream>
#include <memory>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "lmzip/common/file_io.h"
#include "lmzip/error.h"
#include "lmzip/eval/machine.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/open_model.h"
#include "lmzip/model/safetensors.h"
#include "lmzip/train/adamw.h"
#include "lmzip/train/engine.h"

namespace lmzip::train {

namespace {

using Clock = std::chrono::steady_clock;
constexpr double kLn2 = 0.69314718055994530942;

std::uint64_t mix(std::uint64_t x) {  // splitmix64's output function
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

// Start of window b of step s: uniform over the corpus (the last window ends at its end).
std::size_t window_start(std::uint64_t seed, std::int64_t step, int b, std::size_t corpus, int seq_len) {
  const std::uint64_t h = mix(mix(seed) ^ mix(static_cast<std::uint64_t>(step) * 1000003u + static_cast<unsigned>(b)));
  return static_cast<std::size_t>(h % (corpus - static_cast<std::size_t>(seq_len) + 1));
}

ByteView as_bytes(std::span<const float> v) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(v.data()), v.size() * sizeof(float));
}

void save_checkpoint(const std::filesystem::path& path, const TrainerOptions& o, std::span<const float> params,
                     const AdamW& opt, std::uint64_t bytes_seen) {
  const std::uint64_t n = params.size();
  std::vector<model::TensorToWrite> tensors = {
      {"params", model::DType::F32, {n}, as_bytes(params)},
      {"adam.m", model::DType::F32, {n}, as_bytes(opt.m())},
      {"adam.v", model::DType::F32, {n}, as_bytes(opt.v())},
  };
  model::SafetensorsMetadata meta = {{"format", "lmzip-train-checkpoint/1"},
                                     {"config", model::to_json(o.config)},
                                     {"seed", std::to_string(o.seed)},
                                     {"seq_len", std::to_string(o.seq_len)},
                                     {"step", std::to_string(opt.steps_taken())},
                                     {"bytes_seen", std::to_string(bytes_seen)}};
  model::write_safetensors(path, tensors, meta);
}

// Loads params and optimizer state; @return bytes seen so far.
std::uint64_t load_checkpoint(const std::filesystem::path& path, const TrainerOptions& o, std::span<float> params,
                              AdamW& opt) {
  model::SafetensorsFile f(path);
  const auto& meta = f.metadata();
  auto get = [&](const std::string& key) {
    auto it = meta.find(key);
    if (it == meta.end()) throw Error(path.string() + ": not an lmzip training checkpoint (no " + key + ")");
    return it->second;
  };
  if (get("format") != "lmzip-train-checkpoint/1") throw Error(path.string() + ": not an lmzip training checkpoint");
  if (model::config_from_json(get("config")) != o.config) {
    throw Error(path.string() + ": checkpoint has config " + get("config") + ", but this run asks for " +
                model::to_json(o.config));
  }
  if (get("seed") != std::to_string(o.seed)) {
    throw Error(path.string() + ": checkpoint was made with seed " + get("seed") + "; resume with the same seed");
  }
  // seq_len may change on resume (e.g. short windows first, then the full context).
  auto tensor = [&](const char* name) {
    const auto* t = f.find(name);
    if (!t || t->dtype != model::DType::F32 || t->data.size() != params.size() * sizeof(float)) {
      throw Error(path.string() + ": tensor " + name + " missing or of the wrong size");
    }
    std::vector<float> v(params.size());
    std::memcpy(v.data(), t->data.data(), t->data.size());
    return v;
  };
  const auto p = tensor("params");
  std::copy(p.begin(), p.end(), params.begin());
  opt.restore(tensor("adam.m"), tensor("adam.v"), std::stoll(get("step")));
  return std::stoull(get("bytes_seen"));
}

// The weights of o.init_model (an embedded model's name or a model file) and their record for
// run.json. @throws lmzip::Error for an unreadable file or another config than the run's.
model::OwnedWeights initial_weights(const TrainerOptions& o, nlohmann::json& record) {
  std::unique_ptr<model::ModelFile> opened;
  const model::ModelFile* f = model::embedded_model_file(o.init_model);
  if (!f) {
    opened = std::make_unique<model::ModelFile>(o.init_model);
    f = opened.get();
  }
  if (f->config() != o.config) {
    throw Error(fmt::format("{}: --init model has config {}, but this run asks for {}", o.init_model,
                            model::to_json(f->config()), model::to_json(o.config)));
  }
  record = {{"model", o.init_model}, {"name", f->name()}, {"sha256", f->sha256()}};
  return model::OwnedWeights(f->weights());
}

// Mean held-out loss in bits per byte over whole seq_len windows from the start of `valid`, a
// batch of windows at a time (each window's loss does not depend on its batch-mates).
double evaluate(Engine& e, std::span<const float> params, const Bytes& valid, std::uint64_t max_bytes) {
  const std::size_t T = static_cast<std::size_t>(e.seq_len()), B = static_cast<std::size_t>(e.batch());
  const std::size_t windows = std::min<std::uint64_t>(valid.size(), max_bytes) / T;
  double sum = 0;
  std::size_t counted = 0;
  for (std::size_t w = 0; w + B <= windows; w += B) {
    sum += e.forward(params, ByteView(valid).subspan(w * T, B * T)) * static_cast<double>(B);
    counted += B;
  }
  if (counted == 0) {
    throw Error(fmt::format("held-out text: {} bytes evaluated is shorter than one batch of {} windows of {} bytes",
                            std::min<std::uint64_t>(valid.size(), max_bytes), B, T));
  }
  return sum / static_cast<double>(counted) / kLn2;
}

// out_dir/run.json: what the run was (options, machine) and where it ended, for model cards.
// A resumed run adds its own time to the earlier runs' total.
// A run started from other weights (--init) records them as "init_model"; a resume keeps the
// first run's record.
// Each session records its steps and windows (a curriculum changes them on resume).
void write_run_summary(const TrainerOptions& o, const Engine& engine, std::int64_t first_step, std::int64_t steps_done,
                       std::uint64_t bytes_seen, double valid_bits, double seconds, nlohmann::json init_record) {
  const auto path = o.out_dir / "run.json";
  double previous_seconds = 0;
  nlohmann::json sessions = nlohmann::json::array();
  if (o.resume && std::filesystem::exists(path)) {
    try {
      const auto old = nlohmann::json::parse(read_whole_file(path));
      previous_seconds = old.at("train_seconds").get<double>();
      sessions = old.at("sessions");
      if (old.contains("init_model")) init_record = old.at("init_model");
    } catch (const std::exception&) {
      // An unreadable summary is rewritten from this run alone.
    }
  }
  const eval::MachineInfo m = eval::describe_machine();
  sessions.push_back({{"seconds", seconds}, {"steps", {first_step + 1, steps_done}}, {"seq_len", o.seq_len},
                      {"batch", o.batch}, {"backend", engine.backend()}, {"device", engine.device()},
                      {"threads", o.threads}, {"cpu", m.cpu_model}, {"logical_cpus", m.logical_cpus},
                      {"finished_utc", m.timestamp_utc}, {"lmzip_version", m.lmzip_version}});
  nlohmann::json j = {
      {"model_name", o.model_name},      {"config", nlohmann::json::parse(model::to_json(o.config))},
      {"backend", engine.backend()},                {"seed", o.seed},
      {"seq_len", o.seq_len},            {"batch", o.batch},
      {"steps", o.steps},                {"steps_done", steps_done},
      {"lr", o.lr},                      {"min_lr", o.min_lr},
      {"warmup", o.warmup},              {"weight_decay", o.weight_decay},
      {"clip", o.clip},                  {"eval_bytes", o.eval_bytes},
      {"bytes_seen", bytes_seen},        {"valid_bits_per_byte", valid_bits},
      {"train_seconds", previous_seconds + seconds}, {"sessions", sessions},
      {"train_file", o.train_file.string()}, {"valid_file", o.valid_file.string()}};
  if (!init_record.is_null()) j["init_model"] = init_record;
  write_file_atomically(path, j.dump(2) + "\n");
}

}  // namespace

double run_training(const TrainerOptions& o, const TrainLogFn& log) {
  o.config.validate();
  if (o.seq_len < 2 || o.seq_len > o.config.context) {
    throw Error(fmt::format("train: seq_len {} must be in 2..{} (the model's context)", o.seq_len, o.config.context));
  }
  EngineOptions eo;
  eo.backend = o.backend;
  eo.threads = o.threads;
  eo.tf32 = o.tf32;
  eo.fused_attention = o.fused_attention;
  const Bytes corpus = read_whole_file(o.train_file);
  const Bytes valid = read_whole_file(o.valid_file);
  if (corpus.size() < static_cast<std::size_t>(o.seq_len) * 4) {
    throw Error(fmt::format("{}: corpus too small ({} bytes) for windows of {}", o.train_file.string(), corpus.size(),
                            o.seq_len));
  }
  // Evaluation runs a whole batch of windows at a time: refuse now what would fail after the
  // first eval_every steps.
  const std::uint64_t batch_bytes = static_cast<std::uint64_t>(o.batch) * static_cast<std::uint64_t>(o.seq_len);
  if (valid.size() < batch_bytes) {
    throw Error(fmt::format("{}: held-out text too small ({} bytes) for {} windows of {}", o.valid_file.string(),
                            valid.size(), o.batch, o.seq_len));
  }
  if (o.eval_bytes < batch_bytes) {
    throw Error(fmt::format("train: --eval-bytes {} is less than one batch ({} windows of {} = {} bytes)", o.eval_bytes,
                            o.batch, o.seq_len, batch_bytes));
  }
  nlohmann::json init_record;  // null unless o.init_model
  model::OwnedWeights weights =
      o.init_model.empty() ? model::random_weights(o.config, o.seed) : initial_weights(o, init_record);
  const std::unique_ptr<Engine> engine = make_engine(o.config, o.batch, o.seq_len, eo);
  std::filesystem::create_directories(o.out_dir);
  const auto checkpoint = o.out_dir / "checkpoint.safetensors";

  std::span<float> params = weights.data();
  AdamWOptions ao;
  ao.lr = o.lr;
  ao.weight_decay = o.weight_decay;
  AdamW opt(weight_decay_mask(o.config), ao);
  LrSchedule sched{o.lr, o.min_lr, o.warmup, o.steps};
  std::uint64_t bytes_seen = 0;
  if (o.resume) bytes_seen = load_checkpoint(checkpoint, o, params, opt);

  Bytes batch(static_cast<std::size_t>(o.batch) * static_cast<std::size_t>(o.seq_len));
  std::vector<float> grads(params.size());

  const auto mode = o.resume ? std::ios::app : std::ios::trunc;
  std::ofstream csv(o.out_dir / "log.csv", mode);
  std::ofstream jsonl(o.out_dir / "log.jsonl", mode);  // the same rows, one JSON object per line
  if (!o.resume) csv << "step,loss_bits,valid_bits,lr,grad_norm,bytes_per_second,elapsed_seconds,bytes_seen\n";
  const auto start = Clock::now();
  auto last = start;
  double last_valid = -1;
  double elapsed_this_run = 0;
  const std::int64_t first_step = opt.steps_taken();
  for (std::int64_t step = first_step; step < o.steps; ++step) {
    for (int g = 0; g < o.batch; ++g) {
      const std::size_t s = window_start(o.seed, step, g, corpus.size(), o.seq_len);
      std::copy(corpus.begin() + static_cast<std::ptrdiff_t>(s), corpus.begin() + static_cast<std::ptrdiff_t>(s + o.seq_len),
                batch.begin() + static_cast<std::ptrdiff_t>(g) * o.seq_len);
    }
    const double loss = engine->forward_backward(params, batch, grads);
    const double norm = clip_grad_norm(grads, o.clip);
    const double lr = sched.at(step);
    opt.step(params, grads, lr);
    bytes_seen += static_cast<std::uint64_t>(o.batch) * static_cast<std::uint64_t>(o.seq_len);

    const auto now = Clock::now();
    TrainLogRow row;
    row.step = step + 1;
    row.loss_bits = loss / kLn2;
    row.lr = lr;
    row.grad_norm = norm;
    row.bytes_per_second = static_cast<double>(o.batch) * o.seq_len / std::chrono::duration<double>(now - last).count();
    row.elapsed_seconds = std::chrono::duration<double>(now - start).count();
    row.bytes_seen = bytes_seen;
    last = now;
    const bool stop = (o.max_seconds > 0 && row.elapsed_seconds >= o.max_seconds) || row.step == o.stop_after;
    const bool final_step = step + 1 == o.steps || stop;
    if ((step + 1) % o.eval_every == 0 || final_step) {
      row.valid_bits = last_valid = evaluate(*engine, params, valid, o.eval_bytes);
      save_checkpoint(checkpoint, o, params, opt, bytes_seen);
      last = Clock::now();  // evaluation time is not training throughput
    }
    csv << fmt::format("{},{:.5f},{:.5f},{:.6g},{:.4f},{:.1f},{:.2f},{}\n", row.step, row.loss_bits, row.valid_bits,
                       row.lr, row.grad_norm, row.bytes_per_second, row.elapsed_seconds, row.bytes_seen);
    jsonl << nlohmann::json{{"step", row.step}, {"loss_bits", row.loss_bits},
                            {"valid_bits", row.valid_bits < 0 ? nlohmann::json() : nlohmann::json(row.valid_bits)},
                            {"lr", row.lr}, {"grad_norm", row.grad_norm}, {"bytes_per_second", row.bytes_per_second},
                            {"elapsed_seconds", row.elapsed_seconds}, {"bytes_seen", row.bytes_seen}}
                 .dump()
          << std::endl;  // flushed: a killed run keeps its log
    csv.flush();
    if (log) log(row);
    elapsed_this_run = row.elapsed_seconds;
    if (stop) break;
  }
  csv.flush();
  jsonl.flush();
  write_run_summary(o, *engine, first_step, opt.steps_taken(), bytes_seen, last_valid, elapsed_this_run, init_record);
  model::write_model_file(o.out_dir / "model.safetensors", o.config, weights.view(), o.model_name);
  return last_valid;
}

}  // namespace lmzip::train
