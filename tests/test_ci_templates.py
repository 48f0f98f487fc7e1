"""The CI templates in docs/ci: valid YAML, secrets kept off command lines, and every
`pleo-migrate` command they run parsed by the real command line (options, values, subcommands).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from migrate.cli import app

CI = Path(__file__).resolve().parent.parent / "docs" / "ci"
GITHUB = CI / "github-actions.yml"
GITLAB = CI / "gitlab-ci.yml"
SECRETS = ("PLEO_LEGACY_TOKEN", "PLEO_API_KEY")
SEPARATORS = {";", "&&", "||", "|", "&", ">", ">>", "<", ">&", "(", ")"}
VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?")


def _load(path: Path) -> dict[Any, Any]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _github_scripts() -> Iterator[str]:
    for job in _load(GITHUB)["jobs"].values():
        for step in job["steps"]:
            if "run" in step:
                yield step["run"]


def _gitlab_scripts() -> Iterator[str]:
    for name, job in _load(GITLAB).items():
        if isinstance(job, dict) and name not in ("variables", "default"):
            for key in ("before_script", "script", "after_script"):
                yield from job.get(key, [])


def _commands(script: str, variables: dict[str, str]) -> Iterator[list[str]]:
    """Each `pleo-migrate …` invocation's arguments, with the template's variables filled in."""
    script = script.replace("\\\n", " ")
    for line in script.splitlines():
        lexer = shlex.shlex(line, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        tokens = list(lexer)
        for start, token in enumerate(tokens):
            if token != "pleo-migrate":
                continue
            args: list[str] = []
            for item in tokens[start + 1 :]:
                if item in SEPARATORS:
                    break
                args.append(VARIABLE.sub(lambda m: variables.get(m.group(1), m.group(0)), item))
            if args and args[-1].isdigit():  # the "2" of "2>"
                args.pop()
            yield args


def _parse(args: list[str]) -> typer.Context:
    """Parse like `pleo-migrate ARGS` would, down to the subcommand, without running it."""
    command = typer.main.get_command(app)
    context = typer.Context(command, info_name="pleo-migrate")
    rest = list(args)
    while hasattr(command, "list_commands"):  # a group: the next word names a command
        name, *rest = rest
        sub = command.get_command(context, name)
        assert sub is not None, f"no such command: {name}"
        if hasattr(sub, "list_commands"):
            command, context = sub, typer.Context(sub, info_name=name, parent=context)
        else:
            command, context = sub, sub.make_context(name, rest, parent=context)
    return context


TEMPLATES = {
    "github": (GITHUB, _github_scripts, {"SCAN_PATHS": "."}),
    "gitlab": (
        GITLAB,
        _gitlab_scripts,
        {"SCAN_PATHS": ".", "PLEO_LEGACY_TOKEN_FILE": "legacy.token", "PLEO_API_KEY_FILE": "key"},
    ),
}


def _all_commands(name: str) -> list[list[str]]:
    _, scripts, variables = TEMPLATES[name]
    return [args for script in scripts() for args in _commands(script, variables)]


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_pleo_migrate_command_parses(name: str) -> None:
    commands = _all_commands(name)
    used = {args[0] for args in commands}
    assert used == {"scan", "shadow", "report"}, used
    for args in commands:
        context = _parse(args)
        assert context.command.name == args[0]


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_gate_and_the_artifacts(name: str) -> None:
    commands = _all_commands(name)
    shadow = next(_parse(args) for args in commands if args[0] == "shadow")
    assert shadow.params["env"] == "staging"
    assert shadow.params["fail_under"] < 100
    assert str(shadow.params["from_scan"]) == "scan.json"
    formats = {str(_parse(args).params["output_format"]) for args in commands if args[0] == "scan"}
    assert formats == {"sarif", "json"}
    text = TEMPLATES[name][0].read_text(encoding="utf-8")
    assert f"{shadow.params['out']}/junit.xml" in text


def test_the_parser_would_catch_a_wrong_flag() -> None:
    with pytest.raises(typer.TyperException):
        _parse(["shadow", "--env", "staging", "--fail-below", "99"])
    with pytest.raises(typer.TyperException):
        _parse(["scan", "--output-format", "html", "."])
    with pytest.raises(AssertionError, match="no such command"):
        _parse(["shadows"])


@pytest.mark.parametrize("name", TEMPLATES)
def test_no_secret_on_a_command_line(name: str) -> None:
    _, scripts, _ = TEMPLATES[name]
    for script in scripts():
        assert "secrets." not in script
        for secret in SECRETS:
            assert not re.search(rf"\${{?{secret}\b(?!_FILE)", script), script


def test_github_workflow_shape() -> None:
    workflow = _load(GITHUB)
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as true
    assert {"push", "pull_request"} <= set(triggers)
    jobs = workflow["jobs"]
    assert set(jobs) == {"scan", "shadow", "report"}
    uses = [step.get("uses", "") for job in jobs.values() for step in job["steps"]]
    assert any(use.startswith("github/codeql-action/upload-sarif@") for use in uses)
    assert jobs["scan"]["permissions"]["security-events"] == "write"
    assert jobs["shadow"]["environment"] == "staging"
    assert set(jobs["shadow"]["env"]) >= set(SECRETS)
    for job in jobs.values():
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), step
            assert "uses" not in step or "@" in step["uses"], step


def test_gitlab_pipeline_shape() -> None:
    pipeline = _load(GITLAB)
    stages = pipeline["stages"]
    jobs = {name: job for name, job in pipeline.items() if name.startswith("pleo-migrate-")}
    assert set(jobs) == {"pleo-migrate-scan", "pleo-migrate-shadow", "pleo-migrate-report"}
    for job in jobs.values():
        assert job["stage"] in stages and job["script"]
        assert job["extends"] in pipeline
    shadow = jobs["pleo-migrate-shadow"]
    assert shadow["artifacts"]["reports"]["junit"] == "reports/shadow/junit.xml"
    assert shadow["environment"]["name"] == "staging"
    assert "reports/pleo-migrate/" in jobs["pleo-migrate-report"]["artifacts"]["paths"]
