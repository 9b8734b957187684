"""`dccsim keys`: keys and certificates of a running server (BOXED-05)."""

from __future__ import annotations

from pathlib import Path

import click

from dccsim.clients.cli.common import EUI64, fail, server_option, session


@click.group()
def keys() -> None:
    """Keys and certificates of a running server (BOXED-05)."""


@keys.command("export")
@server_option
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--device",
    "device_ids",
    multiple=True,
    type=EUI64,
    help="Only this device's certificates (repeatable). Default: every device of the fleet.",
)
@click.option("--no-devices", is_flag=True, help="Only the CAs', the ACB's and the Users' files.")
def keys_export(
    server: str, directory: Path, device_ids: tuple[str, ...], no_devices: bool
) -> None:
    """Write the PEM files a User's tools need into DIRECTORY: every User's, the ACB's and each
    device's certificates, the Users' and the ACB's private keys (PKCS#8), named as DCC's GBCS
    parser reads them: <eui>-ds.pem, <eui>-ka.pem, <eui>-ds.key, <eui>-xmlsign.pem, ...; with
    dccsim's test PKI, each User's TLS client certificate <eui>-tls.pem/.key too.

    An operator call where the server guards its control API: from a server serving
    --tls-test-pki, connect with the files in its <state>.keys/ folder: --ca dccsim-tls-ca.pem
    --cert dccsim-operator-tls.pem --key dccsim-operator-tls.key."""
    from dccsim.server.keys import KeyFile, write_files

    written = owners = 0
    try:
        with session(server) as client:
            for owner, files in client.export_keys(
                device_ids=list(device_ids), no_devices=no_devices
            ):
                written += len(write_files([KeyFile(f.name, f.pem) for f in files], directory))
                owners += 1 if owner else 0
    except (ValueError, OSError) as error:  # a file name or a directory that cannot be written
        fail(error)
    click.echo(f"{written} files for {owners} owners written to {directory}")
