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
    return _moved(split_lines(original), split_lines(rewritten), touched)


def _moved(old: list[str], new: list[str], touched: frozenset[int]) -> str | None:
    """The first untouched original line missing from `new` in order, as a problem.

    The untouched lines must be a subsequence of the new lines; matching each at the earliest
    place it can go decides that in one pass (a diff would take quadratic time on a large
    file with many edits: minutes on 3 MB)."""
    position = 0
    for index, line in enumerate(old):
        if index + 1 in touched:
            continue
        while position < len(new) and new[position] != line:
            position += 1
        if position == len(new):
            return f"line {index + 1}: changed outside the planned edits; not written"
        position += 1
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
