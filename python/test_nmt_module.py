# test_nmt_module.py — the Python module nmt against the nmt binary and sacreBLEU's fixtures.
#
# Run by ctest (PythonModule.unittest) with Debian's python3, PYTHONPATH at the built
# module, and in the environment: NMT_BINARY (the nmt executable), NMT_TEST_MODEL (the
# tiny model make_test_model.sh trains), NMT_SACREBLEU_DATA (tests/data/sacrebleu),
# NMT_README (the README whose "From Python" example is run), NMT_UNKNOWN_LANGUAGES_MODEL
# (a model file that records no language pair: fuzz/corpus/container/tiny-model.nmt).
# Every expectation is the binary's own output for the same input, or sacreBLEU 2.6.0's
# in the fixtures.
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import threading
import unittest

import nmt

NMT = os.environ["NMT_BINARY"]
MODEL = os.environ["NMT_TEST_MODEL"]
SACREBLEU = pathlib.Path(os.environ["NMT_SACREBLEU_DATA"])
README = pathlib.Path(os.environ["NMT_README"])
UNKNOWN_LANGUAGES = os.environ["NMT_UNKNOWN_LANGUAGES_MODEL"]

LINES = ["four hundred and twenty-one", "seventy-three thousand and eight", "", "nine",
         "one million two hundred thousand", "five hundred and five"]
LONG_LINE = " ".join(["nine hundred and ninety-nine thousand"] * 40)  # far beyond 250 pieces


def run_nmt(args, stdin=b"", env=None):
    """The binary's exit status, standard output and standard error (bytes in, text out)."""
    done = subprocess.run([NMT] + args, input=stdin, capture_output=True, env=env, check=False)
    return done.returncode, done.stdout.decode(), done.stderr.decode()


def cli_error(stderr):
    """What `nmt COMMAND: error: ` is followed by on the first line of standard error."""
    first = stderr.splitlines()[0]
    prefix = re.match(r"nmt \w+: error: ", first)
    assert prefix, stderr
    return first[prefix.end():]


def without_source(message):
    """A command-line message without where its value came from ("the command line: ")."""
    return message.split(": ", 1)[1]


def warnings_of(stderr):
    """The log lines of standard error without their time stamps."""
    return [re.sub(r"^\[\d\d:\d\d:\d\d\] ", "", line) for line in stderr.splitlines()]


def run_python(code, *args, env=None, timeout=None):
    """Another Debian python3 process running `code` with the module: (status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env,
                          timeout=timeout, check=False)
    return done.returncode, done.stdout, done.stderr


def cli_translations(lines, *flags):
    status, out, err = run_nmt(["translate", "-m", MODEL, *flags], "".join(l + "\n" for l in lines).encode())
    assert status == 0, err
    return out.splitlines()


def assert_same_nbest(case, listed, expected, message):
    """The same alternatives in the same order; their numbers equal up to float rounding (a batch's
    row count may change the GEMM's summation order on some ISAs)."""
    case.assertEqual([entry[0] for entry in listed], [entry[0] for entry in expected], message)
    for got, want in zip(listed, expected):
        for got_number, want_number in zip(got[1:], want[1:]):
            case.assertAlmostEqual(float(got_number), float(want_number), delta=1e-4, msg=message)


def parse_nbest(output):
    """Moses/Marian n-best lines: per input index, [(text, log-probability, length penalty, score)]."""
    lists = {}
    for line in output:
        index, text, features, score = line.split(" ||| ")
        log_probability, length_penalty = re.fullmatch(r"LogProb= (\S+) LengthPenalty= (\S+)", features).groups()
        lists.setdefault(int(index), []).append((text, log_probability, length_penalty, score))
    return lists


class Translations(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.translator = nmt.Translator(MODEL)

    def test_a_list_gives_what_nmt_translate_gives(self):
        got = self.translator.translate(LINES)
        self.assertEqual(got, cli_translations(LINES))
        self.assertEqual(got[2], "")  # an empty line gives an empty translation
        self.assertTrue(all(got[i] for i in (0, 1, 3, 4, 5)))

    def test_one_str_gives_one_str(self):
        self.assertEqual(self.translator.translate(LINES[0]), cli_translations(LINES[:1])[0])

    def test_greedy_and_other_searches_as_the_flags_give_them(self):
        self.assertEqual(self.translator.translate(LINES, beam=1), cli_translations(LINES, "--search.beam_size", "1"))
        self.assertEqual(self.translator.translate(LINES, beam=3, alpha=0.5),
                         cli_translations(LINES, "--search.beam_size", "3", "--search.length_penalty", "0.5"))
        greedy = nmt.Translator(MODEL, beam=1, batch_size=2)
        self.assertEqual(greedy.translate(LINES), cli_translations(LINES, "--search.beam_size", "1"))

    def test_the_shortlist_as_the_flag_gives_it(self):
        # nmt train gave the test model its shortlist: shortlist=True searches it, per call or per translator.
        # (The test model's vocabulary is so small that its lists may hold every piece; that a
        # list changes translations is tested with the server and the prompt, tests/test_serve.cpp.)
        self.assertEqual(self.translator.translate(LINES, shortlist=True), cli_translations(LINES, "--shortlist"))
        listed = nmt.Translator(MODEL, beam=1, shortlist=True)
        self.assertTrue(listed.search["shortlist"])
        self.assertFalse(self.translator.search["shortlist"])  # off unless asked for
        self.assertEqual(listed.translate(LINES), cli_translations(LINES, "--shortlist", "--search.beam_size", "1"))
        self.assertEqual(listed.translate(LINES, shortlist=False), cli_translations(LINES, "--search.beam_size", "1"))

    def test_python_threads_share_a_translator(self):
        expected = cli_translations(LINES)
        results = []
        def work():
            results.append(self.translator.translate(LINES))
        for _ in range(2):  # one thread after another (oneDNN's primitives stay on the module's thread)
            worker = threading.Thread(target=work)
            worker.start()
            worker.join()
        workers = [threading.Thread(target=work) for _ in range(4)]  # and several at once
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        self.assertEqual(results, [expected] * 6)
        nmt.set_threads(1)  # settings changed from another thread hold for every thread
        try:
            worker = threading.Thread(target=lambda: results.append(nmt.threads()))
            worker.start()
            worker.join()
            self.assertEqual(results[-1], 1)
        finally:
            nmt.set_threads(2)

    def test_a_child_of_fork_translates_with_a_translator_of_its_own(self):
        code = ("import nmt, os, sys\n"
                "t = nmt.Translator(sys.argv[1])\n"
                "t.translate('nine')\n"
                "pid = os.fork()\n"
                "if pid == 0:\n"
                "    try:\n"
                "        t.translate('nine')\n"
                "    except RuntimeError as e:\n"
                "        print(e)\n"
                "    print(nmt.Translator(sys.argv[1]).translate(sys.argv[2]), flush=True)\n"
                "    os._exit(0)\n"
                "os.waitpid(pid, 0)\n"
                "print(t.translate(sys.argv[2]))\n")
        status, out, err = run_python(code, MODEL, LINES[0])
        self.assertEqual(status, 0, err)
        expected = cli_translations(LINES[:1])[0]
        self.assertEqual(out.splitlines(), [
            "this nmt.Translator translated before os.fork(), in the parent process, and cannot translate in the "
            "child: make a new one here", expected, expected])

    def test_nbest_lists_are_the_nbest_output(self):
        got = self.translator.translate(LINES, nbest=3)
        expected = parse_nbest(cli_translations(LINES, "--nbest", "3"))
        self.assertEqual(len(got), len(LINES))
        for index, translation in enumerate(got):
            self.assertIsInstance(translation, nmt.Translation)
            self.assertEqual(translation.text, translation.alternatives[0].text)
            self.assertIsNone(translation.alternatives[0].attention)
            listed = [(a.text, f"{a.log_probability:.6f}", f"{a.length_penalty:.6f}", f"{a.score:.6f}")
                      for a in translation.alternatives]
            assert_same_nbest(self, listed, expected[index], LINES[index])
        self.assertGreater(len(got[0].alternatives), 1)

    def test_attention_rows_sum_to_one_over_the_source(self):
        for translation in self.translator.translate(LINES, nbest=2, attention=True):
            for alternative in translation.alternatives:
                rows = alternative.attention
                self.assertEqual(len(rows), len(alternative.target_pieces))
                for row in rows:
                    self.assertEqual(len(row), len(translation.source_pieces))
                    self.assertAlmostEqual(sum(row), 1.0, places=5)
        one = self.translator.translate(LINES[0], attention=True)
        self.assertEqual(one.alternatives[0].target_pieces[-1], "</s>")
        self.assertEqual("".join(one.source_pieces).replace("\u2581", " ").strip(), LINES[0])
        empty = self.translator.translate("", attention=True)
        self.assertEqual((empty.text, len(empty.alternatives), empty.source_pieces), ("", 1, []))

    def test_a_long_line_is_cut_with_the_command_lines_warning(self):
        code = ("import nmt, sys\n"
                "t = nmt.Translator(sys.argv[1])\n"
                "print(t.translate(sys.argv[2]))\n"
                "print(len(t.translate(sys.argv[2], attention=True).source_pieces))\n")
        status, out, err = run_python(code, MODEL, LONG_LINE)
        self.assertEqual(status, 0, err)
        text, pieces = out.splitlines()
        cli_status, cli_out, cli_err = run_nmt(["translate", "-m", MODEL], (LONG_LINE + "\n").encode())
        self.assertEqual(cli_status, 0, cli_err)
        self.assertEqual(text, cli_out.rstrip("\n"))
        self.assertEqual(int(pieces), 250)
        cut = warnings_of(cli_err)
        self.assertRegex(cut[0], r"^\[translate\] warning: line 1: \d+ source pieces, cut to the first 250$")
        self.assertEqual(warnings_of(err), cut + cut)  # once per translate() call

    def test_bytes_are_raw_lines_repaired_as_the_command_line_repairs_them(self):
        raw = [b"four \xff hundred", "nine".encode()]
        code = ("import nmt, sys\n"
                "print(nmt.Translator(sys.argv[1]).translate([b'four \\xff hundred', b'nine']))\n")
        status, out, err = run_python(code, MODEL)
        self.assertEqual(status, 0, err)
        cli_status, cli_out, cli_err = run_nmt(["translate", "-m", MODEL], b"".join(l + b"\n" for l in raw))
        self.assertEqual(cli_status, 0, cli_err)
        self.assertEqual(out.strip(), repr(cli_out.splitlines()))
        self.assertEqual(warnings_of(err), warnings_of(cli_err))
        self.assertEqual(warnings_of(err), ["[translate] warning: line 1: invalid UTF-8 replaced by U+FFFD"])

    def test_lines_that_are_not_text_are_refused(self):
        with self.assertRaisesRegex(TypeError, "item 1 is int"):
            self.translator.translate(["one", 2])
        with self.assertRaisesRegex(TypeError, "not int"):
            self.translator.translate(3)
        with self.assertRaises(UnicodeEncodeError):  # a lone surrogate has no UTF-8
            self.translator.translate("\ud800")

    def test_search_is_the_defaults_of_translate(self):
        status, out, err = run_nmt(["translate", "-m", MODEL, "--dump-config"])  # translate's defaults
        self.assertEqual(status, 0, err)
        dumped = dict(re.findall(r"^(\w+) = (\S+)$", out.split("[search]\n")[1].split("\n[")[0], re.M))
        names = {"beam": "beam_size", "alpha": "length_penalty"}
        self.assertEqual(sorted(names.get(key, key) for key in self.translator.search), sorted(dumped))
        for key, value in self.translator.search.items():
            text = str(value).lower() if isinstance(value, bool) else str(value).removesuffix(".0")
            self.assertEqual(text, dumped[names.get(key, key)], key)
        other = nmt.Translator(MODEL, beam=2, nbest=2, alpha=0.6)
        self.assertEqual((other.search["beam"], other.search["nbest"], other.search["alpha"]), (2, 2, 0.6))
        self.assertEqual(len(other.translate(LINES[0]).alternatives), 2)


    def test_the_language_pair_is_the_model_files(self):
        status, out, err = run_nmt(["info", MODEL])
        self.assertEqual(status, 0, err)
        self.assertIn(f"languages: {self.translator.source_lang} → {self.translator.target_lang}\n", out)
        self.assertEqual((self.translator.source_lang, self.translator.target_lang), ("en", "de"))  # test_model.ini's
        older = nmt.Translator(UNKNOWN_LANGUAGES)  # written before model files recorded the pair
        self.assertEqual((older.source_lang, older.target_lang), (None, None))
        self.assertIn("languages: unknown", run_nmt(["info", UNKNOWN_LANGUAGES])[1])


class Errors(unittest.TestCase):
    def assert_search_refused_as_the_command_line(self, flags, make):
        status, _, err = run_nmt(["translate", "-m", MODEL, *flags])
        self.assertEqual(status, 2, err)
        with self.assertRaises(ValueError) as raised:
            make()
        self.assertEqual(str(raised.exception), without_source(cli_error(err)))

    def test_bad_searches_raise_the_command_lines_message(self):
        t = nmt.Translator(MODEL)
        cases = [(["--search.beam_size", "0"], lambda: nmt.Translator(MODEL, beam=0)),
                 (["--search.beam_size", "300"], lambda: t.translate("one", beam=300)),
                 (["--nbest", "6"], lambda: nmt.Translator(MODEL, nbest=6)),
                 (["--nbest", "6"], lambda: t.translate("one", nbest=6)),
                 (["--search.beam_size", "1", "--nbest", "2"], lambda: t.translate("one", beam=1, nbest=2)),
                 (["--search.length_penalty", "-1"], lambda: t.translate("one", alpha=-1.0)),
                 (["--search.batch_size", "0"], lambda: nmt.Translator(MODEL, batch_size=0)),
                 (["--search.max_length_ratio", "0"], lambda: nmt.Translator(MODEL, max_length_ratio=0.0))]
        for flags, make in cases:
            with self.subTest(flags=flags):
                self.assert_search_refused_as_the_command_line(flags, make)
        self.assertEqual(t.search["beam"], 5)  # a refused call changes nothing
        self.assertEqual(t.translate(LINES[0]), cli_translations(LINES[:1])[0])

    def test_models_that_cannot_be_read_raise_the_command_lines_message(self):
        with tempfile.TemporaryDirectory() as scratch:
            corrupt = pathlib.Path(scratch, "corrupt.nmt")
            corrupt.write_bytes(pathlib.Path(MODEL).read_bytes()[:5000])
            garbage = pathlib.Path(scratch, "garbage.nmt")
            garbage.write_bytes(b"not a model at all\x01\x02")
            for path, error in [(pathlib.Path(scratch, "missing.nmt"), OSError), (pathlib.Path(scratch), OSError),
                                (corrupt, RuntimeError), (garbage, RuntimeError)]:
                with self.subTest(path=path.name):
                    status, _, err = run_nmt(["translate", "-m", str(path)])
                    self.assertEqual(status, 1, err)
                    with self.assertRaises(error) as raised:
                        nmt.Translator(path)  # a path-like object works as a str does
                    self.assertEqual(str(raised.exception), cli_error(err))


class Ensembles(unittest.TestCase):
    """nmt.Translator([paths], weights=...) against `nmt translate -m A -m B --weights ...`."""
    CHECKPOINT = os.path.join(os.path.dirname(MODEL), "checkpoints", "step-000000100.ckpt")  # other weights

    def test_a_model_with_itself_translates_and_scores_as_the_model(self):
        alone = nmt.Translator(MODEL).translate(LINES, nbest=3, attention=True)
        twice = nmt.Translator([MODEL, pathlib.Path(MODEL)]).translate(LINES, nbest=3, attention=True)
        for one, two in zip(alone, twice):
            self.assertEqual([(a.text, a.score, a.log_probability, a.attention) for a in one.alternatives],
                             [(a.text, a.score, a.log_probability, a.attention) for a in two.alternatives])

    def test_two_models_translate_as_the_command_lines_ensemble(self):
        flags = ["-m", self.CHECKPOINT, "--weights", "3", "1"]
        ensemble = nmt.Translator([MODEL, self.CHECKPOINT], weights=[3, 1])
        self.assertEqual(ensemble.translate(LINES), cli_translations(LINES, *flags))
        expected = parse_nbest(cli_translations(LINES, *flags, "--nbest", "3"))
        for index, translation in enumerate(ensemble.translate(LINES, nbest=3, attention=True)):
            listed = [(a.text, f"{a.log_probability:.6f}", f"{a.length_penalty:.6f}", f"{a.score:.6f}")
                      for a in translation.alternatives]
            assert_same_nbest(self, listed, expected[index], LINES[index])
            for row in translation.alternatives[0].attention or []:  # the members' mean: a distribution
                self.assertAlmostEqual(sum(row), 1.0, places=4)

    def test_other_tokenizers_and_bad_weights_are_refused_as_the_command_line_refuses_them(self):
        status, _, err = run_nmt(["translate", "-m", MODEL, "-m", UNKNOWN_LANGUAGES])
        self.assertEqual(status, 1, err)
        with self.assertRaises(RuntimeError) as raised:
            nmt.Translator([MODEL, UNKNOWN_LANGUAGES])
        self.assertEqual(str(raised.exception), cli_error(err))
        self.assertIn("its source tokenizer differs", str(raised.exception))
        for weights, message in [([1], "1 weights for 2 models (give one per path)"),
                                 ([1, 0], f"the weight of '{MODEL}' is 0: it must be a positive number")]:
            with self.subTest(weights=weights), self.assertRaises(ValueError) as raised:
                nmt.Translator([self.CHECKPOINT, MODEL], weights=weights)
            self.assertEqual(str(raised.exception), message)
        with self.assertRaises(ValueError):
            nmt.Translator([])


class Settings(unittest.TestCase):
    def tearDown(self):
        nmt.set_threads(2)
        nmt.set_precision("fp32")

    def test_threads_are_set_and_read_and_checked_as_the_command_line_checks_them(self):
        self.assertEqual(nmt.threads(), 2)  # translate's default
        nmt.set_threads(1)
        self.assertEqual(nmt.threads(), 1)
        self.assertEqual(nmt.Translator(MODEL).translate(LINES), cli_translations(LINES, "--threads", "1"))
        for bad in ("0", "257"):
            status, _, err = run_nmt(["translate", "-m", MODEL, "--threads", bad])
            self.assertEqual(status, 2, err)
            with self.assertRaises(ValueError) as raised:
                nmt.set_threads(int(bad))
            self.assertEqual(str(raised.exception), without_source(cli_error(err)))
        self.assertEqual(nmt.threads(), 1)  # a refused value changes nothing

    def test_precision_names_are_checked_as_the_command_line_checks_them(self):
        self.assertEqual(nmt.precision(), "fp32")
        status, _, err = run_nmt(["translate", "-m", MODEL, "--precision", "fp16"])
        self.assertEqual(status, 2, err)
        with self.assertRaises(ValueError) as raised:
            nmt.set_precision("fp16")
        self.assertEqual(str(raised.exception), without_source(cli_error(err)))
        for name in ("bf16", "int8"):
            status, _, err = run_nmt(["translate", "-m", MODEL, "--precision", name])
            if status == 0:  # this CPU has the instructions: the module takes it too
                nmt.set_precision(name)
                self.assertEqual(nmt.precision(), name)
                self.assertEqual(nmt.Translator(MODEL).translate(LINES), cli_translations(LINES, "--precision", name))
                nmt.set_precision("fp32")
            else:
                self.assert_refused(name, err, os.environ)

    def test_bf16_and_int8_are_refused_by_name_on_a_cpu_without_them(self):
        avx2_only = dict(os.environ, ONEDNN_MAX_CPU_ISA="AVX2")  # oneDNN told to use no more than AVX2
        for name in ("bf16", "int8"):
            status, _, err = run_nmt(["translate", "-m", MODEL, "--precision", name], env=avx2_only)
            self.assertEqual(status, 2, err)
            self.assert_refused(name, err, avx2_only)

    def assert_refused(self, name, cli_stderr, env):
        """nmt.set_precision(NAME) refused as `nmt translate --precision NAME` was (cli_stderr)."""
        code = ("import nmt\n"
                "try:\n"
                f"    nmt.set_precision('{name}')\n"
                "except ValueError as e:\n"
                "    print(e)\n"
                "print(nmt.precision())\n")
        status, out, err = run_python(code, env=env)
        self.assertEqual(status, 0, err)
        message, precision = out.splitlines()
        expected = without_source(cli_error(cli_stderr))
        self.assertIn(f"{name} matrix products need a CPU with", expected)
        self.assertEqual(message, "nmt.set_precision(): " + expected)
        self.assertEqual(precision, "fp32")


# Another Python thread must run while translate() works: the translator's warnings (one
# per line of invalid UTF-8) go to standard error, made a pipe that holds 4 kB, and the
# thread that reads it is Python code. The warnings are several times what the pipe
# holds, so translate() returns only if that thread ran, over and over, meanwhile; were the
# GIL held, the reader could not take it and translate() would wait on the full pipe
# forever (the timeout below turns that into a failure).
GIL_CHECK = r"""
import fcntl, os, sys, threading
import nmt

translator = nmt.Translator(sys.argv[1])
read_end, write_end = os.pipe()
fcntl.fcntl(write_end, fcntl.F_SETPIPE_SZ, 4096)
saved_stderr = os.dup(2)
os.dup2(write_end, 2)
received, reads = [], threading.Event()

def drain():
    while True:
        data = os.read(read_end, 1024)
        if not data:
            return
        received.append(data)
        reads.set()

reader = threading.Thread(target=drain)
reader.start()
lines = [b"\xff"] * 400
translated = translator.translate(lines, beam=1)
ran_meanwhile = reads.is_set()
os.dup2(saved_stderr, 2)
os.close(write_end)
reader.join()
warnings = b"".join(received).decode().splitlines()
print(ran_meanwhile, len(translated), len(warnings), sum(len(w) + 1 for w in warnings))
"""


class Gil(unittest.TestCase):
    def test_other_python_threads_run_while_translating(self):
        try:
            status, out, err = run_python(GIL_CHECK, MODEL, timeout=120)
        except subprocess.TimeoutExpired:
            self.fail("translate() never returned: the thread reading its warnings could not run (GIL held)")
        self.assertEqual(status, 0, err)
        ran_meanwhile, translated, warnings, size = out.split()
        self.assertEqual((ran_meanwhile, translated, warnings), ("True", "400", "400"))
        self.assertGreater(int(size), 3 * 4096)  # what makes the reader's runs necessary


class Scores(unittest.TestCase):
    @staticmethod
    def lines(name):
        """A fixture file's lines as nmt evaluate and sacreBLEU read them (split at \\n only)."""
        text = (SACREBLEU / name).read_text(encoding="utf-8")
        return text[:-1].split("\n") if text.endswith("\n") else text.split("\n")

    def setUp(self):
        self.hypotheses = self.lines("hyp.txt")
        self.streams = {"refs1": [self.lines("ref1.txt")], "refs2": [self.lines("ref1.txt"), self.lines("ref2.txt")]}

    def test_text_lines_are_sacrebleus(self):
        for tokenize in ("13a", "intl", "none", "char"):
            for lowercase in (False, True):
                for refs in ("refs1", "refs2"):
                    name = f"{tokenize}{'.lc' if lowercase else ''}.{refs}.text"
                    with self.subTest(case=name):
                        bleu_line, chrf_line = (SACREBLEU / "expected" / name).read_text().splitlines()
                        bleu = nmt.bleu(self.hypotheses, self.streams[refs], tokenize=tokenize, lowercase=lowercase)
                        self.assertEqual(str(bleu), bleu_line.lstrip())
                        self.assertEqual(str(nmt.chrf(self.hypotheses, self.streams[refs])), chrf_line.lstrip())

    def test_scores_and_signatures_to_six_decimals_are_sacrebleus(self):
        for tokenize in ("13a", "intl", "none", "char"):
            for lowercase in (False, True):
                name = f"w6.{tokenize}{'.lc' if lowercase else ''}.refs2.json"
                with self.subTest(case=name):
                    expected_bleu, expected_chrf = json.loads((SACREBLEU / "expected" / name).read_text())
                    bleu = nmt.bleu(self.hypotheses, self.streams["refs2"], tokenize=tokenize, lowercase=lowercase)
                    self.assertEqual(round(bleu.score, 6), expected_bleu["score"])
                    self.assertEqual(bleu.signature, expected_bleu["signature"])
                    verbose = "/".join(f"{p:.1f}" for p in bleu.precisions) + \
                        f" (BP = {bleu.bp:.3f} ratio = {bleu.sys_len / bleu.ref_len:.3f} " \
                        f"hyp_len = {bleu.sys_len} ref_len = {bleu.ref_len})"
                    self.assertEqual(verbose, expected_bleu["verbose_score"])
                    chrf = nmt.chrf(self.hypotheses, self.streams["refs2"])
                    self.assertEqual(round(chrf.score, 6), expected_chrf["score"])
                    self.assertEqual(chrf.signature, expected_chrf["signature"])

    def test_chrf_lowercase_is_sacrebleus(self):
        _, expected = json.loads((SACREBLEU / "expected" / "chrf-lowercase.refs2.json").read_text())
        chrf = nmt.chrf(self.hypotheses, self.streams["refs2"], lowercase=True)
        self.assertEqual(round(chrf.score, 1), expected["score"])
        self.assertEqual(chrf.signature, expected["signature"])

    def test_defaults_are_sacrebleus(self):
        expected = json.loads((SACREBLEU / "expected" / "bleu-only.refs1.json").read_text())
        bleu = nmt.bleu(self.hypotheses, self.streams["refs1"])
        self.assertEqual((round(bleu.score, 1), bleu.signature), (expected["score"], expected["signature"]))

    def test_bad_arguments_are_refused(self):
        status, _, err = run_nmt(["evaluate", "--tokenize", "13b", str(SACREBLEU / "ref1.txt")],
                                 (SACREBLEU / "hyp.txt").read_bytes())
        self.assertEqual(status, 2, err)
        with self.assertRaises(ValueError) as raised:
            nmt.bleu(self.hypotheses, self.streams["refs1"], tokenize="13b")
        self.assertEqual(str(raised.exception), without_source(cli_error(err)))
        with self.assertRaisesRegex(ValueError, r"BLEU needs as many hypotheses as references \(21 vs 2\)"):
            nmt.bleu(self.hypotheses, [["a", "b"]])
        with self.assertRaisesRegex(ValueError, "chrF needs at least one reference"):
            nmt.chrf(self.hypotheses, [])
        with self.assertRaises(TypeError):  # one stream of strings, not a list of streams
            nmt.bleu(self.hypotheses, self.streams["refs1"][0])


class Module(unittest.TestCase):
    def test_version_is_the_binarys(self):
        status, out, err = run_nmt(["--version"])
        self.assertEqual(status, 0, err)
        self.assertIn(nmt.__version__, out.split())

    def test_the_readme_example_runs(self):
        readme = README.read_text()
        section = readme.split("\n## From Python\n", 1)[1].split("\n## ", 1)[0]
        example = re.search(r"\n((?:    .*\n|\n)*?    import nmt\n(?:    .*\n|\n)*)", section).group(1)
        code = "\n".join(line[4:] for line in example.splitlines())
        with tempfile.TemporaryDirectory() as scratch:
            os.makedirs(os.path.join(scratch, "runs", "quickstart"))
            os.symlink(MODEL, os.path.join(scratch, "runs", "quickstart", "model.nmt"))
            done = subprocess.run([sys.executable, "-c", code], cwd=scratch, capture_output=True, text=True,
                                  check=False)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn(cli_translations(["four hundred and twenty-one"])[0], done.stdout)


if __name__ == "__main__":
    unittest.main()
