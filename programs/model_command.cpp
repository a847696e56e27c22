#include "model_command.h"

#include <cstdio>
#include <memory>
#include <string>

#include <fmt/format.h>

#include "lmzip/model/config.h"
#include "lmzip/model/model_file.h"

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

void run_info(const std::string& path) {
  model::ModelFile f(path);
  const model::Config& c = f.config();
  std::printf("file        %s (%llu bytes)\n", path.c_str(), static_cast<unsigned long long>(f.file_size()));
  std::printf("name        %s\n", f.name().c_str());
  std::printf("sha256      %s\n", f.sha256().c_str());
  std::printf("parameters  %llu\n", static_cast<unsigned long long>(c.parameter_count()));
  std::printf("config      %s\n", model::to_json(c).c_str());
}

}  // namespace

void add_model_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("model", "Make and inspect byte-transformer model files");
  cmd->require_subcommand(1);

  auto init = std::make_shared<InitArgs>();
  auto* i = cmd->add_subcommand("init", "Write a model file with seeded random weights");
  i->add_option("--preset", init->preset, "Model size: 200K, 800K or 3.2M (the paper's presets)");
  i->add_option("--seed", init->seed, "Seed of the portable random initialisation");
  i->add_option("--name", init->name, "Name stored in the file (default random-PRESET-seedS)");
  i->add_option("--context", init->context, "Context length (default: the preset's 2048)");
  i->add_option("--logit-scale", init->logit_scale,
                "Multiply the output head by this (a confident random model, for tests and demos)")
      ->check(CLI::Range(0.01f, 1000.0f));
  i->add_option("-o,--output", init->output, "Output model file (.safetensors)")->required();
  i->callback([init] { run_init(*init); });

  auto path = std::make_shared<std::string>();
  auto* info = cmd->add_subcommand("info", "Print a model file's name, config, parameter count and SHA-256");
  info->add_option("file", *path, "Model file")->required();
  info->callback([path] { run_info(*path); });
}

}  // namespace lmzip::cli
