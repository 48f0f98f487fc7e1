"""Settings precedence (flag > environment > pyproject) and secrets kept out of reprs."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.errors import ConfigurationError
from migrate.settings import load_settings

CANARY = "canary-not-a-real-key-5f2b"


def _project(tmp_path: Path, body: str) -> Path:
    (tmp_path / "pyproject.toml").write_text(f"[tool.pleo-migrate]\n{body}", encoding="utf-8")
    nested = tmp_path / "src" / "pkg"
    nested.mkdir(parents=True)
    return nested


def test_flag_beats_environment_beats_project(tmp_path: Path) -> None:
    cwd = _project(tmp_path, 'env = "staging"\ncompany-id = "from-file"\n')
    settings = load_settings(environ={}, cwd=cwd)
    assert (settings.env, settings.company_id) == ("staging", "from-file")
    settings = load_settings(environ={"PLEO_COMPANY_ID": "from-env"}, cwd=cwd)
    assert settings.company_id == "from-env"
    settings = load_settings({"company_id": "from-flag"}, environ={"PLEO_COMPANY_ID": "x"}, cwd=cwd)
    assert settings.company_id == "from-flag"


def test_relative_mappings_path_is_relative_to_the_project_file(tmp_path: Path) -> None:
    cwd = _project(tmp_path, 'mappings = "our-mappings"\n')
    assert load_settings(environ={}, cwd=cwd).mappings == tmp_path / "our-mappings"


def test_secrets_stay_out_of_repr(tmp_path: Path) -> None:
    settings = load_settings(
        environ={"PLEO_API_KEY": CANARY, "PLEO_LEGACY_TOKEN": CANARY}, cwd=tmp_path
    )
    assert settings.api_key == CANARY
    assert CANARY not in repr(settings) and CANARY not in str(settings)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('api-key = "x"\n', "credentials only come from the environment"),
        ('colour = "red"\n', "unknown setting 'colour'"),
        ('env = "prod"\n', "staging or production"),
        ("env = [\n", r"cannot read \[tool\.pleo-migrate\]"),
    ],
)
def test_bad_project_settings(tmp_path: Path, body: str, message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        load_settings(environ={}, cwd=_project(tmp_path, body))
