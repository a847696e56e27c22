#include "model_command.h"

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "lmzip/error.h"
#include "lmzip/llm/llama.h"
#include "lmzip/model/config.h"
#include "lmzip/model/model_file.h"
#include "lmzip/model/open_model.h"
#include "lmzip/model/token_model.h"

namespace lmzip::cli {

namespace {

struct InitArgs {
  std::string preset = "200K";
  std::uint64_t seed = 0;
  std::string name;
  std::string output;
  int context = 0;
  float logit_scale = 1.0f;
};

void run_init(const InitArgs& a) {
  model::Config c = model::preset(a.preset);
  if (a.context > 0) c.context = a.context;
  c.validate();
  model::OwnedWeights w = model::random_weights(c, a.seed);
  if (a.logit_scale != 1.0f) {
    // A sharper output distribution: the same as dividing the softmax temperature by the scale.
    for (const char* t : {"head.weight", "head.bias"}) {
      for (float& v : w.tensor(t)) v *= a.logit_scale;
    }
  }
  const std::string name = a.name.empty() ? fmt::format("random-{}-seed{}", a.preset, a.seed) : a.name;
  model::write_model_file(a.output, c, w.view(), name);
  model::ModelFile f(a.output);
  std::printf("%s: %s, %llu parameters, sha256 %s\n", a.output.c_str(), f.name().c_str(),
              static_cast<unsigned long long>(c.parameter_count()), f.sha256().c_str());
}

// A Llama-family model: its format, shape and identity, and the tokenizer when one is found.
void run_token_model_info(const std::string& path, const std::string& tokenizer) {
  const llm::LlamaModel m = llm::load_llama(path);
  const llm::LlamaConfig& c = m.config;
  std::printf("file        %s (%s)\n", path.c_str(), m.source.c_str());
  std::printf("sha256      %s (weights)\n", m.sha256.c_str());
  std::printf("parameters  %llu\n", static_cast<unsigned long long>(m.parameter_count()));
  std::printf("config      arch %s, dim %d, hidden %d, layers %d, heads %d, kv heads %d, head dim %d, vocab %d, "
              "context %d, rope theta %g, rms eps %g%s%s\n",
              c.arch.c_str(), c.dim, c.hidden_dim, c.n_layers, c.n_heads, c.n_kv_heads, c.head_dim, c.vocab_size,
              c.max_seq_len, static_cast<double>(c.rope_theta), static_cast<double>(c.rms_eps),
              c.qkv_bias ? ", qkv bias" : "", c.tied_embeddings ? ", tied embeddings" : "");
  try {
    model::OpenOptions o;
    if (!tokenizer.empty()) o.tokenizer = tokenizer;
    const auto tm = model::open_model(path, o);
    const auto* token_model = dynamic_cast<const model::TokenModel*>(tm.get());
    std::printf("tokenizer   %s, %zu tokens, start token %d, window %d tokens\n",
                std::string(token_model->tokenizer().kind()).c_str(), token_model->tokenizer().vocab_size(),
                token_model->start_token(), token_model->window());
    std::printf("archive id  %s (model + tokenizer, docs/format.md)\n", tm->identity().sha256.c_str());
  } catch (const Error& e) {
    std::printf("tokenizer   none usable: %s\n", e.what());
  }
}

void print_model_file(const model::ModelFile& f, const std::string& where) {
  const model::Config& c = f.config();
  std::printf("file        %s (%llu bytes)\n", where.c_str(), static_cast<unsigned long long>(f.file_size()));
  std::printf("name        %s\n", f.name().c_str());
  std::printf("sha256      %s\n", f.sha256().c_str());
  std::printf("parameters  %llu\n", static_cast<unsigned long long>(c.parameter_count()));
  std::printf("config      %s\n", model::to_json(c).c_str());
}

// A built-in transformer's name (the embedded file) or the path of a model file.
void run_info(const std::string& spec, const std::string& tokenizer) {
  if (const model::ModelFile* embedded = model::embedded_model_file(spec)) {
    if (!tokenizer.empty()) throw Error(spec + ": is a byte model; --tokenizer applies to token models");
    return print_model_file(*embedded, "embedded in the program (models/" + spec + "/model.safetensors)");
  }
  std::error_code ec;
  if (!std::filesystem::exists(spec, ec)) {
    std::string names;
    for (const auto& n : model::embedded_model_names()) names += (names.empty() ? "" : ", ") + n;
    throw Error(spec + ": no such model (built-in transformers: " + names + "; or the path of a model file)");
  }
  if (model::looks_like_token_model(spec)) return run_token_model_info(spec, tokenizer);
  print_model_file(model::ModelFile(spec), spec);
}

}  // namespace

void add_model_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("model", "Make and inspect byte-transformer model files");
  cmd->require_subcommand(1);

  auto init = std::make_shared<InitArgs>();
  auto* i = cmd->add_subcommand("init", "Write a model file with seeded random weights");
  i->add_option("--preset", init->preset, "Model size: 200K, 800K, 3.2M (the paper's presets) or 12.8M");
  i->add_option("--seed", init->seed, "Seed of the portable random initialisation");
  i->add_option("--name", init->name, "Name stored in the file (default random-PRESET-seedS)");
  i->add_option("--context", init->context, "Context length (default: the preset's 2048)");
  i->add_option("--logit-scale", init->logit_scale,
                "Multiply the output head by this (a confident random model, for tests and demos)")
      ->check(CLI::Range(0.01f, 1000.0f));
  i->add_option("-o,--output", init->output, "Output model file (.safetensors)")->required();
  i->callback([init] { run_init(*init); });

  auto path = std::make_shared<std::string>();
  auto tokenizer = std::make_shared<std::string>();
  auto* info = cmd->add_subcommand("info", "Print a model's name, config, parameter count and SHA-256");
  info->add_option("model", *path,
                   "A built-in transformer's name, or a model file (lmzip safetensors, GGUF, Hugging Face folder, llama2.c)")
      ->required();
  info->add_option("--tokenizer", *tokenizer, "Tokenizer file of a token model that carries none");
  info->callback([path, tokenizer] { run_info(*path, *tokenizer); });
}

}  // namespace lmzip::cli
