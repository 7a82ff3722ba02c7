// precision.hpp — the precision of the matrix products, one enum for every room.
//
// fp32: f32 operands and sums. bf16: operands rounded to bf16 by oneDNN, sums in f32;
// weights, gradients and optimizer state stay f32 (model/dnnl_backend.hpp).
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace nmt {

enum class Precision { fp32, bf16 };

constexpr auto enum_names(Precision) {
  return std::array<std::pair<Precision, std::string_view>, 2>{
      {{Precision::fp32, "fp32"}, {Precision::bf16, "bf16"}}};
}

}  // namespace nmt
