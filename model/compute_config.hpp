// compute_config.hpp — how a process computes: threads and matrix-product precision.
//
// Both are process-wide settings of the backend (model/dnnl_backend.hpp). [train]
// holds them for training; translate and evaluate read them as [compute] (or --threads,
// --precision). Declared once here (core/fields.hpp).
#pragma once

#include "core/fields.hpp"
#include "model/precision.hpp"

namespace nmt {

struct ComputeConfig {
  int threads = 2;                        // oneDNN / OpenMP threads
  Precision precision = Precision::fp32;  // of every matrix product

  template <class Self, class Visit>
  static void fields(Self& self, Visit&& visit) {
    visit(FieldSpec{"threads", "compute threads"}, self.threads, in_range(1, 256));
    visit(FieldSpec{"precision",
                    "matrix-product precision: bf16 rounds the operands of every matrix product to bf16 and "
                    "sums in f32; weights, gradients and Adam stay f32 (needs a CPU with bf16 instructions); "
                    "int8, for translation only, runs the products with a weight matrix on int8 values "
                    "(a scale per weight column and per input row) with int32 sums (needs VNNI or AMX)"},
          self.precision, any_value<Precision>());
  }
  template <class Report>
  static void relations(const ComputeConfig&, Report&&) {}
};

}  // namespace nmt
