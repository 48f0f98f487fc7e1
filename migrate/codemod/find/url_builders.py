"""The real semantics of the code that assembles a URL from pieces, on static text.

Real clients rarely write a URL in one piece: `urljoin(BASE, "expenses/" + id)`,
`"/".join((self.api_root, self.version) + parts)`, `posixpath.join(ROOT, "tax-codes")`,
`BASE.rstrip("/") + "/" + path.lstrip("/")`, `"https://%s/%s" % (HOST, VERSION)`. The
evaluator (`find/evaluate.py`) reads each builder with what it really does, never with what it
seems to do: `urljoin` on a base without a trailing slash drops the base's last segment
(`urljoin("https://openapi.pleo.io/v1", "expenses")` is `https://openapi.pleo.io/expenses`),
a path from the root replaces the base's path, a later absolute piece of `posixpath.join`
restarts the path. Where the outcome depends on text known only at run time, or differs from
the base followed by the path, the URL is named (scan) but held (a TODO saying which builder),
never rewritten on a guess.
"""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

STRIPS = frozenset({"rstrip", "lstrip", "strip"})
_SCHEME = re.compile(r"\A[A-Za-z][A-Za-z0-9+.-]*:")
# a %-template specifier: `%s`, `%d`, `%(name)s`, `%05.2f`, `%%`
PERCENT_SPEC = re.compile(r"%(?:\((?P<key>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?"
                          r"(?P<kind>[diouxXeEfFgGcrsa%])")

JoinKind = Literal["append", "root", "drop", "absolute", "other"]


@dataclass(frozen=True)
class JoinOutcome:
    """What `urljoin(base, path)` does with this base and path start.

    `append`: the URL is the base followed by the path (the base's trailing slash, or a base
    with no path, where urljoin adds the slash itself); `root`: the path starts at `/` and
    replaces the base's own path; `drop`: the base has no trailing slash, so its last segment
    goes; `absolute`: the path carries its own host; `other`: `./`, `../`, `?`, `#` (resolved
    against the base in ways the codemod does not rebuild)."""

    kind: JoinKind
    prefix: str | None = None  # what is left of the base (`root`, `drop`)
    reason: str | None = None  # why the URL is held: the form named in the TODO


def strip_call(node: ast.AST) -> tuple[ast.expr, str, str | None] | None:
    """`x.rstrip("/")` → (x, "rstrip", "/"); `x.strip()` → (x, "strip", None)."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in STRIPS
        and not node.keywords
        and len(node.args) <= 1
    ):
        return None
    if not node.args:
        return node.func.value, node.func.attr, None
    chars = node.args[0]
    if isinstance(chars, ast.Constant) and isinstance(chars.value, str):
        return node.func.value, node.func.attr, chars.value
    return None


def stripped(text: str, method: str, chars: str | None) -> str:
    """`text.<method>(chars)`, as Python does it."""
    if method == "rstrip":
        return text.rstrip(chars)
    if method == "lstrip":
        return text.lstrip(chars)
    return text.strip(chars)


def join_call(node: ast.AST) -> tuple[str, ast.expr] | None:
    """`"/".join(seq)` → ("/", seq): a join on a separator written as a literal."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Constant)
        and isinstance(node.func.value.value, str)
        and len(node.args) == 1
        and not node.keywords
        and not isinstance(node.args[0], ast.Starred)
    ):
        return node.func.value.value, node.args[0]
    return None


def sequence_items(node: ast.expr) -> list[ast.expr] | None:
    """The items of a list or tuple written out (`[BASE, "expenses", id]`, `(a, b) + (c,)`), a
    starred item (`*parts`) or a `+`-ed name (`(a, b) + parts`) kept as one item. None: the
    sequence is built some other way (a generator, a call)."""
    if isinstance(node, ast.List | ast.Tuple):
        return [item.value if isinstance(item, ast.Starred) else item for item in node.elts]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left = sequence_items(node.left)
        right = sequence_items(node.right)
        if left is None and isinstance(node.left, ast.Name):
            left = [node.left]
        if right is None and isinstance(node.right, ast.Name):
            right = [node.right]
        if left is None or right is None:
            return None
        return [*left, *right]
    return None


def is_posixpath_join(node: ast.AST) -> bool:
    """`posixpath.join(…)` (not `os.path.join`, whose separator depends on the system)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "posixpath"
        and not node.keywords
        and len(node.args) >= 1
        and not any(isinstance(arg, ast.Starred) for arg in node.args)
    )


def posix_join(pieces: list[str]) -> str:
    return posixpath.join(*pieces)


def static_urljoin(base: str, path: str) -> str:
    return urljoin(base, path)


def urljoin_outcome(base: str | None, lead: str | None) -> JoinOutcome:
    """What `urljoin` does with a base (its static text, None: known at run time only) and a
    path starting with `lead` (None: the path starts with a run-time value)."""
    if lead is not None and (_SCHEME.match(lead) or lead.startswith("//")):
        return JoinOutcome("absolute", None, "urljoin with a URL of its own as the path")
    if base is None:
        return JoinOutcome("append")  # taken to be a legacy base root, as everywhere else
    own_path = urlsplit(base).path
    if lead is None:
        # a run-time start: the path is chosen at run time (PLM101 says so), unless the base
        # has a path without a trailing slash, which a relative path and a rooted one both drop
        if own_path in ("", "/") or base.endswith("/"):
            return JoinOutcome("append")
        return _drops_last_segment(base, own_path)
    if lead.startswith(("?", "#", ".")) or not lead:
        return JoinOutcome("other", None, f"urljoin on a path starting `{lead[:3]}`")
    if lead.startswith("/"):
        if own_path in ("", "/"):
            return JoinOutcome("append")
        split = urlsplit(base)
        return JoinOutcome(
            "root",
            f"{split.scheme}://{split.netloc}",
            f"urljoin with a path from the root (it drops `{own_path.rstrip('/')}` of the base)",
        )
    if own_path == "" or base.endswith("/"):
        return JoinOutcome("append")
    return _drops_last_segment(base, own_path)


def _drops_last_segment(base: str, own_path: str) -> JoinOutcome:
    """urljoin on a base whose path has no trailing slash: its last segment goes."""
    segment = own_path.rsplit("/", 1)[-1]
    return JoinOutcome(
        "drop",
        base[: base.rfind("/") + 1],
        f"urljoin on a base without a trailing slash (it drops `{segment}`)",
    )


def percent_format(template: str, values: list[str] | dict[str, str]) -> str | None:
    """`template % values` on static text, or None when Python would raise (or the template
    needs a number where a text is given)."""
    for found in PERCENT_SPEC.finditer(template):
        if found["kind"] not in ("s", "%"):
            return None  # `%d` of a text raises; of a number, the codemod does not know it
    try:
        return template % (values if isinstance(values, dict) else tuple(values))
    except (TypeError, ValueError, KeyError):
        return None
