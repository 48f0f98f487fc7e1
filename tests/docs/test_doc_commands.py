"""Every command shown in docs/, README.md and CONTRIBUTING.md runs, with the output it shows.

One test per page. Each page runs in its own folder (a git repository holding a copy of
`examples/`, with HOME inside it), block after block, so a later command sees the files an
earlier one wrote. A stale example (a flag that is gone, an exit code or an output line that
changed) fails here. How each kind of command runs, and where that differs from a user's shell:

- `pleo-migrate simulate …` (foreground or `&`) is served by one simulator per distinct set of
  flags, shared by the whole module and started with `--legacy-port 0 --new-port 0`; its
  credentials file is copied to the name the page uses, and the page's `127.0.0.1:8401` /
  `:8402` are rewritten to the real ports (in commands and in sample output alike).
- `… &` (the proxy) runs in the background on a free port that stands in for `:8400`
  (`--listen` is added when the command has none) and is stopped when the page is done.
- `make TARGET` is checked with `make -n TARGET` in the checkout: the target exists and its
  recipe expands. It is not run (`make test` would run this very suite; `pleo-migrate demo`
  has its own test in tests/test_demo.py).
- A plain `pleo-migrate …` (optionally `> FILE`) runs in-process through `migrate.cli.run`,
  exactly as the console script does, to save the start-up time (migrate's functools caches
  are cleared first, as in a fresh process); anything else runs in bash.
- `console real-hosts` blocks are meant for Pleo's hosts. They run against a simulator started
  with `--env staging`, so a staging run is really checked as staging: `shadow` gets
  `--legacy-url`/`--new-url` (and `--rate 0`), `proxy` gets `--new-url`, and
  `PLEO_LEGACY_URL`/`PLEO_NEW_API_URL` point at the simulator for Python code. The credential
  files under `~/.config/pleo/` hold the simulator's staging credentials and `<company-id>`
  becomes its company.
- `console install` blocks: `path/to/pleo-migrate` is this checkout; `pip wheel` really builds
  the wheel (offline, `--no-build-isolation`); `pip install` runs with `--dry-run --no-deps
  --no-index --no-build-isolation`, so it resolves the checkout or the built wheel (extras
  included) without touching the environment or any index.
"""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.cli_runner import invoke
from tests.docs.examples import Block, Command, blocks, missing_lines

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PAGES = [*sorted((REPO / "docs").glob("*.md")), REPO / "README.md", REPO / "CONTRIBUTING.md"]
WELL_KNOWN = {"8401": "legacy", "8402": "new"}
SHELL_SYNTAX = set("|&;<>()$`*?[]{}~'\"\\")

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{what} exited with {process.returncode} before serving")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not listen on port {port} within 60 s")


def _forget_cached_files() -> None:
    """Clear migrate's functools caches (catalogue, specs), as a fresh process would start."""
    for name, module in list(sys.modules.items()):
        if name == "migrate" or name.startswith("migrate."):
            for value in list(vars(module).values()):
                clear = getattr(value, "cache_clear", None)
                if callable(clear):
                    clear()


@dataclass
class Simulator:
    process: subprocess.Popen[bytes]
    credentials: Path
    stdout: Path

    @property
    def document(self) -> dict[str, Any]:
        return dict(json.loads(self.credentials.read_text(encoding="utf-8")))

    def port(self, side: str) -> str:
        return self.document[side]["base_url"].rsplit(":", 1)[1].split("/")[0]


class Simulators:
    """One `pleo-migrate simulate` per distinct set of flags, for the whole module."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.running: dict[tuple[str, ...], Simulator] = {}

    def get(self, flags: tuple[str, ...]) -> Simulator:
        if flags not in self.running:
            folder = self.root / f"sim{len(self.running)}"
            folder.mkdir()
            credentials, stdout = folder / "sim.json", folder / "stdout.txt"
            with stdout.open("wb") as out:
                process = subprocess.Popen(
                    [str(BIN / "pleo-migrate"), "simulate", *flags, "--legacy-port", "0",
                     "--new-port", "0", "--credentials-file", str(credentials)],
                    stdout=out, stderr=subprocess.DEVNULL, env={**os.environ, "NO_COLOR": "1"},
                    start_new_session=True,
                )
            self.running[flags] = simulator = Simulator(process, credentials, stdout)
            deadline = time.monotonic() + 60
            while not (credentials.exists() and b"scopes" in stdout.read_bytes()):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"simulate {' '.join(flags)} did not start")
                time.sleep(0.1)
            _wait_for_port(int(simulator.port("new")), process, "simulate")
        return self.running[flags]

    def close(self) -> None:
        for simulator in self.running.values():
            simulator.process.send_signal(signal.SIGINT)
        for simulator in self.running.values():
            try:
                simulator.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                simulator.process.kill()


@pytest.fixture(scope="module")
def simulators(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulators]:
    shared = Simulators(tmp_path_factory.mktemp("simulators"))
    try:
        yield shared
    finally:
        shared.close()


@dataclass
class PageRun:
    page: Path
    folder: Path
    simulators: Simulators
    env: dict[str, str] = field(default_factory=dict)
    ports: dict[str, str] = field(default_factory=dict)
    placeholders: dict[str, str] = field(default_factory=dict)
    staging: Simulator | None = None
    background: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def __post_init__(self) -> None:
        home = self.folder / "home"
        home.mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PLEO_")}
        self.env.update(HOME=str(home), NO_COLOR="1", COLUMNS="200",
                        PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
        self.env.pop("VIRTUAL_ENV", None)
        self.ports["8400"] = str(_free_port())
        shutil.copytree(REPO / "examples", self.folder / "examples",
                        ignore=shutil.ignore_patterns("__pycache__"))
        git = ["git", "-c", "user.name=docs", "-c", "user.email=docs@localhost"]
        subprocess.run([*git, "init", "-q"], cwd=self.folder, check=True)
        (self.folder / ".gitignore").write_text("home/\n", encoding="utf-8")
        subprocess.run([*git, "add", "-A"], cwd=self.folder, check=True)
        subprocess.run([*git, "commit", "-qm", "examples"], cwd=self.folder, check=True)

    # --- the page ---------------------------------------------------------------------------

    def run(self) -> None:
        try:
            for block in blocks(self.page):
                if block.kind == "file":
                    (self.folder / block.file_name).write_text(block.content, encoding="utf-8")
                    continue
                if "real-hosts" in block.tags:
                    self._point_real_hosts_at_staging()
                for command in block.commands:
                    self._run(command, block)
        finally:
            for process in self.background:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGINT)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def _where(self, command: Command) -> str:
        return f"{self.page.name}:{command.line}: $ {command.text}"

    def _substitute(self, text: str) -> str:
        for known, actual in self.ports.items():
            text = text.replace(f"127.0.0.1:{known}", f"127.0.0.1:{actual}")
        for placeholder, value in self.placeholders.items():
            text = text.replace(placeholder, value)
        return text

    def _check(self, command: Command, code: int, stdout: str, stderr: str) -> None:
        where = self._where(command)
        assert code == command.exit_code, (
            f"{where}\nexit {code}, the page says {command.exit_code}\n{stdout}\n{stderr}"
        )
        expected = tuple(self._substitute(line) for line in command.expected)
        missing = missing_lines(expected, stdout + "\n" + stderr)
        assert not missing, f"{where}\nnot in the output: {missing}\n{stdout}\n{stderr}"

    # --- one command ------------------------------------------------------------------------

    def _run(self, command: Command, block: Block) -> None:
        text = self._substitute(command.text)
        words = shlex.split(text)
        if "real-hosts" in block.tags:
            text, words = self._overrides(text, words)
        if words[:2] == ["pleo-migrate", "simulate"]:
            self._simulate(command, words[2:])
        elif words[0] == "make":
            done = subprocess.run(["make", "-n", *words[1:]], cwd=REPO, capture_output=True,
                                  text=True, timeout=60)
            self._check(command, done.returncode, done.stdout, done.stderr)
        elif command.background:
            self._start_background(command, text, words)
        else:
            if "install" in block.tags:
                text = self._offline_pip(text)
            if words[0] == "export":
                self._export(command, text)
            elif words[0] == "pleo-migrate" and self._in_process_ok(words):
                self._in_process(command, words)
            else:
                done = subprocess.run(["bash", "-c", text], cwd=self.folder, env=self.env,
                                      capture_output=True, text=True, timeout=300)
                self._check(command, done.returncode, done.stdout, done.stderr)

    def _simulate(self, command: Command, flags: list[str]) -> None:
        target = None
        if "--credentials-file" in flags:
            at = flags.index("--credentials-file")
            target = flags[at + 1]
            del flags[at : at + 2]
        simulator = self.simulators.get(tuple(flags))
        if target is not None:
            shutil.copy(simulator.credentials, self.folder / target)
        for known, side in WELL_KNOWN.items():
            self.ports[known] = simulator.port(side)
        self._check(command, command.exit_code, simulator.stdout.read_text(encoding="utf-8"), "")

    def _start_background(self, command: Command, text: str, words: list[str]) -> None:
        assert words[:2] == ["pleo-migrate", "proxy"], (
            f"{self._where(command)}: only the proxy is run in the background by this test"
        )
        if "--listen" not in words:
            text += f" --listen 127.0.0.1:{self.ports['8400']}"
        process = subprocess.Popen(["bash", "-c", f"exec {text}"], cwd=self.folder,
                                   env=self.env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        self.background.append(process)
        _wait_for_port(int(self.ports["8400"]), process, self._where(command))

    def _export(self, command: Command, text: str) -> None:
        done = subprocess.run(["bash", "-c", f"{text} && env -0"], cwd=self.folder,
                              env=self.env, capture_output=True, text=True, timeout=60)
        self._check(command, done.returncode, "", done.stderr)
        self.env = dict(item.split("=", 1) for item in done.stdout.split("\0") if "=" in item)

    @staticmethod
    def _in_process_ok(words: list[str]) -> bool:
        if len(words) >= 2 and words[-2] == ">":
            words = words[:-2]
        return not any(set(word) & SHELL_SYNTAX for word in words)

    def _in_process(self, command: Command, words: list[str]) -> None:
        redirect = None
        if len(words) >= 2 and words[-2] == ">":
            redirect, words = words[-1], words[:-2]
        overlay = {k: v for k, v in self.env.items() if os.environ.get(k) != v}
        overlay.update({k: "" for k in os.environ if k not in self.env})
        _forget_cached_files()
        before = Path.cwd()
        os.chdir(self.folder)
        try:
            result = invoke(words[1:], overlay)
        finally:
            os.chdir(before)
        if redirect is not None:
            (self.folder / redirect).write_text(result.stdout, encoding="utf-8")
        self._check(command, result.exit_code, "" if redirect else result.stdout, result.stderr)

    # --- real hosts and installs ------------------------------------------------------------

    def _point_real_hosts_at_staging(self) -> None:
        if self.staging is not None:
            return
        self.staging = self.simulators.get(("--env", "staging"))
        document = self.staging.document
        secrets = Path(self.env["HOME"]) / ".config" / "pleo"
        secrets.mkdir(parents=True, exist_ok=True)
        (secrets / "staging-legacy-token").write_text(document["legacy"]["token"] + "\n")
        (secrets / "staging-api-key").write_text(document["new"]["api_key"] + "\n")
        self.placeholders["<company-id>"] = document["new"]["company_id"]
        self.env["PLEO_LEGACY_URL"] = document["legacy"]["base_url"]
        self.env["PLEO_NEW_API_URL"] = document["new"]["base_url"]

    def _overrides(self, text: str, words: list[str]) -> tuple[str, list[str]]:
        assert self.staging is not None
        document = self.staging.document
        legacy, new = document["legacy"]["base_url"], document["new"]["base_url"]
        if words[:2] == ["pleo-migrate", "shadow"]:
            extra = ["--legacy-url", legacy, "--new-url", new, "--rate", "0"]
        elif words[:2] == ["pleo-migrate", "proxy"]:
            extra = ["--new-url", new]
        else:
            return text, words
        head = " ".join(words[:2])
        text = text.replace(head, f"{head} {shlex.join(extra)}", 1)
        return text, [*words[:2], *extra, *words[2:]]

    @staticmethod
    def _offline_pip(text: str) -> str:
        text = text.replace("path/to/pleo-migrate", str(REPO))
        if " -m pip install " in text:
            return text.replace(" -m pip install ", " -m pip install --dry-run --no-deps "
                                "--no-index --no-build-isolation --disable-pip-version-check ")
        if " -m pip wheel " in text:
            return text.replace(" -m pip wheel ", " -m pip wheel --no-index "
                                "--no-build-isolation --disable-pip-version-check -q ")
        return text


CATALOGUE_PENDING: dict[str, str] = {}
PAGE_PARAMS = [
    pytest.param(page, id=name, marks=[pytest.mark.xfail(strict=True, reason=reason)]
                 if (reason := CATALOGUE_PENDING.get(name)) else [])
    for page in PAGES for name in [page.relative_to(REPO).as_posix()]
]


@pytest.mark.parametrize("page", PAGE_PARAMS)
def test_every_command_on_the_page_runs_as_shown(
    page: Path, simulators: Simulators, tmp_path: Path
) -> None:
    PageRun(page, tmp_path, simulators).run()


def test_a_stale_example_fails(simulators: Simulators, tmp_path: Path) -> None:
    """The harness is honest: a wrong exit code, a missing output line or a gone flag fail."""
    stale = [
        "```console\n$ pleo-migrate mappings list\n36 legacy endpoints: 21 mapped\n```\n",
        "```console\n$ pleo-migrate scan examples/erp_sync\n```\n",  # exits 1, page says 0
        "```console\n$ pleo-migrate rewrite --no-such-flag examples\n```\n",
    ]
    for number, text in enumerate(stale):
        folder = tmp_path / str(number)
        folder.mkdir()
        page = folder / "page.md"
        page.write_text(text, encoding="utf-8")
        with pytest.raises(AssertionError):
            PageRun(page, folder, simulators).run()


def test_sample_output_matching() -> None:
    output = "examples/erp_sync/client.py:34:20: dynamic path  GET  manual PLM101\nnext line"
    assert missing_lines(("examples/erp_sync/client.py:…: dynamic path GET",), output) == []
    assert missing_lines(("…",), output) == []
    assert missing_lines(("client.py:…:99",), output) == ["client.py:…:99"]
    assert missing_lines(("PLM101 … dynamic path",), output) == ["PLM101 … dynamic path"]
