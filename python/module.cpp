// module.cpp — the Python module nmt: translation, compute settings and sacreBLEU's scores.
#include <pybind11/pybind11.h>

#include "nmt_version.hpp"
#include "python/bindings.hpp"

PYBIND11_MODULE(nmt, module) {
  module.doc() =
      "nmt from Python: nmt.Translator(path, ...) loads a model and translates lines as `nmt translate` "
      "does; nmt.set_threads / nmt.set_precision set the process-wide compute settings; nmt.bleu and "
      "nmt.chrf score hypotheses as sacreBLEU 2.6.0 does.";
  module.attr("__version__") = NMT_VERSION;
  nmt::python::bind_compute(module);
  nmt::python::bind_translator(module);
  nmt::python::bind_scores(module);
}
