"""Walk every page of a legacy list endpoint through the client's generic GET."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from erp_sync.client import PleoClient


def iter_pages(
    client: PleoClient,
    path: str,
    key: str,
    params: dict[str, Any] | None = None,
    page_size: int = 100,
) -> Iterator[dict[str, Any]]:
    """Yield the records under `key` of every page of `path`."""
    offset = 0
    while True:
        query = dict(params or {}, pageSize=page_size, pageOffset=offset)
        body = client.get(path, params=query)
        yield from body[key]
        offset = body["metadata"]["pageInfo"]["nextPageOffset"]
        if not offset:
            break
