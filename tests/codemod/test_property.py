"""Property: generated modules with legacy URLs spliced into their string literals never crash
the codemod; whatever it writes compiles, and a second run changes nothing."""

from __future__ import annotations

import io
import tokenize

import hypothesmith
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.codemod.helpers import result_for

URLS = [
    "https://openapi.pleo.io/v1/expenses",
    "https://openapi.pleo.io/v1/employees/e-1",
    "https://openapi.staging.pleo.io/v1",
    "https://openapi.pleo.io/v1/teams",
    "https://openapi.pleo.io/v1/tag-groups/g/tags/t",
]
TAIL = (
    "\nimport requests\n"
    'requests.get("https://openapi.pleo.io/v1/employees?pageSize=5").json()["employees"]\n'
)


def _splice(source: str, choices: list[int]) -> str:
    """`source` with some string literals replaced by legacy URLs (as plain literals)."""
    try:
        tokens = [
            t
            for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.STRING
        ]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return source
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    edits = []
    for index, choice in enumerate(choices):
        if index < len(tokens):
            token = tokens[index]
            start = starts[token.start[0] - 1] + token.start[1]
            end = starts[token.end[0] - 1] + token.end[1]
            edits.append((start, end, repr(URLS[choice % len(URLS)])))
    for start, end, text in sorted(edits, reverse=True):
        source = source[:start] + text + source[end:]
    return source


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(
    generated=hypothesmith.from_grammar(auto_target=False),
    choices=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=4),
    strategy=st.sampled_from(["native", "compat"]),
)
def test_no_crash_output_compiles_idempotent(
    generated: str, choices: list[int], strategy: str
) -> None:
    spliced = _splice(generated, choices)
    source = spliced + ("" if spliced.endswith("\n") else "\n") + TAIL
    first = result_for(source.encode(), strategy=strategy)  # type: ignore[arg-type]
    assert first is not None
    assert "internal error" not in (first.reason or ""), first.reason
    assert "second run" not in (first.reason or ""), first.reason
    assert first.sites or first.status == "failed"  # the spliced-in call is always seen
    if first.status != "changed":
        return
    assert first.new_bytes is not None
    compile(first.new_bytes, "generated.py", "exec", dont_inherit=True)
    second = result_for(first.new_bytes, strategy=strategy)  # type: ignore[arg-type]
    assert second is None or second.status == "unchanged", second
