"""The DUIS gateway's GBCS hooks, made from a keystore and the host (GBCS-01…05).

- `payload`: a device's response or alert as its GBCS payload (None: the MMC form stays);
- `outgoing`: a CV 4 answer's PreCommand as the GBCS pre-command (null signature), and a CV 6
  answer's LocalCommand as the signed GBCS command the User returned (what it carries to the
  device);
- `incoming`: a CV 5/6/7 SignedPreCommand checked -- the command dccsim transformed, signed with
  the DS key of the User that asked -- and handed to the core as the core's own token, so the
  state file records (and a replay re-runs) a request that needs no keys. Refused with
  `refused_code` (`PRE_COMMAND_REFUSED` unless told otherwise: `dccsim serve
  --pre-command-refused-code`) otherwise, and nothing changes.

With `PayloadForm.MMC` every GBCSPayload is the MMC document and every PreCommand the core's
opaque token, returned unchanged (dccsim's behaviour before GBCS).
"""

from __future__ import annotations

import logging

from dccsim.devices.kinds import DeviceType
from dccsim.server.core import views
from dccsim.server.core.codes import PRE_COMMAND_REFUSED, ResponseCode
from dccsim.server.core.matrix import CommandVariant
from dccsim.server.core.messages import LocalCommand, OutboundMessage, PreCommand, SyncAnswer
from dccsim.server.core.quick_init import replace
from dccsim.server.core.requests import RequestId, ServiceRequest, SignedPreCommand
from dccsim.server.gbcs.frame import with_signature
from dccsim.server.gbcs.keys import KeyStoreKeys, MissingKey
from dccsim.server.gbcs.payloads import GbcsPayloads, PayloadForm
from dccsim.server.gbcs.pre_command import (
    PreCommandRefused,
    PreCommands,
    check_signed,
)
from dccsim.server.keys.keystore import KeyStore
from dccsim.server.runtime.duis_gateway import RequestRefused
from dccsim.server.runtime.host import DspHost

log = logging.getLogger("dccsim.gbcs")


class GbcsHooks:
    def __init__(
        self,
        keystore: KeyStore,
        host: DspHost,
        form: PayloadForm = PayloadForm.GBCS,
        issued_limit: int = 65_536,
        refused_code: ResponseCode | str = PRE_COMMAND_REFUSED,
    ) -> None:
        self.form = PayloadForm(form)
        self.refused_code = ResponseCode(refused_code)
        if not self.refused_code.is_error:
            raise ValueError(f"refused_code: {refused_code} is not a DUIS error code")
        self._host = host
        self._keys = KeyStoreKeys(keystore)
        self._payloads = GbcsPayloads(self._keys, self._device_type, views.acb_id(host.dsp))
        self._pre_commands = PreCommands()
        # RequestID -> (the transformed request, its unsigned GBCS pre-command), from `outgoing`
        # for `incoming` to check the signed copy against without building it again (~7 us).
        # Used only for the very request object it was built from, so a miss (a restart, a
        # CV 4 answered by another process, the bound below) only means building it again.
        self._issued: dict[RequestId, tuple[ServiceRequest, bytes]] = {}
        self._issued_limit = issued_limit
        # RequestID -> the signed GBCS command a CV 6 returned, from `incoming` for `outgoing`:
        # the LocalCommand the User carries to the device is that command, while the core keeps
        # its token (for 8.13 and a replay). `outgoing` takes each entry with its answer, a
        # refusal's too; only an answer that never comes back (a lost acknowledgement, an
        # exception) leaves one, and past the bound the oldest go first, so one in flight stays.
        # Two CV 6s of one RequestID at once: whichever entry the answer takes, it is a command
        # `check_signed` passed for that RequestID.
        self._local: dict[RequestId, bytes] = {}

    def _device_type(self, device_id: str) -> DeviceType | None:
        # SMI records are immutable and a dict read is atomic: no need for the host's lock.
        record = views.device(self._host.dsp, device_id)
        return None if record is None else record.device_type

    def payload(self, message: OutboundMessage, recipient: str | None) -> bytes | None:
        if self.form is PayloadForm.MMC:
            return None
        try:
            return self._payloads.encode(message, recipient)
        except MissingKey as error:  # e.g. DCC Boxed's keystore without the ACB's KA key
            log.warning("GBCS payload in MMC form: %s", error)
            return None

    def outgoing(self, answer: SyncAnswer) -> SyncAnswer:
        body = answer.body
        if self._local:  # (the entry goes with the answer, a refusal's too)
            signed = self._local.pop(answer.request_id, None)
            if signed is not None and isinstance(body, LocalCommand):
                return replace(answer, body=LocalCommand(signed))
        if self.form is PayloadForm.MMC or not isinstance(body, PreCommand):
            return answer
        command = body.command
        if command is None or (unsigned := self._pre_commands.unsigned(command)) is None:
            return answer
        if len(self._issued) >= self._issued_limit:
            self._issued.clear()  # CV 4s never followed by their signed leg
        self._issued[command.request_id] = (command, unsigned)
        pre = PreCommand(body.gbcs_version, with_signature(unsigned, None), command)
        return replace(answer, body=pre)

    def incoming(self, request: ServiceRequest) -> ServiceRequest:
        """The request to submit; raises RequestRefused for a signed pre-command that fails."""
        body = request.body
        if self.form is PayloadForm.MMC or not isinstance(body, SignedPreCommand):
            return request
        with self._host.lock:
            pending = self._host.dsp.pre_command(request.request_id)
        if pending is None:
            return request  # the core answers it (no PreCommand issued for this RequestID)
        transformed, token = pending
        issued = self._issued.pop(request.request_id, None)
        if issued is not None and issued[0] is transformed:
            expected: bytes | None = issued[1]
        else:
            expected = self._pre_commands.unsigned(transformed)
        if expected is None:
            return request  # an SRV without a GBCS pre-command: the token comes back as it went
        try:
            user_key = self._keys.organisation_ds(request.request_id.originator)
            check_signed(body.payload, transformed, user_key, expected)
        except PreCommandRefused as refusal:
            raise RequestRefused(self.refused_code, f"SignedPreCommand: {refusal}") from None
        if request.command_variant is CommandVariant.CRITICAL_SIGNED_LOCAL:
            excess = len(self._local) - self._issued_limit + 1
            for stale in list(self._local)[: max(excess, 0)]:  # the oldest: never answered
                self._local.pop(stale, None)
            self._local[request.request_id] = body.payload
        return replace(request, body=SignedPreCommand(token))
