"""A body decoded by hand (`json.loads(r.text)`, `json.loads(r.content)`,
`json.loads(r.content.decode("utf-8"))`) is read as `r.json()` is: its envelope moves with the
call. Run as the corpus harness does: the original against the legacy simulator, the rewrite
against the new one only.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite

FUNCTIONS = '''
"""Lookups with requests, decoding the text by hand."""

import json
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def employee_email(employee_id):
    r = requests.get(f"{BASE}/employees/{employee_id}", headers=HEADERS)
    r.raise_for_status()
    data = json.loads(r.text)
    return data["email"]


def tax_code_name(code_id):
    resp = requests.get(BASE + "/tax-codes/" + code_id, headers=HEADERS)
    return json.loads(resp.content)["name"]
'''

CLIENT = '''
"""An httpx wrapper that decodes the bytes itself."""

import json
import os

import httpx


class Directory:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.client = httpx.Client(
            base_url="https://openapi.pleo.io/v1", headers={"Authorization": f"Bearer {token}"}
        )

    def email(self, employee_id):
        response = self.client.get(f"/employees/{employee_id}")
        body = json.loads(response.content.decode("utf-8"))
        return body["email"]
'''

RUNS = {
    "functions": (
        FUNCTIONS,
        None,
        (
            Call("employee_email", ("employees.get",), ("@employee",)),
            Call("tax_code_name", ("tax-codes.get",), ("@tax_code",)),
        ),
    ),
    "client": (CLIENT, "Directory", (Call("email", ("employees.get",), ("@employee",)),)),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_a_body_decoded_by_hand_moves_with_its_call(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    assert "openapi.pleo.io" not in done.rewrite.source
    for call in calls:
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "native", call.label)


@pytest.mark.parametrize(
    "decoded", ["json.loads(r.text)", "json.loads(r.content)", "json.loads(r.content.decode())"]
)
def test_a_decoded_body_is_rewritten_exactly_as_r_json(decoded: str) -> None:
    """Whatever the rewrite does with `r.json()` (here: the body handed back whole, so its
    record is unwrapped and PLM109 notes the callers), it does with the body decoded by hand."""
    source = """
    import json

    import requests


    def employee(employee_id):
        r = requests.get(f"https://openapi.pleo.io/v1/employees/{employee_id}")
        return r.json()
    """
    by_hand = rewrite(source.replace("r.json()", decoded))
    assert by_hand == rewrite(source).replace("r.json()", decoded)
    assert f'return {decoded}["data"]' in by_hand
