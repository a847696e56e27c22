// lmzip/train/trainer.h - the training loop behind `lmzip train`.
//
// Next-byte cross-entropy on windows of seq_len bytes drawn from a corpus file, AdamW with
// warm-up and cosine decay, gradient clipping, evaluation on held-out text every eval_every
// steps, a checkpoint (weights + optimizer state) at every evaluation, resume from it, and the
// model file in the engine's format (docs/model.md) at the end.
//
// The forward and backward run on a backend (lmzip/train/engine.h): the CPU, data parallel on
// `threads` threads with gradients averaged in thread order (a run is reproducible for a given
// seed and thread count), or a CUDA device; the optimizer runs on the host either way. Window b
// of step s starts at a position drawn by splitmix64 from (seed, s, b), so a resumed run sees
// exactly the windows it would have seen.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "lmzip/model/config.h"

namespace lmzip::train {

struct TrainerOptions {
  model::Config config;                 // the model's shape (a preset)
  std::filesystem::path train_file;     // corpus training part
  std::filesystem::path valid_file;     // held-out part
  std::filesystem::path out_dir;        // checkpoint.safetensors, model.safetensors, log.csv
  std::string model_name = "lmzip-byte-model";
  int seq_len = 2048;
  int batch = 8;                        // windows per step (a multiple of threads)
  int threads = 1;                      // cpu backend: data-parallel threads
  std::string backend = "auto";         // lmzip/train/engine.h: auto, cpu, cuda or emulated-gpu
  bool tf32 = true;                     // cuda: TF32 tensor cores in cuBLAS
  bool fused_attention = true;          // cuda: fused attention kernels (false: materialised)
  std::int64_t steps = 1000;            // total steps of the schedule
  double max_seconds = 0;               // > 0: stop (and save) after this much training time
  std::int64_t stop_after = 0;          // > 0: stop (and save) after this step of the schedule;
                                        // a --resume goes on (e.g. with longer windows)
  double lr = 2e-3;
  double min_lr = 2e-4;
  std::int64_t warmup = 100;
  double weight_decay = 0.1;
  double clip = 1.0;
  std::int64_t eval_every = 200;
  std::uint64_t eval_bytes = 1 << 20;   // held-out bytes evaluated (whole windows from the start)
  std::uint64_t seed = 0;
  bool resume = false;                  // continue from out_dir/checkpoint.safetensors
  // Start from these weights instead of random ones: the name of an embedded model or a model
  // file, of the same config. The optimizer and the schedule start afresh (warm-up, then the
  // cosine decay over `steps`): a longer training of a shipped model, one GPU session at a time.
  // A resume takes the checkpoint's weights, and run.json keeps the first run's record of this.
  std::string init_model;
};

struct TrainLogRow {
  std::int64_t step = 0;
  double loss_bits = 0;          // training loss of the step, bits per byte
  double valid_bits = -1;        // held-out bits per byte (only at evaluations; else -1)
  double lr = 0;
  double grad_norm = 0;
  double bytes_per_second = 0;   // training bytes / wall time since the previous row
  double elapsed_seconds = 0;
  std::uint64_t bytes_seen = 0;
};

using TrainLogFn = std::function<void(const TrainLogRow&)>;

// Runs the training. Writes out_dir/log.csv (one row per step), out_dir/checkpoint.safetensors
// at each evaluation and at the end, and out_dir/model.safetensors (the model file) at the end.
// @return the last evaluation's held-out bits per byte.
// @throws lmzip::Error for a missing or too-small corpus (fewer bytes than one window), an
//         unreadable checkpoint, or a resume whose checkpoint has another config or seed (the
//         window length may change on resume: short windows first, the full context last), an
//         init_model that cannot be read or has another config.
double run_training(const TrainerOptions& options, const TrainLogFn& log = {});

}  // namespace lmzip::train
