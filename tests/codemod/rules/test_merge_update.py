"""PLM104 merge_update: partial updates that the new API only takes whole, and that PLM012 cannot
write as a call of its generated GET + merge + PUT function, are left for a human."""

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://openapi.pleo.io/v1/employees/e-1").json()
        """,
        None,
        id="no change: a mapped operation",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def hide_tag(group_id, tag_id):
            requests.patch(f"{BASE}/tag-groups/{group_id}/tags/{tag_id}", data={"hidden": "true"})
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def hide_tag(group_id, tag_id):
            # TODO[pleo-migrate PLM104]: tags.update: it sends a query or form data
            requests.patch(f"{BASE}/tag-groups/{group_id}/tags/{tag_id}", data={"hidden": "true"})
        """,
        id="a PATCH sent as form data stays, with the reason",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_merge_update(before: str, after: str | None) -> None:
    check(before, after, ["PLM104"])
