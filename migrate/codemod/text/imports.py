"""Adding imports (with libcst's own helper) and a module-level statement after the imports.

Only this step parses with libcst, and only for files that gained a name to import, so the
cost of a concrete syntax tree is paid where it buys something: libcst knows where imports go
(after the docstring and `__future__` imports) and merges into an existing `from` import.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst
from libcst.codemod import CodemodContext
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

from migrate.codemod.text.source import line_ending, split_lines


class ImportProblem(Exception):
    """libcst could not parse the edited module, so imports cannot be added safely."""


def add_imports(text: str, wanted: Sequence[tuple[str, str | None]]) -> str:
    """`text` with `import module` / `from module import name` added where missing."""
    try:
        tree = ast.parse(text)
    except SyntaxError as problem:
        raise ImportProblem(f"the edited code does not parse: {problem.msg}") from None
    missing = [item for item in wanted if not _present(tree, *item)]
    if not missing:
        return text
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        module = None
    if module is None or module.code != text:
        # libcst would not give this text back byte for byte (lone CR or mixed line ends,
        # form feeds in indentation): put plain import lines after the leading imports.
        return _insert_lines(tree, text, [_statement(*item) for item in missing])
    context = CodemodContext()
    for module_name, name in missing:
        AddImportsVisitor.add_needed_import(context, module_name, name)
    return module.visit(AddImportsVisitor(context)).code


def _statement(module: str, name: str | None) -> str:
    return f"import {module}" if name is None else f"from {module} import {name}"


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
    """`text` without `import module` statements that nothing uses any more."""
    tree = ast.parse(text)
    used = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    unused = [
        module
        for module in modules
        if module not in used
        and any(
            isinstance(node, ast.Import)
            and any(a.name == module and not a.asname for a in node.names)
            for node in tree.body
        )
    ]
    if not unused:
        return text
    try:
        wrapper = cst.MetadataWrapper(cst.parse_module(text))
    except cst.ParserSyntaxError as problem:
        raise ImportProblem(f"libcst cannot parse the module: {problem.message}") from None
    context = CodemodContext(wrapper=wrapper)
    for module in unused:
        RemoveImportsVisitor.remove_unused_import(context, module)
    return wrapper.visit(RemoveImportsVisitor(context)).code
