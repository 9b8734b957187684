"""The firmware story over the DUIS gateway with real GBCS: a DSP on the example fleet (and a
SMETS1 ESME), a keystore from dccsim's test PKI, the gateway with its GBCS hooks, and a
supplier that signs its pre-commands with the DS key `dccsim keys export` wrote for it."""

from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from lxml import etree

from dccsim.devices.kinds import DeviceType, SmetsVersion
from dccsim.server.core.fleet import EXAMPLE_DEVICE_IDS, EXAMPLE_MPAN
from dccsim.server.core.records import SmiRecord, SmiStatus
from dccsim.server.gbcs.payloads import PayloadForm
from dccsim.server.gbcs.pre_command import sign
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, TestPki, export_keys
from dccsim.server.runtime.duis_gateway import DuisGateway, DuisReply
from dccsim.server.runtime.gbcs_hooks import GbcsHooks
from dccsim.server.runtime.host import DspHost
from tests.conftest import (
    EXAMPLE_MANUFACTURER,
    EXAMPLE_NEW_FIRMWARE,
    NETWORK_OPERATOR,
    NEW_IMAGE,
    NEW_IMAGE_HASH,
    SUPPLIER_A,
    SUPPLIER_B,
    example_dsp,
    example_model,
)
from tests.duis.documents import b64, request_xml, texts

SECRET = bytes(range(32))
SMETS1_ESME = "00-DB-12-34-56-78-90-B1"
NS = {"sr": "http://www.dccinterface.co.uk/ServiceUserGateway"}


def key_hex(eui: str) -> str:
    return eui.replace("-", "").lower()


@dataclass
class Story:
    gateway: DuisGateway
    host: DspHost
    keys: Path
    counters: itertools.count = field(default_factory=lambda: itertools.count(10_000))

    @property
    def dsp(self):
        return self.host.dsp

    def ds_key(self, user: str) -> ec.EllipticCurvePrivateKey:
        key = load_pem_private_key((self.keys / f"{key_hex(user)}-ds.key").read_bytes(), None)
        assert isinstance(key, ec.EllipticCurvePrivateKey)
        return key

    def rid(self, target: str, user: str = SUPPLIER_A) -> str:
        return f"{user}:{target}:{next(self.counters)}"

    def submit(self, xml: bytes) -> DuisReply:
        return self.gateway.submit(xml)

    def distribute(self, *devices: str) -> DuisReply:
        body = (
            f"<sr:UpdateFirmware><sr:FirmwareImage>{b64(NEW_IMAGE)}</sr:FirmwareImage>"
            f"<sr:FirmwareVersion>{EXAMPLE_NEW_FIRMWARE}</sr:FirmwareVersion>"
            + f"<sr:DeviceIDList>{','.join(devices)}</sr:DeviceIDList>"
            + "</sr:UpdateFirmware>"
        )
        return self.submit(request_xml("11.1", body, request_id=self.rid(ACB_EUI), cv=8))

    def read_firmware(self, device: str) -> DuisReply:
        xml = request_xml(
            "11.2", "<sr:ReadFirmwareVersion/>", request_id=self.rid(device), cv=1, signed=False
        )
        return self.submit(xml)

    def pre_command(
        self, device: str, image_hash: bytes = NEW_IMAGE_HASH, when: datetime | None = None
    ) -> tuple[str, bytes]:
        """CV 4: (RequestID, the PreCommand's GBCS payload)."""
        rid = self.rid(device)
        at = (
            f"<sr:ExecutionDateTime>{when:%Y-%m-%dT%H:%M:%SZ}</sr:ExecutionDateTime>"
            if when
            else ""
        )
        body = (
            f"<sr:ActivateFirmware>{at}<sr:FirmwareHash>{image_hash.hex().upper()}"
            "</sr:FirmwareHash></sr:ActivateFirmware>"
        )
        reply = self.submit(request_xml("11.3", body, request_id=rid, cv=4, signed=False))
        assert reply.answer.code == "I0", reply.answer
        [payload] = texts(reply.document, "//sr:PreCommand/sr:GBCSPayload")
        return rid, base64.b64decode(payload)

    def signed_leg(self, rid: str, payload: bytes, cv: int = 5) -> DuisReply:
        body = (
            f"<sr:SignedPreCommand><sr:GBCSPayload>{b64(payload)}</sr:GBCSPayload>"
            "</sr:SignedPreCommand>"
        )
        return self.submit(request_xml("11.3", body, request_id=rid, cv=cv, signed=False))

    def activate(self, device: str, **kwargs) -> DuisReply:
        rid, payload = self.pre_command(device, **kwargs)
        return self.signed_leg(rid, sign(payload, self.ds_key(SUPPLIER_A)))

    def documents(self, user: str = SUPPLIER_A) -> list[bytes]:
        version = self.gateway.user_version(user)
        return [self.gateway.outbox_document(e, version) for e in self.dsp.pending(user)]


def gbcs_payloads(documents: list[bytes]) -> list[bytes]:
    return [
        base64.b64decode(text)
        for document in documents
        for text in etree.fromstring(document).xpath("//sr:GBCSPayload/text()", namespaces=NS)
    ]


def make_story(directory: Path, form: PayloadForm = PayloadForm.GBCS) -> Story:
    dsp = example_dsp()
    dsp.add_device(
        SmiRecord(
            SMETS1_ESME,
            DeviceType.ESME,
            SmetsVersion.SMETS1,
            EXAMPLE_MANUFACTURER,
            example_model(DeviceType.ESME),
            "0100",
            SmiStatus.COMMISSIONED,
            mpxn=EXAMPLE_MPAN,
            added_by=SUPPLIER_A,
        )
    )
    host = DspHost(dsp)
    store = KeyStore(source=TestPki(SECRET))
    store.register(ACB_EUI)
    for user in (SUPPLIER_A, SUPPLIER_B, NETWORK_OPERATOR):
        store.register(user, CertificateRole.SUPPLIER)
    devices = [*EXAMPLE_DEVICE_IDS.values(), SMETS1_ESME]
    export_keys(store, [SUPPLIER_A, SUPPLIER_B, NETWORK_OPERATOR], devices, directory)
    gateway = DuisGateway(host, gbcs=GbcsHooks(store, host, form))
    return Story(gateway, host, directory)
