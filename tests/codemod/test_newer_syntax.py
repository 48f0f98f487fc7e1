"""Files this Python cannot parse: newer syntax is skipped with the version it needs, deep
nesting is a parse (or analysis) failure; neither is ever an internal error, and a run that
could not read a file that mentions Pleo does not call the code clean (exit 1)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from migrate.codemod import Job
from migrate.codemod.one_file import newer_syntax, process_bytes
from tests.cli_runner import invoke

CALL = '\nrequests.get("https://openapi.pleo.io/v1/employees").json()\n'
NEWER = {
    "type_statement.py": ("import requests\n\ntype Url = str\n", "3.12", 3),
    "generic_alias.py": ("import requests\ntype Pair[T] = tuple[T, T]\n", "3.12", 2),
    "generic_def.py": ("import requests\n\n\ndef first[T](xs: list[T]) -> T:\n    return xs[0]\n",
                       "3.12", 4),
    "generic_class.py": ("import requests\n\n\nclass Box[T]:\n    pass\n", "3.12", 4),
    "fstring_quotes.py": ('import requests\nrow = {"a": 1}\nx = f"{row["a"]}"\n', "3.12", 3),
    "fstring_backslash.py": ("import requests\nx = f'{\"\\n\".join(rows)}'\n", "3.12", 2),
    "template.py": ('import requests\nname = "x"\nx = t"hello {name}"\n', "3.14", 3),
    "bare_excepts.py": ("import requests\ntry:\n    pass\nexcept ValueError, TypeError:\n"
                        "    pass\n", "3.14", 4),
}


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the interpreter reads 3.12 syntax")
@pytest.mark.parametrize("name", sorted(NEWER))
def test_newer_syntax_is_skipped_with_the_version_it_needs(name: str) -> None:
    text, version, line = NEWER[name]
    result = process_bytes(name, (text + CALL).encode(), Job("scan", "native"))
    assert result is not None and result.status == "skipped", result
    assert (result.reason or "").startswith(f"needs Python {version} (")
    assert "run pleo-migrate with Python" in (result.reason or "")
    assert result.line == line and result.unread


@pytest.mark.parametrize(
    "text",
    [
        'requests.get("https://openapi.pleo.io/v1/x"\n',  # never closed
        "def f(:\n    pass\n",
        "type = 3\ntype Url str\n",  # `type` as a name, then nonsense
        "x = t + 'pleo' 'a' b\n",
        "try:\n    pass\nexcept ValueError, TypeError as e:\n    pass\n",  # not even in 3.14
    ],
)
def test_a_plain_syntax_error_is_still_a_parse_failure(text: str) -> None:
    result = process_bytes("bad.py", ("import requests  # pleo\n" + text).encode(),
                           Job("scan", "native"))
    assert result is not None and result.status == "failed"
    assert (result.reason or "").startswith("cannot parse: ")


def test_the_version_is_compared_with_the_running_python() -> None:
    try:
        ast.parse("type Url = str\n")
    except SyntaxError as error:
        assert newer_syntax(error, running=(3, 11)) is not None
        assert newer_syntax(error, running=(3, 12)) is None  # a real error there: not skipped
    else:
        pytest.skip("this Python reads `type` statements")


def _deep(root: Path) -> dict[str, str]:
    files = {
        "chain2000.py": "x = " + " + ".join(["URL"] * 2000) + "\n",  # parses, too deep to walk
        "chain9000.py": "x = " + " + ".join(["URL"] * 9000) + "\n",  # too deep to parse
        "parens.py": "x = " + "(" * 250 + "1" + ")" * 250 + "\n",
        "nested_list.py": "x = " + "[" * 150 + "1" + "]" * 150 + "\n",
    }
    for name, body in files.items():
        (root / name).write_text(
            'import requests\nURL = "https://openapi.pleo.io/v1/employees"\n' + body
            + "requests.get(x)\n",
            encoding="utf-8",
        )
    return files


@pytest.mark.parametrize("command", [["scan"], ["rewrite", "--check"]])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_deep_nesting_is_a_failure_never_an_internal_error(
    tmp_path: Path, command: list[str], jobs: str
) -> None:
    _deep(tmp_path)
    result = invoke([*command, "--jobs", jobs, str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert any("chain2000.py:1: cannot" in line and "nested too deeply" in line for line in lines)
    assert any("chain9000.py:1: cannot parse: nested too deeply" in line for line in lines)
    assert any("parens.py:3: cannot parse: too many nested parentheses" in line for line in lines)
    assert not any("nested_list.py" in line and "cannot" in line for line in lines)


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="the interpreter reads 3.12 syntax")
def test_scan_and_rewrite_report_newer_syntax_and_exit_1(tmp_path: Path) -> None:
    (tmp_path / "typed.py").write_text(NEWER["type_statement.py"][0] + CALL, encoding="utf-8")
    scan = invoke(["scan", str(tmp_path)])
    assert scan.exit_code == 1  # code that may call the legacy API was not read
    assert f"{tmp_path / 'typed.py'}:3: skipped: needs Python 3.12 (a type statement)" in (
        scan.stderr
    )
    assert "0 files failed; 1 file needs a newer Python" in scan.stderr
    rewrite = invoke(["rewrite", "--check", str(tmp_path)])
    assert rewrite.exit_code == 1 and "1 skipped, 0 failed" in rewrite.stderr
    (tmp_path / "typed.py").write_text("# @generated\n" + CALL, encoding="utf-8")
    assert invoke(["scan", str(tmp_path)]).exit_code == 0  # a generated file: skipped, clean
