"""PLM001 legacy_host: legacy base URLs become the new API's host, prose stays."""

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        '''
        """Talks to https://openapi.pleo.io/v1 (the legacy API)."""
        NEW_BASE = "https://external.pleo.io"
        OTHER = "https://api.example.com/v1"
        print("see https://openapi.pleo.io/v1 for the old docs")
        ''',
        None,
        id="no change: docstring, prose, new host, other hosts",
    ),
    pytest.param(
        """
        BASE_URL = "https://openapi.pleo.io/v1"
        """,
        """
        BASE_URL = "https://external.pleo.io"
        """,
        id="module constant with /v1",
    ),
    pytest.param(
        """
        STAGING = 'https://openapi.staging.pleo.io/v1/'
        """,
        """
        STAGING = 'https://external.staging.pleo.io/'
        """,
        id="staging host, quote style and trailing slash kept",
    ),
    # a default of an environment lookup: tests/codemod/test_env_bases.py (wrapped, translated)
    pytest.param(
        """
        PRODUCTION, STAGING = "https://openapi.pleo.io/v1", "https://openapi.staging.pleo.io/v1"
        """,
        """
        PRODUCTION, STAGING = "https://external.pleo.io", "https://external.staging.pleo.io"
        """,
        id="both environments on one line",
    ),
    pytest.param(
        """
        def client(staging):
            host = "openapi.staging.pleo.io" if staging else 'openapi.pleo.io'
            return f"https://{host}/v1"
        """,
        """
        def client(staging):
            host = "external.staging.pleo.io" if staging else 'external.pleo.io'
            return f"https://{host}"
        """,
        id="a base built from a bare host chosen at run time: hosts move, /v1 goes",
    ),
    pytest.param(
        """
        import os
        HOST = os.getenv("PLEO_HOST", "openapi.pleo.io")
        BASE = f"https://{HOST}/v1/"
        """,
        """
        import os
        HOST = os.getenv("PLEO_HOST", "external.pleo.io")
        BASE = f"https://{HOST}/"
        """,
        id="a bare host as an environment default, trailing slash kept",
    ),
    pytest.param(
        """
        import os
        HOST = os.getenv("PLEO_HOST", "openapi.pleo.io")
        URL = f"https://{HOST}/v1/expenses"
        OTHER = f"https://{os.getenv('API_HOST')}/v1"
        """,
        None,
        id="no change: a built URL with a path, a host that is not known",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_legacy_host(before: str, after: str | None) -> None:
    check(before, after, "PLM001")
