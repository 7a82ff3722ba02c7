// translator_binding.cpp — nmt.Translator: a model file (or several, an ensemble) loaded once,
// lines translated by app/Translator exactly as `nmt translate` translates them.
//
// nmt.Translator(path) loads one model; nmt.Translator([path, path, ...], weights=[...])
// an ensemble, as `nmt translate -m A -m B --weights ...` (weights relative, default
// equal; a count other than one per path, or a weight that is not positive, ValueError;
// models that do not share tokenizers RuntimeError naming the model and the side).
//
// The search keywords are [search]'s keys under shorter names (beam = search.beam_size,
// alpha = search.length_penalty), their defaults SearchConfig's; every search is checked
// by search_problem, a bad one raising ValueError with its message. A model that cannot be
// read raises OSError, one that is not a valid model RuntimeError, with the message
// `nmt translate -m` prints. Lines are str (or bytes: raw lines, whose invalid UTF-8 is
// replaced as the command line replaces it, with its warning); translation runs on the
// module's compute thread (compute_thread.hpp) while the caller waits without the GIL.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <unistd.h>

#include <optional>
#include <string>
#include <vector>

#include "app/translator.hpp"
#include "data/utf8.hpp"
#include "decoding/search_config.hpp"
#include "formats/model_file.hpp"
#include "python/bindings.hpp"
#include "python/compute_thread.hpp"

namespace py = pybind11;

namespace nmt::python {
namespace {

// One hypothesis, as Python sees it.
struct Alternative {
  std::string text;
  double score = 0, log_probability = 0, length_penalty = 1;
  std::vector<std::string> target_pieces;                      // the attention rows' labels
  std::optional<std::vector<std::vector<float>>> attention;    // rows over the source pieces, if asked
};

// One line's translation when more than its best text is asked for.
struct LineTranslation {
  std::string text;  // the best alternative's
  std::vector<std::string> source_pieces;
  std::vector<Alternative> alternatives;  // best first
};

class PyTranslator {
 public:
  PyTranslator(const std::vector<std::string>& paths, const std::vector<double>& weights, const SearchConfig& search)
      : search_(checked(search)) {
    if (paths.empty()) throw py::value_error("give a model path, or a list of them for an ensemble");
    if (!weights.empty() && weights.size() != paths.size())
      throw py::value_error(std::to_string(weights.size()) + " weights for " + std::to_string(paths.size()) +
                            " models (give one per path)");
    std::vector<EnsembleModel> models;
    for (std::size_t i = 0; i < paths.size(); ++i)
      models.push_back({paths[i], load(paths[i]), weights.empty() ? 1.0 : weights[i]});
    try {
      translator_ = std::make_unique<Translator>(std::move(models), search_);
    } catch (const std::invalid_argument& e) {
      throw py::value_error(e.what());
    }
  }
  // The network's oneDNN primitives were made on the compute thread: they are freed there
  // too, before this returns (at exit, before the libraries' own statics go). The GIL stays
  // held: the compute thread never takes it.
  ~PyTranslator() {
    if (computed_elsewhere()) {  // a child of fork(): its parent's compute thread is not here to free them
      static_cast<void>(translator_.release());
      return;
    }
    dispose_on_compute_thread(std::packaged_task<void()>([this] { translator_.reset(); }));
  }
  PyTranslator(const PyTranslator&) = delete;
  PyTranslator& operator=(const PyTranslator&) = delete;

  py::object translate(const py::object& lines, std::optional<int> beam, std::optional<int> nbest,
                       std::optional<double> alpha, std::optional<bool> shortlist, bool attention) {
    SearchConfig search = search_;
    if (beam) search.beam_size = *beam;
    if (nbest) search.nbest = *nbest;
    if (alpha) search.length_penalty = *alpha;
    if (shortlist) search.shortlist = *shortlist;
    checked(search);
    const bool one_line = py::isinstance<py::str>(lines) || py::isinstance<py::bytes>(lines);
    const std::vector<std::string> texts = one_line ? std::vector<std::string>{line_text(lines, 0)} : line_texts(lines);
    if (computed_elsewhere())
      throw std::runtime_error("this nmt.Translator translated before os.fork(), in the parent process, and cannot "
                               "translate in the child: make a new one here");
    computed_in_ = ::getpid();
    std::vector<Translation> translations;
    {
      py::gil_scoped_release release;
      translations = on_compute_thread([&] {
        translator_->set_search(search);
        return translator_->translate_nbest(texts, 1, attention);
      });
    }
    py::list out;
    for (Translation& t : translations) {
      if (search.nbest == 1 && !attention) out.append(py::str(t.nbest.front().text));
      else out.append(py::cast(line_translation(t, attention)));
    }
    return one_line ? out[0] : py::object(std::move(out));
  }

  // A code of the model's language pair, None for a file that does not record it.
  py::object language(const std::string LanguagePair::*side) const {
    const LanguagePair& pair = translator_->languages();
    return pair.known() ? py::object(py::str(pair.*side)) : py::object(py::none());
  }

  py::dict search() const {
    py::dict d;
    d["beam"] = search_.beam_size;
    d["nbest"] = search_.nbest;
    d["alpha"] = search_.length_penalty;
    d["batch_size"] = search_.batch_size;
    d["max_length_ratio"] = search_.max_length_ratio;
    d["max_length_extra"] = search_.max_length_extra;
    d["shortlist"] = search_.shortlist;
    return d;
  }

 private:
  static const SearchConfig& checked(const SearchConfig& search) {
    const std::string problem = search_problem(search);
    if (!problem.empty()) throw py::value_error(problem);
    return search;
  }

  static LoadedModel load(const std::string& path) {
    try {
      py::gil_scoped_release release;
      return load_model_file(path);
    } catch (const FileFormatError& e) {
      const std::string message = utf8::escape_for_message(e.what());
      if (e.kind() != FileFormatError::Kind::unreadable) throw std::runtime_error(message);
      PyErr_SetString(PyExc_OSError, message.c_str());
      throw py::error_already_set();
    } catch (const std::exception& e) {
      throw std::runtime_error(utf8::escape_for_message(e.what()));
    }
  }

  // A line as nmt reads it: a str's UTF-8, or a bytes object's bytes as they are.
  static std::string line_text(const py::handle& line, std::size_t index) {
    if (py::isinstance<py::bytes>(line)) return line.cast<std::string>();
    if (py::isinstance<py::str>(line)) {  // a lone surrogate has no UTF-8: Python's UnicodeEncodeError
      Py_ssize_t size = 0;
      const char* utf8 = PyUnicode_AsUTF8AndSize(line.ptr(), &size);
      if (!utf8) throw py::error_already_set();
      return std::string(utf8, static_cast<std::size_t>(size));
    }
    throw py::type_error("lines must be a str, bytes or a list of them; item " + std::to_string(index) + " is " +
                         std::string(py::str(line.get_type().attr("__name__"))));
  }

  static std::vector<std::string> line_texts(const py::object& lines) {
    if (!py::isinstance<py::iterable>(lines))
      throw py::type_error("lines must be a str, bytes or a list of them, not " +
                           std::string(py::str(lines.get_type().attr("__name__"))));
    std::vector<std::string> texts;
    for (const py::handle line : lines) texts.push_back(line_text(line, texts.size()));
    return texts;
  }

  LineTranslation line_translation(Translation& t, bool attention) const {
    LineTranslation out;
    out.text = t.nbest.front().text;
    out.source_pieces = translator_->source_pieces(t.source);
    for (Candidate& c : t.nbest) {
      Alternative a{c.text, c.score, c.log_probability, c.length_penalty, translator_->attention_row_pieces(c), {}};
      if (attention) a.attention = std::move(c.alignment);
      out.alternatives.push_back(std::move(a));
    }
    return out;
  }

  // Whether the network's primitives belong to another process's compute thread.
  bool computed_elsewhere() const { return computed_in_ != 0 && computed_in_ != ::getpid(); }

  SearchConfig search_;  // the defaults of translate()
  pid_t computed_in_ = 0;  // the process whose compute thread first translated, or 0
  std::unique_ptr<Translator> translator_;
};

}  // namespace

void bind_translator(py::module_& module) {
  py::class_<Alternative>(module, "Alternative", "One translation of a line, with its scores.")
      .def_readonly("text", &Alternative::text)
      .def_readonly("score", &Alternative::score, "log_probability / length_penalty: what ranks the list")
      .def_readonly("log_probability", &Alternative::log_probability, "sum of the pieces' log-probabilities, </s> included")
      .def_readonly("length_penalty", &Alternative::length_penalty, "length^alpha, the length counting </s>")
      .def_readonly("target_pieces", &Alternative::target_pieces,
                    "the output pieces, and '</s>' when the search ended the line: the attention rows' labels")
      .def_readonly("attention", &Alternative::attention,
                    "with attention=True: one row per target piece, each over the source pieces, summing to 1; "
                    "else None")
      .def("__repr__", [](const Alternative& a) {
        return "Alternative(text=" + std::string(py::repr(py::str(a.text))) + ", score=" +
               std::string(py::repr(py::float_(a.score))) + ")";
      });
  py::class_<LineTranslation>(module, "Translation",
                              "A line's translation with its alternatives (nbest > 1 or attention=True).")
      .def_readonly("text", &LineTranslation::text, "the best alternative's text")
      .def_readonly("source_pieces", &LineTranslation::source_pieces, "the source as translated (cleaned, maybe cut)")
      .def_readonly("alternatives", &LineTranslation::alternatives, "best first, distinct texts, at most nbest")
      .def("__repr__", [](const LineTranslation& t) {
        return "Translation(text=" + std::string(py::repr(py::str(t.text))) + ", alternatives=" +
               std::to_string(t.alternatives.size()) + ")";
      });

  const SearchConfig defaults;
  py::class_<PyTranslator>(module, "Translator",
                           "A model file (model.nmt or a checkpoint) loaded for translation, or a list of them: "
                           "an ensemble (log-probabilities averaged at each step, with weights), with the search "
                           "defaults of translate().")
      .def(py::init([](const py::object& path, const std::optional<std::vector<double>>& weights, int beam, int nbest,
                       double alpha, int batch_size, double max_length_ratio, int max_length_extra,
                       bool shortlist) {
             SearchConfig search;
             search.beam_size = beam;
             search.nbest = nbest;
             search.length_penalty = alpha;
             search.batch_size = batch_size;
             search.max_length_ratio = max_length_ratio;
             search.max_length_extra = max_length_extra;
             search.shortlist = shortlist;
             const py::object fspath = py::module_::import("os").attr("fspath");
             std::vector<std::string> files;
             if (py::isinstance<py::list>(path) || py::isinstance<py::tuple>(path)) {
               for (const py::handle p : path) files.push_back(py::str(fspath(p)));
             } else {
               files.push_back(py::str(fspath(path)));
             }
             return std::make_unique<PyTranslator>(files, weights.value_or(std::vector<double>{}), search);
           }),
           py::arg("path"), py::kw_only(), py::arg("weights") = py::none(), py::arg("beam") = defaults.beam_size, py::arg("nbest") = defaults.nbest,
           py::arg("alpha") = defaults.length_penalty, py::arg("batch_size") = defaults.batch_size,
           py::arg("max_length_ratio") = defaults.max_length_ratio,
           py::arg("max_length_extra") = defaults.max_length_extra, py::arg("shortlist") = defaults.shortlist)
      .def("translate", &PyTranslator::translate, py::arg("lines"), py::kw_only(), py::arg("beam") = py::none(),
           py::arg("nbest") = py::none(), py::arg("alpha") = py::none(), py::arg("shortlist") = py::none(),
           py::arg("attention") = false,
           "Translates a line (str or bytes: one result) or a list of lines (a list of results, in order). "
           "With nbest 1 and no attention a result is the translation's text, else a Translation. beam, nbest, "
           "alpha and shortlist (score each sentence's shortlist only: the model file must have one) override "
           "the Translator's for this call.")
      .def_property_readonly("search", &PyTranslator::search, "the search defaults of translate(), as a dict")
      .def_property_readonly(
          "source_lang", [](const PyTranslator& t) { return t.language(&LanguagePair::source); },
          "the source language code the model file records (data.source_lang), or None")
      .def_property_readonly(
          "target_lang", [](const PyTranslator& t) { return t.language(&LanguagePair::target); },
          "the target language code the model file records (data.target_lang), or None");
}

}  // namespace nmt::python
