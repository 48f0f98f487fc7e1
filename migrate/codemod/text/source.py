"""Bytes in, bytes out: decode a file exactly as Python would, and put it back the same way.

The codec comes from the BOM or the PEP 263 cookie (`tokenize.detect_encoding`), a BOM is kept
aside and restored, and line endings are never normalised: Python's parser and ours both treat
`\\r\\n`, `\\r` and `\\n` as line ends, so positions agree on CRLF, LF and mixed files.
"""

from __future__ import annotations

import codecs
import io
import os
import re
import tokenize
from dataclasses import dataclass, field

_LINE_END = re.compile(r"\r\n|\r|\n")
READ_CHUNK = 65536


def read_bytes(path: str) -> bytes:
    """The whole file; a first read below the allocator's mmap threshold keeps this fast."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, READ_CHUNK)
        if len(data) == READ_CHUNK:
            rest = [data]
            while True:
                more = os.read(fd, 1 << 20)
                if not more:
                    break
                rest.append(more)
            data = b"".join(rest)
    finally:
        os.close(fd)
    return data


class DecodeProblem(Exception):
    """The bytes are not source text in the encoding they declare."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


@dataclass(frozen=True)
class Source:
    """A decoded file and everything needed to write it back byte for byte."""

    text: str
    codec: str
    bom: bytes
    lines: tuple[str, ...] = field(repr=False)  # each with its own line end
    starts: tuple[int, ...] = field(repr=False)  # character offset where each line starts

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)

    def can_encode(self, text: str) -> bool:
        try:
            text.encode(self.codec)
        except UnicodeEncodeError:
            return False
        return True

    def offset(self, line: int, byte_col: int) -> int:
        """A character offset from an `ast` position (1-based line, UTF-8 byte column)."""
        text = self.lines[line - 1]
        if text.isascii():
            return self.starts[line - 1] + byte_col
        prefix = text.encode("utf-8")[:byte_col].decode("utf-8", errors="replace")
        return self.starts[line - 1] + len(prefix)

    def line_of(self, offset: int) -> int:
        """The 1-based line holding a character offset."""
        low, high = 0, len(self.starts) - 1
        while low < high:
            middle = (low + high + 1) // 2
            if self.starts[middle] <= offset:
                low = middle
            else:
                high = middle - 1
        return low + 1

    def newline(self, line: int) -> str:
        """The line end used by `line` (or the file's first one; `\\n` if there is none)."""
        if 0 < line <= len(self.lines):
            ending = line_ending(self.lines[line - 1])
            if ending:
                return ending
        for text in self.lines:
            ending = line_ending(text)
            if ending:
                return ending
        return "\n"


def line_ending(line: str) -> str:
    if line.endswith("\r\n"):
        return "\r\n"
    if line.endswith(("\n", "\r")):
        return line[-1]
    return ""


def split_lines(text: str) -> list[str]:
    """Lines with their ends, split only where Python's tokenizer ends a line."""
    lines: list[str] = []
    start = 0
    for found in _LINE_END.finditer(text):
        lines.append(text[start : found.end()])
        start = found.end()
    if start < len(text):
        lines.append(text[start:])
    return lines


def from_text(text: str, codec: str = "utf-8", bom: bytes = b"") -> Source:
    lines = split_lines(text)
    starts = []
    position = 0
    for line in lines:
        starts.append(position)
        position += len(line)
    if not lines:
        lines, starts = [""], [0]
    return Source(text, codec, bom, tuple(lines), tuple(starts))


def decode(raw: bytes) -> Source:
    """Decode as the interpreter would; `DecodeProblem` (with a line when known) otherwise."""
    try:
        declared, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
    except SyntaxError as problem:
        line = problem.lineno
        if line is None:  # the first two lines are not UTF-8 and declare nothing else
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError as bad:
                line = raw[: bad.start].count(b"\n") + 1
        raise DecodeProblem(problem.msg or str(problem), line or 1) from None
    bom = codecs.BOM_UTF8 if declared == "utf-8-sig" else b""
    codec = "utf-8" if declared == "utf-8-sig" else declared
    body = raw[len(bom) :]
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as problem:
        line = body[: problem.start].count(b"\n") + 1
        raise DecodeProblem(f"cannot decode as {codec}: {problem.reason}", line) from None
    except LookupError:
        raise DecodeProblem(f"unknown encoding {codec!r}", 1) from None
    return from_text(text, codec, bom)
