"""The pytest plugin (`migrate.pytest_plugin`), exercised as a user's test run sees it."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from importlib.metadata import entry_points

import pytest

pytest_plugins = ["pytester"]

HEAVY = ("httpx", "starlette", "uvicorn", "migrate.simulator", "migrate.compat", "libcst")


def test_the_pytest11_entry_point_names_the_plugin() -> None:
    plugins = {entry.name: entry.value for entry in entry_points(group="pytest11")}
    assert plugins.get("pleo-migrate") == "migrate.pytest_plugin"


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    code = (
        "import sys, migrate.pytest_plugin\n"
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_a_project_that_does_not_use_it_runs_as_before(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        f"""
        import sys, threading

        def test_plain():
            assert [m for m in {HEAVY!r} if m in sys.modules] == []
            assert not [t for t in threading.enumerate() if "pleo" in t.name]
        """
    )
    result = pytester.runpytest_subprocess("--strict-markers", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)
    markers = pytester.runpytest_subprocess("--markers")
    markers.stdout.fnmatch_lines(["@pytest.mark.pleo_parity(ignore=()):*"])


def test_the_fixtures_serve_both_simulated_apis_on_loopback(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import httpx
        import pytest
        from migrate.errors import SafetyRefusal

        def test_simulator(pleo_simulator):
            for url in (pleo_simulator.legacy_base_url, pleo_simulator.new_base_url):
                parts = httpx.URL(url)
                assert parts.host == "127.0.0.1" and parts.port not in (None, 8401, 8402)
            assert pleo_simulator.legacy_token and pleo_simulator.api_key
            assert pleo_simulator.legacy_token != pleo_simulator.api_key

        def test_both_clients_read_the_same_people(pleo_legacy_client, pleo_compat_client):
            direct = pleo_legacy_client.get("/employees", params={"pageSize": 4})
            compat = pleo_compat_client.get("https://openapi.pleo.io/v1/employees?pageSize=4")
            assert direct.status_code == compat.status_code == 200
            ids = [[e["id"] for e in r.json()["employees"]] for r in (direct, compat)]
            assert len(ids[0]) == 4 and ids[0] == ids[1]

        def test_the_callers_credential_is_replaced(pleo_legacy_client):
            headers = {"Authorization": "Bearer not-a-simulator-token"}
            assert pleo_legacy_client.get("/employees", headers=headers).status_code == 200

        def test_the_legacy_client_refuses_other_hosts(pleo_legacy_client):
            with pytest.raises(SafetyRefusal, match="example.org"):
                pleo_legacy_client.get("https://example.org/v1/employees")
            with pytest.raises(SafetyRefusal):
                pleo_legacy_client.get("https://openapi.staging.pleo.io/v1/employees")
        """
    )
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=4)


def test_the_parity_marker_compares_both_apis(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        textwrap.dedent(
            """
            import pytest

            @pytest.mark.pleo_parity(ignore=("role", "teamId", "avatar"))
            def test_same_once_losses_are_ignored(pleo_client):
                return pleo_client.get("/employees?pageSize=5")

            @pytest.mark.pleo_parity
            def test_a_declared_loss_shows(pleo_client):
                return pleo_client.get("/employees?pageSize=2").json()

            @pytest.mark.pleo_parity
            def test_returns_nothing(pleo_client):
                pleo_client.get("/employees?pageSize=1")

            def test_pleo_client_needs_the_marker(pleo_client):
                pass
            """
        )
    )
    result = pytester.runpytest("-p", "no:cacheprovider", "-rfE")
    result.assert_outcomes(passed=1, failed=2, errors=1)
    result.stdout.fnmatch_lines(
        [
            "*pleo_parity: the legacy API and the compat layer returned different values",
            "--- legacy API",
            "+++ compat layer (new API)",
            '-*"role": "*",',
            '+*"role": null,',
        ]
    )
    result.stdout.fnmatch_lines(["*returns what it read*"])
    result.stdout.fnmatch_lines(["*pleo_client is for tests marked @pytest.mark.pleo_parity*"])
