"""The web console over HTTP (issue 19): its pages read the running DSP, its forms change it
through the host's commands, and it is read-only unless the operator credential allows changes
(SEC-02)."""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import aiohttp
import pytest

from dccsim.server.core.fleet import example_fleet
from dccsim.server.http.console.access import COOKIE, after_login
from dccsim.server.http.console.live import MAX_STREAMS
from dccsim.server.http.console.options import ConsoleOptions
from dccsim.server.keys import keystore_for
from dccsim.server.keys.keystore import KeyStore
from tests.conftest import ESME, RTDS_DIR, SUPPLIER_A
from tests.http.console_server import Browser, ConsoleServer, console_server

TOKEN = "s3cret-operator-token"
ESME_11_2 = "example/11.2-read-firmware-version-esme.xml"


@pytest.fixture
def console() -> Iterator[ConsoleServer]:
    with console_server() as running:  # loopback, no token: changes open
        yield running


def _origin(running: ConsoleServer) -> dict[str, str]:
    """What a browser sends with a form from the console's own page."""
    return {"Origin": running.base}


def _answer_code(body: str) -> str:
    found = re.search(r'id="answer-code">([^<]+)<', body)
    assert found is not None, re.findall(r'class="error"[^>]*>([^<]*)<', body) or body[-2000:]
    return found.group(1)


def test_the_fleet_page_lists_the_fleet_and_filters_it(console: ConsoleServer) -> None:
    browser = Browser()
    page = browser.get(console.url("/"))  # the console is the port's front page
    assert page.status == 200
    for record in example_fleet().devices:
        assert record.device_id in page.body
    assert "Commissioned 7" in page.body  # the statuses of the whole fleet

    gas = browser.get(console.url("/console/fleet?type=GSME"))
    assert "00-DB-12-34-56-78-90-A1" in gas.body and ESME not in gas.body
    searched = browser.get(console.url("/console/fleet?q=esme-apc"))
    assert "00-DB-12-34-56-78-90-A6" in searched.body and ESME not in searched.body
    none = browser.get(console.url("/console/fleet?status=Suspended"))
    assert "No device matches." in none.body


@pytest.mark.spec("CPL-01")
def test_marking_a_cpl_entry_removed_from_the_console_suspends_its_devices(
    console: ConsoleServer,
) -> None:
    browser = Browser()
    form = {
        "manufacturer": "DCCSIM",
        "model": "ESME-S2",
        "firmware_version": "0100",
        "status": "Removed",
    }
    page = browser.post(console.url("/console/cpl"), form, _origin(console))
    assert page.status == 200
    assert "ESME-S2 0100: Removed; 1 device(s) suspended" in page.body
    suspended = browser.get(console.url("/console/fleet?status=Suspended"))
    assert ESME in suspended.body
    assert console.host.fingerprint()  # the host still answers


@pytest.mark.spec("FAULT-04")
def test_fault_rules_are_added_and_removed_from_the_console(console: ConsoleServer) -> None:
    browser = Browser()
    added = browser.post(
        console.url("/console/faults/add"),
        {"action": "drop", "stage": "device-response", "srv": "11.3", "probability": "0.2"},
        _origin(console),
    )
    assert "fault rule 1 added" in added.body
    assert re.search(r"<td>1</td><td>drop</td><td>device-response</td><td>11.3</td>", added.body)

    refused = browser.post(
        console.url("/console/faults/add"),
        {"action": "delay", "stage": "device-response"},
        _origin(console),
    )
    assert "a delay rule needs a positive delay" in refused.body  # shown; nothing added

    removed = browser.post(
        console.url("/console/faults/remove"), {"rule_id": "1"}, _origin(console)
    )
    assert "fault rule 1 removed" in removed.body
    assert "No fault rules" in removed.body
    again = browser.post(console.url("/console/faults/remove"), {"rule_id": "1"}, _origin(console))
    assert 'class="error"' in again.body


@pytest.mark.spec("REQ-07")
def test_the_clock_is_advanced_and_its_rate_set_from_the_console(console: ConsoleServer) -> None:
    browser = Browser()
    before = console.host.now()
    browser.post(
        console.url("/console/clock/advance"), {"amount": "2", "unit": "hours"}, _origin(console)
    )
    assert (console.host.now() - before).total_seconds() == 7200
    page = browser.post(console.url("/console/clock/rate"), {"rate": "60"}, _origin(console))
    assert "clock rate 60.0" in page.body
    refused = browser.post(console.url("/console/clock/rate"), {"rate": "-1"}, _origin(console))
    assert 'class="error"' in refused.body
    browser.post(console.url("/console/clock/rate"), {"rate": "0"}, _origin(console))


def test_a_template_sent_as_a_user_is_answered_and_comes_back_in_the_event_stream(
    console: ConsoleServer,
) -> None:
    browser = Browser()
    start = _last_event(console)
    sent = browser.post(
        console.url("/console/send/template"),
        {"user": SUPPLIER_A, "template": ESME_11_2, "document": ""},
        _origin(console),
    )
    assert _answer_code(sent.body) == "I99"
    request_id = re.search(r'id="sent-request-id">([^<]+)<', sent.body).group(1)
    assert request_id.startswith(f"{SUPPLIER_A}:{ESME}:")
    # Sent twice: the counter is renewed each time, so no replay refusal (REQ-02).
    again = browser.post(
        console.url("/console/send/template"),
        {"user": SUPPLIER_A, "template": ESME_11_2, "document": ""},
        _origin(console),
    )
    assert _answer_code(again.body) == "I99"

    summaries = _stream_until(console, start, request_id, "SRV 11.2 response")
    assert "SRV 11.2 accepted" in summaries


def test_a_pasted_template_and_a_typed_sr_are_sent(console: ConsoleServer) -> None:
    browser = Browser()
    pasted = (
        '<sr:Request xmlns:sr="http://www.dccinterface.co.uk/ServiceUserGateway" '
        'schemaVersion="5.2"><sr:Header><sr:RequestID>90-B3-D5-1F-30-03-00-00:'
        f"{ESME}:5</sr:RequestID><sr:CommandVariant>1</sr:CommandVariant>"
        "<sr:ServiceReference>4.1</sr:ServiceReference><sr:ServiceReferenceVariant>4.1.1"
        "</sr:ServiceReferenceVariant></sr:Header><sr:Body><sr:ReadInstantaneousImportRegisters/>"
        "</sr:Body></sr:Request>"
    )
    sent = browser.post(
        console.url("/console/send/template"),
        {"user": SUPPLIER_A, "template": ESME_11_2, "document": pasted},
        _origin(console),
    )
    assert _answer_code(sent.body) == "I99"
    assert "SRV 4.1.1" in sent.body  # the pasted document, not the chosen template

    typed = browser.post(
        console.url("/console/send/typed"),
        {"user": SUPPLIER_A, "device": ESME, "srv": "4.18"},
        _origin(console),
    )
    assert _answer_code(typed.body) == "I99"
    refused = browser.post(
        console.url("/console/send/typed"),
        {"user": SUPPLIER_A, "device": ESME, "srv": "7.1"},  # critical: not on the typed form
        _origin(console),
    )
    assert "cannot be sent from the typed form" in refused.body
    garbage = browser.post(
        console.url("/console/send/template"),
        {"user": SUPPLIER_A, "template": "", "document": "<not-duis/>"},
        _origin(console),
    )
    assert 'class="error"' in garbage.body


def test_a_template_name_never_reaches_the_file_system(console: ConsoleServer) -> None:
    page = Browser().post(
        console.url("/console/send/template"),
        {"user": SUPPLIER_A, "template": "dir/../../etc/passwd", "document": ""},
        _origin(console),
    )
    assert "no template" in page.body


def test_the_campaign_page_counts_firmware_and_suspensions(console: ConsoleServer) -> None:
    browser = Browser()
    browser.post(
        console.url("/console/cpl"),
        {
            "manufacturer": "DCCSIM",
            "model": "ESME-S2",
            "firmware_version": "0100",
            "status": "Removed",
        },
        _origin(console),
    )
    browser.post(
        console.url("/console/send/template"),
        {"user": SUPPLIER_A, "template": ESME_11_2, "document": ""},
        _origin(console),
    )
    page = browser.get(console.url("/console/campaign"))
    assert "<strong>1</strong> of 7 devices are Suspended" in page.body
    assert re.search(r"<td>SRV 11.2</td><td>1</td>", page.body)
    assert re.search(r"<td>N28</td><td>1</td>", page.body)  # the suspension alert (CPL-01)


# Every page of the console, by its title: each shows the DSP's state (User IDs, device IDs, the
# message log), so each is a read the operator token guards (SEC-02).
PAGES = {
    "/console/fleet": "Fleet",
    "/console/log": "Log",
    "/console/cpl": "CPL",
    "/console/faults": "Faults",
    "/console/clock": "Clock",
    "/console/send": "Send",
    "/console/campaign": "Campaign",
}
BEARER = {"Authorization": f"Bearer {TOKEN}"}


def _title(body: str) -> str:
    found = re.search(r"<title>(.*?) · dccsim console</title>", body)
    assert found is not None, body[:500]
    return found.group(1)


def _logged_in(running: ConsoleServer) -> Browser:
    browser = Browser()
    browser.post(running.url("/console/login"), {"token": TOKEN}, _origin(running))
    assert [cookie.name for cookie in browser.cookies] == [COOKIE]
    return browser


@pytest.mark.spec("SEC-02")
@pytest.mark.parametrize("path", list(PAGES))
def test_with_an_operator_token_every_page_needs_it(path: str) -> None:
    with console_server(ConsoleOptions(operator_token=TOKEN)) as running:
        refused = Browser().get(running.url(path))
        assert refused.status == 401
        assert refused.headers["WWW-Authenticate"] == 'Bearer realm="dccsim"'
        # The login page, coming back here; nothing of the DSP's state.
        assert _title(refused.body) == "Log in"
        assert f'name="next" value="{path}"' in refused.body
        assert ESME not in refused.body and SUPPLIER_A not in refused.body
        wrong = Browser().get(running.url(path), {"Authorization": "Bearer not-the-token"})
        assert wrong.status == 401

        by_bearer = Browser().get(running.url(path), BEARER)
        assert by_bearer.status == 200 and _title(by_bearer.body) == PAGES[path]
        by_cookie = _logged_in(running).get(running.url(path))
        assert by_cookie.status == 200 and _title(by_cookie.body) == PAGES[path]


def _stream_status(running: ConsoleServer, headers: dict[str, str]) -> tuple[int, str]:
    """The live log's status and its first line (the stream is left once it has started)."""
    request = urllib.request.Request(running.url("/console/log/stream"), headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as stream:
            return stream.status, stream.readline().decode()
    except urllib.error.HTTPError as error:
        if error.code == 401:
            assert error.headers["WWW-Authenticate"] == 'Bearer realm="dccsim"'
        return error.code, error.read().decode()


@pytest.mark.spec("SEC-02")
def test_with_an_operator_token_the_live_log_needs_it() -> None:
    with console_server(ConsoleOptions(operator_token=TOKEN)) as running:
        status, said = _stream_status(running, {})
        assert status == 401 and "Authorization: Bearer" in said
        assert _stream_status(running, BEARER) == (200, "retry: 2000\n")
        (cookie,) = _logged_in(running).cookies
        by_cookie = {"Cookie": f"{COOKIE}={cookie.value}"}
        assert _stream_status(running, by_cookie) == (200, "retry: 2000\n")


@pytest.mark.spec("SEC-02")
def test_the_login_page_and_static_files_stay_open_and_login_returns_to_the_page() -> None:
    with console_server(ConsoleOptions(operator_token=TOKEN)) as running:
        browser = Browser()
        login = browser.get(running.url("/console/login"))
        assert login.status == 200 and 'name="token"' in login.body
        assert browser.get(running.url("/console/static/console.css")).status == 200
        assert browser.get(running.url("/console/fleet")).status == 401

        # A wrong token: the login page again, still going back where it was sent from.
        form = {"token": "nope", "next": "/console/cpl?said=x"}
        wrong = browser.post(running.url("/console/login"), form, _origin(running))
        assert "wrong token" in wrong.body
        assert 'name="next" value="/console/cpl?said=x"' in html.unescape(wrong.body)
        # The right one: that page, logged in (the header offers to log out).
        form["token"] = TOKEN
        back = browser.post(running.url("/console/login"), form, _origin(running))
        assert back.status == 200 and _title(back.body) == "CPL"
        assert 'action="/console/logout"' in back.body
        # Another site's address is never where a login goes: the fleet page instead.
        for elsewhere in ("https://evil.example/console", "//evil.example/console/cpl"):
            form["next"] = elsewhere
            landed = browser.post(running.url("/console/login"), form, _origin(running))
            assert _title(landed.body) == "Fleet"
        browser.post(running.url("/console/logout"), {}, _origin(running))
        assert browser.get(running.url("/console/fleet")).status == 401


@pytest.mark.parametrize(
    "asked",
    [
        "https://evil.example/console/fleet",
        "//evil.example/console/fleet",
        "/\\evil.example/console",
        "\\\\evil.example",
        "/console\r\nSet-Cookie: x=1",
        "/metrics",
        "/api/v1/serviceS",
        "javascript:alert(1)",
        "/console/login",
        "",
    ],
)
def test_a_login_goes_only_to_the_consoles_own_pages(asked: str) -> None:
    assert after_login(asked) == "/console/fleet"


def test_a_login_goes_back_to_a_console_page_with_its_query() -> None:
    assert after_login("/console/cpl?said=x") == "/console/cpl?said=x"
    assert after_login("/console") == "/console"


@pytest.mark.spec("SEC-02")
def test_with_an_operator_token_changes_need_it() -> None:
    with console_server(ConsoleOptions(operator_token=TOKEN)) as running:
        browser = Browser()
        form = {"action": "drop", "stage": "device-response"}
        refused = browser.post(running.url("/console/faults/add"), form, _origin(running))
        assert refused.status == 403
        sent = browser.post(
            running.url("/console/send/typed"),
            {"user": SUPPLIER_A, "device": ESME, "srv": "11.2"},
            _origin(running),
        )
        assert sent.status == 403
        assert _rules(running) == 0

        # A script presents the token as a bearer token (and reads the page it is sent back to).
        assert browser.post(running.url("/console/faults/add"), form, BEARER).status == 200
        # A browser logs in once: the cookie holds a digest of the token, not the token.
        browser.post(running.url("/console/login"), {"token": TOKEN}, _origin(running))
        assert all(TOKEN not in cookie.value for cookie in browser.cookies)
        assert "Add a rule" in browser.get(running.url("/console/faults")).body
        added = browser.post(running.url("/console/faults/add"), form, _origin(running))
        assert "fault rule 2 added" in added.body
        assert _rules(running) == 2
        browser.post(running.url("/console/logout"), {}, _origin(running))
        assert browser.post(running.url("/console/faults/add"), form).status == 403


@pytest.mark.spec("SEC-02")
def test_read_only_with_a_token_reads_with_it_and_never_changes() -> None:
    options = ConsoleOptions(operator_token=TOKEN, allow_changes=False)
    with console_server(options) as running:
        assert Browser().get(running.url("/console/faults")).status == 401
        browser = _logged_in(running)
        page = browser.get(running.url("/console/faults"))
        assert page.status == 200 and "read-only" in page.body and "Add a rule" not in page.body
        form = {"action": "drop", "stage": "device-response"}
        assert (
            browser.post(running.url("/console/faults/add"), form, _origin(running)).status == 403
        )
        assert _rules(running) == 0


def _reads(running: ConsoleServer) -> dict[str, int]:
    """What every page, the live log and /metrics answer a request with no credential."""
    statuses = {path: Browser().get(running.url(path)).status for path in (*PAGES, "/metrics")}
    statuses["/console/log/stream"] = _stream_status(running, {})[0]
    return statuses


@pytest.mark.spec("SEC-02")
def test_off_loopback_without_a_token_the_console_is_closed_unless_opened() -> None:
    advance = {"amount": "1", "unit": "hours"}
    with console_server(listen="0.0.0.0") as running:
        assert set(_reads(running).values()) == {403}
        closed = Browser().get(running.url("/console/fleet"))
        assert "--operator-token-file" in closed.body and "--open-control" in closed.body
        assert closed.body.count("\n") == 1  # one line
        assert Browser().post(running.url("/console/clock/advance"), advance).status == 403
    # Opened for reads (--open-control with --console-read-only): shown, never changed.
    opened = ConsoleOptions(open_reads=True, allow_changes=False)
    with console_server(opened, listen="0.0.0.0") as running:
        assert set(_reads(running).values()) == {200}
        assert "read-only" in Browser().get(running.url("/console/clock")).body
        assert Browser().post(running.url("/console/clock/advance"), advance).status == 403
    # Changes opened explicitly open reads too.
    with console_server(ConsoleOptions(allow_changes=True), listen="0.0.0.0") as running:
        assert set(_reads(running).values()) == {200}
        assert Browser().post(running.url("/console/clock/advance"), advance).status == 200
    # Read-only neither opens reads...
    with console_server(ConsoleOptions(allow_changes=False), listen="0.0.0.0") as running:
        assert set(_reads(running).values()) == {403}
    # ...nor closes them.
    with console_server(ConsoleOptions(allow_changes=False)) as running:  # loopback
        assert set(_reads(running).values()) == {200}
        assert Browser().post(running.url("/console/clock/advance"), advance).status == 403


@pytest.mark.spec("SEC-02")
def test_on_loopback_without_a_token_everything_is_open(console: ConsoleServer) -> None:
    assert set(_reads(console).values()) == {200}
    page = Browser().get(console.url("/console/clock"))
    assert "changes open" in page.body and "log in" not in page.body


@pytest.mark.spec("SEC-02")
def test_a_form_posted_from_another_site_is_refused(console: ConsoleServer) -> None:
    foreign = {"Origin": "http://evil.example"}
    form = {"amount": "1", "unit": "hours"}
    before = console.host.now()
    assert Browser().post(console.url("/console/clock/advance"), form, foreign).status == 403
    referer = {"Referer": "http://evil.example/page"}
    assert Browser().post(console.url("/console/clock/advance"), form, referer).status == 403
    assert console.host.now() == before


@pytest.fixture(scope="module")
def keystore() -> KeyStore:
    return keystore_for(None, [user.user_id for user in example_fleet().users])


@pytest.mark.spec("BOXED-03")
def test_with_signatures_verified_the_console_signs_as_the_user(keystore: KeyStore) -> None:
    form = {"user": SUPPLIER_A, "template": ESME_11_2, "document": ""}
    with console_server(keystore=keystore) as running:
        page = Browser().post(running.url("/console/send/template"), form, _origin(running))
        assert _answer_code(page.body) == "I99"
        assert "SignatureValue" in page.body  # what was sent: the example carries none
    with console_server(keystore=keystore, sign_requests=False) as running:
        page = Browser().post(running.url("/console/send/template"), form, _origin(running))
        assert "no keystore to sign with" in page.body


def _hidden(body: str, name: str) -> str:
    found = re.search(rf'<input type="hidden" name="{name}" value="([^"]*)"', body)
    assert found is not None, body[-2000:]
    return html.unescape(found.group(1))


@pytest.mark.spec("REQ-05")
@pytest.mark.spec("GBCS-03")
@pytest.mark.parametrize("gbcs", [False, True], ids=["token", "gbcs-signed"])
def test_a_critical_sr_is_completed_from_the_console_with_its_signed_pre_command(
    keystore: KeyStore, gbcs: bool
) -> None:
    """The MP105 story from a browser: 11.1, then 11.3's CV 4 answers with its pre-command, and
    the console returns it signed with the User's DS key (GBCS), or as it came (dccsim's token
    without a keystore), with CV 5: the device activates the image."""
    with console_server(keystore=keystore if gbcs else None, gbcs=gbcs) as running:
        browser, origin = Browser(), _origin(running)

        def send(template: str) -> str:
            form = {"user": SUPPLIER_A, "template": template, "document": ""}
            return browser.post(running.url("/console/send/template"), form, origin).body

        assert _answer_code(send("example/11.1-update-firmware-esme.xml")) == "I99"
        first = send("example/11.3-activate-firmware-esme.xml")
        assert _answer_code(first) == "I0"
        assert 'id="send-signed"' in first
        leg = {"user": _hidden(first, "user"), "answer": _hidden(first, "answer")}
        second = browser.post(running.url("/console/send/signed"), leg, origin).body
        assert _answer_code(second) == "I99", second[-3000:]
        assert "<sr:CommandVariant>5</sr:CommandVariant>" in html.unescape(second)
        assert running.host.queries.device(ESME).firmware_version == "0200"
        # Sent twice, the leg matches no pre-command any more: refused, nothing changes.
        again = browser.post(running.url("/console/send/signed"), leg, origin).body
        assert "PreCommand" in again and 'id="answer-code">I99' not in again


def test_a_signed_leg_that_is_not_a_cv_4_answer_is_refused(console: ConsoleServer) -> None:
    post = Browser().post
    for answer in ("not base64!", "PHNyOlJlcXVlc3Qv", ""):
        form = {"user": SUPPLIER_A, "answer": answer}
        page = post(console.url("/console/send/signed"), form, _origin(console))
        assert page.status == 200 and 'class="error"' in page.body, page.body[-1500:]


def test_no_console_when_it_is_switched_off() -> None:
    with console_server(ConsoleOptions(enabled=False)) as running:
        assert Browser().get(running.url("/console/fleet")).status == 404


# -- helpers -------------------------------------------------------------------------------------


def _rules(running: ConsoleServer) -> int:
    with running.host.lock:
        return len(running.host.dsp.faults.rules())


def _last_event(running: ConsoleServer) -> int:
    with running.host.lock:
        return running.host.dsp.journal.last_sequence


def _stream_until(running: ConsoleServer, after: int, request_id: str, wanted: str) -> list[str]:
    """Read the live log's SSE stream until an event about `request_id` says `wanted`; return
    the summaries of that request's events seen."""
    seen: list[str] = []
    url = running.url(f"/console/log/stream?after={after}")
    with urllib.request.urlopen(url, timeout=10) as stream:
        assert stream.headers["Content-Type"].startswith("text/event-stream")
        for raw in stream:
            line = raw.decode().rstrip("\n")
            if not line.startswith("data: "):
                continue
            for event in json.loads(line[len("data: ") :]):
                if event["details"].get("request") == request_id:
                    seen.append(event["summary"])
            if wanted in seen:
                return seen
    raise AssertionError(f"{wanted!r} never came; saw {seen}")


@pytest.mark.spec("SEC-04")
def test_live_logs_are_bounded_and_end_when_the_server_stops() -> None:
    with console_server() as running:
        url = running.url("/console/log/stream")
        streams = [urllib.request.urlopen(url, timeout=10) for _ in range(MAX_STREAMS)]
        try:
            for stream in streams:
                assert stream.readline() == b"retry: 2000\n"
            assert Browser().get(url).status == 503  # one more: the browser retries later
            assert Browser().get(running.url("/console/fleet")).status == 200  # others served
            started = time.monotonic()
        except BaseException:
            for stream in streams:
                stream.close()
            raise
    # Leaving the block stopped the server: every open stream has ended, promptly.
    assert time.monotonic() - started < 5
    for stream in streams:
        assert stream.read().strip() in (b"", b": quiet")  # read() returns: the stream ended
        stream.close()


def test_an_uploaded_rtds_template_is_sent_as_the_chosen_user(console: ConsoleServer) -> None:
    rtds = RTDS_DIR / "ECS17b_4.1.1_SINGLE_SUCCESS_REQUEST_DUIS.XML"
    if not rtds.is_file():
        pytest.skip(f"DCC's Reference Test Data Set is not in {rtds.parent}")

    async def upload() -> str:
        form = aiohttp.FormData()
        form.add_field("user", SUPPLIER_A)
        form.add_field("template", ESME_11_2)  # the upload wins over the chosen example
        form.add_field("document", "")
        form.add_field("upload", rtds.read_bytes(), filename=rtds.name)
        async with (
            aiohttp.ClientSession() as session,
            session.post(
                console.url("/console/send/template"), data=form, headers=_origin(console)
            ) as reply,
        ):
            assert reply.status == 200
            return await reply.text()

    page = asyncio.run(upload())
    assert _answer_code(page) == "I99"
    assert f"Sent template {rtds.name} as {SUPPLIER_A}" in page
    assert "SRV 4.1.1" in page
