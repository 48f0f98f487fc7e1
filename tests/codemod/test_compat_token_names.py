"""Compat on token variables named at run time and on clients made by the module's own
functions (defects found by the second hold-out corpus; its rows prove them by execution)."""

from __future__ import annotations

import ast

from tests.codemod.helpers import rewrite

F_STRING = """
import os

import requests


def tax_codes(var="PLEO_TOKEN"):
    h = {"Authorization": f"Bearer {os.environ[var]}"}
    return requests.get("https://openapi.pleo.io/v1/tax-codes", headers=h).json()["taxCodes"]
"""


def test_a_token_read_inside_an_f_string_uses_the_other_quote() -> None:
    after = rewrite(F_STRING, strategy="compat")
    assert "f\"Bearer {os.environ.get(var, '')}\"" in after
    ast.parse(after, feature_version=(3, 11))  # a reused quote only parses from 3.12


CONFIG = """
import configparser
import os

import requests

CONFIG = configparser.ConfigParser()
CONFIG.read_string("[pleo]\\ntoken_variable = PLEO_TOKEN\\ndb = DB_URL\\n")


def client():
    section = CONFIG["pleo"]
    token = os.environ[section["token_variable"]]
    db = os.environ[section["db"]]
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {token}"
    return s, db


def tax_codes():
    return client()[0].get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]
"""


def test_only_the_token_read_is_made_safe_and_a_local_factory_needs_no_todo() -> None:
    after = rewrite(CONFIG, strategy="compat")
    assert 'token = os.environ.get(section["token_variable"], "")' in after
    assert 'db = os.environ[section["db"]]' in after  # not the token: a missing DB_URL still fails
    assert "PLM203" not in after  # `client()` is this module's: its session is the twin's


WITH_FACTORY = """
import os

import requests


def pleo_session():
    s = requests.Session()
    s.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]
    return s


def tax_codes():
    with pleo_session() as s:
        return s.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]
"""


def test_a_session_from_a_local_factory_in_a_with_is_routed_without_todo() -> None:
    after = rewrite(WITH_FACTORY, strategy="compat")
    assert "from migrate.compat import pleo_requests as requests" in after
    assert "PLM203" not in after


ELSEWHERE = """
import requests


def tax_codes(session):
    return session.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]
"""


def test_a_session_passed_in_is_still_flagged() -> None:
    after = rewrite(ELSEWHERE, strategy="compat")
    assert "TODO[pleo-migrate PLM203]" in after
