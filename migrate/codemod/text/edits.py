"""Edits as spans of the original text, applied by splicing: untouched bytes stay untouched.

An edit replaces `text[start:end]` with pieces, each either new text or a span of the
original; a span piece is itself rendered with the edits inside it, so an outer edit (a
header value rebuilt around its token) keeps an inner one (the token's environment variable
renamed). Two edits that overlap without nesting are a conflict and the file is not written.
"""

from __future__ import annotations

import ast
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from migrate.codemod.text.source import Source

Span = tuple[int, int]
Piece = str | Span


class EditConflict(Exception):
    """Two rules wanted to change overlapping text in ways that cannot both hold."""


@dataclass(frozen=True)
class Edit:
    start: int
    end: int
    pieces: tuple[Piece, ...]
    rule: str

    @property
    def insertion(self) -> bool:
        return self.start == self.end


def span(source: Source, node: ast.AST) -> Span:
    """Character offsets of an `ast` node (parentheses around it are not included)."""
    start = source.offset(node.lineno, node.col_offset)  # type: ignore[attr-defined]
    end = source.offset(node.end_lineno, node.end_col_offset)  # type: ignore[attr-defined]
    return start, end


def replace(source: Source, node: ast.AST, rule: str, *pieces: Piece) -> Edit:
    start, end = span(source, node)
    return Edit(start, end, tuple(pieces), rule)


def written(source: Source, pieces: Sequence[Piece]) -> str:
    """New code made of pieces: a span piece is the original text (no edits inside)."""
    return "".join(p if isinstance(p, str) else source.text[p[0] : p[1]] for p in pieces)


def insert(at: int, text: str, rule: str) -> Edit:
    return Edit(at, at, (text,), rule)


def render(text: str, edits: Sequence[Edit]) -> str:
    """The text with every edit applied; `EditConflict` if they cannot all be applied.

    Linear in the edits after one sort (a file with thousands of edits renders in
    milliseconds): each level looks up the edits inside its span by offset."""
    unique: list[Edit] = []
    seen: set[Edit] = set()
    spans: dict[Span, Edit] = {}
    for edit in edits:
        if edit in seen:
            continue
        if not edit.insertion:
            if (edit.start, edit.end) in spans:
                raise EditConflict(f"two different edits of the same text at {edit.start}")
            spans[(edit.start, edit.end)] = edit
        seen.add(edit)
        unique.append(edit)
    ordered = sorted(enumerate(unique), key=_order)
    starts = [edit.start for _, edit in ordered]
    used: set[int] = set()
    result = _render(text, 0, len(text), ordered, starts, used, frozenset())
    if len(used) != len(unique):
        lost = [edit for index, edit in enumerate(unique) if index not in used]
        raise EditConflict(f"{len(lost)} edit(s) inside text that another edit replaced")
    return result


def _order(item: tuple[int, Edit]) -> tuple[int, bool, int, int]:
    """By start; at one start, insertions first, then the widest edit (it holds the others)."""
    index, edit = item
    return edit.start, not edit.insertion, -edit.end, index


def _outermost(inside: list[tuple[int, Edit]]) -> list[tuple[int, Edit]]:
    """The edits no other edit of the list contains (the list in `_order`): an insertion
    strictly inside a replaced span, or a span within a wider one, is rendered by that one."""
    top = []
    reach = -1  # the furthest end of the replacements seen so far (all start at or before)
    for index, edit in inside:
        contained = reach > edit.start if edit.insertion else reach >= edit.end
        if not contained:
            top.append((index, edit))
        if not edit.insertion:
            reach = max(reach, edit.end)
    return top


def _render(
    text: str,
    low: int,
    high: int,
    ordered: list[tuple[int, Edit]],
    starts: list[int],
    used: set[int],
    outer: frozenset[int],
) -> str:
    whole = (low, high) == (0, len(text))
    inside = [
        (index, edit)
        for index, edit in ordered[bisect_left(starts, low) : bisect_right(starts, high)]
        if index not in outer
        and edit.end <= high
        and not (edit.insertion and edit.start in (low, high) and not whole)
    ]
    top = _outermost(inside)
    top.sort(key=lambda item: (item[1].start, not item[1].insertion, item[0]))
    out: list[str] = []
    position = low
    for index, edit in top:
        if edit.start < position:
            raise EditConflict(f"overlapping edits at offset {edit.start}")
        out.append(text[position : edit.start])
        used.add(index)
        for piece in edit.pieces:
            if isinstance(piece, str):
                out.append(piece)
            else:
                start, end = piece
                if not (edit.start <= start <= end <= edit.end):
                    raise EditConflict("an edit refers to text outside itself")
                out.append(_render(text, start, end, ordered, starts, used, outer | {index}))
        position = edit.end
    out.append(text[position:high])
    return "".join(out)


# --- edits of argument lists and dict displays ----------------------------------------------


def append_item(
    source: Source, container: ast.Call | ast.Dict, items: Sequence[ast.AST], code: str, rule: str
) -> Edit:
    """Insert `code` as a new last element of a call's arguments or a dict display."""
    text = source.text
    start, end = span(source, container)
    if not items:
        close = text.rindex(")" if isinstance(container, ast.Call) else "}", start, end)
        return insert(close, code, rule)
    last_end = span(source, items[-1])[1]
    close = end - 1
    between = text[last_end:close]
    stripped = between.lstrip()
    if stripped.startswith(","):
        comma = last_end + (len(between) - len(stripped))
        after = text[comma + 1 : close]
        if "\n" in after or "\r" in after:
            line = source.lines[source.line_of(last_end) - 1]
            indent = line[: len(line) - len(line.lstrip(" \t"))]
            newline = source.newline(source.line_of(last_end))
            return insert(comma + 1, f"{newline}{indent}{code},", rule)
        return insert(comma + 1, f" {code},", rule)
    return insert(last_end, f", {code}", rule)


def remove_items(
    source: Source, items: Sequence[tuple[ast.AST, ast.AST]], indices: set[int], rule: str
) -> list[Edit]:
    """Remove the elements at `indices` (each given as its (first, last) node) and separators."""
    edits: list[Edit] = []
    count = len(items)
    index = 0
    while index < count:
        if index not in indices:
            index += 1
            continue
        first = index
        while index + 1 < count and index + 1 in indices:
            index += 1
        last = index
        start = span(source, items[first][0])[0]
        if last + 1 < count:
            edits.append(Edit(start, span(source, items[last + 1][0])[0], (), rule))
        elif first > 0:
            previous_end = span(source, items[first - 1][1])[1]
            edits.append(Edit(previous_end, span(source, items[last][1])[1], (), rule))
        else:
            end = span(source, items[last][1])[1]
            rest = source.text[end:]
            stripped = rest.lstrip(" \t")
            if stripped.startswith(","):
                end += len(rest) - len(stripped) + 1
            edits.append(Edit(start, end, (), rule))
        index += 1
    return edits
