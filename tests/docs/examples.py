"""Extract the runnable examples of a Markdown page.

The convention (also written in CONTRIBUTING.md):

- A ```` ```console ```` block holds commands. A line starting with `$ ` is a command (a
  trailing `\\` continues it on the next line); the lines after it, up to the next command,
  are its sample output.
- A command ending in `# exit N` must exit with N; any other command must exit 0. A command
  ending in `&` runs in the background until the page is done.
- A sample output line must appear in the command's output (stdout and stderr, runs of blanks
  squeezed). `…` stands for anything: the pieces around it must appear in that order on one
  line, and a line that is only `…` checks nothing.
- Words after `console` say how the block runs: `real-hosts` (the commands are meant for
  Pleo's hosts; the suite points them at a staging simulator) and `install` (pip commands,
  run without touching any index: see `test_doc_commands.py`).
- A block with `file=NAME` after its language (```` ```python file=demo.py ````) is written
  to NAME in the page's folder, so a later command runs exactly what the page shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FENCE = re.compile(r"^```(\w+)([^\n]*)\n(.*?)^```[ \t]*$", re.M | re.S)
_EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\b.*$")


@dataclass(frozen=True)
class Command:
    text: str  # without the `$ `, the exit comment and a trailing `&`
    exit_code: int
    background: bool
    expected: tuple[str, ...]  # sample output lines
    line: int  # where the command starts in the page (1-based)


@dataclass(frozen=True)
class Block:
    kind: str  # "console" or "file"
    tags: frozenset[str]
    line: int
    commands: tuple[Command, ...] = ()
    file_name: str = ""
    content: str = ""


def blocks(page: Path) -> list[Block]:
    """Every runnable block of a page, in page order."""
    text = page.read_text(encoding="utf-8")
    found: list[Block] = []
    for match in _FENCE.finditer(text):
        language, info, body = match.group(1), match.group(2).split(), match.group(3)
        line = text.count("\n", 0, match.start()) + 1
        if language == "console":
            found.append(Block("console", frozenset(info), line,
                               commands=tuple(_commands(body, line + 1))))
        else:
            names = [word.removeprefix("file=") for word in info if word.startswith("file=")]
            if names:
                found.append(Block("file", frozenset(), line, file_name=names[0], content=body))
    return found


def _commands(body: str, first_line: int) -> list[Command]:
    commands: list[Command] = []
    lines = body.splitlines()
    index = 0
    while index < len(lines):
        raw = lines[index]
        if not raw.startswith("$ "):
            raise ValueError(f"line {first_line + index}: output before any `$ ` command")
        start = index
        text = raw[2:]
        while text.endswith("\\") and index + 1 < len(lines):
            index += 1
            text = text[:-1].rstrip() + " " + lines[index].strip()
        index += 1
        expected = []
        while index < len(lines) and not lines[index].startswith("$ "):
            if lines[index].strip():
                expected.append(lines[index])
            index += 1
        exit_code = 0
        exit_match = _EXIT.search(text)
        if exit_match:
            exit_code = int(exit_match.group(1))
            text = text[: exit_match.start()]
        text = text.strip()
        background = text.endswith("&")
        commands.append(Command(text.removesuffix("&").strip(), exit_code, background,
                                tuple(expected), first_line + start))
    return commands


def squeeze(text: str) -> str:
    return " ".join(text.split())


def missing_lines(expected: tuple[str, ...], output: str) -> list[str]:
    """The sample lines that the real output does not contain."""
    out_lines = [squeeze(line) for line in output.splitlines()]
    missing = []
    for line in expected:
        pieces = [squeeze(piece) for piece in line.split("…")]
        pieces = [piece for piece in pieces if piece]
        if pieces and not any(_in_order(pieces, out) for out in out_lines):
            missing.append(line)
    return missing


def _in_order(pieces: list[str], line: str) -> bool:
    position = 0
    for piece in pieces:
        found = line.find(piece, position)
        if found < 0:
            return False
        position = found + len(piece)
    return True
