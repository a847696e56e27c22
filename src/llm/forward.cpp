// The deterministic float32 Llama forward (lmzip/llm/forward.h; the order of every operation is
// written out in docs/llm.md, "Numerics"). forward() is a block of one token, so forward() and
// forward_block() run the same code; the matmul kernels (matmul.h) give each output the same
// bits for any number of token rows, and every other step works on one row at a time.
#include "lmzip/llm/forward.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "lmzip/error.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif
#include <cfenv>
#include "lmzip/model/int8/numerics.h"
#include "lmzip/model/int8/rope_table.h"
#include "matmul.h"

namespace lmzip::llm {
namespace {

using model::int8::exp_v1;
using model::int8::max_v1;

// out (n) = (x * r) * w, r = 1 / sqrt(sum(x*x) / n + eps), the sum canonical; out may alias x.
void rmsnorm(float* out, const float* x, const float* w, int n, float eps) {
  model::int8::CanonicalSum ss;
  for (int i = 0; i < n; ++i) ss.add(x[i] * x[i]);
  const float r = 1.0f / std::sqrt(ss.result() / static_cast<float>(n) + eps);
  for (int i = 0; i < n; ++i) out[i] = (x[i] * r) * w[i];
}

// Rotates pairs (j, j + hd/2) of each of n_heads heads by the angles of table row `pos`.
void rope(float* vec, int n_heads, int hd, const float* cos, const float* sin) {
  const int half = hd / 2;
  for (int h = 0; h < n_heads; ++h) {
    float* u = vec + static_cast<std::size_t>(h) * hd;
    for (int j = 0; j < half; ++j) {
      const float a = u[j], b = u[j + half];
      u[j] = a * cos[j] - b * sin[j];
      u[j + half] = b * cos[j] + a * sin[j];
    }
  }
}

// y[0..n) += a * x[0..n), in blocks of 8 so that -O2 vectorises it (each y[i] one multiply and one
// add: the same bits as the plain loop).
inline void axpy(float* __restrict y, float a, const float* __restrict x, int n) {
  int i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int u = 0; u < 8; ++u) y[i + u] += a * x[i + u];
  }
  for (; i < n; ++i) y[i] += a * x[i];
}

// Positions pos0 .. pos0 + B - 1, tokens tok[0..B), logits to out (B, vocab).
void run_block(const LlamaModel& m, RunState& s, const int* tok, int pos0, int B, float* out) {
  const LlamaConfig& c = m.config;
  const LlamaWeights& w = m.weights;
  const auto path = s.kernels;
  const int dim = c.dim, hidden = c.hidden_dim, hd = c.head_dim, half = hd / 2;
  const int qd = c.q_dim(), kvd = c.kv_dim(), xbs = std::max(dim, qd);
  const int kv_mul = c.n_heads / c.n_kv_heads;
  const float scale = 1.0f / std::sqrt(static_cast<float>(hd));
  const std::size_t T = s.max_seq_len;
  auto row = [](std::vector<float>& v, int b, int stride) { return v.data() + static_cast<std::size_t>(b) * stride; };

  for (int b = 0; b < B; ++b) {
    std::memcpy(row(s.x, b, dim), w.token_embedding + static_cast<std::size_t>(tok[b]) * dim, dim * sizeof(float));
  }
  for (int l = 0; l < c.n_layers; ++l) {
    const LlamaWeights::Layer& L = w.layers[l];
    float* kc = s.key_cache.data() + static_cast<std::size_t>(l) * T * kvd;
    float* vc = s.value_cache.data() + static_cast<std::size_t>(l) * T * kvd;
    // --- attention ---
    for (int b = 0; b < B; ++b) rmsnorm(row(s.xb, b, xbs), row(s.x, b, dim), L.rms_att, dim, c.rms_eps);
    detail::matmul(path, s.q.data(), qd, s.xb.data(), xbs, B, L.wq, dim, L.bq, dim, qd);
    detail::matmul(path, s.k.data(), kvd, s.xb.data(), xbs, B, L.wk, dim, L.bk, dim, kvd);
    detail::matmul(path, s.v.data(), kvd, s.xb.data(), xbs, B, L.wv, dim, L.bv, dim, kvd);
    for (int b = 0; b < B; ++b) {
      const std::size_t p = static_cast<std::size_t>(pos0 + b);
      const float* cs = s.rope_cos.data() + p * half;
      const float* sn = s.rope_sin.data() + p * half;
      rope(row(s.q, b, qd), c.n_heads, hd, cs, sn);
      rope(row(s.k, b, kvd), c.n_kv_heads, hd, cs, sn);
      std::memcpy(kc + p * kvd, row(s.k, b, kvd), kvd * sizeof(float));
      std::memcpy(vc + p * kvd, row(s.v, b, kvd), kvd * sizeof(float));
    }
    // Each query attends to positions 0 .. its own (later positions of the block are not read).
    for (int b = 0; b < B; ++b) {
      const int n_keys = pos0 + b + 1;
      for (int h = 0; h < c.n_heads; ++h) {
        const std::size_t g = static_cast<std::size_t>(h / kv_mul) * hd;
        float* att = s.att.data();
        detail::matmul(path, att, n_keys, row(s.q, b, qd) + static_cast<std::size_t>(h) * hd, hd, 1, kc + g, kvd,
                       nullptr, hd, n_keys);
        float mx = att[0] * scale;
        for (int t = 0; t < n_keys; ++t) {
          att[t] = att[t] * scale;
          mx = max_v1(mx, att[t]);
        }
        model::int8::CanonicalSum sum;
        for (int t = 0; t < n_keys; ++t) {
          att[t] = exp_v1(att[t] - mx);
          sum.add(att[t]);
        }
        const float S = sum.result();
        float* o = row(s.xb, b, xbs) + static_cast<std::size_t>(h) * hd;
        std::fill(o, o + hd, 0.0f);
        for (int t = 0; t < n_keys; ++t) axpy(o, att[t], vc + static_cast<std::size_t>(t) * kvd + g, hd);
        for (int i = 0; i < hd; ++i) o[i] = o[i] / S;
      }
    }
    detail::matmul(path, s.xb2.data(), dim, s.xb.data(), xbs, B, L.wo, qd, nullptr, qd, dim);
    for (int b = 0; b < B; ++b) {
      float* x = row(s.x, b, dim);
      const float* y = row(s.xb2, b, dim);
      for (int i = 0; i < dim; ++i) x[i] = x[i] + y[i];
      rmsnorm(row(s.xb, b, xbs), x, L.rms_ffn, dim, c.rms_eps);
    }
    // --- feed-forward: x += w_down (silu(w_gate m) * (w_up m)) ---
    detail::matmul(path, s.hb.data(), hidden, s.xb.data(), xbs, B, L.w_gate, dim, nullptr, dim, hidden);
    detail::matmul(path, s.hb2.data(), hidden, s.xb.data(), xbs, B, L.w_up, dim, nullptr, dim, hidden);
    for (int b = 0; b < B; ++b) {
      float* g = row(s.hb, b, hidden);
      const float* u = row(s.hb2, b, hidden);
      for (int i = 0; i < hidden; ++i) g[i] = (g[i] / (1.0f + exp_v1(-g[i]))) * u[i];
    }
    detail::matmul(path, s.xb2.data(), dim, s.hb.data(), hidden, B, L.w_down, hidden, nullptr, hidden, dim);
    for (int b = 0; b < B; ++b) {
      float* x = row(s.x, b, dim);
      const float* y = row(s.xb2, b, dim);
      for (int i = 0; i < dim; ++i) x[i] = x[i] + y[i];
    }
  }
  for (int b = 0; b < B; ++b) rmsnorm(row(s.xb, b, xbs), row(s.x, b, dim), w.rms_final, dim, c.rms_eps);
  detail::matmul(path, out, c.vocab_size, s.xb.data(), xbs, B, w.wcls, dim, nullptr, dim, c.vocab_size);
}

// The contract assumes IEEE round-to-nearest without flush-to-zero / denormals-are-zero (a
// library built with fast-math flags may have switched them on for the whole process).
void check_float_environment() {
  bool ok = std::fegetround() == FE_TONEAREST;
#if defined(__x86_64__)
  constexpr unsigned kFtz = 1u << 15, kDaz = 1u << 6;
  ok = ok && (_mm_getcsr() & (kFtz | kDaz)) == 0;
#endif
  if (!ok) {
    throw Error("llm forward: the floating-point environment is not the IEEE default (flush-to-zero, "
                "denormals-are-zero or a directed rounding mode is on); logits would not be reproducible");
  }
}

void check_inputs(const LlamaModel& m, const RunState& s, std::span<const int> tokens, int pos0) {
  check_float_environment();
  const LlamaConfig& c = m.config;
  if (s.max_seq_len <= 0 || s.x.size() != static_cast<std::size_t>(s.capacity) * c.dim ||
      s.key_cache.size() != static_cast<std::size_t>(c.n_layers) * s.max_seq_len * c.kv_dim() ||
      s.hb.size() != static_cast<std::size_t>(s.capacity) * c.hidden_dim ||
      s.logits.size() != static_cast<std::size_t>(c.vocab_size)) {
    throw Error("llm forward: the RunState was not built for this model's config");
  }
  if (pos0 < 0 || static_cast<long>(pos0) + static_cast<long>(tokens.size()) > s.max_seq_len) {
    throw Error("llm forward: positions " + std::to_string(pos0) + " .. " +
                std::to_string(static_cast<long>(pos0) + static_cast<long>(tokens.size()) - 1) +
                " out of range [0, " + std::to_string(s.max_seq_len) + ")");
  }
  for (int t : tokens) {
    if (t < 0 || t >= m.config.vocab_size) {
      throw Error("llm forward: token " + std::to_string(t) + " out of range [0, " +
                  std::to_string(m.config.vocab_size) + ")");
    }
  }
}

}  // namespace

void build_run_state(RunState& s, const LlamaConfig& c, int max_seq_len, int capacity,
                     model::int8::KernelPath kernels) {
  validate_config(c, "llm run state");
  if (max_seq_len == 0) max_seq_len = c.max_seq_len;
  if (max_seq_len < 1 || max_seq_len > c.max_seq_len) {
    throw Error("llm run state: max_seq_len " + std::to_string(max_seq_len) + " out of range [1, " +
                std::to_string(c.max_seq_len) + "]");
  }
  if (capacity < 1 || capacity > 4096) throw Error("llm run state: capacity " + std::to_string(capacity) + " out of range [1, 4096]");
  s.kernels = model::int8::resolve_kernel_path(kernels);
  s.max_seq_len = max_seq_len;
  s.capacity = capacity;
  const std::size_t B = capacity, T = max_seq_len;
  const std::size_t kv_cache = static_cast<std::size_t>(c.n_layers) * T * c.kv_dim();
  s.x.assign(B * c.dim, 0.0f);
  s.xb.assign(B * std::max(c.dim, c.q_dim()), 0.0f);
  s.xb2.assign(B * c.dim, 0.0f);
  s.q.assign(B * c.q_dim(), 0.0f);
  s.k.assign(B * c.kv_dim(), 0.0f);
  s.v.assign(B * c.kv_dim(), 0.0f);
  s.hb.assign(B * c.hidden_dim, 0.0f);
  s.hb2.assign(B * c.hidden_dim, 0.0f);
  s.att.assign(T, 0.0f);
  s.logits.assign(c.vocab_size, 0.0f);
  s.key_cache.assign(kv_cache, 0.0f);
  s.value_cache.assign(kv_cache, 0.0f);
  if (c.rope_freq_factors.empty()) {
    model::int8::RopeTable t = model::int8::build_rope_table(max_seq_len, c.head_dim, c.rope_theta);
    s.rope_cos = std::move(t.cos);
    s.rope_sin = std::move(t.sin);
  } else {
    // build_rope_table's computation with each frequency divided by its factor (llama3 scaling).
    const int half = c.head_dim / 2;
    const double log_theta = model::int8::rope_log(static_cast<double>(c.rope_theta));
    std::vector<double> freq(half);
    for (int j = 0; j < half; ++j) {
      freq[j] = model::int8::rope_exp(-((2.0 * j) / static_cast<double>(c.head_dim)) * log_theta) /
                static_cast<double>(c.rope_freq_factors[j]);
    }
    s.rope_cos.assign(T * half, 0.0f);
    s.rope_sin.assign(T * half, 0.0f);
    for (std::size_t p = 0; p < T; ++p) {
      for (int j = 0; j < half; ++j) {
        double sn = 0.0, cs = 0.0;
        model::int8::rope_sincos(static_cast<double>(p) * freq[j], &sn, &cs);
        s.rope_cos[p * half + j] = static_cast<float>(cs);
        s.rope_sin[p * half + j] = static_cast<float>(sn);
      }
    }
  }
}

void free_run_state(RunState& s) {
  for (std::vector<float>* v : {&s.x, &s.xb, &s.xb2, &s.q, &s.k, &s.v, &s.hb, &s.hb2, &s.att, &s.logits,
                                &s.key_cache, &s.value_cache, &s.rope_cos, &s.rope_sin}) {
    std::vector<float>().swap(*v);
  }
  s.max_seq_len = 0;
  s.capacity = 0;
}

const float* forward(const LlamaModel& m, RunState& s, int token, int pos) {
  check_inputs(m, s, std::span<const int>(&token, 1), pos);
  run_block(m, s, &token, pos, 1, s.logits.data());
  return s.logits.data();
}

void forward_block(const LlamaModel& m, RunState& s, std::span<const int> tokens, int pos0,
                   std::vector<float>& logits_out) {
  check_inputs(m, s, tokens, pos0);
  const std::size_t n = tokens.size(), vocab = m.config.vocab_size;
  logits_out.resize(n * vocab);
  for (std::size_t i = 0; i < n; i += s.capacity) {
    const int nb = static_cast<int>(std::min<std::size_t>(s.capacity, n - i));
    run_block(m, s, tokens.data() + i, pos0 + static_cast<int>(i), nb, logits_out.data() + i * vocab);
  }
}

}  // namespace lmzip::llm
