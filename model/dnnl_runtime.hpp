// dnnl_runtime.hpp — what the oneDNN wrappers (dnnl_backend.cpp, dnnl_gru.cpp) share:
// the process's engine and stream, and the plain sequence layout. Internal to model/.
#pragma once

#include <oneapi/dnnl/dnnl.hpp>

namespace nmt::dnnl_internal {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

struct Runtime {
  dnnl::engine engine{dnnl::engine::kind::cpu, 0};
  dnnl::stream stream{engine};
};

inline Runtime& runtime() {
  static Runtime instance;
  return instance;
}

// (steps, batch, channels) batch-major sequences, oneDNN's ntc.
inline memory::desc sequence_desc(int steps, int batch, int channels, dt type = dt::f32) {
  return memory::desc({steps, batch, channels}, type, tag::ntc);
}

}  // namespace nmt::dnnl_internal
