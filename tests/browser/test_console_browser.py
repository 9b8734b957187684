"""The web console in a real browser (issue 19): Debian's chromium, headless, driven by selenium
through chromium-driver (`.ci/run` installs both). Skipped, saying why, where either is absent.

The fleet page's screenshot is written to the test's temporary folder, and also to the path in
`DCCSIM_CONSOLE_SCREENSHOT` when that is set (how `docs/console-fleet.png` is made:
`DCCSIM_CONSOLE_SCREENSHOT=docs/console-fleet.png pytest tests/browser`)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from dccsim.server.core.fleet import example_fleet
from dccsim.server.http.console.options import ConsoleOptions
from tests.conftest import ESME, SUPPLIER_A
from tests.http.console_server import ConsoleServer, console_server

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
from selenium.common.exceptions import StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.options import Options  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
WAIT_SECONDS = 15


def waiting(browser: webdriver.Chrome) -> WebDriverWait[webdriver.Chrome]:
    """A wait that looks again when the page it read from went away under it: an element found
    just before a form's answer replaced the page is stale, not missing."""
    return WebDriverWait(
        browser, WAIT_SECONDS, ignored_exceptions=(StaleElementReferenceException,)
    )


@pytest.fixture(scope="module")
def browser() -> Iterator[webdriver.Chrome]:
    if CHROMIUM is None or DRIVER is None:
        pytest.skip(
            "no chromium and chromium-driver on PATH (Debian: apt-get install chromium "
            "chromium-driver; .ci/run installs them)"
        )
    options = Options()
    options.binary_location = CHROMIUM
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI runs as root, where chromium's sandbox cannot start
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--window-size=1440,900",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)
    driver.set_page_load_timeout(WAIT_SECONDS)
    yield driver
    driver.quit()


@pytest.fixture
def console() -> Iterator[ConsoleServer]:
    with console_server() as running:  # loopback, no token: the forms are open
        yield running


def test_the_fleet_page_loads(
    browser: webdriver.Chrome, console: ConsoleServer, tmp_path: Path
) -> None:
    browser.get(console.url("/console/fleet"))
    rows = browser.find_elements(By.CSS_SELECTOR, "table#fleet tbody tr")
    ids = {row.find_element(By.CSS_SELECTOR, "td.id").text for row in rows}
    assert ids == {record.device_id for record in example_fleet().devices}
    assert "dccsim console" in browser.title

    # Filtering is a plain GET form: choose a type and submit.
    Select(browser.find_element(By.NAME, "type")).select_by_visible_text("GSME")
    browser.find_element(By.CSS_SELECTOR, "#fleet-filter button").click()
    waiting(browser).until(lambda b: "type=GSME" in b.current_url)
    ids = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "table#fleet td.id")]
    assert ids == ["00-DB-12-34-56-78-90-A1"]

    # A form posted by the browser itself (its Origin is the console's): marking a CPL entry
    # Removed suspends the devices running it (CPL-01), which the fleet page then shows.
    browser.get(console.url("/console/cpl"))
    row = browser.find_element(By.XPATH, "//table[@id='cpl']//tr[td[2]='ESME-S2' and td[3]='0100']")
    row.find_element(By.TAG_NAME, "button").click()
    said = waiting(browser).until(lambda b: b.find_element(By.CSS_SELECTOR, "p.said"))
    assert "1 device(s) suspended" in said.text

    browser.get(console.url("/console/fleet"))
    suspended = browser.find_element(By.XPATH, f"//tr[td[1]='{ESME}']/td[8]")
    assert suspended.text == "Suspended"
    shot = tmp_path / "console-fleet.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    wanted = os.environ.get("DCCSIM_CONSOLE_SCREENSHOT")
    if wanted:
        shutil.copyfile(shot, wanted)


def test_a_template_sent_from_the_page_comes_back_in_the_log(
    browser: webdriver.Chrome, console: ConsoleServer
) -> None:
    browser.get(console.url("/console/send"))
    Select(browser.find_element(By.ID, "template-user")).select_by_value(SUPPLIER_A)
    Select(browser.find_element(By.ID, "template")).select_by_visible_text(
        "example/11.2-read-firmware-version-esme.xml"
    )
    browser.find_element(By.CSS_SELECTOR, "#send-template button").click()

    wait = waiting(browser)
    code = wait.until(lambda b: b.find_element(By.ID, "answer-code"))
    assert code.text == "I99"
    request_id = browser.find_element(By.ID, "sent-request-id").text
    assert request_id.startswith(f"{SUPPLIER_A}:{ESME}:")

    # The live log below the answer fills from the event stream (SSE, in the page's script).
    def logged(b: webdriver.Chrome) -> list[str]:
        rows = b.find_elements(By.CSS_SELECTOR, "[data-log-rows] tr")
        return [r.text for r in rows if request_id in r.text and r.is_displayed()]

    wait.until(lambda b: any("SRV 11.2 response" in text for text in logged(b)))
    assert any("SRV 11.2 accepted" in text for text in logged(browser))
    state = browser.find_element(By.CSS_SELECTOR, "[data-log-state]").text
    assert state == "live"

    # The log page shows it too, and its search hides what does not match.
    browser.get(console.url("/console/log"))
    wait.until(lambda b: any("SRV 11.2 response" in text for text in logged(b)))
    search = browser.find_element(By.CSS_SELECTOR, "[data-log-search]")
    search.send_keys("no-such-thing")
    wait.until(lambda b: not logged(b))


def test_the_mp105_story_runs_from_the_page_with_its_signed_pre_command(
    browser: webdriver.Chrome, console: ConsoleServer
) -> None:
    """11.1, then 11.3's CV 4 and the button that returns its pre-command with CV 5."""
    wait = waiting(browser)

    def send(template: str) -> str:
        browser.get(console.url("/console/send"))
        Select(browser.find_element(By.ID, "template-user")).select_by_value(SUPPLIER_A)
        Select(browser.find_element(By.ID, "template")).select_by_visible_text(template)
        browser.find_element(By.CSS_SELECTOR, "#send-template button").click()
        return str(wait.until(lambda b: b.find_element(By.ID, "answer-code")).text)

    assert send("example/11.1-update-firmware-esme.xml") == "I99"
    assert send("example/11.3-activate-firmware-esme.xml") == "I0"
    browser.find_element(By.CSS_SELECTOR, "#send-signed button").click()
    wait.until(
        lambda b: "signed pre-command" in b.find_element(By.CSS_SELECTOR, "#outcome h2").text
    )
    assert browser.find_element(By.ID, "answer-code").text == "I99"
    assert console.host.queries.device(ESME).firmware_version == "0200"


@pytest.mark.spec("SEC-02")
def test_with_an_operator_token_a_page_asks_for_it_and_comes_back_once_logged_in(
    browser: webdriver.Chrome,
) -> None:
    token = "s3cret-operator-token"
    with console_server(ConsoleOptions(operator_token=token)) as running:
        try:
            browser.get(running.url("/console/log"))
            assert browser.title.startswith("Log in")
            browser.find_element(By.NAME, "token").send_keys(token)
            browser.find_element(By.CSS_SELECTOR, "form.grid button").click()
            wait = waiting(browser)
            wait.until(lambda b: b.current_url == running.url("/console/log"))
            # The live log's stream is a read too: the login cookie opens it.
            wait.until(lambda b: b.find_element(By.CSS_SELECTOR, "[data-log-state]").text == "live")
        finally:
            browser.delete_all_cookies()  # the browser is the module's; cookies ignore ports
