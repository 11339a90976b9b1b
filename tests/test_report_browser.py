"""index.html and samples.html in a real browser (headless Chromium driven by selenium): the
filters change the rows shown, a hostile completion's script never runs, no request leaves
the page, every plot decodes. Skipped without chromium, selenium or matplotlib, except under
GNOSIS_STRICT_TESTS=1 (.ci/run), where a missing one fails."""
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import require
from test_report_samples import MIXED, rows_for, save_dir

from gnosis_core.stages import report

STRICT = os.environ.get("GNOSIS_STRICT_TESTS") == "1"


@pytest.fixture(scope="module")
def browser():
    webdriver = require("selenium.webdriver", "needs selenium (pip install 'gnosis[browser]')")
    binary = next(filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None)
    driver_path = shutil.which("chromedriver")
    if not (binary and driver_path):
        why = "needs chromium and chromedriver (apt-get install chromium chromium-driver)"
        if STRICT:
            pytest.fail(why)
        pytest.skip(why)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--allow-file-access-from-files"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    # the driver is given: selenium must not look for one on the network
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    require("matplotlib", "needs matplotlib (pip install 'gnosis[report]')")
    root = tmp_path_factory.mktemp("browser")
    hostile = save_dir(root / "hostile", rows_for(MIXED, hostile=True))
    # a second task in the plain run, so that the task filter has a choice
    plain = save_dir(root / "plain", [dict(r, task="trivia" if r["question_index"] % 2 else "math")
                                      for r in rows_for(MIXED)])
    report.run([f"evil<script>window.__pwned++</script>={hostile}", f"plain={plain}"], out=root / "r")
    return root / "r"


def _requests(browser, path) -> list[str]:
    browser.get_log("performance")  # drop what came before
    browser.get(path.resolve().as_uri())
    urls = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def _shown(browser):
    from selenium.webdriver.common.by import By

    return [row for row in browser.find_elements(By.CSS_SELECTOR, "article.row") if row.is_displayed()]


def test_filters_change_the_shown_rows(browser, pages):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    browser.get((pages / "samples.html").resolve().as_uri())
    every = _shown(browser)
    assert len(every) == 2 * len(rows_for(MIXED))
    count = browser.find_element(By.ID, "count")
    assert count.text == f"{len(every)} of {len(every)} sampled rows shown"  # the page's own script ran

    def only(select_id, value, attribute):
        Select(browser.find_element(By.ID, select_id)).select_by_value(value)
        shown = _shown(browser)
        assert 0 < len(shown) < len(every)
        assert all(row.get_attribute(attribute) == value for row in shown)
        assert count.text.startswith(f"{len(shown)} of ")
        Select(browser.find_element(By.ID, select_id)).select_by_value("")
        assert len(_shown(browser)) == len(every)

    only("f-run", "plain", "data-run")
    only("f-task", "trivia", "data-task")
    only("f-verdict", "correct", "data-verdict")
    only("f-verdict", "timed_out", "data-verdict")
    only("f-bucket", "all_wrong", "data-bucket")
    only("f-two-step", "yes", "data-two-step")

    low = browser.find_element(By.ID, "f-min")
    low.send_keys("120")
    shown = _shown(browser)
    assert 0 < len(shown) < len(every) and all(int(row.get_attribute("data-tokens")) >= 120 for row in shown)
    low.clear()
    low.send_keys("\b")  # clear() sets the value without an input event
    assert len(_shown(browser)) == len(every)

    search = browser.find_element(By.ID, "f-search")
    search.send_keys("question 3")
    shown = _shown(browser)
    assert len(shown) == 2 * len(MIXED[3]) and all("question 3" in row.text for row in shown)
    search.send_keys(" nowhere to be found")
    assert not _shown(browser) and count.text.startswith("0 of ")


def test_no_script_from_a_hostile_completion_runs(browser, pages):
    from selenium.webdriver.common.by import By

    for name in ("samples.html", "index.html"):
        browser.get((pages / name).resolve().as_uri())
        assert browser.execute_script("return typeof window.__pwned") == "undefined", name
        assert "<script>window.__pwned++</script>" in browser.find_element(By.TAG_NAME, "body").text, name
    # the hostile question is on the page as text, and its tags made no element
    browser.get((pages / "samples.html").resolve().as_uri())
    body = browser.find_element(By.TAG_NAME, "body")
    assert "<img src=x onerror=" in body.text
    assert not browser.find_elements(By.CSS_SELECTOR, "article img, article svg, article script")


def test_no_request_leaves_the_page(browser, pages):
    for name in ("samples.html", "index.html"):
        page = (pages / name).resolve().as_uri()
        urls = _requests(browser, pages / name)
        assert page in urls, urls  # the log works: it saw the page itself
        assert all(url == page or url.startswith("data:") for url in urls), urls


def test_every_plot_image_decodes(browser, pages):
    from selenium.webdriver.common.by import By

    browser.get((pages / "index.html").resolve().as_uri())
    images = browser.find_elements(By.TAG_NAME, "img")
    assert len(images) == len(list(pages.glob("*.png"))) >= 5
    for image in images:
        assert browser.execute_script("return arguments[0].complete && arguments[0].naturalWidth > 0", image), \
            image.get_attribute("alt")


def test_strict_mode_fails_where_chromium_is_missing(tmp_path):
    require("selenium", "needs selenium (pip install 'gnosis[browser]')")
    # a PATH with only this Python's folder: no chromium, no chromedriver
    env = {**os.environ, "GNOSIS_STRICT_TESTS": "1", "PATH": str(Path(sys.executable).parent)}
    result = subprocess.run([sys.executable, "-m", "pytest", __file__, "-k", "image_decodes", "-q",
                             "-p", "no:cacheprovider", "--basetemp", str(tmp_path / "t")],
                            env=env, capture_output=True, text=True, cwd=Path(__file__).parents[1])
    assert result.returncode != 0 and "needs chromium" in result.stdout, result.stdout[-2000:]
    assert " skipped" not in result.stdout.splitlines()[-1]
