// Modality names: the words used in --data arguments and report columns.
#include <string>

#include "lmzip/data/dataset.h"
#include "lmzip/error.h"

namespace lmzip::data {

std::string_view to_string(Modality m) {
  switch (m) {
    case Modality::text: return "text";
    case Modality::image: return "image";
    case Modality::audio: return "audio";
    case Modality::random: return "random";
  }
  return "unknown";
}

Modality parse_modality(std::string_view name) {
  for (Modality m : {Modality::text, Modality::image, Modality::audio, Modality::random}) {
    if (name == to_string(m)) return m;
  }
  throw Error("unknown data modality '" + std::string(name) +
              "' (expected text, image, audio or random)");
}

}  // namespace lmzip::data
