"""Tests with tools nobody here wrote (issue 15) and the firmware story with real GBCS through
them (issue 16's "Done when"): a server started as the README's DCC Boxed section starts one
(`dccsim serve --in-memory --keystore dccboxed-keystore.json --dsp-signing-key 1.4.1
--receive-url ...`, in this process), RTDS templates signed with DCC's signing tool (tool.jar)
and POSTed to the three web services, the PreCommand signed with the User's GBCS DS key as
`dccsim keys export` wrote it, every signed answer and every document the Users' receivers get
checked by the tool's `Validate`, and every GBCS payload decoded by DCC's gbcs-parser
(decode.js) with its MAC valid and its signature true.

The tool runs in one JVM per batch of documents (tests/duis/DccToolBatch.java, through
`run_dcc_tool`): three batches a test. Skipped, saying why, without java, node or ../shared."""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import grpc
import pytest
from click.testing import CliRunner
from lxml import etree

from dccsim.clients.cli import main as cli_main
from dccsim.clients.pre_command_signing import load_ds_key, signed_leg_document
from dccsim.devices.kinds import DeviceType
from dccsim.server.duis.names import DS_NS
from dccsim.server.duis.signing import sign_document
from dccsim.server.keys import DSP_XML_SIGN_1_4_1, load_dccboxed_keystore
from dccsim.server.rpc.app import RunningServer
from dccsim.server.runtime.serve_config import ServeConfig, start
from dccsim.v1 import control_pb2, types_pb2
from dccsim.v1.control_pb2_grpc import ControlServiceStub
from tests.conftest import (
    ESME,
    EXAMPLE_FIRMWARE,
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    RTDS_DIR,
    SHARED,
    SUPPLIER_A,
    example_model,
)
from tests.duis.documents import count, text, texts
from tests.duis.test_signing import JAR, XML_SIGN, ToolRun, run_dcc_tool
from tests.gbcs.conftest import DECODE, decode
from tests.gbcs.story import gbcs_payloads, key_hex
from tests.http.receivers import Answer, Receiver, post

KEYSTORE = SHARED / "keystore" / "dccboxed-keystore.json"
ESME_2 = "00-DB-12-34-56-78-90-A6"  # the example fleet's second ESME
REFUSED = "E1001"  # a refused request signature (docs/decisions.md; SignatureSettings' default)


# -- the tool ------------------------------------------------------------------------------------


@dataclass
class Tool:
    """DCC's signing tool, one JVM per batch. `sign` keeps each RequestID's counter (the batch
    runner passes `--preserveCounter`): the templates are given their counters here."""

    workdir: Path
    batches: itertools.count = field(default_factory=itertools.count)

    def run(self, jobs: list[tuple[str, bytes]]) -> list[ToolRun]:
        directory = self.workdir / f"batch-{next(self.batches)}"
        directory.mkdir()
        return run_dcc_tool(jobs, directory)

    def sign(self, *documents: bytes) -> list[bytes]:
        runs = self.run([("sign", document) for document in documents])
        for run in runs:
            assert run.code == 0, run.log
        return [run.output for run in runs]

    def validate(self, documents: dict[str, bytes]) -> dict[str, ToolRun]:
        runs = self.run([("validate", document) for document in documents.values()])
        return dict(zip(documents, runs, strict=True))


def template(name: str, counter: int, **replace: str) -> bytes:
    """An RTDS template with its RequestID's counter set (they all reuse 1000, and the server
    refuses a counter it has seen: REQ-02), and `replace`d element texts (`FirmwareVersion=`)
    changed BEFORE it is signed."""
    document = (RTDS_DIR / name).read_text()
    document = re.sub(r"(<sr:RequestID>[^<]*:)\d+(</sr:RequestID>)", rf"\g<1>{counter}\2", document)
    for element, value in replace.items():
        document, found = re.subn(
            rf"(<sr:{element}>)[^<]*(</sr:{element}>)", rf"\g<1>{value}\2", document
        )
        assert found == 1, f"{name} has no single sr:{element}"
    return document.encode()


def unsigned(document: bytes) -> bytes:
    root = etree.fromstring(document)
    root.remove(root.find(f"{{{DS_NS}}}Signature"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


# -- the server, its Users' receivers and the keys they export ----------------------------------


@dataclass
class Boxed:
    running: RunningServer
    control: ControlServiceStub
    supplier: Receiver  # Supplier A's Receive Response Service
    network: Receiver  # the Network Operator's
    keys: Path  # what `dccsim keys export` wrote
    tool: Tool

    def post(self, service: str, document: bytes) -> Answer:
        url = f"http://127.0.0.1:{self.running.http_ports.duis}/api/v1/{service}"
        answer = post(url, document)
        assert answer.status == 200, answer.text
        return answer

    def fingerprint(self) -> object:
        return self.running.host.fingerprint()


def code(answer: Answer) -> str:
    return text(answer.body, "//sr:Header/sr:ResponseCode")


@pytest.fixture
def boxed(tmp_path: Path) -> Iterator[Boxed]:
    missing = [path for path in (KEYSTORE, RTDS_DIR, JAR, DECODE) if not path.exists()]
    if missing:
        pytest.skip(f"not in ../shared: {', '.join(map(str, missing))}")
    for program, what in (("java", "DCC's signing tool"), ("node", "DCC's gbcs-parser")):
        if shutil.which(program) is None:
            pytest.skip(f"{program} is not installed: {what} cannot run")
    supplier, network = Receiver().start(), Receiver().start()
    # `dccsim serve --in-memory --keystore ... --dsp-signing-key 1.4.1 --receive-url ...`, on
    # free ports: responses signed with the DspXmlSign key the bundled tool validates.
    running = start(
        ServeConfig(
            state=None,
            port=0,
            http_port=0,
            smki_port=0,
            keystore=KEYSTORE,
            dsp_signing_key="1.4.1",
            receive_urls=((SUPPLIER_A, supplier.url), (NETWORK_OPERATOR, network.url)),
        )
    )
    try:
        keys = tmp_path / "keys"
        exported = CliRunner().invoke(
            cli_main, ["keys", "export", str(keys), "--server", f"127.0.0.1:{running.port}"]
        )
        assert exported.exit_code == 0, exported.output
        tool_dir = tmp_path / "tool"
        tool_dir.mkdir()
        with grpc.insecure_channel(f"127.0.0.1:{running.port}") as channel:
            yield Boxed(
                running, ControlServiceStub(channel), supplier, network, keys, Tool(tool_dir)
            )
    finally:
        running.stop(grace=None)
        supplier.close()
        network.close()


def assert_validated(runs: dict[str, ToolRun], answers: dict[str, bytes]) -> None:
    """What DCC's `Validate` said of each document: error acknowledgements (E...) unsigned and
    schema-valid, everything else signed by the DSP's DspXmlSign key (DCC Boxed 1.4.1's)."""
    for label, run in runs.items():
        assert run.code == 0, f"{label}: {run.log}"
        assert "passed xsd validation" in run.log, f"{label}: {run.log}"
        if code_of(answers[label]).startswith("E"):
            assert "without signature" in run.log, f"{label}: {run.log}"
            assert b"Signature" not in answers[label], label
        else:
            assert "passed signature check" in run.log, f"{label}: {run.log}"
            assert f"certificate serial number: {DSP_XML_SIGN_1_4_1}" in run.log, label


def code_of(document: bytes) -> str:
    """A document's ResponseCode ("" for a DCC alert, which has none)."""
    return next(iter(texts(document, "//sr:ResponseCode")), "")


# -- BOXED-01…05: the three web services, refusals, validation -----------------------------------


@pytest.mark.spec("BOXED-01", "BOXED-02", "BOXED-03", "BOXED-04", "BOXED-05", "GBCS-03", "GBCS-04")
def test_boxed_01_to_05_templates_signed_by_dccs_tool_on_all_three_web_services(
    boxed: Boxed,
) -> None:
    """BOXED-01/03: RTDS templates signed by DCC's tool are served on serviceD (8.2, I0),
    serviceS (ECS52 11.2, I99) and serviceT (CS06 11.3 CV 4, I0 with the GBCS PreCommand), then
    the PreCommand signed with the User's exported GBCS DS key (GBCS-03, BOXED-05) goes back,
    tool-signed, with CV 5 to serviceS. A tampered, another User's and an unsigned request are
    refused `E1001`, unsigned, and change nothing. BOXED-02/04: every signed answer and every
    document POSTed to the receiver passes the tool's Validate; GBCS-04: their GBCS decodes."""
    inventory, read, cv4, foreign = boxed.tool.sign(
        template("8.2_READ_INVENTORY_REQUEST_DUIS.XML", 2001),
        template("ECS52_11.2_SUCCESS_REQUEST_DUIS.XML", 2002),
        template("CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML", 2003),
        # Signed by the tool as the Network Operator (its key, chosen by the RequestID)...
        template("ECS52_11.2_SUCCESS_REQUEST_DUIS.XML", 2004).replace(
            f"<sr:RequestID>{SUPPLIER_A}:".encode(), f"<sr:RequestID>{NETWORK_OPERATOR}:".encode()
        ),
    )
    signer = etree.fromstring(foreign).findtext(f".//{{{DS_NS}}}X509SerialNumber")
    assert signer == str(XML_SIGN[NETWORK_OPERATOR])  # the tool signed as the Network Operator
    answers: dict[str, bytes] = {}

    # Refused, each: E1001, unsigned, nothing changed.
    refused = {
        "tampered": read.replace(f":{ESME}:".encode(), f":{ESME_2}:".encode()),
        # ...then sent as Supplier A's.
        "another User's, by the tool": foreign.replace(
            f"<sr:RequestID>{NETWORK_OPERATOR}:".encode(), f"<sr:RequestID>{SUPPLIER_A}:".encode()
        ),
        # A sound signature over the request as sent, by the Network Operator's XmlSign key.
        "another User's, sound": sign_document(
            unsigned(read).replace(b":2002<", b":2005<"),
            load_dccboxed_keystore(KEYSTORE).xml_signing(NETWORK_OPERATOR),
        ),
        "unsigned": unsigned(read),
        "the template's placeholder signature": template(
            "ECS52_11.2_SUCCESS_REQUEST_DUIS.XML", 2006
        ),
    }
    before = boxed.fingerprint()
    for label, document in refused.items():
        answer = boxed.post("serviceS", document)
        assert code(answer) == REFUSED, label
        answers[f"refused, {label}"] = answer.body
    assert boxed.fingerprint() == before

    # Served, on each web service.
    answer = boxed.post("serviceD", inventory)
    assert code(answer) == "I0"
    assert count(answer.body, "//sr:DeviceID") >= 1
    answers["8.2 I0"] = answer.body
    answer = boxed.post("serviceS", read)
    assert code(answer) == "I99"
    answers["11.2 I99"] = answer.body
    answer = boxed.post("serviceT", cv4)
    assert code(answer) == "I0"
    answers["11.3 CV 4 I0"] = answer.body
    user_key = load_ds_key(boxed.keys / f"{key_hex(SUPPLIER_A)}-ds.key")
    (cv5,) = boxed.tool.sign(signed_leg_document(answer.body, user_key))
    assert text(cv5, "//sr:RequestID") == text(cv4, "//sr:RequestID")  # the counter kept
    answer = boxed.post("serviceS", cv5)
    assert code(answer) == "I99"
    answers["11.3 CV 5 I99"] = answer.body

    boxed.supplier.wait_for(lambda r: len(r.accepted()) >= 2)
    received = boxed.supplier.accepted()
    assert [text(d, "//sr:ServiceReferenceVariant") for d in received] == ["11.2", "11.3"]
    answers |= {f"received {i}": document for i, document in enumerate(received)}
    assert_validated(boxed.tool.validate(answers), answers)

    # The GBCS in them, by DCC's parser with the exported keys: the ECS52 response MAC'd for
    # the ACB, the CS06 response signed by the ESME (no image was sent: noImageHeld), and the
    # pre-command as the User signed it.
    [signed_pre_command] = texts(cv5, "//sr:SignedPreCommand/sr:GBCSPayload")
    results = decode([boxed.keys], [*gbcs_payloads(received), base64.b64decode(signed_pre_command)])
    assert [(r["error"], r["mac"], r["signature"]) for r in results] == [
        (None, "valid", None),  # ECS52
        (None, "absent", True),  # CS06
        (None, "absent", True),  # the pre-command, by the User's DS key
    ]


# -- the MP105 story, real GBCS, DCC's tools end to end -----------------------------------------


@pytest.mark.spec(
    "BOXED-01", "BOXED-02", "BOXED-03", "BOXED-04", "GBCS-01", "GBCS-03", "GBCS-04",
    "CPL-01", "FAULT-03", "FW-06", "ALERT-01",
)  # fmt: skip
def test_mp105_story_over_http_with_real_gbcs_through_dccs_tools(boxed: Boxed) -> None:
    """The MP105 story as a DCC Boxed user lives it: the ESME's firmware Removed on the CPL (the
    ESME Suspended, N28: CPL-01); 11.1 (the template, its FirmwareVersion set to one on the CPL
    before signing) to serviceD, and the ESME's receipt arrives; 11.3 CV 4 (the template, its
    FirmwareHash that of the 11.1 image) to serviceT, the GBCS pre-command signed with the
    User's DS key from `dccsim keys export` (GBCS-03), CV 5 to serviceS, its response lost
    (FAULT-03): still Suspended; 11.2 (ECS52) to serviceS reads the new firmware and restores
    the ESME (FW-06: N29 to the supplier and the network operator). Every request signed by
    DCC's tool; every answer and delivered document passes the tool's Validate (BOXED-04);
    every GBCS payload decodes with DCC's parser, MACs valid and signatures true (GBCS-04)."""
    control = boxed.control
    removed = types_pb2.CplEntry(
        manufacturer=EXAMPLE_MANUFACTURER,
        model=example_model(DeviceType.ESME),
        firmware_version=EXAMPLE_FIRMWARE,
        status=types_pb2.CPL_STATUS_REMOVED,
    )
    assert control.PutCplEntry(removed).devices_suspended == 1
    boxed.supplier.wait_for(lambda r: len(r.accepted()) == 1)

    update_template = template(
        "11.1_UPDATE_FIRMWARE_REQUEST_DUIS.XML", 3001, FirmwareVersion=EXAMPLE_NEW_FIRMWARE
    )
    [image] = texts(update_template, "//sr:FirmwareImage")
    image_hash = hashlib.sha256(base64.b64decode(image)).hexdigest().upper()
    update, cv4, read = boxed.tool.sign(
        update_template,
        template("CS06_11.3_IMMEDIATE_SUCCESS_REQUEST_DUIS.XML", 3002, FirmwareHash=image_hash),
        template("ECS52_11.2_SUCCESS_REQUEST_DUIS.XML", 3003),
    )
    answers: dict[str, bytes] = {}

    answer = boxed.post("serviceD", update)
    assert code(answer) == "I99"  # the version is on the CPL: no W110101
    answers["11.1 I99"] = answer.body
    boxed.supplier.wait_for(lambda r: len(r.accepted()) == 2)  # the receipt

    answer = boxed.post("serviceT", cv4)
    assert code(answer) == "I0"
    answers["11.3 CV 4 I0"] = answer.body
    control.AddFaultRule(control_pb2.FaultRule(action="drop", srv="11.3"))
    user_key = load_ds_key(boxed.keys / f"{key_hex(SUPPLIER_A)}-ds.key")
    (cv5,) = boxed.tool.sign(signed_leg_document(answer.body, user_key))
    answer = boxed.post("serviceS", cv5)
    assert code(answer) == "I99"
    answers["11.3 CV 5 I99"] = answer.body
    device = control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME))
    assert device.status == types_pb2.SMI_STATUS_SUSPENDED  # the response was lost

    answer = boxed.post("serviceS", read)
    assert code(answer) == "I99"
    answers["11.2 I99"] = answer.body
    boxed.supplier.wait_for(lambda r: len(r.accepted()) == 4)
    boxed.network.wait_for(lambda r: len(r.accepted()) == 1)
    device = control.GetDevice(control_pb2.GetDeviceRequest(device_id=ESME))
    assert device.status == types_pb2.SMI_STATUS_COMMISSIONED
    assert device.firmware_version == EXAMPLE_NEW_FIRMWARE

    suspended, receipt, response, restored = boxed.supplier.accepted()
    [to_network] = boxed.network.accepted()
    assert text(suspended, "//sr:DCCAlertCode") == "N28"
    assert text(receipt, "//sr:DeviceAlertMessage/sr:AlertCode") == "8F72"
    assert text(response, "//sr:ResponseID") == text(read, "//sr:RequestID").replace(
        f"{SUPPLIER_A}:{ESME}", f"{ESME}:{SUPPLIER_A}"
    )
    assert text(restored, "//sr:DCCAlertCode") == "N29"
    assert text(to_network, "//sr:DCCAlertCode") == "N29"
    assert len(boxed.supplier.received) == 4  # each POSTed once; the 11.3 response never
    delivered = {
        "N28": suspended,
        "receipt": receipt,
        "11.2 response": response,
        "N29": restored,
        "N29 to the network operator": to_network,
    }
    answers |= delivered
    assert_validated(boxed.tool.validate(answers), answers)

    [signed_pre_command] = texts(cv5, "//sr:SignedPreCommand/sr:GBCSPayload")
    results = decode(
        [boxed.keys], [*gbcs_payloads([receipt, response]), base64.b64decode(signed_pre_command)]
    )
    assert [(r["error"], r["mac"], r["signature"]) for r in results] == [
        (None, "absent", True),  # the receipt (0x00CE), signed by the ESME
        (None, "valid", None),  # ECS52, firmware 0200, MAC'd for the ACB
        (None, "absent", True),  # the pre-command, by the User's DS key
    ]
