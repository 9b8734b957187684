"""The GBCS hooks on their own, over a DSP and a keystore: what they keep between a CV 4's
PreCommand and its signed leg never decides a check (GBCS-03)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from dccsim.server.core.codes import PRE_COMMAND_REFUSED
from dccsim.server.core.dsp import Dsp
from dccsim.server.core.fleet import example_fleet
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import LocalCommand, PreCommand
from dccsim.server.core.requests import (
    ActivateFirmware,
    RequestId,
    ServiceRequest,
    SignedPreCommand,
    UpdateFirmware,
)
from dccsim.server.gbcs.pre_command import sign
from dccsim.server.keys import ACB_EUI, CertificateRole, KeyStore, KeyUsage, TestPki
from dccsim.server.runtime.duis_gateway import RequestRefused
from dccsim.server.runtime.gbcs_hooks import GbcsHooks
from dccsim.server.runtime.host import DspHost
from tests.conftest import ESME, NEW_IMAGE, NEW_IMAGE_HASH, SUPPLIER_A

pytestmark = pytest.mark.spec("GBCS-03")


def _image_sent(**options: int) -> tuple[Dsp, GbcsHooks, ec.EllipticCurvePrivateKey]:
    """A DSP whose example ESME holds the new image (11.1), its hooks, and Supplier A's DS key."""
    dsp = Dsp()
    example_fleet().load_into(dsp)
    store = KeyStore(source=TestPki(bytes(range(32))))
    store.register(ACB_EUI)
    store.register(SUPPLIER_A, CertificateRole.SUPPLIER)
    hooks = GbcsHooks(store, DspHost(dsp), **options)
    credential = store.organisation(SUPPLIER_A, KeyUsage.DIGITAL_SIGNATURE)
    assert credential is not None and credential.private_key is not None
    dsp.submit(
        ServiceRequest(
            RequestId(SUPPLIER_A, dsp.state.acb_id, 1),
            "11.1",
            CommandVariant.NON_DEVICE,
            UpdateFirmware(NEW_IMAGE, "0200", (ESME,)),
        )
    )
    return dsp, hooks, credential.private_key


def test_a_signed_leg_is_checked_against_the_cores_request_not_a_kept_pre_command() -> None:
    dsp, hooks, user_key = _image_sent()
    rid = RequestId(SUPPLIER_A, ESME, 2)
    answer = dsp.submit(
        ServiceRequest(
            rid, "11.3", CommandVariant.CRITICAL_TRANSFORM, ActivateFirmware(NEW_IMAGE_HASH)
        )
    )
    real = hooks.outgoing(answer).body
    assert isinstance(real, PreCommand) and real.command is not None
    # Another command under the same RequestID passes through the hooks (as a second CV 4
    # answered elsewhere might): what they keep of it must not make its signed copy pass.
    other = replace(real.command, body=ActivateFirmware(bytes(32)))
    fake = hooks.outgoing(replace(answer, body=PreCommand(real.gbcs_version, b"", other))).body
    assert isinstance(fake, PreCommand)

    def signed_leg(payload: bytes) -> ServiceRequest:
        leg = ServiceRequest(
            rid, "11.3", CommandVariant.CRITICAL_SIGNED_REMOTE, SignedPreCommand(payload)
        )
        return hooks.incoming(leg)

    with pytest.raises(RequestRefused, match="not the command dccsim transformed") as refused:
        signed_leg(sign(fake.payload, user_key))
    assert refused.value.code == PRE_COMMAND_REFUSED
    assert dsp.submit(signed_leg(sign(real.payload, user_key))).code == "I99"


def test_a_cv6_local_command_is_the_signed_command_and_an_unanswered_one_is_bounded() -> None:
    """CV 6's LocalCommand is the User's signed GBCS command; what the hooks keep for it goes
    with its answer, and past the bound the oldest unanswered go first, so one in flight keeps
    its own."""
    dsp, hooks, user_key = _image_sent(issued_limit=2)

    def signed_leg(counter: int) -> tuple[ServiceRequest, bytes]:
        rid = RequestId(SUPPLIER_A, ESME, counter)
        cv4 = ServiceRequest(
            rid, "11.3", CommandVariant.CRITICAL_TRANSFORM, ActivateFirmware(NEW_IMAGE_HASH)
        )
        pre = hooks.outgoing(dsp.submit(cv4)).body
        assert isinstance(pre, PreCommand)
        signed = sign(pre.payload, user_key)
        leg = ServiceRequest(
            rid, "11.3", CommandVariant.CRITICAL_SIGNED_LOCAL, SignedPreCommand(signed)
        )
        return hooks.incoming(leg), signed

    first, first_signed = signed_leg(2)
    cores = dsp.submit(first)
    answer = hooks.outgoing(cores)
    assert isinstance(answer.body, LocalCommand) and answer.body.payload == first_signed
    assert cores.body != answer.body  # the core answers with its token
    # Answered: nothing kept, so the same answer again passes unchanged.
    assert hooks.outgoing(cores) == cores
    # Three legs whose answers have not come back, against a bound of two: the oldest goes.
    legs = [signed_leg(counter) for counter in (3, 4, 5)]
    local = [hooks.outgoing(dsp.submit(leg)).body for leg, _ in legs]
    assert [isinstance(body, LocalCommand) for body in local] == [True, True, True]
    assert [body.payload == signed for body, (_, signed) in zip(local, legs, strict=True)] == [
        False,
        True,
        True,
    ]
