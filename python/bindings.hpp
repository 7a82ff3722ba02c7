// bindings.hpp — the parts of the Python module nmt, each adding its names to the module.
//
// module.cpp calls them in this order: the settings first (the translator reads them).
#pragma once

#include <pybind11/pybind11.h>

namespace nmt::python {

// nmt.set_threads, nmt.threads, nmt.set_precision, nmt.precision (compute_binding.cpp).
void bind_compute(pybind11::module_& module);
// nmt.Translator and its results, nmt.Translation and nmt.Alternative (translator_binding.cpp).
void bind_translator(pybind11::module_& module);
// nmt.bleu, nmt.chrf and their results, nmt.BLEUScore and nmt.CHRFScore (scores_binding.cpp).
void bind_scores(pybind11::module_& module);

}  // namespace nmt::python
