// parameters.hpp — all of a model's weights in one contiguous buffer with named views.
//
// A ParameterLayout lists the tensors (name, shape, how to initialise) and gives each an
// offset. Values, gradients and optimizer moments are flat float buffers of the same
// size and layout, so an optimizer is one loop and a checkpoint is one block.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace nmt {

enum class InitKind {
  zeros,
  normal_embedding,   // N(0, 1), as PyTorch's nn.Embedding: on Multi30k it learns far
                      // faster than U(±0.1) (dev ppl 47 vs 224 after one epoch)
  glorot,             // U(±sqrt(6 / (fan_in + fan_out))), per block of `blocks`
  orthogonal,         // each square block orthogonal (recurrent matrices)
};

struct ParameterTensor {
  std::string name;
  std::vector<int> shape;
  std::size_t offset = 0;
  std::size_t size = 0;
  InitKind init = InitKind::zeros;
  // Initialisation sees the tensor as `blocks` matrices of fan_out × fan_in (e.g. the
  // three gates of a GRU weight), each initialised on its own.
  int blocks = 1, fan_out = 0, fan_in = 0;
};

class ParameterLayout {
 public:
  // Appends a tensor; returns its offset. Offsets are aligned to 16 floats (64 bytes).
  std::size_t add(std::string name, std::vector<int> shape, InitKind init, int blocks = 1,
                  int fan_out = 0, int fan_in = 0);
  const std::vector<ParameterTensor>& tensors() const { return tensors_; }
  std::size_t total_size() const { return total_; }
  // Number of trainable values (the sum of the tensor sizes, without alignment gaps).
  std::size_t parameter_count() const;
  const ParameterTensor& find(const std::string& name) const;

  // Fills `values` (resized to total_size()) as each tensor's InitKind says.
  void initialise(std::vector<float>& values, std::uint64_t seed) const;

 private:
  std::vector<ParameterTensor> tensors_;
  std::size_t total_ = 0;
};

// The tensor `name` inside a buffer laid out by `layout` (values, gradients or moments):
// how each layer binds its own parameters.
template <class T>
T* tensor_at(const ParameterLayout& layout, T* base, const std::string& name) {
  return base + layout.find(name).offset;
}

}  // namespace nmt
