// The CPU backend as an Engine (lmzip/train/engine.h): one TrainModel<float> per thread, each
// taking batch/threads consecutive windows; gradients averaged element by element in thread
// order, so a run is reproducible for a given thread count whatever OpenMP's scheduling.
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "engines.h"
#include "lmzip/error.h"
#include "lmzip/train/layers_fast.h"
#include "lmzip/train/train_model.h"

namespace lmzip::train::detail {

namespace {

class CpuEngine final : public Engine {
 public:
  CpuEngine(const model::Config& c, int batch, int seq_len, int threads) : batch_(batch), threads_(threads) {
    if (threads < 1 || batch < 1 || batch % threads != 0) {
      throw Error(fmt::format("train: batch ({}) must be a positive multiple of threads ({})", batch, threads));
    }
    for (int t = 0; t < threads; ++t) models_.push_back(std::make_unique<TrainModel<float>>(c, batch / threads, seq_len));
    losses_.resize(static_cast<std::size_t>(threads));
  }
  std::string backend() const override { return "cpu"; }
  // "2 threads" (reference layers) or "2 threads, OpenBLAS (Haswell kernels)" (GEMM layers).
  std::string device() const override {
    return fmt::format("{} thread{}{}", threads_, threads_ == 1 ? "" : "s",
                       fast::accelerated() ? ", " + fast::backend() : std::string());
  }
  int batch() const override { return batch_; }
  int seq_len() const override { return models_[0]->seq_len(); }

  double forward(std::span<const float> params, ByteView bytes) override { return run(params, bytes, false); }

  double forward_backward(std::span<const float> params, ByteView bytes, std::span<float> grads) override {
    const double loss = run(params, bytes, true);
    if (grads.size() != params.size()) throw Error("train: gradient buffer of the wrong size");
    const float inv = 1.0f / static_cast<float>(threads_);
    const auto n = static_cast<std::int64_t>(grads.size());
#pragma omp parallel for num_threads(threads_) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
      float sum = 0.0f;
      for (const auto& m : models_) sum += m->grads()[static_cast<std::size_t>(i)];
      grads[static_cast<std::size_t>(i)] = sum * inv;
    }
    return loss;
  }

 private:
  double run(std::span<const float> params, ByteView bytes, bool backward) {
    const std::size_t shard = static_cast<std::size_t>(batch_ / threads_) * static_cast<std::size_t>(seq_len());
    if (bytes.size() != shard * static_cast<std::size_t>(threads_)) {
      throw Error(fmt::format("train: batch of {} bytes, expected {}", bytes.size(), shard * threads_));
    }
    // Shard t always goes to model t. Errors cannot leave an OpenMP region: keep the first.
    std::vector<std::string> errors(static_cast<std::size_t>(threads_));
#pragma omp parallel for num_threads(threads_) schedule(static, 1)
    for (int t = 0; t < threads_; ++t) {
      const auto i = static_cast<std::size_t>(t);
      try {
        losses_[i] = models_[i]->forward(params, bytes.subspan(i * shard, shard));
        if (backward) models_[i]->backward();
      } catch (const std::exception& e) {
        errors[i] = e.what();
      }
    }
    for (const auto& e : errors) {
      if (!e.empty()) throw Error(e);
    }
    double loss = 0;
    for (double l : losses_) loss += l;
    return loss / threads_;
  }

  int batch_, threads_;
  std::vector<std::unique_ptr<TrainModel<float>>> models_;  // buffers point into themselves: never moved
  std::vector<double> losses_;
};

}  // namespace

std::unique_ptr<Engine> make_cpu_engine(const model::Config& c, int batch, int seq_len, int threads) {
  return std::make_unique<CpuEngine>(c, batch, seq_len, threads);
}

}  // namespace lmzip::train::detail
