"""examples/receiver.py names each saved document by what it is: an alert's code before the SRV
its header names (a future-dated outcome alert names both), BOXED-02."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

RECEIVER = Path(__file__).resolve().parents[2] / "examples" / "receiver.py"


def _receiver() -> ModuleType:
    spec = importlib.util.spec_from_file_location("receiver_example", RECEIVER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.spec("BOXED-02")
@pytest.mark.parametrize(
    ("body", "name"),
    [
        (b"<sr:ServiceReferenceVariant>11.2</sr:ServiceReferenceVariant>", "0007-11.2.xml"),
        (b"<sr:DCCAlertCode>N28</sr:DCCAlertCode>", "0007-N28.xml"),
        (
            b"<sr:ServiceReferenceVariant>11.1</sr:ServiceReferenceVariant>"
            b"<sr:AlertCode>8F72</sr:AlertCode>",
            "0007-8F72.xml",
        ),
        (
            b"<sr:ServiceReferenceVariant>11.3</sr:ServiceReferenceVariant>"
            b"<sr:FutureDatedAlertCode>8F66</sr:FutureDatedAlertCode>",
            "0007-8F66.xml",
        ),
        (b"<other/>", "0007-document.xml"),
    ],
)
def test_a_saved_document_is_named_by_its_alert_code_or_its_srv(body: bytes, name: str) -> None:
    assert _receiver().file_name(7, body) == name
