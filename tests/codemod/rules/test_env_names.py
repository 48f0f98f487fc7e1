"""PLM009 env_names: legacy environment variable names get the new names."""

from __future__ import annotations

import pytest

from tests.codemod.helpers import check, rewrite

CASES = [
    pytest.param(
        """
        import os

        API_KEY = os.environ["PLEO_API_KEY"]
        ERP_URL = os.environ.get("ERP_URL", "https://erp.example.com")
        """,
        None,
        id="no change: the new name already, other variables",
    ),
    pytest.param(
        """
        import os

        TOKEN = os.environ["PLEO_TOKEN"]
        """,
        """
        import os

        TOKEN = os.environ["PLEO_API_KEY"]
        """,
        id="os.environ[...]",
    ),
    pytest.param(
        """
        from os import getenv

        TOKEN = getenv("PLEO_API_TOKEN")
        STAGING_TOKEN = getenv('PLEO_STAGING_TOKEN', "")
        """,
        """
        from os import getenv

        TOKEN = getenv("PLEO_API_KEY")
        STAGING_TOKEN = getenv('PLEO_STAGING_API_KEY', "")
        """,
        id="getenv, a qualifier kept",
    ),
    pytest.param(
        """
        import os

        BASE_URL = os.environ.get("PLEO_LEGACY_URL", "https://openapi.pleo.io/v1")
        """,
        """
        import os

        BASE_URL = os.environ.get("PLEO_NEW_API_URL", "https://openapi.pleo.io/v1")
        """,
        id="the base-URL variable",
    ),
    pytest.param(
        """
        import os

        HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_KEY"]}
        AUTH = {"Authorization": f"Bearer {os.getenv('PLEO_READ_SECRET')}"}
        OTHER = os.environ["PLEO_SECRET"]
        """,
        """
        import os

        HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_API_KEY"]}
        AUTH = {"Authorization": f"Bearer {os.getenv('PLEO_READ_API_KEY')}"}
        OTHER = os.environ["PLEO_SECRET"]
        """,
        id="a Pleo secret read in a Bearer header (not elsewhere) is the token",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_env_names(before: str, after: str | None) -> None:
    check(before, after, ["PLM009"])


def test_a_bare_host_variable_gets_a_host_name_not_the_url_one() -> None:
    """`f"https://{HOST}/v1"` with HOST read from the environment: the variable becomes
    PLEO_NEW_API_HOST (a host), never PLEO_NEW_API_URL (a whole URL), which the f-string's
    scheme would double (`https://https://…`)."""
    source = """
    import os

    import requests

    PLEO_HOST = os.getenv("PLEO_HOST", "openapi.pleo.io")
    BASE = f"https://{PLEO_HOST}/v1"


    def employee(employee_id):
        return requests.get(BASE + "/employees/" + employee_id).json()
    """
    after = rewrite(source)
    assert 'os.getenv("PLEO_NEW_API_HOST", "external.pleo.io")' in after
    assert "PLEO_NEW_API_URL" not in after
