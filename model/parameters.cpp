// parameters.cpp — parameter layout and seeded initialisation.
#include "model/parameters.hpp"

#include <cmath>
#include <stdexcept>

#include "model/random.hpp"

namespace nmt {
namespace {

constexpr std::size_t kAlignment = 16;

// An n×n orthogonal matrix (row-major) from a Gaussian one by modified Gram–Schmidt.
void fill_orthogonal(float* out, int n, Rng& rng) {
  std::vector<double> q(static_cast<std::size_t>(n) * n);
  for (auto& x : q) x = rng.normal();
  for (int i = 0; i < n; ++i) {
    double* row = &q[static_cast<std::size_t>(i) * n];
    for (int j = 0; j < i; ++j) {
      const double* prev = &q[static_cast<std::size_t>(j) * n];
      double dot = 0;
      for (int k = 0; k < n; ++k) dot += row[k] * prev[k];
      for (int k = 0; k < n; ++k) row[k] -= dot * prev[k];
    }
    double norm = 0;
    for (int k = 0; k < n; ++k) norm += row[k] * row[k];
    norm = std::sqrt(norm);
    for (int k = 0; k < n; ++k) row[k] /= norm;
  }
  for (std::size_t i = 0; i < q.size(); ++i) out[i] = static_cast<float>(q[i]);
}

}  // namespace

std::size_t ParameterLayout::add(std::string name, std::vector<int> shape, InitKind init,
                                 int blocks, int fan_out, int fan_in) {
  ParameterTensor tensor;
  tensor.size = 1;
  for (const int d : shape) {
    if (d <= 0) throw std::invalid_argument("parameter '" + name + "' has an empty dimension");
    tensor.size *= static_cast<std::size_t>(d);
  }
  tensor.name = std::move(name);
  tensor.shape = std::move(shape);
  tensor.init = init;
  tensor.blocks = blocks;
  tensor.fan_out = fan_out;
  tensor.fan_in = fan_in;
  tensor.offset = total_;
  total_ += (tensor.size + kAlignment - 1) / kAlignment * kAlignment;
  tensors_.push_back(std::move(tensor));
  return tensors_.back().offset;
}

std::size_t ParameterLayout::parameter_count() const {
  std::size_t count = 0;
  for (const auto& t : tensors_) count += t.size;
  return count;
}

const ParameterTensor& ParameterLayout::find(const std::string& name) const {
  for (const auto& t : tensors_)
    if (t.name == name) return t;
  throw std::out_of_range("no parameter named '" + name + "'");
}

void ParameterLayout::initialise(std::vector<float>& values, std::uint64_t seed) const {
  values.assign(total_, 0.f);
  Rng rng(seed);
  for (const auto& t : tensors_) {
    float* data = values.data() + t.offset;
    switch (t.init) {
      case InitKind::zeros:
        break;
      case InitKind::normal_embedding:
        for (std::size_t i = 0; i < t.size; ++i) data[i] = static_cast<float>(rng.normal());
        break;
      case InitKind::glorot: {
        const double limit = std::sqrt(6.0 / (t.fan_in + t.fan_out));
        for (std::size_t i = 0; i < t.size; ++i) data[i] = static_cast<float>(rng.uniform(-limit, limit));
        break;
      }
      case InitKind::orthogonal: {
        if (t.fan_in != t.fan_out || t.size != static_cast<std::size_t>(t.blocks) * t.fan_in * t.fan_in)
          throw std::logic_error("orthogonal init of '" + t.name + "' needs square blocks");
        // Blocks are stored interleaved for oneDNN's ldigo layout (H, 3, H): element
        // (row i, gate g, column o). Build each gate's H×H block, then scatter it.
        const int n = t.fan_in;
        std::vector<float> block(static_cast<std::size_t>(n) * n);
        for (int g = 0; g < t.blocks; ++g) {
          fill_orthogonal(block.data(), n, rng);
          for (int i = 0; i < n; ++i)
            for (int o = 0; o < n; ++o)
              data[(static_cast<std::size_t>(i) * t.blocks + g) * n + o] = block[static_cast<std::size_t>(i) * n + o];
        }
        break;
      }
    }
  }
}

}  // namespace nmt
