"""A wrong path under /api/v1/ names the DUIS web services that exist (BOXED-01)."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections.abc import Callable

import pytest

from dccsim.server.rpc.app import RunningServer
from tests.http.receivers import post


@pytest.mark.parametrize("path", ["services", "serviceX", "v2/serviceS", ""])
def test_a_post_to_no_web_service_is_404_naming_the_three_and_changes_nothing(
    server: RunningServer, duis: Callable[[str], str], path: str
) -> None:
    """BOXED-01: the three services, and a reason a new user can act on for anything else."""
    before = server.host.fingerprint()
    answer = post(duis(path), b"<x/>")
    assert answer.status == 404 and answer.content_type == "text/plain"
    assert answer.body.decode() == (
        f"/api/v1/{path}: no DUIS web service here; POST DUIS requests to "
        "/api/v1/serviceS, /api/v1/serviceT, /api/v1/serviceD\n"
    )
    assert server.host.fingerprint() == before


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_web_service_asked_with_another_method_is_405_allowing_post(
    duis: Callable[[str], str], method: str
) -> None:
    request = urllib.request.Request(duis("serviceS"), method=method)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=10)
    assert refused.value.code == 405
    assert refused.value.headers["Allow"] == "POST"
