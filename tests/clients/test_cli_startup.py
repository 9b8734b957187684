"""A client command imports what it uses: `dccsim devices` neither the DSP, the server's
runtime, the DUIS encoders nor the bench (each `dccsim` call took about a second before)."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from dccsim.clients.cli import COMMANDS, main

# Loaded by the server side only; a client command that imports one pays for all of it.
SERVER_SIDE = (
    "dccsim.server.core.dsp",
    "dccsim.server.core.services",
    "dccsim.server.runtime",
    "dccsim.server.duis",
    "dccsim.server.store",
    "dccsim.bench",
)


def _imported_by(code: str) -> list[str]:
    probe = f"import sys\n{code}\nimport json\nprint(json.dumps(sorted(sys.modules)))"
    run = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(run.stdout.splitlines()[-1])


def _server_side(modules: list[str]) -> list[str]:
    return [name for name in modules if name.startswith(SERVER_SIDE)]


def test_a_client_command_imports_neither_the_dsp_nor_the_server() -> None:
    modules = _imported_by(
        "from dccsim.clients.cli import main\n"
        "main(['devices', '--help'], standalone_mode=False)\n"
        "import dccsim.clients.client"
    )
    assert "dccsim.clients.cli.devices" in modules and "dccsim.clients.client" in modules
    assert _server_side(modules) == []
    assert "dccsim.clients.cli.serve" not in modules


def test_every_command_is_listed_and_runs_its_help() -> None:
    listed = CliRunner().invoke(main, ["--help"])
    assert listed.exit_code == 0, listed.output
    for name in COMMANDS:
        assert f"  {name} " in listed.output, name
        assert CliRunner().invoke(main, [name, "--help"]).exit_code == 0, name
    unknown = CliRunner().invoke(main, ["devics"])
    assert unknown.exit_code == 2
    assert "No such command 'devics'. Did you mean 'devices'?" in unknown.output
    nothing_near = CliRunner().invoke(main, ["zzz"])
    assert nothing_near.exit_code == 2 and "No such command 'zzz'.\n" in nothing_near.output
