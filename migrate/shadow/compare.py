"""Two canonical records in, their differences out: the only module that imports deepdiff.

Exact equality first, because nearly every record of a healthy API matches and `==` on dicts is
far cheaper than a diff. Only a mismatch pays for deepdiff. A list whose items are the same but
in another order is reported once, at the list, as an `order` difference.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

PathPart = str | int
Change = Literal["changed", "absent-in-new", "absent-in-legacy", "order"]


@dataclass(frozen=True)
class Difference:
    """One place where the two records disagree; an absent side's value is None."""

    path: tuple[PathPart, ...]
    change: Change
    legacy: Any = None
    new: Any = None


def compare_split(
    legacy: Mapping[str, Any], new: Mapping[str, Any], apart: Iterable[str]
) -> tuple[Difference, ...]:
    """Like `compare`, but the top-level fields `apart` are compared one by one first.

    Declared-loss fields differ on almost every record (a value the new API cannot carry), so
    settling them field by field keeps the rest of the record on the `==` fast path.
    """
    names = _in_path_order(tuple(apart))
    if not names:
        return compare(legacy, new)
    found: list[Difference] = []
    for name in names:  # in path order: the usual result needs no sorting
        left, right = legacy.get(name), new.get(name)
        if left == right:  # equal, or absent on both sides (None: no value)
            continue
        if right is None:
            found.append(Difference((name,), "absent-in-new", left, None))
        elif left is None:
            found.append(Difference((name,), "absent-in-legacy", None, right))
        else:
            found.extend(compare({name: left}, {name: right}))
    rest_legacy, rest_new = dict(legacy), dict(new)  # copied in C; a comprehension is slower
    for name in names:
        rest_legacy.pop(name, None)
        rest_new.pop(name, None)
    if rest_legacy == rest_new:
        return tuple(found)
    found.extend(compare(rest_legacy, rest_new))
    return tuple(sorted(found, key=lambda d: sort_key(d.path)))


@functools.lru_cache(maxsize=256)  # one tuple of lossy fields per operation
def _in_path_order(names: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(names))


def compare(legacy: Any, new: Any) -> tuple[Difference, ...]:
    """Every difference between two canonical records (empty when they are equal)."""
    if legacy == new:
        return ()
    return deep_compare(legacy, new)


def deep_compare(legacy: Any, new: Any) -> tuple[Difference, ...]:
    """`compare` without the equality shortcut: deepdiff on every pair (the reference path).

    deepdiff is imported on the first pair that differs: a healthy run may never need it.
    """
    from deepdiff import DeepDiff
    from deepdiff.helper import notpresent

    tree = DeepDiff(
        legacy,
        new,
        view="tree",
        ignore_numeric_type_changes=True,
        ignore_order=False,
        cache_size=0,
    )
    found: list[Difference] = []
    for levels in tree.values():
        for level in levels:
            parts = tuple(level.path(output_format="list"))
            if level.t1 is notpresent:
                found.append(Difference(parts, "absent-in-legacy", None, level.t2))
            elif level.t2 is notpresent:
                found.append(Difference(parts, "absent-in-new", level.t1, None))
            else:
                found.append(Difference(parts, "changed", level.t1, level.t2))
    return _collapse_reorders(legacy, new, found)


def _collapse_reorders(
    legacy: Any, new: Any, found: Iterable[Difference]
) -> tuple[Difference, ...]:
    """Differences inside a list that holds the same items in another order become one."""
    verdicts: dict[tuple[PathPart, ...], bool] = {}
    out: dict[tuple[Any, ...], Difference] = {}
    for difference in found:
        replaced = difference
        for cut, part in enumerate(difference.path):
            if not isinstance(part, int):
                continue
            prefix = difference.path[:cut]
            if prefix not in verdicts:
                verdicts[prefix] = _same_items(_at(legacy, prefix), _at(new, prefix))
            if verdicts[prefix]:
                replaced = Difference(prefix, "order", _at(legacy, prefix), _at(new, prefix))
                break
        out.setdefault((replaced.path, replaced.change), replaced)
    return tuple(sorted(out.values(), key=lambda d: sort_key(d.path)))


def sort_key(path: tuple[PathPart, ...]) -> list[tuple[int, str, int]]:
    """A stable order for paths that mix keys and list indices."""
    return [(0, "", part) if isinstance(part, int) else (1, part, 0) for part in path]


def _at(value: Any, path: tuple[PathPart, ...]) -> Any:
    for part in path:
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _same_items(left: Any, right: Any) -> bool:
    if not isinstance(left, list) or not isinstance(right, list) or len(left) != len(right):
        return False
    if left == right:
        return False

    def dump(items: list[Any]) -> list[str]:
        return sorted(json.dumps(item, sort_keys=True, default=str) for item in items)

    return dump(left) == dump(right)
