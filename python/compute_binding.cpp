// compute_binding.cpp — nmt.set_threads, nmt.threads, nmt.set_precision, nmt.precision.
//
// The values are checked as every nmt command checks [compute] (core/fields.hpp, the
// option schema's reader, app/compute_settings): a bad one raises ValueError with the
// command line's message, less its "the command line: " ("compute.threads = 0: must be in
// [1, 256]"); bf16 on a CPU without bf16 instructions is refused by name, naming the
// function where the command line names the flag.
#include <pybind11/pybind11.h>

#include "app/option_schema.hpp"
#include "core/fields.hpp"
#include "python/bindings.hpp"
#include "python/compute_thread.hpp"

namespace py = pybind11;

namespace nmt::python {
namespace {

// Sets the settings that `change` makes to the current ones, checked, on the compute thread.
template <class Change>
void change_compute(const char* source, Change&& change) {
  py::gil_scoped_release release;  // a translation may be running: wait for it without the GIL
  on_compute_thread([&] {
    ComputeConfig config = compute_settings();
    change(config);
    const std::string problem = field_problem("compute", config);
    if (!problem.empty()) throw py::value_error(problem);
    try {
      apply_compute_settings(config, source);
    } catch (const ConfigError& e) {
      throw py::value_error(e.what());
    }
  });
}

// The current settings, read on the compute thread.
ComputeConfig current_compute() {
  py::gil_scoped_release release;
  return on_compute_thread([] { return compute_settings(); });
}

}  // namespace

void bind_compute(py::module_& module) {
  module.def(
      "set_threads",
      [](int threads) { change_compute("nmt.set_threads()", [&](ComputeConfig& c) { c.threads = threads; }); },
      py::arg("threads"),
      "Sets the compute threads of every translation in the process (compute.threads). Raises ValueError "
      "for a number out of range.");
  module.def(
      "threads",
      [] { return current_compute().threads; },
      "The compute threads translations use.");
  module.def(
      "set_precision",
      [](const std::string& name) {
        Precision precision{};
        const std::string problem = parse_option_value(name, precision);
        if (!problem.empty()) throw py::value_error("compute.precision = " + name + ": " + problem);
        change_compute("nmt.set_precision()", [&](ComputeConfig& c) { c.precision = precision; });
      },
      py::arg("precision"),
      "Sets the precision of every matrix product in the process (compute.precision): \"fp32\", \"bf16\" "
      "where the CPU has bf16 instructions, or \"int8\" (products with a weight matrix on int8 values) where it "
      "has VNNI or AMX. Raises ValueError for another name, or a precision the CPU has no instructions for.");
  module.def(
      "precision",
      [] { return field_text(current_compute().precision); },
      "The precision of the matrix products, \"fp32\", \"bf16\" or \"int8\".");
}

}  // namespace nmt::python
