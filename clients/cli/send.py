"""`dccsim send`: one Service Request, and its synchronous answer."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from dccsim.clients.cli.common import EUI64, server_option, session

if TYPE_CHECKING:
    from google.protobuf.descriptor import FieldDescriptor
    from google.protobuf.message import Message


@click.command()
@server_option
@click.argument("srv")
@click.option(
    "--user",
    required=True,
    type=EUI64,
    help="Originator: the User's EUI-64 (90-B3-D5-1F-30-01-00-00).",
)
@click.option(
    "--target", type=EUI64, help="Device EUI-64 (default: the DCC ACB, for non-device SRs)."
)
@click.option(
    "--cv",
    type=click.IntRange(1, 8),
    default=1,
    show_default=True,
    help="Command Variant. With --sign, CV 4 is sent and its PreCommand signed (CV 5).",
)
@click.option("--sign", is_flag=True, help="Critical SR: the two-leg CV 4 -> CV 5 flow.")
@click.option(
    "--keys",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="DCCSIM_KEYS",
    help="With --sign: the folder `dccsim keys export` wrote; the User's <eui>-ds.key signs the "
    "GBCS PreCommand. Default: the keys are fetched from the server's control API.",
)
@click.option(
    "--body",
    "body_json",
    default="{}",
    help="The body as JSON: one SubmitRequest body field and its message, e.g. "
    "'{\"read_firmware_version\": {}}'. Field names as in the .proto or in camelCase; bytes in "
    'base64; enums as DUIS words (ESME) or proto names. Every SRV needs one ({"no_body": {}} '
    "for an SRV dccsim only validates); without it the usage error names the SRV's.",
)
@click.option("--counter", type=int, help="RequestID counter (default: milliseconds now).")
@click.option("--json", "as_json", is_flag=True, help="Print the whole answer as JSON.")
def send(
    server: str,
    srv: str,
    user: str,
    target: str | None,
    cv: int,
    sign: bool,
    keys: Path | None,
    body_json: str,
    counter: int | None,
    as_json: bool,
) -> None:
    """Send one Service Request and print the synchronous answer."""
    from dccsim.clients.cli.words import message_json
    from dccsim.clients.client import ACB_ID

    body = request_body(body_json, srv)
    with session(server, keys=keys) as dcc:
        if sign:
            answer = dcc.send_critical(srv, user=user, target=target or ACB_ID, body=body)
        else:
            answer = dcc.send(
                srv, user=user, target=target or ACB_ID, cv=cv, body=body, counter=counter
            )
    if as_json:
        click.echo(message_json(answer.message))
    else:
        detail = f" ({answer.detail})" if answer.detail else ""
        click.echo(f"{answer.request_id} SRV {answer.srv} -> {answer.code}{detail}")


def request_body(text: str, srv: str | None = None) -> dict[str, Message]:
    """`--body`: the SubmitRequest body field it names, and that field's message. Every Service
    Request needs one (the server refuses one without, naming `body`): the usage error names the
    field(s) `srv` takes."""
    from dccsim.clients.cli.words import BadValue, UnknownField, did_you_mean, parse_message
    from dccsim.v1 import supplier_pb2

    try:
        request = parse_message(text, supplier_pb2.SubmitRequest())
    except UnknownField as error:
        if error.path:  # within a body: the fields of its message
            raise click.BadParameter(str(error), param_hint="--body") from None
        suggestion = did_you_mean(error.name, _body_fields()) or (  # not the envelope's
            ": the body fields are SubmitRequest's oneof body (dccsim/v1/supplier.proto)"
        )
        raise click.BadParameter(
            f"{error.name!r} is not a body field{suggestion}", param_hint="--body"
        ) from None
    except BadValue as error:
        raise click.BadParameter(str(error), param_hint="--body") from None
    kind = request.WhichOneof("body")
    others = [f.name for f, _ in request.ListFields() if f.name != kind]
    if others:
        # The envelope (request ID, SRV, CV, ...) comes from the command's own options.
        raise click.BadParameter(
            f"{', '.join(others)} is not a body field: give one of the SubmitRequest body fields",
            param_hint="--body",
        )
    if kind is None:
        raise click.BadParameter(
            f"a Service Request needs a body{_body_example(srv)}", param_hint="--body"
        )
    return {kind: getattr(request, kind)}


def _body_fields() -> dict[str, FieldDescriptor]:
    from dccsim.v1 import supplier_pb2

    oneof = supplier_pb2.SubmitRequest.DESCRIPTOR.oneofs_by_name["body"]
    return {field.name: field for field in oneof.fields}


def _body_example(srv: str | None) -> str:
    """The end of a body-less `send SRV`'s usage error: the body field(s) the SRV takes, for one
    dccsim serves (": SRV 11.2 takes '{"read_firmware_version": {}}'")."""
    from dccsim.server.core.services import REGISTRY
    from dccsim.server.rpc.convert import BODY_READERS

    spec = None if srv is None else REGISTRY.get(srv)
    if spec is None:
        return ": give one of the SubmitRequest body fields"
    fields = _body_fields()
    shown = []
    for name, (body_type, _) in BODY_READERS.items():
        if body_type is spec.body:
            message_type = fields[name].message_type
            message = "{...}" if message_type is not None and message_type.fields else "{}"
            shown.append(f"'{{\"{name}\": {message}}}'")
    return f": SRV {srv} takes {' or '.join(shown)}"
