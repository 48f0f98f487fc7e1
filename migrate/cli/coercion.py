"""Plain option values without pydantic, so that a command starts fast.

typer coerces every parameter through a pydantic `TypeAdapter`; importing pydantic and building
the adapters costs about 0.07 s, a quarter of a whole `scan` of a 20,000-file tree. The types
our commands declare are plain (text, whole numbers with bounds, paths, choices, flags, and
lists of these), so they are coerced here. Any other type, and any value this cannot take as
it is (a bad number, an unknown choice, an unreadable path), goes to typer's own coercion:
results and error messages stay typer's.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from functools import partial
from pathlib import Path
from typing import Any, get_args, get_origin

from typer import _click as click  # typer's own copy of click: its commands are these
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import coerce_cli_choice, coerce_cli_path
from typer.core import _TyperParameter
from typer.models import ParameterInfo

Leaf = Callable[[Any, _TyperParameter, click.Context], Any]
_WHOLE = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class PlainParam(RuntimeParam):
    """One parameter's coercion without pydantic; typer's own for what it cannot take."""

    descriptor: TypeDescriptor
    leaf: Leaf
    many: bool

    def _coerce_value(self, value: Any, param: _TyperParameter, ctx: click.Context) -> Any:
        try:
            if self.many:
                return [self.leaf(item, param, ctx) for item in value]
            return self.leaf(value, param, ctx)
        except Exception:  # typer decides, and words the error, as it always did
            typer_own = build_runtime_param(self.descriptor)
            return typer_own._coerce_value(value, param=param, ctx=ctx)


def plain_values(command: click.Command, ctx: click.Context) -> None:
    """Give each plain parameter of `command` (its help option included, which `ctx` names)
    the coercion above, before any value is seen."""
    for param in command.get_params(ctx):
        if not isinstance(param, _TyperParameter) or param._runtime_param is not None:
            continue
        descriptor = param.type_descriptor
        if descriptor.file_annotation is not None:
            continue
        annotation: Any = descriptor.annotation
        many = get_origin(annotation) is list
        leaf = _leaf(get_args(annotation)[0] if many else annotation, descriptor.parameter_info)
        if leaf is not None:
            param._runtime_param = PlainParam(
                parameter_info=descriptor.parameter_info,
                annotation=annotation,
                descriptor=descriptor,
                leaf=leaf,
                many=many,
            )


def _leaf(annotation: Any, info: ParameterInfo) -> Leaf | None:
    if info.parser is not None or getattr(info, "click_type", None) is not None:
        return None
    if annotation is str:
        return _text
    if annotation is bool:
        return _flag
    if annotation is int and not info.clamp:
        return partial(_whole, info.min, info.max)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return partial(_choice, tuple(annotation), bool(info.case_sensitive))
    if annotation is Path and info.path_type is None:
        return partial(_path, info)
    return None


def _text(value: Any, _param: _TyperParameter, _ctx: click.Context) -> str:
    if not isinstance(value, str):
        raise TypeError(value)
    return value


def _flag(value: Any, _param: _TyperParameter, _ctx: click.Context) -> bool:
    if not isinstance(value, bool):
        raise TypeError(value)
    return value


def _whole(
    low: float | None, high: float | None, value: Any, _param: _TyperParameter,
    _ctx: click.Context,
) -> int:
    if isinstance(value, str) and _WHOLE.fullmatch(value):
        number = int(value)
    elif type(value) is int:
        number = value
    else:
        raise ValueError(value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise ValueError(value)
    return number


def _choice(
    choices: tuple[Enum, ...], case_sensitive: bool, value: Any, _param: _TyperParameter,
    ctx: click.Context,
) -> Any:
    return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)


def _path(info: ParameterInfo, value: Any, param: _TyperParameter, ctx: click.Context) -> Any:
    if isinstance(value, str) and value:
        value = Path(value)
    if not isinstance(value, Path):
        raise TypeError(value)
    return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
