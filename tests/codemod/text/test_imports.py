"""Imports the codemod adds go where a person (or isort) would put them: a standard-library
`import x` among the module's standard-library imports, in order; anything else after the
imports, as before."""

from __future__ import annotations

import pytest

from migrate.codemod.text.imports import add_imports
from tests.codemod.helpers import code

CASES = [
    pytest.param(
        """
        import json
        import os

        import requests
        """,
        [("base64", None)],
        """
        import base64
        import json
        import os

        import requests
        """,
        id="before the first standard-library import that sorts after it",
    ),
    pytest.param(
        '''
        """Doc."""

        from __future__ import annotations

        import os
        from typing import Any

        import httpx
        ''',
        [("re", None)],
        '''
        """Doc."""

        from __future__ import annotations

        import os
        import re
        from typing import Any

        import httpx
        ''',
        id="after the last one that sorts before it, before the from-imports",
    ),
    pytest.param(
        """
        import requests

        BASE = 1
        """,
        [("base64", None)],
        """
        import requests
        import base64

        BASE = 1
        """,
        id="no standard-library group: after the imports, as before",
    ),
    pytest.param(
        """
        import os, requests
        """,
        [("base64", None), ("migrate.compat", "pleo_requests")],
        """
        import os, requests
        import base64
        from migrate.compat import pleo_requests
        """,
        id="a mixed import line is no group; a from-import goes after the imports",
    ),
]


@pytest.mark.parametrize(("before", "wanted", "after"), CASES)
def test_added_imports_go_where_they_belong(
    before: str, wanted: list[tuple[str, str | None]], after: str
) -> None:
    assert add_imports(code(before), wanted) == code(after)


def test_an_import_already_there_is_not_added_twice() -> None:
    text = code(
        """
        import base64
        import os
        """
    )
    assert add_imports(text, [("base64", None)]) == text
