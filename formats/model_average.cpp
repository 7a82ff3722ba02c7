// model_average.cpp — element-wise mean of model weights (see model_average.hpp).
#include "formats/model_average.hpp"

#include <stdexcept>

namespace nmt {
namespace {

// Empty when `candidate` can be averaged with `reference`, else what differs.
std::string mismatch(const LoadedModel& reference, const LoadedModel& candidate) {
  if (model_metadata(reference.config, *reference.network, Shortlist{}) !=
      model_metadata(candidate.config, *candidate.network, Shortlist{}))
    return "a different network (model config or vocabulary sizes)";
  if (reference.vocabularies.source.serialized() != candidate.vocabularies.source.serialized())
    return "a different source tokenizer";
  if (reference.vocabularies.target.serialized() != candidate.vocabularies.target.serialized())
    return "a different target tokenizer";
  if (reference.languages.known() && candidate.languages.known() && reference.languages != candidate.languages)
    return "another language pair (" + candidate.languages.describe() + ", not " + reference.languages.describe() +
           ")";
  return {};
}

}  // namespace

LoadedModel average_models(const std::vector<std::string>& paths, bool* dropped_shortlist) {
  if (paths.empty()) throw std::invalid_argument("average_models: no models given");
  LoadedModel first = load_model_file(paths.front());
  std::vector<double> sum(first.parameters.begin(), first.parameters.end());
  bool same_shortlists = true;
  for (std::size_t m = 1; m < paths.size(); ++m) {
    const LoadedModel other = load_model_file(paths[m]);
    if (const std::string why = mismatch(first, other); !why.empty())
      throw std::runtime_error("'" + paths[m] + "' cannot be averaged with '" + paths.front() +
                               "': it holds " + why);
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += other.parameters[i];
    if (!first.languages.known()) first.languages = other.languages;
    same_shortlists = same_shortlists && other.shortlist == first.shortlist;
  }
  if (dropped_shortlist) *dropped_shortlist = !same_shortlists;
  if (!same_shortlists) first.shortlist = Shortlist{};
  const double count = static_cast<double>(paths.size());
  for (std::size_t i = 0; i < sum.size(); ++i) first.parameters[i] = static_cast<float>(sum[i] / count);
  return first;
}

}  // namespace nmt
