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


# --- the one resolver: every field, every layer ------------------------------------------------

# (field, variable, pyproject key): settings a project file may hold.
PLAIN = [
    ("company_id", "PLEO_COMPANY_ID", "company-id"),
    ("new_base_url", "PLEO_NEW_API_URL", "new-base-url"),
    ("legacy_base_url", "PLEO_LEGACY_URL", "legacy-base-url"),
]
SECRETS = [
    ("legacy_token", "PLEO_LEGACY_TOKEN", "legacy-token"),
    ("api_key", "PLEO_API_KEY", "api-key"),
    ("oauth_token", "PLEO_OAUTH_TOKEN", "oauth-token"),
]


@pytest.mark.parametrize(("name", "variable", "key"), PLAIN)
def test_each_setting_takes_flag_then_environment_then_project(
    tmp_path: Path, name: str, variable: str, key: str
) -> None:
    cwd = _project(tmp_path, f'{key} = "from-file"\n')
    assert getattr(load_settings(environ={}, cwd=cwd), name) == "from-file"
    environ = {variable: "from-env"}
    assert getattr(load_settings(environ=environ, cwd=cwd), name) == "from-env"
    flagged = load_settings({name: "from-flag"}, environ=environ, cwd=cwd)
    assert getattr(flagged, name) == "from-flag"


def test_environment_takes_flag_then_environment_then_project(tmp_path: Path) -> None:
    cwd = _project(tmp_path, 'env = "staging"\n')
    assert load_settings(environ={}, cwd=cwd).env == "staging"
    environ = {"PLEO_ENV": "production"}
    assert load_settings(environ=environ, cwd=cwd).env == "production"
    assert load_settings({"env": "staging"}, environ=environ, cwd=cwd).env == "staging"
    assert load_settings(environ={}, read_project=False).env == "production"


@pytest.mark.parametrize(("name", "variable", "key"), SECRETS)
def test_each_secret_takes_flag_then_environment_never_the_project(
    tmp_path: Path, name: str, variable: str, key: str
) -> None:
    assert getattr(load_settings(environ={variable: CANARY}, cwd=tmp_path), name) == CANARY
    flagged = load_settings({name: "from-flag"}, environ={variable: CANARY}, cwd=tmp_path)
    assert getattr(flagged, name) == "from-flag"
    with pytest.raises(ConfigurationError, match="credentials only come from the environment"):
        load_settings(environ={}, cwd=_project(tmp_path, f'{key} = "x"\n'))


@pytest.mark.parametrize(("name", "variable", "key"), SECRETS)
def test_no_secret_reaches_a_repr(tmp_path: Path, name: str, variable: str, key: str) -> None:
    for settings in (
        load_settings(environ={variable: CANARY}, cwd=tmp_path),
        load_settings({name: CANARY}, environ={}, cwd=tmp_path),
    ):
        assert getattr(settings, name) == CANARY
        assert CANARY not in repr(settings) and CANARY not in str(settings)


def test_the_new_api_credential_is_resolved_as_one_unit(tmp_path: Path) -> None:
    both = {"PLEO_API_KEY": "env-key", "PLEO_OAUTH_TOKEN": "env-oauth"}
    settings = load_settings(environ=both, cwd=tmp_path)
    assert (settings.api_key, settings.oauth_token) == ("env-key", None)
    settings = load_settings({"oauth_token": "flag-oauth"}, environ=both, cwd=tmp_path)
    assert (settings.api_key, settings.oauth_token) == (None, "flag-oauth")
    settings = load_settings(environ={"PLEO_OAUTH_TOKEN": "env-oauth"}, cwd=tmp_path)
    assert (settings.api_key, settings.oauth_token) == (None, "env-oauth")
    with pytest.raises(ConfigurationError, match="not both"):
        load_settings({"api_key": "k", "oauth_token": "o"}, environ={}, cwd=tmp_path)


def test_the_library_does_not_read_the_project_file(tmp_path: Path) -> None:
    cwd = _project(tmp_path, 'env = "staging"\ncolour = "red"\n')  # unknown key: would fail
    settings = load_settings(environ={}, cwd=cwd, read_project=False)
    assert (settings.env, settings.project_file) == ("production", None)
