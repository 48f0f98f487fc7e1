"""Adding and removing imports, and a module-level statement after the imports.

Line edits located with the `ast` tree (Python's own parser, in C): an added import goes on
its own line after the module's leading docstring and imports, an unused `import X` line is
dropped. A libcst pass over the whole tree for each import cost ~90 % of a compat rewrite
(performance review, section 4), for the same lines.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Sequence

from migrate.codemod.text.source import line_ending, split_lines


class ImportProblem(Exception):
    """The edited module does not parse, so imports cannot be changed safely."""


def add_imports(text: str, wanted: Sequence[tuple[str, str | None]]) -> str:
    """`text` with `import module` / `from module import name` added where missing."""
    try:
        tree = ast.parse(text)
    except SyntaxError as problem:
        raise ImportProblem(f"the edited code does not parse: {problem.msg}") from None
    missing = [item for item in wanted if not _present(tree, *item)]
    if not missing:
        return text
    plain = sorted({module for module, name in missing if name is None})
    names: dict[str, list[str]] = {}
    for module, name in missing:
        if name is not None and name not in names.setdefault(module, []):
            names[module].append(name)
    grouped = {module: _stdlib_line(tree, module) for module in plain}
    statements = [f"import {module}" for module in plain if grouped[module] is None] + [
        f"from {module} import {', '.join(sorted(found))}"
        for module, found in sorted(names.items())
    ]
    text = _insert_lines(tree, text, statements) if statements else text
    placed = sorted(((line, m) for m, line in grouped.items() if line is not None), reverse=True)
    if placed:
        lines = split_lines(text)
        ending = next((line_ending(line) for line in lines if line_ending(line)), "\n")
        for line, module in placed:  # from the bottom up: the line numbers above stay true
            lines.insert(line, f"import {module}{ending}")
        text = "".join(lines)
    return text


def _stdlib_line(tree: ast.Module, module: str) -> int | None:
    """Where `import module` of the standard library goes among the module's own standard
    library imports, as isort would put it (the line it goes after; None: no such group)."""
    if module.split(".")[0] not in sys.stdlib_module_names:
        return None
    block = []
    for node in tree.body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            block.append(node)
        elif block or not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            break
    plain = [
        node
        for node in block
        if isinstance(node, ast.Import)
        and all(alias.name.split(".")[0] in sys.stdlib_module_names for alias in node.names)
    ]
    if not plain:
        return None
    before = [node for node in plain if node.names[0].name <= module]
    if before:
        return before[-1].end_lineno or before[-1].lineno
    return plain[0].lineno - 1


def _insert_lines(tree: ast.Module, text: str, statements: list[str]) -> str:
    lines = split_lines(text)
    after = _after_imports(tree)
    ending = next((line_ending(line) for line in lines if line_ending(line)), "\n")
    if 0 < after <= len(lines):
        ending = line_ending(lines[after - 1]) or ending
        if not line_ending(lines[after - 1]):
            lines[after - 1] += ending
    for offset, statement in enumerate(statements):
        lines.insert(after + offset, statement + ending)
    end = after + len(statements)
    first_imports = not any(isinstance(node, ast.Import | ast.ImportFrom) for node in tree.body)
    if first_imports and end < len(lines) and lines[end].strip():
        lines.insert(end, ending)  # a new import block is set off from the code below
    return "".join(lines)


def _after_imports(tree: ast.Module) -> int:
    """The line after which module-level statements may go: past docstring and imports."""
    after = 0
    for node in tree.body:
        docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        if isinstance(node, ast.Import | ast.ImportFrom) or (docstring and after == 0):
            after = node.end_lineno or node.lineno
        else:
            break
    return after


def _present(tree: ast.Module, module: str, name: str | None) -> bool:
    for node in tree.body:
        if name is None and isinstance(node, ast.Import):
            found = any(alias.name == module and not alias.asname for alias in node.names)
        elif name is not None and isinstance(node, ast.ImportFrom) and node.module == module:
            found = any(alias.name == name and not alias.asname for alias in node.names)
        else:
            found = False
        if found:
            return True
    return False


def add_statement(text: str, code: str, newline: str) -> str:
    """`code` on its own line after the module's leading imports (once)."""
    tree = ast.parse(text)
    target = code.split("=", 1)[0].strip()
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == target for t in node.targets
        ):
            return text
    after = _after_imports(tree)
    lines = split_lines(text)  # not str.splitlines: it also splits on form feeds
    if after and lines and not lines[after - 1].endswith(("\n", "\r")):
        lines[after - 1] += newline
    lines.insert(after, code + newline)
    return "".join(lines)


def remove_unused(text: str, modules: Sequence[str]) -> str:
    """`text` without the `import module` statements that nothing uses any more: a whole
    statement's lines when it imports only that, the name alone from a one-line
    `import a, module`; an import inside a block or with an alias stays."""
    try:
        tree = ast.parse(text)
    except SyntaxError as problem:
        raise ImportProblem(f"the edited code does not parse: {problem.msg}") from None
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    unused = {module for module in modules if module not in used}
    if not unused:
        return text
    lines = split_lines(text)
    for node in reversed(tree.body):
        if not isinstance(node, ast.Import):
            continue
        kept = [a for a in node.names if a.asname or a.name not in unused]
        if len(kept) == len(node.names):
            continue
        first, last = node.lineno, node.end_lineno or node.lineno
        if not kept:
            if _alone(lines, node):
                del lines[first - 1 : last]
                if 1 < first <= len(lines) + 1 and _blank_around(lines, first):
                    del lines[first - 2]
        elif first == last and _alone(lines, node):
            line = lines[first - 1]
            names = ", ".join(a.name if not a.asname else f"{a.name} as {a.asname}" for a in kept)
            indent = line[: node.col_offset]
            lines[first - 1] = f"{indent}import {names}{line_ending(line)}"
    return "".join(lines)


def _alone(lines: list[str], node: ast.stmt) -> bool:
    """Whether the statement has its lines to itself (no `;`, no trailing comment)."""
    first, last = node.lineno, node.end_lineno or node.lineno
    before = lines[first - 1][: node.col_offset]
    after = lines[last - 1][node.end_col_offset or 0 :]
    return not before.strip() and not after.strip()


def _blank_around(lines: list[str], first: int) -> bool:
    """A blank line above the removed statement that now only doubles the one below it
    (or ends the imports): drop it too, as an editor would."""
    above = lines[first - 2]
    below = lines[first - 1] if first - 1 < len(lines) else ""
    return not above.strip() and (not below.strip() or first - 1 >= len(lines))
