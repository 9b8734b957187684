"""What `dccsim bench --mode http` sends: DUIS request documents, signed by each User's XmlSign
key the way DCC's signing tool signs them, for the web service each belongs to.

Signing is the client's cost, not the server's, so a pool of distinct signed requests is made
before the measured window (in worker processes: signing costs about a quarter of a millisecond
a document) and the window only POSTs them. Each client's documents carry its own supplier's
rising RequestID counters in the order it sends them, one at a time, so every counter arrives in
order (REQ-02) and no request is a replay.

Not every SRV of the gRPC mixes can be signed in advance: 11.3's signed leg (CV 5) carries the
PreCommand the DSP answers its CV 4 with, so the HTTP mode leaves it out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import count

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.bench.servers import worker_pool
from dccsim.bench.traffic import ACB_ID, Lane

SR_NS = "http://www.dccinterface.co.uk/ServiceUserGateway"
SCHEMA_VERSION = "5.2"  # the bench fleet's Users are on DUIS 5.2 (the fleet file's default)
# The web service of each Command Variant (DCC Boxed: serviceS CV 1, 3, 5, 7; serviceT CV 4;
# serviceD CV 2, 6, 8).
_SERVICES = {1: "serviceS", 3: "serviceS", 5: "serviceS", 7: "serviceS", 4: "serviceT"}
_SERVICES |= {2: "serviceD", 6: "serviceD", 8: "serviceD"}
# The meter reads ask for data from before the bench fleet's clock starts, as the gRPC mode does.
_DAY = "<sr:ReadLogPeriod><sr:StartDateTime>2025-12-31T00:00:00Z</sr:StartDateTime>"
_DAY += "<sr:EndDateTime>2026-01-01T00:00:00Z</sr:EndDateTime></sr:ReadLogPeriod>"
_WEEK = "<sr:ReadLogPeriod><sr:StartDateTime>2025-12-25T00:00:00Z</sr:StartDateTime>"
_WEEK += "<sr:EndDateTime>2026-01-01T00:00:00Z</sr:EndDateTime></sr:ReadLogPeriod>"


def _element(name: str, content: str) -> str:
    return f"<sr:{name}>{content}</sr:{name}>"


@dataclass(frozen=True, slots=True)
class DuisSrv:
    """How the bench writes one SRV: its Command Variant, ServiceReference, Body content (from
    the device and the counter), whether it goes to the ACB, and whether a Service Response is
    delivered for it."""

    cv: int
    reference: str
    body: Callable[[str, int], str]
    to_acb: bool = False
    awaits: bool = True


SRVS: dict[str, DuisSrv] = {
    "4.1.1": DuisSrv(1, "4.1", lambda d, c: "<sr:ReadInstantaneousImportRegisters/>"),
    "4.6.1": DuisSrv(1, "4.6", lambda d, c: _element("RetrieveImportDailyReadLog", _WEEK)),
    "4.8.1": DuisSrv(1, "4.8", lambda d, c: _element("ReadActiveImportProfileData", _DAY)),
    "4.12.1": DuisSrv(1, "4.12", lambda d, c: "<sr:ReadMaximumDemandImportRegisters/>"),
    "6.2.7": DuisSrv(1, "6.2", lambda d, c: "<sr:ReadDeviceConfigurationMPxN/>"),
    "11.2": DuisSrv(1, "11.2", lambda d, c: "<sr:ReadFirmwareVersion/>"),
    "2.2": DuisSrv(1, "2.2", lambda d, c: _element("TopUpDevice", _element("UTRN", f"{c:020d}"))),
    # Answered at once (I0 with the inventory): nothing is delivered.
    "8.2": DuisSrv(
        8,
        "8.2",
        lambda d, c: _element("ReadInventory", _element("DeviceID", d)),
        to_acb=True,
        awaits=False,
    ),
}


def check_http_mix(mix: dict[str, int]) -> None:
    """Raise ValueError for an SRV of the mix the HTTP mode cannot send."""
    unsendable = [srv for srv, weight in mix.items() if weight and srv not in SRVS]
    if unsendable:
        raise ValueError(
            f"--mode http cannot send {', '.join(unsendable)} (the requests are signed before "
            f"the run; 11.3's signed leg needs the DSP's answer); it sends {', '.join(SRVS)}"
        )


def request_document(srv: str, user: str, device: str, counter: int) -> tuple[bytes, str]:
    """An unsigned DUIS request and its RequestID."""
    spec = SRVS[srv]
    rid = f"{user}:{ACB_ID if spec.to_acb else device}:{counter}"
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<sr:Request xmlns:sr="{SR_NS}" schemaVersion="{SCHEMA_VERSION}">'
        f"<sr:Header><sr:RequestID>{rid}</sr:RequestID>"
        f"<sr:CommandVariant>{spec.cv}</sr:CommandVariant>"
        f"<sr:ServiceReference>{spec.reference}</sr:ServiceReference>"
        f"<sr:ServiceReferenceVariant>{srv}</sr:ServiceReferenceVariant></sr:Header>"
        f"<sr:Body>{spec.body(device, counter)}</sr:Body></sr:Request>"
    )
    return document.encode(), rid


@dataclass(frozen=True, slots=True)
class SignedRequest:
    """One request of the pool: the signed document, the web service it is POSTed to, its
    RequestID, and whether a Service Response will be delivered for it."""

    document: bytes
    service: str
    request_id: str
    awaits: bool


@dataclass(frozen=True, slots=True)
class PemCredential:
    """A User's XmlSign certificate and private key as PEM (picklable, for worker processes)."""

    certificate_pem: bytes
    key_pem: bytes


class _LoadedCredential:
    """What `sign_document` needs (SigningCredential): the certificate and the private key."""

    def __init__(self, pem: PemCredential) -> None:
        self.certificate = x509.load_pem_x509_certificate(pem.certificate_pem)
        key = serialization.load_pem_private_key(pem.key_pem, password=None)
        if not isinstance(key, ec.EllipticCurvePrivateKey):
            raise ValueError("a User's XmlSign key is an ECDSA key")
        self.private_key = key


def _sign_all(credential: PemCredential, documents: list[bytes]) -> list[bytes]:
    from dccsim.server.duis.signing import sign_document

    loaded = _LoadedCredential(credential)
    return [sign_document(document, loaded) for document in documents]


def lane_requests(
    lane: Lane, cycle: Sequence[str], first_counter: int, size: int
) -> list[tuple[bytes, str, str, bool]]:
    """The first `size` unsigned requests of one client, in the order it sends them: (document,
    web service, RequestID, awaits a delivery)."""
    counter = count(first_counter)
    requests = []
    for i in range(size):
        srv = cycle[i % len(cycle)]
        device = lane.devices[i % len(lane.devices)]
        document, rid = request_document(srv, lane.user, device, next(counter))
        spec = SRVS[srv]
        requests.append((document, _SERVICES[spec.cv], rid, spec.awaits))
    return requests


# Documents signed per task handed to a worker process: big enough that the hand-over is cheap.
_CHUNK = 250


def sign_pool(
    lanes: Sequence[Lane],
    cycle: Sequence[str],
    credentials: dict[str, PemCredential],
    first_counter: int,
    per_lane: int,
    *,
    cpus: Iterable[int] | None = None,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> list[list[SignedRequest]]:
    """`per_lane` signed requests for each lane, signed in worker processes on `cpus`."""
    unsigned = [lane_requests(lane, cycle, first_counter, per_lane) for lane in lanes]
    total = per_lane * len(lanes)
    with worker_pool(cpus) as pool:
        futures = [
            [
                pool.submit(
                    _sign_all,
                    credentials[lane.user],
                    [item[0] for item in requests[start : start + _CHUNK]],
                )
                for start in range(0, per_lane, _CHUNK)
            ]
            for lane, requests in zip(lanes, unsigned, strict=True)
        ]
        signed: list[list[SignedRequest]] = []
        done = 0
        for requests, chunks in zip(unsigned, futures, strict=True):
            documents = []
            for chunk in chunks:
                documents += chunk.result()
                done += len(chunk.result())
                progress(done, total)
            signed.append(
                [
                    SignedRequest(document, service, rid, awaits)
                    for document, (_, service, rid, awaits) in zip(documents, requests, strict=True)
                ]
            )
    return signed
