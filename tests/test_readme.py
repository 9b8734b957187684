"""The README runs as written (issue 19): every fenced block is run here, or says why not.

Each fenced block in README.md has a marker on the line just above it:

    <!-- readme-test: KIND [(reason)] [OPTION ...] -->

KIND
  quick-start     The Quick start. Its first command's last part (`.venv/bin/dccsim serve`) is
                  the server the other blocks talk to, started here exactly so in a fresh folder;
                  its second command must be the test command CI runs (.ci/run).
  shell           Run with bash (-e, pipefail) in that folder with the venv's bin/ first on PATH,
                  as after the README's `source .venv/bin/activate` (which works too: `.venv`
                  there links to the venv running these tests).
  python          Run with the venv's python in that folder.
  pytest          Saved as a test file in a folder of its own and run with pytest (dccsim's
                  plugin provides its fixtures, as for a supplier's own suite).
  serve           One `dccsim serve` command that a reader leaves running in the foreground:
                  started here in the background, in a fresh folder, as the server `name=NAME`.
  receiver        One command starting the User's receiver (examples/receiver.py) that a reader
                  leaves running in the foreground: started here in the background, in the
                  folder of the server `server=NAME`, before that server, whose receive URL
                  then names the port it got.
  python-imports  An outline that names things only the reader has (a host, a token): only its
                  import lines are run. The reason says so.
  skip            Not run; the reason says why, and where it is tested instead.

OPTION
  expect="TEXT"   The output (stdout and stderr) contains TEXT. Repeatable.
  server=NAME     Talk to the server a `serve name=NAME` block started (default: the quick
                  start's). Blocks run in the README's order, so a block can use files an earlier
                  block of the same server left in its folder, as a reader's would.
  serve="CMD"     Talk to a server started with exactly CMD (a `dccsim serve` command the README
                  shows) in a fresh folder.
  stopped         The quick-start server is stopped (SIGTERM, as Ctrl-C) before the block runs,
                  and started again, on its state file, for a later block that needs it.
  needs=A,B       Skipped, saying why, without ../shared (tests.conftest.SHARED), java or node.
  received=GLOB   First wait (10 s at most) for the server's folder to hold a file matching
                  GLOB: what the reader's receiver saves when a POST arrives. A server with no
                  receiver block has its receive URL answered by tests.http.receivers.Receiver,
                  which saves nothing.
  name=NAME       (serve) The server's name.

Ports: the README uses the default ports (gRPC 50051, DUIS 8079, SMKI 8083, and 1880 for DCC
Boxed's receiver), but tests run beside other tests and perhaps a developer's own server. So
every server started here gets DCCSIM_PORT=0, DCCSIM_HTTP_PORT=0 and DCCSIM_SMKI_PORT=0 in its
environment (its command is unchanged; the start-up line names the ports it got), the blocks get
DCCSIM_SERVER, and `127.0.0.1:<default port>` in a block's text is replaced by the port in use;
the receiver listens on `127.0.0.1:0` (its start-up line names the port it got), and
`127.0.0.1:1880` in the serve command is replaced by that port. Those substitutions are the only
changes made to what the README says. The folder a block runs in is laid out as a clone: its
`examples/` too.

grpcurl: where it is not installed (a Go binary, not on PyPI), tests/readme_grpcurl.py stands in
for it on PATH, doing what the README's grpcurl commands ask the way grpcurl does.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import click
import pytest

from dccsim.clients.cli import main as cli_main
from tests.conftest import SHARED
from tests.http.receivers import Receiver

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
VENV_BIN = Path(sys.executable).parent
DEFAULT_PORTS = {"grpc": 50051, "duis": 8079, "smki": 8083}
RECEIVER_PORT = 1880  # DCC Boxed's Node-RED receiver, as the README's --receive-url names it

# The blocks the test does not run, by kind and first line: adding one is a decision to make
# here, in review, not by accident.
NOT_RUN = {
    ("quick-start", "# 1. Set up, then run the simulator (in the foreground: Ctrl-C stops it):"),
    ("skip", "dccsim serve --tls-test-pki"),
    ("python-imports", "from pathlib import Path"),
    ("skip", "docker build -t dccsim ."),
    ("skip", "python3 -m venv .venv-compiled && .venv-compiled/bin/pip install '.[test]'"),
}  # fmt: skip

MARKER = re.compile(r"^<!-- readme-test: (?P<spec>.*?) -->$")
FENCE = re.compile(r"^```(?P<language>\w*)$")


@dataclass
class Block:
    line: int  # of the opening fence, 1-based
    language: str
    text: str
    kind: str
    reason: str = ""
    options: dict[str, list[str]] = field(default_factory=dict)

    def option(self, name: str, default: str = "") -> str:
        return self.options.get(name, [default])[-1]

    @property
    def first_line(self) -> str:
        """Its first line, without a trailing comment (a comment line stays whole)."""
        line = self.text.splitlines()[0]
        return line if line.startswith("#") else line.split("  #")[0].rstrip()


def read_blocks(text: str) -> tuple[list[Block], list[int]]:
    """The README's fenced blocks with their markers, and the lines of unmarked blocks."""
    lines = text.splitlines()
    blocks: list[Block] = []
    unmarked: list[int] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        end = lines.index("```", index + 1)
        body = "\n".join(lines[index + 1 : end]) + "\n"
        marker = MARKER.match(lines[index - 1]) if index else None
        if marker is None:
            unmarked.append(index + 1)
        else:
            blocks.append(_block(index + 1, opening["language"], body, marker["spec"]))
        index = end + 1
    return blocks, unmarked


def _block(line: int, language: str, text: str, spec: str) -> Block:
    parsed = re.fullmatch(r"(?P<kind>[\w-]+)\s*(?:\((?P<reason>[^)]*)\))?\s*(?P<rest>.*)", spec)
    assert parsed, f"README line {line - 1}: unreadable marker {spec!r}"
    options: dict[str, list[str]] = {}
    for word in shlex.split(parsed["rest"]):
        name, _, value = word.partition("=")
        options.setdefault(name, []).append(value)
    return Block(line, language, text, parsed["kind"], parsed["reason"] or "", options)


BLOCKS, UNMARKED = read_blocks(README.read_text())
RUN = [block for block in BLOCKS if block.kind not in {"quick-start", "skip", "serve", "receiver"}]


# -- the markers themselves ----------------------------------------------------------------------


def test_every_fenced_block_says_how_it_is_tested() -> None:
    assert UNMARKED == [], f"README blocks without a readme-test marker, at lines {UNMARKED}"
    kinds = {"quick-start", "shell", "python", "pytest", "serve", "receiver", "python-imports",
             "skip"}  # fmt: skip
    assert {block.kind for block in BLOCKS} <= kinds


def test_the_blocks_not_run_are_the_expected_ones() -> None:
    not_run = {
        (block.kind, block.first_line)
        for block in BLOCKS
        if block.kind in {"quick-start", "skip", "python-imports"}
    }
    assert not_run == NOT_RUN
    for block in BLOCKS:
        if block.kind in {"skip", "python-imports"}:
            assert block.reason, f"README line {block.line}: say why it is not run"


def test_the_quick_start_is_two_commands_and_the_second_is_what_ci_runs() -> None:
    (quick,) = [block for block in BLOCKS if block.kind == "quick-start"]
    commands = [line for line in quick.text.splitlines() if line and not line.startswith("#")]
    assert commands == [
        "python3 -m venv .venv && .venv/bin/pip install -e '.[test]' && .venv/bin/dccsim serve",
        ".venv/bin/python -m pytest",
    ]
    assert "\n.venv/bin/python -m pytest\n" in (ROOT / ".ci" / "run").read_text()


# -- every `dccsim` option the README names exists -----------------------------------------------


def _commands_named(text: str) -> Iterator[list[str]]:
    """Each `dccsim ...` command in the README, prose and blocks, as words up to its end."""
    joined = text.replace("\\\n", " ")
    pieces = re.findall(r"`([^`\n]+)`", joined)
    for fence in re.findall(r"^```\w*\n(.*?)^```", joined, flags=re.S | re.M):
        pieces.extend(fence.splitlines())
    for piece in pieces:
        for found in re.finditer(r"(?:^|[\s(])(?:\.venv/bin/)?dccsim((?: [^\s|;&#>]+)+)", piece):
            yield found.group(1).split()


def test_every_dccsim_command_and_option_the_readme_names_exists() -> None:
    checked = 0
    for words in _commands_named(README.read_text()):
        command: click.Command = cli_main
        path = ["dccsim"]
        while isinstance(command, click.Group) and words and not words[0].startswith("-"):
            # (get_command: the group imports a command's module when it is asked for it)
            found = command.get_command(click.Context(command), words[0])
            if found is None:
                break  # prose such as "dccsim itself": not a command
            path.append(words.pop(0))
            command = found
        if len(path) == 1:
            continue
        known = {"--help"} | {
            option
            for parameter in command.params
            for option in parameter.opts + parameter.secondary_opts
        }
        for word in words:
            if word.startswith("--"):
                assert word.split("=")[0] in known, f"`{' '.join(path)}` has no option {word}"
                checked += 1
    assert checked > 50  # the scan found the README's commands


# -- running the blocks ----------------------------------------------------------------------------


class Server:
    """A `dccsim serve` command as the README writes it, in the background, in its folder."""

    def __init__(self, command: str, folder: Path, receive_port: int | None = None) -> None:
        self.command, self.folder, self.receive_port = command, folder, receive_port
        self.process: subprocess.Popen[str] | None = None
        self.ports = dict(DEFAULT_PORTS)
        self.log: list[str] = []

    def start(self) -> None:
        env = {**blocks_environment(), "DCCSIM_PORT": "0", "DCCSIM_HTTP_PORT": "0",
               "DCCSIM_SMKI_PORT": "0"}  # fmt: skip
        command = self.command
        if self.receive_port is not None:
            command = command.replace(
                f"127.0.0.1:{RECEIVER_PORT}", f"127.0.0.1:{self.receive_port}"
            )
        self.process = subprocess.Popen(
            ["bash", "-c", "exec " + command],
            cwd=self.folder,
            env=env,
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        watchdog = threading.Timer(90, self.process.kill)  # a server that never serves fails
        watchdog.start()
        assert self.process.stderr is not None
        try:
            for line in self.process.stderr:
                self.log.append(line)
                message = json.loads(line).get("message", "") if line.startswith("{") else line
                if serving := re.search(r"serving on [\d.]+:(\d+)", message):
                    self.ports["grpc"] = int(serving.group(1))
                    for name, pattern in (("duis", r"DUIS over HTTP on port (\d+)"),
                                          ("smki", r"SMKI on port (\d+)")):  # fmt: skip
                        if found := re.search(pattern, message):
                            self.ports[name] = int(found.group(1))
                    break
            else:
                raise AssertionError(f"`{self.command}` exited:\n{''.join(self.log)}")
        finally:
            watchdog.cancel()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for line in self.process.stderr:
            self.log.append(line)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # its own session: the reader's Ctrl-C
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def as_written(self, text: str) -> str:
        """The block's text with the README's default addresses replaced by this server's."""
        for name, default in DEFAULT_PORTS.items():
            text = text.replace(f"127.0.0.1:{default}", f"127.0.0.1:{self.ports[name]}")
        return text


class ReceiverProcess:
    """The README's receiver command (examples/receiver.py), left running in the foreground by a
    reader: here in the background, in a server's folder, on a free port."""

    def __init__(self, command: str, folder: Path) -> None:
        self.command = command.replace(f"127.0.0.1:{RECEIVER_PORT}", "127.0.0.1:0")
        assert self.command != command, f"the receiver command names no 127.0.0.1:{RECEIVER_PORT}"
        self.log: list[str] = []
        self.process = subprocess.Popen(
            ["bash", "-c", "exec " + self.command],
            cwd=folder,
            env=blocks_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        watchdog = threading.Timer(30, self.process.kill)  # a receiver that never listens fails
        watchdog.start()
        assert self.process.stdout is not None
        try:
            for line in self.process.stdout:
                self.log.append(line)
                if listening := re.search(r"receiving on http://127\.0\.0\.1:(\d+)/", line):
                    self.port = int(listening.group(1))
                    break
            else:
                raise AssertionError(f"`{command}` exited:\n{''.join(self.log)}")
        finally:
            watchdog.cancel()
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.log.append(line)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGINT)  # the reader's Ctrl-C
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def blocks_environment() -> dict[str, str]:
    """The environment of a reader's terminal with the venv active (and no DCCSIM_ settings of
    the machine's own)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DCCSIM_")}
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env.pop("PYTHONPATH", None)
    return env


def make_folder(parent: Path) -> Path:
    """A folder laid out as the README's reader has it: a clone with its `.venv`, and
    `../shared` beside it."""
    parent.mkdir(parents=True)
    folder = parent / "dccsim"
    folder.mkdir()
    (folder / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    (folder / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    if SHARED.is_dir():
        (parent / "shared").symlink_to(SHARED, target_is_directory=True)
    return folder


class Servers:
    """The servers the blocks talk to, started when first needed, stopped at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: dict[str, Server] = {}
        self.receivers: list[Receiver | ReceiverProcess] = []
        self.tools = root / "tools"
        self.tools.mkdir()
        if shutil.which("grpcurl") is None:
            stand_in = self.tools / "grpcurl"
            script = ROOT / "tests" / "readme_grpcurl.py"
            stand_in.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n')
            stand_in.chmod(0o755)

    def quick_start(self) -> Server:
        if "quick-start" not in self.made:
            (quick,) = [block for block in BLOCKS if block.kind == "quick-start"]
            serve = quick.text.splitlines()[1].split(" && ")[-1]  # `.venv/bin/dccsim serve`
            self.made["quick-start"] = Server(serve, make_folder(self.root / "quick-start"))
        server = self.made["quick-start"]
        if not server.running:
            server.start()
        return server

    def named(self, name: str) -> Server:
        if name not in self.made:
            (block,) = [b for b in BLOCKS if b.kind == "serve" and b.option("name") == name]
            folder = make_folder(self.root / name)
            # The README's receiver, started first as the reader does; else a stand-in.
            commands = [b for b in BLOCKS if b.kind == "receiver" and b.option("server") == name]
            receiver: Receiver | ReceiverProcess
            if commands:
                (command,) = commands
                receiver = ReceiverProcess(command.text.strip(), folder)
            else:
                receiver = Receiver().start()
            self.receivers.append(receiver)
            self.made[name] = Server(block.text.strip(), folder, receiver.port)
            self.made[name].start()
        return self.made[name]

    def command(self, command: str) -> Server:
        assert command in README.read_text(), f"the README shows no `{command}`"
        if command not in self.made:
            folder = make_folder(self.root / f"serve-{len(self.made)}")
            self.made[command] = Server(command, folder)
            self.made[command].start()
        return self.made[command]

    def close(self) -> None:
        for server in self.made.values():
            server.stop()
        for receiver in self.receivers:
            if isinstance(receiver, Receiver):
                receiver.close()
            else:
                receiver.stop()


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Servers]:
    if not (Path(sys.prefix) / "bin" / "activate").is_file():
        pytest.skip("not run from a virtual environment: the README's `.venv` cannot be laid out")
    made = Servers(tmp_path_factory.mktemp("readme"))
    yield made
    made.close()


NEEDS = {
    "shared": lambda: None if SHARED.is_dir() else f"{SHARED} (DCC's tools and samples) is absent",
    "java": lambda: None if shutil.which("java") else "java is not installed (DCC's signing tool)",
    "node": lambda: None if shutil.which("node") else "node is not installed (DCC's gbcs-parser)",
}


def _skip_unless_available(block: Block) -> None:
    for name in filter(None, block.option("needs").split(",")):
        if (missing := NEEDS[name]()) is not None:
            pytest.skip(missing)


def _server_for(block: Block, servers: Servers) -> Server:
    if "stopped" in block.options:
        server = servers.quick_start()
        server.stop()
        return server
    if serve := block.option("serve"):
        return servers.command(serve)
    if name := block.option("server"):
        return servers.named(name)
    return servers.quick_start()


def _wait_for_received(server: Server, pattern: str) -> None:
    """Wait, as a reader would a moment, for the receiver to have saved a file matching
    `pattern` in the server's folder."""
    deadline = time.monotonic() + 10
    while not list(server.folder.glob(pattern)):
        assert time.monotonic() < deadline, f"the receiver saved no {pattern} in {server.folder}"
        time.sleep(0.05)


def _run(block: Block, server: Server, tools: Path) -> subprocess.CompletedProcess[str]:
    env = blocks_environment()
    env["PATH"] = f"{tools}{os.pathsep}{env['PATH']}"
    env["DCCSIM_SERVER"] = f"127.0.0.1:{server.ports['grpc']}"
    text = server.as_written(block.text)
    if block.kind == "shell":
        command = ["bash", "-e", "-o", "pipefail", "-c", text]
    elif block.kind == "python":
        command = [sys.executable, "-c", text]
    elif block.kind == "python-imports":
        imports = [line for line in text.splitlines() if line.startswith(("import ", "from "))]
        command = [sys.executable, "-c", "\n".join(imports)]
    elif block.kind == "pytest":
        suite = server.folder.parent / f"suite-{block.line}"
        suite.mkdir()
        (suite / "test_from_the_readme.py").write_text(text)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(suite)]
        return subprocess.run(command, cwd=suite, env=env, capture_output=True, text=True,
                              timeout=120, check=False)  # fmt: skip
    else:
        raise AssertionError(f"README line {block.line}: a {block.kind} block is not run")
    return subprocess.run(command, cwd=server.folder, env=env, capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


@pytest.mark.parametrize("block", RUN, ids=lambda b: f"line-{b.line}-{b.kind}")
def test_the_block_runs_as_written(block: Block, servers: Servers) -> None:
    _skip_unless_available(block)
    server = _server_for(block, servers)
    if received := block.option("received"):
        _wait_for_received(server, received)
    done = _run(block, server, servers.tools)
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"README line {block.line} failed:\n{output}"
    for expected in block.options.get("expect", []):
        assert expected in output, f"README line {block.line}: no {expected!r} in:\n{output}"


# -- links ---------------------------------------------------------------------------------------


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_the_readme_links_to_files_and_headings_that_exist() -> None:
    text = README.read_text()
    headings = {_anchor(h) for h in re.findall(r"^#+ (.*)$", text, flags=re.M)}
    links = re.findall(r"\]\(([^)\s]+)\)", text)
    assert links
    for link in links:
        if link.startswith(("http://", "https://")):
            continue
        target, _, anchor = link.partition("#")
        if target:
            assert (ROOT / target).exists(), f"README links to {target}, which is not there"
        elif anchor:
            assert anchor in headings, f"README links to #{anchor}, no such heading"


# -- the core's snippet, moved to docs/architecture.md --------------------------------------------


def test_the_core_snippet_in_docs_architecture_runs() -> None:
    """It was the README's; it still runs as written (the core alone: no server)."""
    text = (ROOT / "docs" / "architecture.md").read_text()
    (snippet,) = re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)
    done = subprocess.run(
        [sys.executable, "-c", snippet], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("I99\n")
