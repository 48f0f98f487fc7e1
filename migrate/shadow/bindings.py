"""Which records to compare: a value for every legacy path parameter of the operation.

A value the planned request gives is used as is; the others are ids read from the parent
lists on the legacy API (the reference), page by page as they are needed.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, Mapping, Sequence

from migrate.mapping import Operation
from migrate.shadow.canonical import Projection
from migrate.shadow.checking import CheckContext, OperationState
from migrate.shadow.fetch import Calls, legacy_pages, parents
from migrate.shadow.plan import ParityRequest


async def bindings(
    ctx: CheckContext, state: OperationState
) -> AsyncGenerator[dict[str, str], None]:
    """Path-parameter values to compare, streamed; at most `sample` for a single-record read."""
    chain = parents(ctx.catalogue, state.operation)
    is_list = state.operation.response is not None and state.operation.response.legacy.many
    limit = None if is_list else ctx.limits.sample
    count = 0
    expanded = _expand(ctx, dict(state.request.path_params), chain, 0)
    try:
        async for binding in expanded:
            yield binding
            count += 1
            if limit is not None and count >= limit:
                return
    finally:
        await expanded.aclose()


async def _expand(
    ctx: CheckContext, binding: dict[str, str], chain: Sequence[tuple[str, Operation]],
    index: int,
) -> AsyncGenerator[dict[str, str], None]:
    if index == len(chain):
        yield binding
        return
    param, source = chain[index]
    values = _given(binding[param]) if param in binding else _legacy_ids(ctx, source, binding)
    try:
        async for value in values:
            inner = _expand(ctx, {**binding, param: value}, chain, index + 1)
            try:
                async for found in inner:
                    yield found
            finally:
                await inner.aclose()
    finally:
        await values.aclose()


async def _legacy_ids(
    ctx: CheckContext, source: Operation, binding: Mapping[str, str]
) -> AsyncGenerator[str, None]:
    """The ids of a legacy list, page by page (the legacy API is the reference)."""
    projection = Projection(ctx.catalogue, source)
    calls = Calls(ctx.catalogue, source, ParityRequest(source.id, source="discovery"),
                  ctx.company_id, ctx.limits)
    pages = legacy_pages(ctx.legacy, calls, projection, binding)
    try:
        async for page in pages:
            for record in page.records:
                key = projection.key(record)
                if key is not None:
                    yield key
    finally:
        await pages.aclose()


async def _given(value: str) -> AsyncGenerator[str, None]:
    yield value
