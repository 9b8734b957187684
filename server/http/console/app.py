"""The web console's routes on the DUIS HTTP port (issue 19): server-rendered pages (Jinja2), a
little JavaScript for the live log, and forms that run core commands through the host.

Handlers only translate: reads come from `reads` and changes are `forms`' commands or `sending`,
each run in a worker thread (the host is thread-based). A form's outcome is shown on the page it
came from (POST, then a 303 back to it with what happened), except a sent request, whose answer
is shown at once.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape

from dccsim.server.core.errors import InvalidField, NotFound, NotSimulated
from dccsim.server.core.faults import FaultAction, FaultStage
from dccsim.server.core.messages import PreCommand
from dccsim.server.core.records import CplStatus, SmiStatus
from dccsim.server.http.console import forms, reads, sending
from dccsim.server.http.console.access import (
    CHALLENGE,
    COOKIE,
    READS_CLOSED,
    ConsoleAccess,
    after_login,
    same_origin,
)
from dccsim.server.http.console.live import LiveLog
from dccsim.server.http.console.options import ConsoleOptions
from dccsim.server.runtime.duis_gateway import (
    AcknowledgementLost,
    DuisGateway,
    DuisReply,
    EmittedDocumentInvalid,
)
from dccsim.server.runtime.host import DspHost
from dccsim.server.store import StateFileError

PACKAGE = "dccsim.server.http.console"
# What a form's change may fail with, having changed nothing: shown to the operator.
REFUSALS = (InvalidField, NotFound, NotSimulated, StateFileError, ValueError)


class Console:
    def __init__(
        self,
        host: DspHost,
        gateway: DuisGateway,
        executor: Executor,
        options: ConsoleOptions,
        access: ConsoleAccess,
        signer: sending.RequestSigner | None = None,
    ) -> None:
        """`access`: who may read and change (SEC-02), shared with /metrics."""
        self._host = host
        self._gateway = gateway
        self._executor = executor
        self._options = options
        self._signer = signer
        self._access = access
        self._live = LiveLog(host)
        self._env = Environment(
            loader=PackageLoader(PACKAGE, "templates"),
            autoescape=select_autoescape(("html",)),
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def routes(self) -> list[web.AbstractRouteDef]:
        """Every page and the live log are reads (`_page`, `_stream`); every POST but the log-in
        and log-out checks `may_change` (whoever may change may read too, so it needs no read
        check). The redirects, the log-in page and the static files show nothing of the DSP."""
        static = Path(str(resources.files(PACKAGE) / "static"))
        page = self._page
        return [
            web.get("/", _redirect("/console/fleet")),
            web.get("/console", _redirect("/console/fleet")),
            web.get("/console/", _redirect("/console/fleet")),
            web.get("/console/fleet", page(self.fleet)),
            web.get("/console/log", page(self.log)),
            web.get("/console/log/stream", self._stream),
            web.get("/console/cpl", page(self.cpl)),
            web.post("/console/cpl", self._change(self._put_cpl_entry, "/console/cpl")),
            web.get("/console/faults", page(self.faults)),
            web.post("/console/faults/add", self._change(self._add_rule, "/console/faults")),
            web.post("/console/faults/remove", self._change(self._remove_rule, "/console/faults")),
            web.get("/console/clock", page(self.clock)),
            web.post("/console/clock/advance", self._change(self._advance, "/console/clock")),
            web.post("/console/clock/rate", self._change(self._rate, "/console/clock")),
            web.get("/console/send", page(self.send_page)),
            web.post("/console/send/template", self.send_template),
            web.post("/console/send/typed", self.send_typed),
            web.post("/console/send/signed", self.send_signed),
            web.get("/console/campaign", page(self.campaign)),
            web.get("/console/login", self.login_page),
            web.post("/console/login", self.login),
            web.post("/console/logout", self.logout),
            web.static("/console/static", static),
        ]

    def close(self) -> None:
        self._live.close()

    # -- pages ----------------------------------------------------------------------------------

    def _page(
        self, handler: Callable[[web.Request], Awaitable[web.Response]]
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        """`handler`'s page for a request that may read (SEC-02). Otherwise, with a token to
        present, the log-in page (401), which comes back here once logged in; with none, 403."""

        async def guarded(request: web.Request) -> web.Response:
            if self._access.may_read(request):
                return await handler(request)
            if not self._access.needs_login:
                raise web.HTTPForbidden(text=READS_CLOSED)
            response = await self._render(
                request, "login.html", status=401, next=after_login(request.path_qs)
            )
            response.headers.update(CHALLENGE)
            return response

        return guarded

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        """The live log, for a request that may read (its events are the message log)."""
        self._access.check_read(request)
        return await self._live.stream(request)

    async def fleet(self, request: web.Request) -> web.Response:
        q = request.query
        query = reads.FleetQuery(
            status=q.get("status", ""),
            device_type=q.get("type", ""),
            firmware=q.get("firmware", ""),
            search=q.get("q", ""),
            offset=int(q["offset"]) if q.get("offset", "").isdigit() else 0,
        )
        page = await self._read(reads.fleet_page, query)
        filters = {
            k: v
            for k, v in (
                ("status", query.status),
                ("type", query.device_type),
                ("firmware", query.firmware),
                ("q", query.search),
            )
            if v
        }
        return await self._render(
            request,
            "fleet.html",
            page=page,
            query=query,
            statuses=list(SmiStatus),
            page_size=reads.PAGE_SIZE,
            link=lambda offset: "?" + urlencode({**filters, "offset": offset}),
        )

    async def log(self, request: web.Request) -> web.Response:
        events = await self._read(reads.latest_events, 200)
        after = events[-1].sequence if events else await self._read(reads.last_event)
        return await self._render(
            request,
            "log.html",
            events=reads.events_json(events),
            after=after,
            request_filter=request.query.get("request", ""),
        )

    async def cpl(self, request: web.Request) -> web.Response:
        entries = await self._read(reads.cpl_entries)
        counts = await self._read(reads.devices_on)
        return await self._render(
            request, "cpl.html", entries=entries, counts=counts, statuses=list(CplStatus)
        )

    async def faults(self, request: web.Request) -> web.Response:
        rules = await self._read(reads.fault_rules)
        decisions = await self._read(reads.recent_decisions)
        return await self._render(
            request,
            "faults.html",
            rules=sorted(rules.items()),
            decisions=decisions,
            actions=list(FaultAction),
            stages=list(FaultStage),
        )

    async def clock(self, request: web.Request) -> web.Response:
        return await self._render(request, "clock.html", units=list(forms.UNITS))

    async def send_page(self, request: web.Request) -> web.Response:
        return await self._render(request, "send.html", **await self._send_choices())

    async def campaign(self, request: web.Request) -> web.Response:
        progress = await self._read(reads.campaign_progress)
        return await self._render(request, "campaign.html", progress=progress)

    async def login_page(self, request: web.Request) -> web.Response:
        return await self._render(
            request, "login.html", next=after_login(request.query.get("next", ""))
        )

    # -- changes --------------------------------------------------------------------------------

    def _change(
        self, make: Callable[[dict[str, str]], str], page: str
    ) -> Callable[[web.Request], Any]:
        """A POST handler: check access, run `make(form)` in a worker (it returns what to tell
        the operator) and go back to `page` saying what happened."""

        async def handle(request: web.Request) -> web.Response:
            self._access.check_post(request)
            form = {k: str(v) for k, v in (await request.post()).items()}
            try:
                said = await self._read_blocking(make, form)
            except REFUSALS as error:
                raise web.HTTPSeeOther(f"{page}?{urlencode({'error': str(error)})}") from None
            raise web.HTTPSeeOther(f"{page}?{urlencode({'said': said})}")

        return handle

    def _put_cpl_entry(self, form: dict[str, str]) -> str:
        command = forms.cpl_entry(form, reads.cpl_entries(self._host))
        suspended = self._host.run_one(command)
        entry = command.entry
        return f"{entry.manufacturer} {entry.model} {entry.firmware_version}: {entry.status}" + (
            f"; {suspended} device(s) suspended" if suspended else ""
        )

    def _add_rule(self, form: dict[str, str]) -> str:
        rule_id = self._host.run_one(forms.fault_rule(form))
        return f"fault rule {rule_id} added"

    def _remove_rule(self, form: dict[str, str]) -> str:
        command = forms.remove_fault_rule(form)
        self._host.run_one(command)  # NotFound for no such rule
        return f"fault rule {command.rule_id} removed"

    def _advance(self, form: dict[str, str]) -> str:
        self._host.run_one(forms.advance(form))
        return f"the virtual clock is at {self._host.now().isoformat()}"

    def _rate(self, form: dict[str, str]) -> str:
        command = forms.clock_rate(form)
        self._host.run_one(command)
        return "the virtual clock is frozen" if command.rate == 0 else f"clock rate {command.rate}"

    async def send_template(self, request: web.Request) -> web.Response:
        self._access.check_post(request)
        posted = await request.post()
        upload = posted.get("upload")
        uploaded = upload.file.read() if isinstance(upload, web.FileField) else b""
        form = {k: v for k, v in posted.items() if isinstance(v, str)}
        user = forms.text(form, "user")
        pasted = uploaded.strip() or form.get("document", "").strip().encode()
        name = (
            upload.filename
            if isinstance(upload, web.FileField) and uploaded.strip()
            else forms.text(form, "template")
        )
        folder = self._options.templates_dir
        outcome: dict[str, Any] = {"kind": "template", "user": user, "template": name}
        outcome["log_after"] = await self._read(reads.last_event)  # its log starts here

        async def send() -> tuple[bytes, DuisReply]:
            document = pasted or await self._read_blocking(sending.load_template, name, folder)
            sent: tuple[bytes, DuisReply] = await self._read_blocking(
                sending.send_template, self._host, self._gateway, self._signer, document, user
            )
            return sent

        return await self._sent(request, outcome, send)

    async def send_signed(self, request: web.Request) -> web.Response:
        """A critical SR's second leg: the CV 4 answer's pre-command signed, sent with CV 5."""
        self._access.check_post(request)
        form = {k: str(v) for k, v in (await request.post()).items()}
        user = forms.text(form, "user")
        outcome: dict[str, Any] = {"kind": "the signed pre-command", "user": user}
        outcome["log_after"] = await self._read(reads.last_event)

        async def send() -> tuple[bytes, DuisReply]:
            try:
                answer = base64.b64decode(forms.text(form, "answer"), validate=True)
            except binascii.Error:
                raise InvalidField("answer", "is not the base64 of a CV 4 answer") from None
            sent: tuple[bytes, DuisReply] = await self._read_blocking(
                sending.send_signed_leg, self._gateway, self._signer, answer, user
            )
            return sent

        return await self._sent(request, outcome, send)

    async def send_typed(self, request: web.Request) -> web.Response:
        self._access.check_post(request)
        form = {k: str(v) for k, v in (await request.post()).items()}
        user, device, srv = (forms.text(form, n) for n in ("user", "device", "srv"))
        outcome: dict[str, Any] = {"kind": "typed", "user": user, "device": device, "srv": srv}
        outcome["log_after"] = await self._read(reads.last_event)
        try:
            outcome["answer"] = await self._read_blocking(
                sending.send_typed, self._host, user, device, srv
            )
        except REFUSALS as error:
            outcome["error"] = f"{type(error).__name__}: {error}"
        return await self._send_page(request, outcome)

    async def _sent(
        self,
        request: web.Request,
        outcome: dict[str, Any],
        send: Callable[[], Awaitable[tuple[bytes, DuisReply]]],
    ) -> web.Response:
        """The send page with what `send` sent and the gateway's reply, or why it was refused."""
        try:
            sent, reply = await send()
        except (*REFUSALS, AcknowledgementLost, EmittedDocumentInvalid) as error:
            outcome["error"] = f"{type(error).__name__}: {error}"
        else:
            _answered(outcome, sent, reply)
        return await self._send_page(request, outcome)

    async def _send_page(self, request: web.Request, outcome: dict[str, Any]) -> web.Response:
        return await self._render(
            request, "send.html", outcome=outcome, **await self._send_choices()
        )

    async def login(self, request: web.Request) -> web.Response:
        if not same_origin(request):
            raise web.HTTPForbidden(text="the console takes forms only from its own pages\n")
        form = await request.post()
        target = after_login(str(form.get("next", "")))
        value = self._access.cookie_value(str(form.get("token", "")))
        if value is None:
            query = urlencode({"error": "wrong token", "next": target})
            raise web.HTTPSeeOther(f"/console/login?{query}")
        response = web.HTTPSeeOther(target)
        response.set_cookie(
            COOKIE, value, httponly=True, samesite="Strict", secure=request.secure, path="/"
        )
        raise response

    async def logout(self, request: web.Request) -> web.Response:
        if not same_origin(request):
            raise web.HTTPForbidden(text="the console takes forms only from its own pages\n")
        response = web.HTTPSeeOther("/console/fleet")
        response.del_cookie(COOKIE, path="/")
        raise response

    # -- helpers --------------------------------------------------------------------------------

    async def _send_choices(self) -> dict[str, Any]:
        users = await self._read(reads.users)
        names = await self._read_blocking(sending.template_names, self._options.templates_dir)
        return {
            "users": users,
            "templates": names,
            "typed_srvs": sending.typed_srvs(),
            "verifies": self._gateway.verifies_signatures,
            "can_sign": self._signer is not None,
        }

    async def _read(self, read: Callable[..., Any], *args: Any) -> Any:
        """A read of the host's state, in a worker thread."""
        return await self._read_blocking(read, self._host, *args)

    async def _read_blocking(self, call: Callable[..., Any], *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, partial(call, *args))

    async def _render(
        self, request: web.Request, name: str, status: int = 200, **values: Any
    ) -> web.Response:
        clock = await self._read(reads.clock)
        html = self._env.get_template(name).render(
            path=request.path,
            may_read=self._access.may_read(request),
            may_change=self._access.may_change(request),
            needs_login=self._access.needs_login,
            signed_in=self._access.presents_token(request),
            clock=clock,
            said=request.query.get("said", ""),
            error=request.query.get("error", ""),
            **values,
        )
        return web.Response(text=html, content_type="text/html", status=status)


def _answered(outcome: dict[str, Any], sent: bytes, reply: DuisReply) -> None:
    """What the send page shows of a DUIS request answered; for a CV 4 answer carrying a
    pre-command, what its second leg's form sends back (the answer, as the gateway gave it)."""
    outcome.update(
        answer=reply.answer,
        sent=sent.decode(errors="replace"),
        reply=reply.document.decode(errors="replace"),
    )
    if isinstance(reply.answer.body, PreCommand):
        outcome["pre_command"] = base64.b64encode(reply.document).decode()


def _redirect(to: str) -> Callable[[web.Request], Any]:
    async def handle(_request: web.Request) -> web.Response:
        raise web.HTTPFound(to)

    return handle
