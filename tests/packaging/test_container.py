"""The container image (Dockerfile, .dockerignore) and what it installs (the wheel).

Where docker runs, the image is built and its server queried through a published port. Without
docker, the rest still holds the recipe to account: its ports are the ones `dccsim serve`
listens on, its command is one `dccsim serve` accepts, and the build context .dockerignore lets
through builds a wheel carrying the package data, the LICENSE and the pytest plugin.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import dockerfile
import pytest

from dccsim.clients.cli import main
from dccsim.devices.kinds import DeviceType
from dccsim.server.core.fleet import EXAMPLE_DEVICE_IDS, SUPPLIER_A
from dccsim.server.runtime.serve_config import (
    DEFAULT_HTTP_PORT,
    DEFAULT_PORT,
    DEFAULT_SMKI_PORT,
)
from tests.project import ROOT, project_config

DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ESME = EXAMPLE_DEVICE_IDS[DeviceType.ESME]


def _final_stage() -> list[dockerfile.Command]:
    """The image's instructions, parsed by Docker's own parser (a syntax error fails here)."""
    instructions = list(dockerfile.parse_file(str(DOCKERFILE)))
    last_from = max(i for i, instruction in enumerate(instructions) if instruction.cmd == "FROM")
    return instructions[last_from:]


def _one(stage: list[dockerfile.Command], name: str) -> tuple[str, ...]:
    (instruction,) = [instruction for instruction in stage if instruction.cmd == name]
    return instruction.value


def _environment(stage: list[dockerfile.Command]) -> dict[str, str]:
    environment: dict[str, str] = {}
    for instruction in stage:
        if instruction.cmd == "ENV":
            pairs = instruction.value
            environment.update(zip(pairs[::2], pairs[1::2], strict=True))
    return environment


def test_the_image_exposes_the_ports_serve_listens_on() -> None:
    exposed = {int(port) for port in _one(_final_stage(), "EXPOSE")}
    assert exposed == {DEFAULT_PORT, DEFAULT_HTTP_PORT, DEFAULT_SMKI_PORT}


def test_the_image_copies_only_from_stages_it_builds() -> None:
    instructions = list(dockerfile.parse_file(str(DOCKERFILE)))
    stages = {i.value[2] for i in instructions if i.cmd == "FROM" and len(i.value) == 3}
    sources = {
        flag.removeprefix("--from=")
        for i in instructions
        if i.cmd == "COPY"
        for flag in i.flags
        if flag.startswith("--from=")
    }
    assert sources and sources <= stages


def test_the_image_runs_dccsim_serve_on_every_interface_with_its_state_in_the_volume(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    stage = _final_stage()
    command = [*_one(stage, "ENTRYPOINT"), *_one(stage, "CMD")]
    assert command == ["dccsim", "serve"]
    environment = _environment(stage)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    # Parse the command line as `dccsim serve` would, with the image's environment, and stop
    # before serving: every option and environment variable must be one serve takes.
    group = main.make_context("dccsim", command[1:], resilient_parsing=False)
    serve = main.get_command(group, "serve")
    assert serve is not None
    context = serve.make_context("serve", [], parent=group)
    assert context.params["host"] == "0.0.0.0"
    # A test tool on a test network: its control API open without a credential (docs/decisions.md,
    # "The container's control API"), which a token or DCCSIM_OPEN_CONTROL= closes again.
    assert context.params["open_control"] is True
    volume = _one(stage, "VOLUME")
    assert [Path(context.params["state_path"]).parent] == [Path(v) for v in volume]
    assert _one(stage, "WORKDIR") == volume  # keys are kept beside the state file
    assert {name for name in environment if name.startswith("DCCSIM_")} <= {
        param.envvar for param in serve.params if isinstance(param.envvar, str)
    }


# -- the build context ---------------------------------------------------------------------------


def _ignore_rules() -> list[tuple[bool, re.Pattern[str]]]:
    """(re-include?, pattern) for each line of .dockerignore: the subset of its syntax the file
    uses (`**`, `*`, `!`, folders by name)."""
    rules = []
    for raw in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        include = line.startswith("!")
        pattern = line.removeprefix("!").strip("/")
        expression = "".join(
            ".*" if part == "**" else "[^/]*" if part == "*" else re.escape(part)
            for part in re.split(r"(\*\*|\*)", pattern)
        )
        expression = expression.replace(r"\[", "[").replace(r"\]", "]")  # [cod]
        rules.append((include, re.compile(expression)))
    return rules


def _in_context(path: str, rules: list[tuple[bool, re.Pattern[str]]]) -> bool:
    """Docker's rule: the last pattern matching the path or a folder above it decides."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    kept = True
    for include, pattern in rules:
        if any(pattern.fullmatch(candidate) for candidate in candidates):
            kept = include
    return kept


# Folders never worth walking: the context leaves them out whatever the rules say.
_NEVER = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis"}


def _context_files() -> Iterator[str]:
    rules = _ignore_rules()
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = sorted(d for d in subfolders if d not in _NEVER)
        for name in sorted(files):
            relative = Path(folder, name).relative_to(ROOT).as_posix()
            if _in_context(relative, rules):
                yield relative


def test_the_build_context_holds_every_package_folder_and_nothing_else() -> None:
    folders = set(project_config()["tool"]["setuptools"]["package-dir"].values())
    rules = _ignore_rules()
    for folder in sorted(folders):
        sources = [p for p in (ROOT / folder).glob("*") if p.is_file()]
        assert sources, folder
        assert all(_in_context(p.relative_to(ROOT).as_posix(), rules) for p in sources), folder
    for kept in ("pyproject.toml", "README.md", "LICENSE"):
        assert _in_context(kept, rules)
    for left_out in ("tests/conftest.py", "benchmarks/results/x.json", "server/__pycache__/a.pyc"):
        assert not _in_context(left_out, rules)


def test_the_context_builds_a_wheel_with_the_package_data_license_and_plugin(
    tmp_path: Path,
) -> None:
    context = tmp_path / "context"
    for relative in _context_files():
        target = context / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / relative, target)
    # The image's `pip wheel .`, offline: the build backend this environment already has.
    subprocess.run(
        [
            *(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation"),
            *("--wheel-dir", str(tmp_path / "wheels"), str(context)),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (wheel,) = (tmp_path / "wheels").glob("dccsim-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read(next(n for n in names if n.endswith(".dist-info/METADATA")))
        entry_points = archive.read(next(n for n in names if n.endswith("entry_points.txt")))
        license_text = archive.read(next(n for n in names if n.endswith("licenses/LICENSE")))
    assert "License-Expression: GPL-3.0-or-later" in metadata.decode()
    assert license_text == (ROOT / "LICENSE").read_bytes()
    assert "GNU GENERAL PUBLIC LICENSE" in license_text.decode()[:200]
    assert "[pytest11]\ndccsim = dccsim.testing.plugin" in entry_points.decode()
    for shipped in (
        "dccsim/examples/fleet.yaml",
        "dccsim/docs/fleet-file.md",
        "dccsim/docs/testing.md",
        "dccsim/clients/templates/campaign.html.j2",
        "dccsim/testing/plugin.py",
        "dccsim/clients/cli/serve.py",
    ):
        assert shipped in names
    assert not any(name.startswith(("tests/", "dccsim/clients/testing/")) for name in names)


# -- the image itself, where docker runs ---------------------------------------------------------


def _docker_unavailable() -> str | None:
    if shutil.which("docker") is None:
        return "docker is not installed"
    info = subprocess.run(["docker", "info"], capture_output=True, text=True, timeout=60)
    if info.returncode != 0:
        last_line = (info.stderr.strip().splitlines() or [""])[-1]
        return f"the docker daemon is not reachable: {last_line}"
    return None


@pytest.mark.skipif(
    os.environ.get("DCCSIM_DOCKER_TEST") == "0", reason="DCCSIM_DOCKER_TEST=0 switches it off"
)
def test_the_image_builds_and_serves_the_example_fleet() -> None:
    unavailable = _docker_unavailable()
    if unavailable is not None:
        pytest.skip(f"cannot build the image here: {unavailable}")
    from dccsim.clients.client import Client

    tag = f"dccsim-test:{uuid.uuid4().hex[:12]}"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1800)
    container = ""
    try:
        container = subprocess.run(
            [
                *("docker", "run", "-d", "--rm", "-e", "DCCSIM_IN_MEMORY=1"),
                *("-p", f"127.0.0.1::{DEFAULT_PORT}", tag),
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout.strip()
        published = subprocess.run(
            ["docker", "port", container, str(DEFAULT_PORT)],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.split()[0]
        deadline = time.monotonic() + 60
        while "serving on" not in _logs(container):
            assert time.monotonic() < deadline, _logs(container)
            time.sleep(0.5)
        # The supplier API, and the control API the image opens (DCCSIM_OPEN_CONTROL=1).
        with Client(published) as client:
            answer = client.read_firmware_version(user=SUPPLIER_A, device=ESME)
            assert answer.code == "I99"  # acknowledged: the example fleet's ESME is there
            assert client.cpl()  # a control call, served without an operator credential
    finally:
        if container:
            subprocess.run(["docker", "stop", container], capture_output=True, timeout=120)
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)


def _logs(container: str) -> str:
    logs = subprocess.run(["docker", "logs", container], capture_output=True, text=True, timeout=60)
    return logs.stdout + logs.stderr
