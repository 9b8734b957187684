"""What the commands that talk to a server share: the `--server` option and how to reach it
securely (TLS, a client certificate, the operator token: SEC-01, SEC-02), a session with it, and
one way to fail (a one-line error, never a traceback)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click
from rich.console import Console
from rich.table import Table

from dccsim.server.core.baseline import Baseline

if TYPE_CHECKING:  # grpc is imported only by the commands that talk to a server
    from dccsim.clients.client import Client
    from dccsim.clients.connection import ClientSecurity

BASELINES = click.Choice([b.value for b in Baseline])
# An EUI-64 as the API writes it (00-DB-12-34-56-78-90-A0): table columns never cut one short.
EUI_WIDTH = 23

F = TypeVar("F", bound=Callable[..., Any])
# Where the connection options leave their values for session(): the command's click context
# (ctx.meta, shared by the invocation), so every command takes them without naming them.
_CONNECTION = "dccsim.connection"
_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


def _keep(context: click.Context, parameter: click.Parameter, value: Any) -> Any:
    assert parameter.name is not None
    context.meta.setdefault(_CONNECTION, {})[parameter.name] = value
    return value


def _connection_option(*declarations: str, envvar: str, **attributes: Any) -> Callable[[F], F]:
    return click.option(
        *declarations,
        envvar=envvar,
        show_envvar=True,
        expose_value=False,
        callback=_keep,
        **attributes,
    )


_CONNECTION_OPTIONS = (
    _connection_option(
        "--ca",
        envvar="DCCSIM_CA",
        type=_FILE,
        help="Connect over TLS, checking the server's certificate against this CA (PEM): "
        "dccsim-tls-ca.pem for a server with --tls-test-pki.",
    ),
    _connection_option(
        "--cert",
        envvar="DCCSIM_CERT",
        type=_FILE,
        help="Mutual TLS: this client certificate (PEM; with --key). A User's acts for that User "
        "only; the operator's (dccsim-operator-tls.pem) for anyone, and opens the control API.",
    ),
    _connection_option(
        "--key", envvar="DCCSIM_KEY", type=_FILE, help="The private key (PEM) of --cert."
    ),
    _connection_option(
        "--server-name",
        envvar="DCCSIM_SERVER_NAME",
        help="The name the server's certificate must carry, when --server does not (an address "
        "it is not issued for).",
    ),
    _connection_option(
        "--operator-token-file",
        envvar="DCCSIM_OPERATOR_TOKEN_FILE",
        type=_FILE,
        help="Send this file's token (whitespace stripped) with every call: a server guarding "
        "its control API with a token needs it. Or set DCCSIM_OPERATOR_TOKEN.",
    ),
    _connection_option(
        "--operator-token",
        envvar="DCCSIM_OPERATOR_TOKEN",
        hidden=True,  # the environment only: a command line is visible to every user (ps)
    ),
)


if TYPE_CHECKING:
    _TextType = click.ParamType[str]
else:  # click before 8.4 (pyproject allows 8.1) has no generic ParamType
    _TextType = click.ParamType


class Eui64(_TextType):
    """A User's or a device's EUI-64, checked here as the server would (its own parser), so a
    typo is a usage error naming the option (exit 2) rather than the server's refusal of a
    request field the user never wrote (`request_id.target`)."""

    name = "EUI-64"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from dccsim.server.core.errors import InvalidField
        from dccsim.server.core.eui import parse_eui64

        try:
            return parse_eui64(value, "EUI-64")
        except InvalidField as error:
            text = str(value).replace(":", "").replace("-", "").replace(" ", "")
            hint = ""
            if len(text) == 16 and all(c in "0123456789abcdefABCDEF" for c in text):
                dashed = "-".join(text[i : i + 2] for i in range(0, 16, 2)).upper()
                hint = f"; did you mean {dashed}?"
            self.fail(f"{error.reason}{hint}", param, ctx)


EUI64 = Eui64()


if TYPE_CHECKING:
    _DurationType = click.ParamType[timedelta]
else:
    _DurationType = click.ParamType

_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)([dhms])")
# Plain seconds: digits only (no sign, no exponent, no inf or nan, which float() would take).
_DURATION_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_UNIT_SECONDS = {"d": 86_400, "h": 3_600, "m": 60, "s": 1}


class Duration(_DurationType):
    """A length of time ahead: seconds (`90`, `1.5`) or with units (`90s`, `15m`, `1h30m`,
    `2d`). Anything else, a negative or an endless one, is a usage error naming the option."""

    name = "DURATION"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> timedelta:
        if isinstance(value, timedelta):
            return value
        text = str(value).strip().lower()
        parts = _DURATION_PART.findall(text)
        if _DURATION_NUMBER.fullmatch(text):
            seconds = float(text)
        elif parts and "".join(number + unit for number, unit in parts) == text:
            seconds = sum(float(number) * _UNIT_SECONDS[unit] for number, unit in parts)
        else:
            self.fail(
                f"{value!r} is not a duration: seconds (90) or with units (90s, 15m, 1h30m, 2d)",
                param,
                ctx,
            )
        try:
            return timedelta(seconds=seconds)
        except OverflowError:
            self.fail(f"{value!r} is longer than any clock can run", param, ctx)


DURATION = Duration()


def server_option(command: F) -> F:
    """`--server`, and the options saying how to reach it securely, which session() reads."""
    for option in reversed(_CONNECTION_OPTIONS):
        command = option(command)
    return click.option(
        "--server",
        default="127.0.0.1:50051",
        show_default=True,
        envvar="DCCSIM_SERVER",
        show_envvar=True,
        help="Address of a running `dccsim serve`.",
    )(command)


def client_security() -> ClientSecurity | None:
    """What the connection options of the running command say (None: plaintext, no token).
    A file that cannot be read, or options that do not go together, end the command naming
    the option (exit 2)."""
    from dccsim.clients.connection import ClientSecurity

    context = click.get_current_context(silent=True)
    values: dict[str, Any] = {} if context is None else context.meta.get(_CONNECTION, {})
    if context is not None and _from_command_line(context, "operator_token"):
        raise click.BadParameter(
            "is not taken on the command line, where every user of the machine can read it: set "
            "DCCSIM_OPERATOR_TOKEN or give --operator-token-file",
            param_hint="--operator-token",
        )
    token = _operator_token(values.get("operator_token_file"), values.get("operator_token"))
    ca, cert, key = values.get("ca"), values.get("cert"), values.get("key")
    server_name = values.get("server_name")
    if ca is None and cert is None and key is None and server_name is None and token is None:
        return None
    if (cert is None) != (key is None):
        raise click.BadParameter("give both --cert and --key", param_hint="--cert/--key")
    if (cert is not None or server_name is not None) and ca is None:
        raise click.BadParameter(
            "TLS needs the CA the server's certificate is checked against", param_hint="--ca"
        )
    try:
        return ClientSecurity.from_files(
            ca=ca, certificate=cert, private_key=key, operator_token=token, server_name=server_name
        )
    except (OSError, ValueError) as error:
        raise click.BadParameter(str(error), param_hint="--ca/--cert/--key") from None


def _from_command_line(context: click.Context, name: str) -> bool:
    source = context.get_parameter_source(name)
    return source is click.core.ParameterSource.COMMANDLINE


def _operator_token(path: Path | None, token: str | None) -> str | None:
    if path is not None:
        if token is not None:
            raise click.BadParameter(
                "give it or DCCSIM_OPERATOR_TOKEN, not both", param_hint="--operator-token-file"
            )
        try:
            token = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise click.BadParameter(
                f"cannot be read: {error}", param_hint="--operator-token-file"
            ) from None
        if not token.strip():
            raise click.BadParameter(f"{path} is empty", param_hint="--operator-token-file")
    elif token is not None and not token.strip():
        raise click.BadParameter("is empty", param_hint="DCCSIM_OPERATOR_TOKEN")
    return None if token is None else token.strip()


@contextmanager
def session(server: str, *, keys: Path | None = None) -> Iterator[Client]:
    """A client of the server at `server`, reached as the connection options say. What the
    server refuses, or a server that cannot be reached, ends the command with one line naming
    the cause. `keys`: the folder `dccsim keys export` wrote, whose DS keys sign PreCommands
    (without it the client asks the control API for them)."""
    import grpc

    from dccsim.clients.client import Client, DccsimError
    from dccsim.clients.pre_command_signing import MissingSigningKey, PreCommandSigner

    security = client_security()
    signer = None if keys is None else PreCommandSigner(directory=keys)
    try:
        with Client(server, security=security, signer=signer) as dcc:
            yield dcc
    except DccsimError as error:
        fail(error)
    except MissingSigningKey as error:
        raise click.ClickException(
            f"{error.args[0]} in {keys} (see `dccsim keys export`)"
        ) from None
    except grpc.RpcError as error:
        code = error.code() if isinstance(error, grpc.Call) else None
        details = (error.details() if isinstance(error, grpc.Call) else None) or str(error)
        if code is grpc.StatusCode.UNAVAILABLE:
            tls = security is not None and security.tls
            raise click.ClickException(_unavailable(server, tls, details)) from None
        if code is grpc.StatusCode.UNAUTHENTICATED:
            details += (
                ": give the operator token (--operator-token-file or DCCSIM_OPERATOR_TOKEN) or "
                "the operator's certificate (--cert/--key)"
            )
        raise click.ClickException(f"{code.name if code else 'error'}: {details}") from None


def _unavailable(server: str, tls: bool, details: str) -> str:
    message = (
        f"no dccsim server answers at {server}: start one with `dccsim serve`, or name it with "
        "--server (or DCCSIM_SERVER)"
    )
    if tls:  # a failed handshake looks the same to gRPC
        message += "; or its TLS handshake failed: check --ca, --cert/--key and --server-name"
    elif "Connection refused" not in details:  # something listens, and hung up on plaintext
        message += "; or it serves TLS: give --ca (and --cert/--key for mutual TLS)"
    return message


def fail(error: Exception) -> NoReturn:
    field = getattr(error, "field", None)
    raise click.ClickException(f"{error} (field: {field})" if field else str(error))


def show(table: Table) -> None:
    """Print a table; into a pipe or a file at its full width (nothing cut short for a script),
    on a terminal at the terminal's."""
    console = Console()
    if not console.is_terminal:
        # Measured unbounded: a measure within the console's own width is capped at that width.
        natural = console.measure(table, options=console.options.update_width(10_000)).maximum
        console = Console(width=max(console.width, natural))
    console.print(table)
