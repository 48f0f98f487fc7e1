"""Hostile cassettes (they come from pull requests): refused fast, exit 2, never expanded
(review D10, D16)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.cli_runner import invoke


def _alias_bomb(where: str) -> str:
    levels = ['  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"  {name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return f"interactions: []\nversion: 1\n{where}:\n" + "\n".join(levels) + "\n"


@pytest.mark.parametrize("where", ["pleo-migrate", "metadata"])
def test_a_yaml_alias_bomb_is_refused_before_expansion(tmp_path: Path, where: str) -> None:
    cassette = tmp_path / "bomb.yaml"
    cassette.write_text(_alias_bomb(where), encoding="utf-8")
    assert cassette.stat().st_size < 1500
    started = time.monotonic()
    for args in (["cassettes", "scan", str(cassette)],
                 ["shadow", "--replay", str(cassette), "--out", str(tmp_path / "o")]):
        result = invoke(args, {"NO_COLOR": "1"})
        assert result.exit_code == 2, result.stderr
        assert "uses a YAML alias" in result.stderr
    assert time.monotonic() - started < 30


def test_a_cassette_with_a_null_response_is_exit_2(tmp_path: Path) -> None:
    cassette = tmp_path / "null.yaml"
    cassette.write_text(
        "interactions:\n- request: {method: GET, uri: 'https://x.test/a', body: null,"
        " headers: {}}\n  response: null\nversion: 1\n", encoding="utf-8")
    result = invoke(["cassettes", "scan", str(cassette)], {"NO_COLOR": "1"})
    assert result.exit_code == 2, result.stderr + result.stdout
    assert "not a readable cassette" in result.stderr
