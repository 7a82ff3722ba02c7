#!/usr/bin/python3
# test_page.py — the page of `nmt serve` (app/page/index.html) in headless Chromium.
#
#   /usr/bin/python3 tests/test_page.py NMT_BINARY OUT_DIR     (ctest: Page.InHeadlessChromium)
#
# Trains a tiny model (tests/small_run.hpp's corpus and network), starts `nmt serve` on a
# free loopback port, loads the page, types a sentence and presses Enter, waits for the
# translation and checks the DOM against `nmt translate` and the JSON API: the text, the
# n-best list, the heatmap's shape, shading, hover and keyboard readout, the language
# pair, errors (the page's, the server's 400, a server gone);
# then at a phone's size, that nothing but the heatmap's scroll box is wider than the
# screen. Saves OUT_DIR/page-desktop.png and OUT_DIR/page-phone.png and checks them.
# Exits 77 (ctest: skipped) when chromium, chromedriver or selenium is missing.
import base64
import json
import os
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import zlib

SKIP = 77
WAIT_SECONDS = 60  # the longest any explicit wait may take before the test fails

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError:
    webdriver = None

SENTENCE = "four hundred and twenty-one"
LONG_SENTENCE = "nine hundred and ninety-nine thousand nine hundred and ninety-nine"
BEAM, NBEST = 4, 3

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message, flush=True)
    return condition


def run(args, stdin_text=None):
    done = subprocess.run(args, input=stdin_text, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: {' '.join(args)} exited {done.returncode}:\n{done.stdout}{done.stderr}")
    return done.stdout


def tiny_model(nmt, work):
    """Trains tests/small_run.hpp's network on its corpus for a few steps; the model's path."""
    corpus = os.path.join(work, "corpus")
    run([nmt, "generate", "--out", corpus, "--train-size", "3000", "--dev-size", "60", "--test-size", "60"])
    config = os.path.join(work, "small.ini")
    with open(config, "w") as f:
        f.write(f"[data]\nsource_lang = en\ntarget_lang = de\ntrain = {corpus}/train\ndev = {corpus}/dev\n"
                "[tokenizer]\nalgorithm = bpe\nvocab_size = 60\n"
                "[model]\nembed_dim = 32\nencoder_hidden = 48\ndecoder_hidden = 48\n"
                "attention_dim = 48\noutput_dim = 32\ndropout = 0.1\n"
                "[train]\nthreads = 1\nbatch_tokens = 600\nmax_epochs = 100\nmax_steps = 150\n"
                "lr = 0.003\ncheckpoint_every = 50\nvalid_every = 50\nlog_every = 50\n")
    run_dir = os.path.join(work, "run")
    run([nmt, "train", "-c", config, "--train.run_dir", run_dir])
    return os.path.join(run_dir, "model.nmt")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=WAIT_SECONDS) as response:
        return json.load(response)


def start_server(nmt, model, work):
    port = free_port()
    log = open(os.path.join(work, "serve.log"), "w")
    server = subprocess.Popen([nmt, "serve", "-m", model, "--host", "127.0.0.1", "--port", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + WAIT_SECONDS
    while True:  # a wait for the server to listen, bounded; not an assertion
        if server.poll() is not None:
            sys.exit(f"FAIL: nmt serve exited {server.returncode}:\n{open(log.name).read()}")
        try:
            get_json(url + "/health")
            return server, url
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                server.kill()
                sys.exit(f"FAIL: nmt serve did not answer /health within {WAIT_SECONDS} s")
            time.sleep(0.1)


def stop(server):
    """SIGTERM, then the exit status (killed if it does not exit in time)."""
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=WAIT_SECONDS)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    return server.returncode


def nbest_texts(nmt, model, line):
    """`nmt translate`'s n-best list of one line: the texts, best first."""
    out = run([nmt, "translate", "-m", model, "--search.beam_size", str(BEAM), "--nbest", str(NBEST)], line + "\n")
    return [row.split(" ||| ")[1] for row in out.splitlines()]


def png_facts(path):
    """(width, height, distinct byte values of the pixel data) of a PNG, or None if it is not one."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        return None
    width, height = struct.unpack(">II", data[16:24])
    pixels, at = b"", 8
    while at + 8 <= len(data):  # the chunks: length, type, data, CRC
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        if kind == b"IDAT":
            pixels += data[at + 8:at + 8 + length]
        at += 12 + length
    return width, height, len(set(zlib.decompress(pixels)))


def check_screenshot(driver, path, least_bytes):
    """Saves the whole page (not just the window) as a PNG at PATH and checks the file."""
    # The window made as tall as the page (so no scroll bar takes width), shot, restored.
    width, height = driver.execute_script("return [innerWidth, document.documentElement.scrollHeight]")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})
    try:
        shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    finally:
        driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    with open(path, "wb") as f:
        f.write(base64.b64decode(shot["data"]))
    facts = png_facts(path)
    check(facts is not None and facts[:2] == (width, height), f"{path}: a PNG of {width}x{height} expected, found {facts}")
    check(facts is not None and facts[2] >= 32, f"{path}: {facts and facts[2]} distinct byte values: a blank page?")
    check(os.path.getsize(path) >= least_bytes,
          f"{path}: {os.path.getsize(path)} bytes, less than {least_bytes}: a blank page?")


def browser():
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1280,1000", "--force-device-scale-factor=1", "--lang=en-US"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait_for(driver, what, condition):
    try:
        return WebDriverWait(driver, WAIT_SECONDS).until(lambda d: condition(d))
    except Exception as e:
        sys.exit(f"FAIL: waited {WAIT_SECONDS} s for {what}: {type(e).__name__}; "
                 f"the page's error line: {driver.find_element(By.ID, 'error').text!r}")


def translate_on_page(driver, text, beam, nbest):
    """Sets the controls, types TEXT into the source box, presses Enter, waits for the answer."""
    for field, value in (("beam", beam), ("nbest", nbest)):
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(str(value))
    source = driver.find_element(By.ID, "source")
    source.clear()
    driver.execute_script("document.getElementById('status').textContent = ''")
    source.send_keys(text)
    source.send_keys(Keys.ENTER)
    wait_for(driver, "the translation", lambda d: d.find_element(By.ID, "status").text.startswith("Translated")
             or d.find_element(By.ID, "error").text)


def check_desktop(driver, url, nmt, model):
    driver.get(url + "/")
    pair = get_json(url + "/languages")
    wait_for(driver, "the language pair", lambda d: d.find_element(By.ID, "pair").text != "…")
    # The model is trained en → de and records it; /languages lists that pair alone.
    shown, listed = driver.find_element(By.ID, "pair").text, [(l["code"], l["targets"]) for l in pair]
    check(shown == "en → de" and listed == [("en", ["de"])],
          f"the header shows {shown!r}, /languages {listed}")
    check(driver.find_element(By.ID, "beam").get_attribute("value") == str(get_json(url + "/info")["search"]["beam_size"]),
          "the beam control does not start at /info's search default")
    check(driver.switch_to.active_element == driver.find_element(By.ID, "source"), "the source box has no focus")

    translate_on_page(driver, SENTENCE, BEAM, NBEST)
    check(driver.find_element(By.ID, "error").text == "", "an error: " + driver.find_element(By.ID, "error").text)
    expected = nbest_texts(nmt, model, SENTENCE)
    shown = driver.find_element(By.CSS_SELECTOR, ".translation").text
    check(shown == expected[0], f"the page shows {shown!r}, nmt translate {expected[0]!r}")
    items = driver.find_elements(By.CSS_SELECTOR, "ol.nbest li")
    texts = [li.find_element(By.CSS_SELECTOR, ".text").text for li in items]
    check(len(items) == NBEST, f"{len(items)} n-best entries, {NBEST} asked")
    check(texts == expected, f"the n-best list {texts}, nmt translate's {expected}")
    api = get_json(url + "/translate", {"q": SENTENCE, "beam": BEAM, "nbest": NBEST, "attention": True})
    check([api["translatedText"]] + api["alternatives"] == expected, f"the API's n-best list {api}")
    attention = api["attention"]
    sources = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "table.heatmap thead th")][1:]
    targets = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "table.heatmap tbody th")]
    check(sources == attention["source"], f"heatmap columns {sources}, the API's source pieces {attention['source']}")
    check(targets == attention["target"], f"heatmap rows {targets}, the API's target pieces {attention['target']}")
    rows = driver.find_elements(By.CSS_SELECTOR, "table.heatmap tbody tr")
    cells = [r.find_elements(By.TAG_NAME, "td") for r in rows]
    check(len(rows) == len(attention["weights"]) and all(len(c) == len(attention["source"]) for c in cells),
          f"the heatmap is {len(rows)} x {[len(c) for c in cells]}, the API's weights "
          f"{len(attention['weights'])} x {len(attention['source'])}")

    # The heaviest cell of the first row: its shade is its weight's ink, its hover text its weight.
    weights = attention["weights"][0]
    column = max(range(len(weights)), key=lambda c: weights[c])
    cell = cells[0][column]
    ActionChains(driver).move_to_element(cell).perform()
    text = f"{attention['source'][column]} → {attention['target'][0]}: {weights[column]:.3f}"
    check(cell.get_attribute("title") == text, f"the cell's title {cell.get_attribute('title')!r}, expected {text!r}")
    readout = driver.find_element(By.CSS_SELECTOR, ".readout").text
    check(readout == text, f"hovering shows {readout!r}, expected {text!r}")
    alpha = float(driver.execute_script("return getComputedStyle(arguments[0]).backgroundColor", cell)
                  .rsplit(",", 1)[1].rstrip(")"))
    check(abs(alpha - min(1.0, weights[column])) < 0.002, f"the cell's ink {alpha}, its weight {weights[column]}")

    # From the keyboard: with the heatmap focused, the arrow key down picks the cell below.
    ActionChains(driver).move_to_element(driver.find_element(By.TAG_NAME, "h1")).perform()  # the mouse away
    driver.execute_script("arguments[0].focus({preventScroll: true})", driver.find_element(By.CSS_SELECTOR, ".heatmap-scroll"))
    ActionChains(driver).send_keys(Keys.ARROW_DOWN).perform()
    below = f"{attention['source'][column]} → {attention['target'][1]}: {attention['weights'][1][column]:.3f}"
    check(driver.find_element(By.CSS_SELECTOR, ".readout").text == below,
          f"the arrow key down shows {driver.find_element(By.CSS_SELECTOR, '.readout').text!r}, expected {below!r}")

    # Two lines (Shift+Enter between them): two translations, each nmt translate's.
    source = driver.find_element(By.ID, "source")
    source.clear()
    source.send_keys(SENTENCE, Keys.SHIFT, Keys.ENTER, Keys.SHIFT, "seventy-three")
    check(source.get_attribute("value") == SENTENCE + "\nseventy-three", "Shift+Enter did not start a new line")
    driver.execute_script("document.getElementById('status').textContent = ''")
    source.send_keys(Keys.ENTER)
    wait_for(driver, "two translations", lambda d: d.find_element(By.ID, "status").text.startswith("Translated 2"))
    shown = [p.text for p in driver.find_elements(By.CSS_SELECTOR, ".translation")]
    check(shown == [expected[0], nbest_texts(nmt, model, "seventy-three")[0]], f"two lines translated as {shown}")

    # Refusals: the page's own (n-best over the beam), then the server's 400 with its message.
    translate_on_page(driver, SENTENCE, 2, 3)
    check("nbest" in driver.find_element(By.ID, "error").text, "n-best over the beam not refused on the page")
    driver.execute_script("search.maxBeam = 1000000")
    translate_on_page(driver, SENTENCE, 100000, 1)
    error = driver.find_element(By.ID, "error").text
    check(error.startswith("The server answered 400") and "beam" in error, f"the server's refusal shown as {error!r}")

    translate_on_page(driver, SENTENCE, BEAM, NBEST)
    check(driver.find_element(By.ID, "error").text == "", "an error after a refusal")


def check_phone(driver, url):
    driver.set_window_size(390, 844)
    driver.get(url + "/")
    wait_for(driver, "the language pair", lambda d: d.find_element(By.ID, "pair").text != "…")
    translate_on_page(driver, LONG_SENTENCE, BEAM, NBEST)
    check(driver.find_element(By.ID, "error").text == "", "an error: " + driver.find_element(By.ID, "error").text)
    # Every element outside the heatmap's scroll box ends inside the screen's width, and
    # the page itself does not scroll sideways; the heatmap is wider than its box.
    overflow = driver.execute_script("""
      const width = document.documentElement.clientWidth, out = [];
      for (const e of document.querySelectorAll('body *')) {
        if (e.closest('.heatmap-scroll') && !e.classList.contains('heatmap-scroll')) continue;
        const r = e.getBoundingClientRect();
        if (r.width > 0 && (r.right > width + 0.5 || r.left < -0.5))
          out.push(e.tagName + '.' + e.className + ' ' + r.left + '..' + r.right);
      }
      return {width, scroll: document.documentElement.scrollWidth, out};""")
    check(overflow["width"] <= 390, f"the phone's viewport is {overflow['width']} px wide")
    check(overflow["scroll"] <= overflow["width"], f"the page scrolls sideways: {overflow}")
    check(not overflow["out"], f"elements wider than the screen: {overflow['out']}")
    box = driver.find_element(By.CSS_SELECTOR, ".heatmap-scroll")
    inner, outer = driver.execute_script("return [arguments[0].scrollWidth, arguments[0].clientWidth]", box)
    check(inner > outer, f"the long sentence's heatmap ({inner} px) fits its box ({outer} px): nothing scrolled")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: test_page.py NMT_BINARY OUT_DIR")
    nmt, out_dir = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    missing = [name for name, found in (("chromium", CHROMIUM), ("chromedriver", CHROMEDRIVER),
                                        ("python3-selenium", webdriver)) if not found]
    if missing:
        print(f"SKIP: {', '.join(missing)} not installed (scripts/setup.sh installs them): the page is not tested")
        return SKIP
    os.makedirs(out_dir, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        model = tiny_model(nmt, work)
        server, url = start_server(nmt, model, work)
        driver = None
        try:
            driver = browser()
            check_desktop(driver, url, nmt, model)
            check_screenshot(driver, os.path.join(out_dir, "page-desktop.png"), 20000)
            check_phone(driver, url)
            check_screenshot(driver, os.path.join(out_dir, "page-phone.png"), 15000)
            logs = [e for e in driver.get_log("browser") if e["level"] == "SEVERE" and e.get("source") != "network"]
            check(not logs, f"the page's console has errors: {logs}")
            check(stop(server) == 0, f"nmt serve exited {server.returncode} after SIGTERM")
            # The server gone: the page says so.
            translate_on_page(driver, SENTENCE, BEAM, NBEST)
            error = driver.find_element(By.ID, "error").text
            check(error.startswith("Cannot reach the server (/translate)"), f"a lost server shown as {error!r}")
        finally:
            if driver:
                driver.quit()
            stop(server)
    print(f"{'FAILED' if failures else 'passed'}: the page in headless Chromium, screenshots in {out_dir}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
