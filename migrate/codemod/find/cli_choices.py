"""The values a command-line argument can take, when argparse bounds them with `choices=`.

Scripts pick the resource on the command line:

    parser.add_argument("resource", choices=["employees", "tax-codes"])
    args = parser.parse_args()
    requests.get(f"{BASE}/{args.resource}", …)

`args.resource` then takes one of the listed literals (argparse refuses any other), or the
argument's literal default. Followed only when the module adds exactly one argument with that
destination, its `choices=` is a display of string literals, it takes one value (no `nargs`,
no `action`), and the object read is what `parse_args()` returned (directly, or through a
module function that returns it). Anything else is not bounded (None).
"""

from __future__ import annotations

import ast

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import ModuleFacts, Scope

_PARSES = ("parse_args", "parse_intermixed_args")


def cli_choices(
    node: ast.Attribute, scope: Scope, facts: ModuleFacts, evaluator: Evaluator
) -> tuple[str, list[ast.Constant]] | None:
    """(`--flag` or `name` as written, the literals it can take) for `args.name`."""
    if not isinstance(node.value, ast.Name) or not _parsed(node.value, scope, facts, evaluator):
        return None
    found = [call for call in _arguments(facts) if _dest(call) == node.attr]
    if len(found) != 1:
        return None
    call = found[0]
    keywords = {item.arg: item.value for item in call.keywords}
    if "nargs" in keywords or "action" in keywords or None in keywords:
        return None
    listed = keywords.get("choices")
    if not isinstance(listed, ast.List | ast.Tuple | ast.Set) or not listed.elts:
        return None
    values: list[ast.Constant] = []
    for each in [*listed.elts, *([keywords["default"]] if "default" in keywords else [])]:
        if not isinstance(each, ast.Constant):
            return None
        if each.value is None and each is keywords.get("default"):
            continue  # no value given: the call fails alike before and after
        if not isinstance(each.value, str):
            return None
        values.append(each)
    first = call.args[0]
    written = first.value if isinstance(first, ast.Constant) else node.attr
    return str(written), values


def _arguments(facts: ModuleFacts) -> list[ast.Call]:
    return [
        item.node
        for item in facts.calls
        if isinstance(item.node.func, ast.Attribute) and item.node.func.attr == "add_argument"
    ]


def _dest(call: ast.Call) -> str | None:
    """The attribute argparse stores the argument in (`dest=`, the positional name, or the
    first long option with `-` as `_`)."""
    for item in call.keywords:
        if item.arg == "dest":
            value = item.value
            return value.value if isinstance(value, ast.Constant) and isinstance(
                value.value, str) else None
    names = [arg.value for arg in call.args if isinstance(arg, ast.Constant)]
    if len(names) != len(call.args) or not names or not all(isinstance(n, str) for n in names):
        return None
    texts = [str(name) for name in names]
    if not texts[0].startswith("-"):
        return texts[0]
    long = next((text for text in texts if text.startswith("--")), texts[0])
    return long.lstrip("-").replace("-", "_")


def _parsed(name: ast.Name, scope: Scope, facts: ModuleFacts, evaluator: Evaluator) -> bool:
    """Whether `name` holds what `parse_args()` returned, directly or through a module
    function that returns it (`args = parse_args(argv)`)."""
    bindings = evaluator.bindings(name.id, scope)
    if not bindings or len(bindings) != 1 or not isinstance(bindings[0].value, ast.Call):
        return False
    func = bindings[0].value.func
    if isinstance(func, ast.Attribute):
        return func.attr in _PARSES
    if not isinstance(func, ast.Name):
        return False
    defined = facts.module_scope.bindings.get(func.id) or []
    if len(defined) != 1 or not isinstance(defined[0].stmt, ast.FunctionDef):
        return False
    returns = [node for node in ast.walk(defined[0].stmt) if isinstance(node, ast.Return)]
    return bool(returns) and all(
        isinstance(ret.value, ast.Call)
        and isinstance(ret.value.func, ast.Attribute)
        and ret.value.func.attr in _PARSES
        for ret in returns
    )
