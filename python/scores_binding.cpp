// scores_binding.cpp — nmt.bleu and nmt.chrf: sacreBLEU 2.6.0's corpus scores
// (training/bleu, training/chrf), taking their arguments as sacreBLEU's corpus_score does.
//
// `references` is a list of reference streams, each a list of strings line-aligned with
// the hypotheses (several streams: several references per line). The results carry the
// score, its signature and str(): the line `nmt evaluate` and sacreBLEU's command line
// print (app/sacrebleu_report). Bad arguments raise ValueError with the message of the
// command line: a tokenizer's name as --tokenize, streams of another length as nmt
// evaluate's scorer says it.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "app/option_schema.hpp"
#include "app/sacrebleu_report.hpp"
#include "core/fields.hpp"
#include "python/bindings.hpp"
#include "training/bleu.hpp"
#include "training/chrf.hpp"

namespace py = pybind11;

namespace nmt::python {
namespace {

struct BleuResult {
  BleuScore bleu;
  MetricSignature signature;
  MetricReport report() const { return {"BLEU", bleu.score, signature, bleu.verbose()}; }
};

struct ChrfResult {
  double score = 0;
  MetricSignature signature;
  MetricReport report() const { return {"chrF2", score, signature, ""}; }
};

// The text line of one metric, as sacreBLEU prints it with its defaults (one decimal).
std::string text_line(const MetricReport& report) {
  std::string line = sacrebleu_text({report}, ReportStyle{});
  line.pop_back();  // its "\n"
  return line;
}

BleuResult bleu(const std::vector<std::string>& hypotheses, const ReferenceSets& references,
                const std::string& tokenize, bool lowercase) {
  BleuOptions options;
  const std::string problem = parse_option_value(tokenize, options.tokenizer);
  if (!problem.empty()) throw py::value_error("tokenize = " + tokenize + ": " + problem);
  options.lowercase = lowercase;
  py::gil_scoped_release release;
  return {corpus_bleu(hypotheses, references, options), bleu_signature(references.size(), options)};
}

ChrfResult chrf(const std::vector<std::string>& hypotheses, const ReferenceSets& references, bool lowercase) {
  ChrfOptions options;
  options.lowercase = lowercase;
  py::gil_scoped_release release;
  return {corpus_chrf(hypotheses, references, options), chrf_signature(references.size(), options)};
}

}  // namespace

void bind_scores(py::module_& module) {
  py::class_<BleuResult>(module, "BLEUScore", "A corpus BLEU score, with sacreBLEU's BLEUScore attributes.")
      .def_property_readonly("score", [](const BleuResult& r) { return r.bleu.score; })
      .def_property_readonly("precisions", [](const BleuResult& r) { return r.bleu.precisions; },
                             "the n-gram precisions of orders 1 to 4, 0-100")
      .def_property_readonly("bp", [](const BleuResult& r) { return r.bleu.brevity_penalty; })
      .def_property_readonly("sys_len", [](const BleuResult& r) { return r.bleu.stats.hypothesis_length; })
      .def_property_readonly("ref_len", [](const BleuResult& r) { return r.bleu.stats.reference_length; })
      .def_property_readonly("counts", [](const BleuResult& r) { return r.bleu.stats.correct; })
      .def_property_readonly("totals", [](const BleuResult& r) { return r.bleu.stats.total; })
      .def_property_readonly("signature", [](const BleuResult& r) { return r.signature.text(); })
      .def("__str__", [](const BleuResult& r) { return text_line(r.report()); })
      .def("__repr__", [](const BleuResult& r) { return "<nmt.BLEUScore " + text_line(r.report()) + ">"; });
  py::class_<ChrfResult>(module, "CHRFScore", "A corpus chrF2 score.")
      .def_readonly("score", &ChrfResult::score)
      .def_property_readonly("signature", [](const ChrfResult& r) { return r.signature.text(); })
      .def("__str__", [](const ChrfResult& r) { return text_line(r.report()); })
      .def("__repr__", [](const ChrfResult& r) { return "<nmt.CHRFScore " + text_line(r.report()) + ">"; });

  module.def("bleu", &bleu, py::arg("hypotheses"), py::arg("references"), py::kw_only(),
             py::arg("tokenize") = field_text(BleuOptions{}.tokenizer), py::arg("lowercase") = BleuOptions{}.lowercase,
             "Corpus BLEU as sacreBLEU 2.6.0's BLEU(tokenize, lowercase).corpus_score(hypotheses, references); "
             "tokenize is one of 13a, intl, none, char.");
  module.def("chrf", &chrf, py::arg("hypotheses"), py::arg("references"), py::kw_only(),
             py::arg("lowercase") = ChrfOptions{}.lowercase,
             "Corpus chrF2 as sacreBLEU 2.6.0's CHRF(lowercase).corpus_score(hypotheses, references).");
}

}  // namespace nmt::python
