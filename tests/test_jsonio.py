"""The hot-path JSON module: orjson and the standard library write the same bytes."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from migrate import jsonio
from migrate.mapping import load_catalogue

pytestmark = pytest.mark.skipif(not jsonio.FAST, reason="orjson (the `fast` extra) not installed")


def _bodies() -> list[Any]:
    bodies: list[Any] = []
    for operation in load_catalogue():
        for example in operation.examples:
            if example.direction != "path":
                bodies += [example.legacy, example.new]
    return bodies


ODD = [
    {"name": "Zoë Ångström", "note": "tab\there, quote \" backslash \\ nul \x00 \x1f \u2028"},
    {"amount": 12.5, "whole": 100.0, "neg": -0.0, "big": 1e16, "tiny": 5e-324, "max": 2**63},
    [None, True, False, [], {}, "", 0, -1, 1.7976931348623157e308],
    {"nested": [{"a": [1, 2, {"b": None}]}]},
]


@pytest.mark.parametrize("value", _bodies() + ODD)
def test_both_backends_write_the_same_bytes_and_read_the_same_value(value: Any) -> None:
    fast = jsonio.fast_dumps(value)
    assert fast == jsonio.std_dumps(value)
    assert jsonio.fast_loads(fast) == jsonio.std_loads(fast) == value


def test_the_output_is_compact_utf8_text() -> None:
    assert jsonio.dumps({"a": ["Zoë", 1]}) == '{"a":["Zoë",1]}'.encode()


def test_an_integer_beyond_64_bits_is_written_alike_and_read_as_a_number() -> None:
    """The documented difference: orjson reads it as a float (no Pleo body holds one)."""
    value = {"huge": 10**30}
    written = b'{"huge":1' + b"0" * 30 + b"}"
    assert jsonio.fast_dumps(value) == jsonio.std_dumps(value) == written
    assert jsonio.fast_loads(jsonio.fast_dumps(value))["huge"] == pytest.approx(1e30)


def test_what_orjson_refuses_falls_back_to_the_standard_library() -> None:
    assert jsonio.fast_dumps({1: "x"}) == b'{"1":"x"}'  # a non-text key
    assert jsonio.fast_loads(b'{"x": NaN}')["x"] != 0  # NaN is read, as json reads it
    assert jsonio.fast_loads('"\\ud800"') == json.loads('"\\ud800"')  # a lone surrogate
    with pytest.raises(ValueError):
        jsonio.fast_loads(b'{"truncated": ')


def test_without_orjson_the_standard_library_serves_alone() -> None:
    code = (
        "import sys; sys.modules['orjson'] = None\n"
        "from migrate import jsonio\n"
        "assert not jsonio.FAST and jsonio.dumps is jsonio.std_dumps\n"
        "print(jsonio.dumps({'name': 'Zoë', 'n': [1, 2.5, None]}).decode())\n"
        "print(jsonio.loads(b'{\"a\": 1}'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.splitlines() == ['{"name":"Zoë","n":[1,2.5,null]}', "{'a': 1}"]
