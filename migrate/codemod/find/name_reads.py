"""Which assignments a name can read at a given place, as libcst's scope analysis says.

The `ast` evaluator follows a name that has one binding. A URL chosen in `if/elif` branches, a
module constant reassigned later (`URL = …` then `URL = urljoin(…)`) or a default argument
(`def f(url=URL)`, read where the `def` runs) have several: libcst's `ScopeProvider` knows
which of them an access can read, in order, and this module is the one place in the codemod
that asks it. It is imported and run lazily, at most once per file, and only for files with a
legacy call whose URL the `ast` evaluator could not follow: a `scan` of other code never pays
for a concrete syntax tree.

Answers are lines: the caller maps them back to its own `ast` bindings (columns differ, libcst
counts characters where `ast` counts bytes, lines do not).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import libcst
from libcst import metadata


@dataclass(frozen=True)
class Assigned:
    """One assignment an access can read: where it is and what kind of binding it is."""

    line: int
    kind: str  # "assign", "param", "import", "def", "other"
    module_level: bool  # bound in the module's scope (a global), not in a function


class NameReads:
    """The reads of one module's names, each with the assignments it may see."""

    def __init__(self, text: str) -> None:
        wrapper = metadata.MetadataWrapper(libcst.parse_module(text), unsafe_skip_copy=True)
        scopes = wrapper.resolve(metadata.ScopeProvider)
        positions = wrapper.resolve(metadata.PositionProvider)
        self._reads: dict[tuple[str, int], set[Assigned]] = {}
        seen: set[int] = set()
        for scope in scopes.values():
            if scope is None or id(scope) in seen:
                continue
            seen.add(id(scope))
            for access in scope.accesses:
                node = access.node
                if not isinstance(node, libcst.Name):
                    continue
                line = positions[node].start.line
                found = self._reads.setdefault((node.value, line), set())
                found.update(_assigned(access.referents, positions))

    def readable(self, name: str, line: int) -> tuple[Assigned, ...] | None:
        """The assignments the read of `name` on `line` may see, in source order (None: no
        such read, or one that reads something libcst cannot place, like a builtin)."""
        found = self._reads.get((name, line))
        if not found:
            return None
        return tuple(sorted(found, key=lambda item: item.line))


def _assigned(
    referents: Iterable[metadata.BaseAssignment],
    positions: Mapping[libcst.CSTNode, metadata.CodeRange],
) -> Iterator[Assigned]:
    for referent in referents:
        if not isinstance(referent, metadata.Assignment):
            continue  # a builtin
        node = referent.node
        if isinstance(node, libcst.Param):
            kind = "param"
        elif isinstance(node, libcst.Import | libcst.ImportFrom):
            kind = "import"
        elif isinstance(node, libcst.FunctionDef | libcst.ClassDef):
            kind = "def"
        elif isinstance(node, libcst.Name):
            kind = "assign"
        else:
            kind = "other"
        module_level = isinstance(referent.scope, metadata.GlobalScope)
        yield Assigned(positions[node].start.line, kind, module_level)
