"""One log line per refused call, the same for every transport (issue 18): the peer, the method,
the reason, on one line, without a traceback."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from dccsim.server.rpc.app import RunningServer, start_server
from dccsim.server.runtime.refusal_log import MAX_REASON, log_refusal
from tests.conftest import example_dsp
from tests.http.conftest import loopback


def test_the_line_names_the_peer_the_method_and_the_reason(caplog) -> None:
    caplog.set_level(logging.INFO, logger="dccsim.test")
    log_refusal(
        logging.getLogger("dccsim.test"), "ipv4:10.0.0.1:5", "/m", "field: bad\nvalue", also=2
    )
    (record,) = caplog.records
    assert record.getMessage() == (
        "refused peer=ipv4:10.0.0.1:5 method=/m reason=field: bad value (and 2 more in this call)"
    )
    assert record.levelno == logging.INFO and record.exc_info is None


def test_a_long_reason_keeps_its_two_ends(caplog) -> None:
    caplog.set_level(logging.INFO, logger="dccsim.test")
    reason = "start " + "x" * 10_000 + " end"
    log_refusal(logging.getLogger("dccsim.test"), "p", "/m", reason)
    message = caplog.records[0].getMessage()
    assert len(message) < MAX_REASON + 100
    assert "reason=start " in message and message.endswith(" end")


@pytest.fixture
def http_server() -> Iterator[RunningServer]:
    running = start_server(example_dsp, max_workers=8, http=loopback())
    yield running
    running.stop(grace=None)


@pytest.mark.spec("BAD-01")
def test_a_malformed_duis_document_over_http_logs_one_line(
    http_server: RunningServer, caplog
) -> None:
    caplog.set_level(logging.INFO, logger="dccsim.http")
    url = f"http://127.0.0.1:{http_server.http_ports.duis}/api/v1/serviceS"
    request = urllib.request.Request(url, data=b"this is not XML", method="POST")
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(request, timeout=10)
    assert caught.value.code == 400
    lines = [r for r in caplog.records if r.getMessage().startswith("refused ")]
    assert len(lines) == 1
    message = lines[0].getMessage()
    assert "peer=127.0.0.1 " in message
    assert "method=/api/v1/serviceS " in message
    assert "reason=document: is not XML" in message
    assert not [r for r in caplog.records if r.exc_info]
