#include "train_command.h"

#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "lmzip/model/config.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/open_model.h"
#include "lmzip/train/engine.h"
#include "lmzip/train/trainer.h"
#include "progress_line.h"

namespace lmzip::cli {

namespace {

std::string preset_list() {
  std::string list;
  for (const auto& n : model::preset_names()) list += (list.empty() ? "" : ", ") + n;
  return list;
}

struct TrainArgs {
  std::string corpus = "data/corpus";
  std::string preset = "200K";
  std::string out;
  std::string name;
  train::TrainerOptions o;
  bool quiet = false;
  bool preset_given = false;
};

// The config and name of --init's model (an embedded model's name or a model file).
std::pair<model::Config, std::string> init_model_shape(const std::string& spec) {
  if (const model::ModelFile* f = model::embedded_model_file(spec)) return {f->config(), f->name()};
  const model::ModelFile f(spec);
  return {f.config(), f.name()};
}

void run(TrainArgs& a) {
  train::TrainerOptions o = a.o;
  o.config = model::preset(a.preset);
  std::string default_name = "lmzip-" + a.preset;
  if (!o.init_model.empty() && !a.preset_given) {  // --init alone continues the model in its own shape
    const auto [config, name] = init_model_shape(o.init_model);
    o.config = config;
    default_name = name + "-continued";
  }
  o.train_file = std::filesystem::path(a.corpus) / "train.txt";
  o.valid_file = std::filesystem::path(a.corpus) / "valid.txt";
  o.out_dir = a.out;
  o.model_name = a.name.empty() ? default_name : a.name;
  if (!a.quiet) {
    std::string backend = o.backend;
    if (backend == "auto") {
      const std::string why = train::cuda_unavailable_reason();
      backend = why.empty() ? "cuda" : "cpu (" + why + ")";
    }
    std::fprintf(stderr, "backend: %s\n", backend.c_str());
  }
  ProgressLine line;
  const double bits = train::run_training(o, [&](const train::TrainLogRow& r) {
    if (a.quiet) return;
    const std::string text = fmt::format("step {}/{}  loss {:.3f} bpb  lr {:.2e}  {:.0f} B/s  {:.1f} MB seen", r.step, o.steps,
                                         r.loss_bits, r.lr, r.bytes_per_second, r.bytes_seen / 1e6);
    if (r.valid_bits >= 0) {
      line.clear();
      std::fprintf(stderr, "%s  held-out %.4f bpb\n", text.c_str(), r.valid_bits);
    } else {
      line.update(text);
    }
  });
  line.clear();
  if (!a.quiet) std::printf("%s/model.safetensors: held-out %.4f bits per byte\n", a.out.c_str(), bits);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto a = std::make_shared<TrainArgs>();
  a->o.threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto* cmd = app.add_subcommand("train", "Train a byte transformer on a corpus (scripts/make-corpus.sh makes one)");
  cmd->add_option("--corpus", a->corpus, "Folder with train.txt and valid.txt");
  auto* preset = cmd->add_option("--preset", a->preset, "Model size: " + preset_list() + " (default 200K, or --init's)");
  cmd->add_option("-o,--out", a->out, "Output folder: model.safetensors, checkpoint.safetensors, log.csv")->required();
  cmd->add_option("--name", a->name, "Model name stored in the file");
  cmd->add_option("--seq-len", a->o.seq_len, "Bytes per training window (the paper: 2048)");
  auto* batch = cmd->add_option("--batch", a->o.batch, "Windows per step (a multiple of --threads; default: 8 rounded up to one)");
  cmd->add_option("--backend", a->o.backend, "Where forward and backward run: auto (cuda when a device is usable), cpu, cuda")
      ->check(CLI::IsMember({"auto", "cpu", "cuda", "emulated-gpu"}));
  cmd->add_option("-T,--threads", a->o.threads, "Threads of the cpu backend (data parallel)");
  cmd->add_flag("!--no-tf32", a->o.tf32, "cuda: full float32 GEMMs instead of TF32 tensor cores");
  cmd->add_flag("!--materialized-attention", a->o.fused_attention,
                "cuda: attention as GEMMs over B*H*T*T scores instead of the fused kernels (slower, far more memory)");
  cmd->add_option("--steps", a->o.steps, "Steps of the learning-rate schedule");
  cmd->add_option("--max-seconds", a->o.max_seconds, "Stop (evaluate and save) after this much training time");
  cmd->add_option("--stop-after", a->o.stop_after,
                  "Stop (evaluate and save) after this step of the schedule; --resume goes on, e.g. with longer windows");
  cmd->add_option("--lr", a->o.lr, "Peak learning rate");
  cmd->add_option("--min-lr", a->o.min_lr, "Final learning rate of the cosine decay");
  cmd->add_option("--warmup", a->o.warmup, "Warm-up steps");
  cmd->add_option("--weight-decay", a->o.weight_decay, "AdamW weight decay (matrices only)");
  cmd->add_option("--clip", a->o.clip, "Gradient clipping by global norm (0: none)");
  cmd->add_option("--eval-every", a->o.eval_every, "Evaluate on held-out text and checkpoint every N steps");
  cmd->add_option("--eval-bytes", a->o.eval_bytes, "Held-out bytes per evaluation");
  cmd->add_option("--seed", a->o.seed, "Seed of the initialisation and of the data sampling");
  cmd->add_flag("--resume", a->o.resume, "Continue from the output folder's checkpoint");
  cmd->add_option("--init", a->o.init_model,
                  "Start from this model's weights (an embedded model's name or a model file) with a fresh optimizer "
                  "and schedule");
  cmd->add_flag("-q,--quiet", a->quiet, "No progress output");
  cmd->callback([a, batch, preset] {
    a->preset_given = preset->count() > 0;
    if (batch->count() == 0 && a->o.threads > 0) a->o.batch = (8 + a->o.threads - 1) / a->o.threads * a->o.threads;
    run(*a);
  });
}

}  // namespace lmzip::cli
