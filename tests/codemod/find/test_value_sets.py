"""`find/value_sets.py`: which values a run-time part of a URL can take, and why a set is open."""

from __future__ import annotations

import ast
import textwrap

import pytest

from migrate.codemod.find.collect import collect
from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.value_sets import ValueSet, ValueSets


def _value_set(source: str, expression: str) -> ValueSet | None:
    """The value set of the first `expression` (as written) read in an HTTP call's URL."""
    tree = ast.parse(textwrap.dedent(source))
    facts = collect(tree)
    sets = ValueSets(facts, Evaluator(facts))
    for call in facts.calls:
        for node in ast.walk(call.node):
            if isinstance(node, ast.expr) and ast.unparse(node) == expression and (
                call.node.args and node is not call.node
            ):
                return sets.of(node, call.scope)
    raise AssertionError(f"{expression} is read by no call")


PRIVATE = textwrap.dedent("""
    def _fetch(resource, ident):
        return requests.get(f"{BASE}/{resource}/{ident}")

    def one(x):
        return _fetch("employees", x)

    def two(x):
        return _fetch(resource="tax-codes", ident=x)
""")


def test_a_private_function_takes_the_literal_each_caller_passes() -> None:
    found = _value_set(PRIVATE, "resource")
    assert found is not None and found.unknown is None
    assert found.values == ("employees", "tax-codes")
    assert found.origin == "the callers of `_fetch`"


def test_a_method_takes_the_literal_of_each_self_call_and_the_default() -> None:
    source = """
        class Client:
            def _list(self, resource, key="employees"):
                return self.session.get(self.base + "/" + resource)

            def employees(self):
                return self._list("employees")

            def accounts(self):
                return self._list("accounts", "accounts")
    """
    found = _value_set(source, "resource")
    assert found is not None and found.values == ("employees", "accounts")


@pytest.mark.parametrize(
    ("source", "why"),
    [
        (PRIVATE.replace("_fetch", "fetch") + "\ndef three(kind):\n    return fetch(kind, 1)\n",
         "`fetch` is public"),
        (PRIVATE + "\ndef three(kind):\n    return _fetch(kind, 1)\n", "line 12 passes `kind`"),
        (PRIVATE + "\nHANDLERS = [_fetch]\n", "`_fetch` is passed on at line 11"),
        (PRIVATE + "\ndef four():\n    return _fetch(*ARGS)\n", "line 12 passes *args"),
    ],
    ids=["public", "a name", "passed on", "star-args"],
)
def test_an_open_set_names_the_caller_or_use_that_opens_it(source: str, why: str) -> None:
    found = _value_set(source, "resource")
    assert found is not None and found.choices == () and found.unknown == why


def test_a_public_function_stays_open_but_lists_the_literals_its_module_passes() -> None:
    """Callers elsewhere may pass any path (the set stays open, the call is held), but the
    module's own calls name the operations it reaches (for `scan`)."""
    found = _value_set(PRIVATE.replace("_fetch", "fetch"), "resource")
    assert found is not None and found.unknown == "`fetch` is public"
    assert found.values == ("employees", "tax-codes")


DICT = textwrap.dedent("""
    ENDPOINTS = {
        "people": ("/v1/employees", "employees"),
        "vat": ("/v1/tax-codes", "taxCodes"),
    }

    def dump(what):
        path, key = ENDPOINTS[what]
        return requests.get(BASE + path).json()[key]
""")


def test_a_tuple_unpacked_from_a_module_dict_takes_every_entry() -> None:
    found = _value_set(DICT, "path")
    assert found is not None and found.values == ("/v1/employees", "/v1/tax-codes")
    assert found.origin == "`ENDPOINTS`"


def test_a_dict_changed_anywhere_is_an_open_set() -> None:
    found = _value_set(DICT + '\nENDPOINTS["x"] = ("/v1/x", "x")\n', "path")
    assert found is not None and found.unknown == "`ENDPOINTS` is changed at line 11"
    found = _value_set(DICT + '\nENDPOINTS.update(EXTRA)\n', "path")
    assert found is not None and found.unknown == "`ENDPOINTS` is changed at line 11"


def test_a_nested_lookup_and_a_literal_key_pick_their_part() -> None:
    source = """
        STREAMS = {"employees": {"path": "employees"}, "accounts": {"path": "accounts"}}

        def accounts():
            return requests.get(BASE_URL + STREAMS["accounts"]["path"])
    """
    found = _value_set(source, "STREAMS['accounts']['path']")
    assert found is not None and found.values == ("accounts",)


def test_a_loop_over_a_dict_takes_its_keys() -> None:
    source = """
        STREAMS = {"employees": True, "tax-codes": False}

        def sync():
            for stream in STREAMS:
                requests.get(f"{BASE_URL}{stream}")
    """
    found = _value_set(source, "stream")
    assert found is not None and found.values == ("employees", "tax-codes")


CLASSES = textwrap.dedent("""
    class Resource:
        path: str = ""
        list_key = None

        @classmethod
        def retrieve(cls, ident):
            return requests.get(f"{API}{cls.path}/{ident}")

    class Employee(Resource):
        path = "/employees"

    class Person(Employee):
        pass

    class TaxCode(Resource):
        path = "/tax-codes"
""")


def test_a_class_attribute_takes_the_value_of_every_subclass() -> None:
    found = _value_set(CLASSES, "cls.path")
    assert found is not None and found.values == ("/employees", "/tax-codes")
    assert found.origin == "the subclasses of `Resource`"  # the empty placeholder is none


def test_a_class_attribute_also_set_on_instances_is_an_open_set() -> None:
    source = CLASSES + "\ndef hack(r):\n    r.path = '/cards'\n"
    found = _value_set(source, "cls.path")
    assert found is not None and found.unknown == "`path` is also set at line 20"


def test_a_name_from_elsewhere_is_no_set_at_all() -> None:
    source = """
        def fetch():
            path = compute()
            return requests.get(BASE + path)
    """
    assert _value_set(source, "path") is None
