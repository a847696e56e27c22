// What int8 quantisation costs in compression: the int8 model's coded size (the ideal code
// length of its integer tables, sum of -log2(freq / total)) against the float64 model's
// -log2 p on the same bytes, for random weights of the preset shapes. The numbers are printed
// (docs/numerics.md quotes them); the test bounds the relative cost loosely.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>

#include "float64_forward.h"
#include "int8_test_support.h"
#include "lmzip/model/int8/int8_transformer.h"
#include "lmzip/model/model_file.h"
#include "test_support.h"

namespace lmzip::model::int8 {
namespace {

// The first n bytes of alice29.txt from ../shared/data when present, else pseudo-text.
Bytes sample_text(std::size_t n, const char** source) {
  if (auto dir = lmzip::test::shared_data_dir()) {
    std::ifstream f(*dir / "text" / "canterbury" / "alice29.txt", std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (b.size() >= n) {
      b.resize(n);
      *source = "alice29.txt";
      return b;
    }
  }
  *source = "pseudo-text";
  return test::pseudo_text(n, 99);
}

// A model that predicts text: random weights whose embedding and head are fitted (least squares)
// to the bigram log-probabilities of `train`, so the tables carry real information (about 4 bits
// per byte on English, instead of the ~8 or worse of plain random weights). The blocks stay
// random with gain `block_gain` and perturb the residual stream around the embedding.
std::unique_ptr<test::TestWeights> bigram_weights(const Config& c, ByteView train, float block_gain) {
  test::WeightScales ws;
  ws.gain = block_gain;
  auto o = test::make_test_weights(c, 4242, ws);
  const int D = c.d_model, V = kByteVocab;
  // Target rows L[t] = log P(s | t) (add-0.1 smoothing); BOS predicts the unigram.
  std::vector<std::vector<double>> counts(kInputVocab, std::vector<double>(V, 0.1));
  for (std::size_t i = 0; i < train.size(); ++i) {
    counts[i == 0 ? kBos : train[i - 1]][train[i]] += 1;
    counts[kBos][train[i]] += 1.0 / 64;
  }
  test::SplitMix64 rng(77);
  std::vector<std::vector<double>> e(kInputVocab, std::vector<double>(D));
  for (auto& row : e) {  // zero mean, unit variance: LayerNorm(row) == row
    double mean = 0, var = 0;
    for (auto& v : row) mean += (v = rng.uniform());
    mean /= D;
    for (auto& v : row) var += (v - mean) * (v - mean);
    for (auto& v : row) v = (v - mean) / std::sqrt(var / D);
  }
  // W = (sum_t L[t] e_t^T) (sum_t e_t e_t^T + lambda I)^-1, by Gauss-Jordan on the D x D system.
  std::vector<std::vector<double>> A(D, std::vector<double>(D + V, 0.0));
  for (int t = 0; t < kInputVocab; ++t) {
    double total = 0;
    for (double v : counts[t]) total += v;
    for (int i = 0; i < D; ++i) {
      for (int j = 0; j < D; ++j) A[i][j] += e[t][i] * e[t][j];
      for (int s = 0; s < V; ++s) A[i][D + s] += e[t][i] * std::log(counts[t][s] / total);
    }
  }
  for (int i = 0; i < D; ++i) A[i][i] += 1.0;
  for (int col = 0; col < D; ++col) {
    for (int r = 0; r < D; ++r) {
      if (r == col) continue;
      const double f = A[r][col] / A[col][col];
      for (int j = col; j < D + V; ++j) A[r][j] -= f * A[col][j];
    }
  }
  // The view's pointers are const; the buffers behind them belong to `o` and are not.
  float* embed = const_cast<float*>(o->view.embed);
  for (int tok = 0; tok < kInputVocab; ++tok) {
    for (int i = 0; i < D; ++i) embed[tok * D + i] = static_cast<float>(e[tok][i] / std::sqrt(static_cast<double>(D)));
  }
  float* head = const_cast<float*>(o->view.head_w);
  for (int s = 0; s < V; ++s) {
    for (int i = 0; i < D; ++i) head[s * D + i] = static_cast<float>(A[i][D + s] / A[i][i]);
  }
  std::fill(const_cast<float*>(o->view.head_b), const_cast<float*>(o->view.head_b) + V, 0.0f);
  std::fill(const_cast<float*>(o->view.lnf_w), const_cast<float*>(o->view.lnf_w) + D, 1.0f);
  std::fill(const_cast<float*>(o->view.lnf_b), const_cast<float*>(o->view.lnf_b) + D, 0.0f);
  return o;
}

struct Cost {
  double int8_bits = 0;
  double f64_bits = 0;
};

Cost measure(const Weights& w, ByteView text) {
  Int8Transformer model(w, ModelIdentity{}, Int8Options{KernelPath::automatic, 64});
  Cost cost;
  model.new_session()->tables_for_chunk(text, [&](std::size_t i, const coding::FrequencyTable& t) {
    cost.int8_bits += -std::log2(static_cast<double>(t.freq(text[i])) / t.total());
  });
  for (double b : test::float64_code_lengths(w, text)) cost.f64_bits += b;
  return cost;
}

TEST(Int8QuantizationCost, AgainstFloat64OnPresetShapes) {
  const char* source = nullptr;
  const Bytes all = sample_text(60000, &source);
  const ByteView text = ByteView(all).first(1024);     // coded
  const ByteView train = ByteView(all).subspan(4096);  // bigram statistics
  struct Case {
    const char* name;
    Config config;
    float block_gain;
  };
  const Case cases[] = {
      {"200K", test::shape_200k(), 0.3f}, {"200K", test::shape_200k(), 1.0f}, {"3.2M", test::shape_3_2m(), 0.3f}};
  for (const Case& k : cases) {
    auto w = bigram_weights(k.config, train, k.block_gain);
    const Cost c = measure(w->view, text);
    const double rel = (c.int8_bits - c.f64_bits) / c.f64_bits;
    std::printf(
        "[ cost ] %s bigram-fitted weights (block gain %.1f), %zu bytes of %s: float64 %.4f bits/byte, "
        "int8 tables %.4f bits/byte, relative cost %+.3f%%\n",
        k.name, k.block_gain, text.size(), source, c.f64_bits / text.size(), c.int8_bits / text.size(), 100.0 * rel);
    EXPECT_LT(rel, 0.01) << k.name;
  }
}

// 4 chunks of 2048 bytes from `text`: the int8 tables' code length against float64's.
Cost shipped_model_cost(const Weights& w, const Bytes& text) {
  Cost total;
  for (std::size_t c = 0; c < 4; ++c) {
    const Cost k = measure(w, ByteView(text).subspan(c * 2048, 2048));
    total.int8_bits += k.int8_bits;
    total.f64_bits += k.f64_bits;
  }
  return total;
}

TEST(Int8QuantizationCost, ShippedTrainedModels) {
  // The trained models (models/lmzip-3.2m-gpu2-cpu, lmzip-3.2m-gpu2, lmzip-3.2m-gpu, lmzip-3.2m,
  // lmzip-800k-2, lmzip-800k, lmzip-200k-2 and lmzip-200k): int8 tables against float64 -log2 p of the same weights, on alice29.txt (never
  // trained on, and unlike the corpus) and, where scripts/make-corpus.sh has been run, on the
  // corpus's held-out part.
  LMZIP_REQUIRE_SHARED_DATA(shared);
  const char* source = nullptr;
  std::vector<std::pair<std::string, Bytes>> texts = {{"alice29.txt", sample_text(4 * 2048, &source)}};
  const auto valid = std::filesystem::path(LMZIP_SOURCE_DIR) / "data" / "corpus" / "valid.txt";
  if (std::filesystem::exists(valid)) {
    Bytes v = lmzip::test::read_file(valid);
    v.resize(4 * 2048);
    texts.emplace_back("the corpus's valid.txt", v);
  }
  for (const char* model : {"lmzip-3.2m-gpu2-cpu", "lmzip-3.2m-gpu2", "lmzip-3.2m-gpu", "lmzip-3.2m", "lmzip-800k-2", "lmzip-800k",
                            "lmzip-200k-2", "lmzip-200k"}) {
    const ModelFile file(std::filesystem::path(LMZIP_SOURCE_DIR) / "models" / model / "model.safetensors");
    for (const auto& [name, text] : texts) {
      const Cost c = shipped_model_cost(file.weights(), text);
      const double rel = (c.int8_bits - c.f64_bits) / c.f64_bits;
      std::printf("[ cost ] %s (trained), 4 chunks of 2048 bytes of %s: float64 %.4f bits/byte, int8 tables "
                  "%.4f bits/byte, relative cost %+.3f%%\n",
                  model, name.c_str(), c.f64_bits / text.size(), c.int8_bits / text.size(), 100.0 * rel);
      EXPECT_LT(rel, 0.01) << model << " on " << name;
    }
  }
}

}  // namespace
}  // namespace lmzip::model::int8
