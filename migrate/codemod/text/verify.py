"""The last checks before a file may be written: it compiles, and nothing outside the edits moved.

Every original line that no edit touches must still be there, byte for byte (line ends and
trailing whitespace included), in the same order; new lines may only be added.
"""

from __future__ import annotations

import difflib
from pathlib import PurePosixPath

from migrate.codemod.text.source import split_lines


def problem_with(original: str, rewritten: str, touched: frozenset[int], path: str) -> str | None:
    try:
        compile(rewritten, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        line = getattr(error, "lineno", None) or 1
        return f"line {line}: the rewritten code does not compile ({getattr(error, 'msg', error)})"
    path = PurePosixPath(path.lstrip("/")).as_posix()  # "./x.py" → "x.py": what git apply takes
    old = split_lines(original)
    new = split_lines(rewritten)
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, first, last, _new_first, _new_last in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            for index in range(first, last):
                if index + 1 not in touched:
                    return f"line {index + 1}: changed outside the planned edits; not written"
    return None


def unified_diff(original: str, rewritten: str, path: str) -> str:
    path = PurePosixPath(path.lstrip("/")).as_posix()  # "./x.py" → "x.py": what git apply takes
    old = split_lines(original)
    new = split_lines(rewritten)
    out = []
    for line in difflib.unified_diff(
        old, new, fromfile=f"a/{path}", tofile=f"b/{path}"
    ):
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)
