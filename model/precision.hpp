// precision.hpp — the precision of the matrix products, one enum for every room.
//
// fp32: f32 operands and sums. bf16: operands rounded to bf16 by oneDNN, sums in f32;
// weights, gradients and optimizer state stay f32 (model/dnnl_backend.hpp). int8, for
// translation only: products with a weight operand on int8 values with int32 sums
// (model/quantize.hpp); every other product in f32.
#pragma once

#include <array>
#include <string_view>
#include <utility>

namespace nmt {

enum class Precision { fp32, bf16, int8 };

constexpr auto enum_names(Precision) {
  return std::array<std::pair<Precision, std::string_view>, 3>{
      {{Precision::fp32, "fp32"}, {Precision::bf16, "bf16"}, {Precision::int8, "int8"}}};
}

}  // namespace nmt
