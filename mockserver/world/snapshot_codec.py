"""Dataclass records <-> plain JSON data, driven by their type hints (snapshots of every platform).

A platform's records are dataclasses with precise hints (dict[int, tuple[int, int]], set[int],
deque, nested records): encode() turns one into lists, dicts with string keys and scalars that JSON
keeps exactly, decode() turns that back into the same record. Containers keep their order, so
encoding a decoded record gives the same data (snapshot export, import, export: identical bytes).
A dict whose keys are not strings is written as a list of [key, value] pairs. Values hinted Any
are kept as they are (they must already be JSON data). decode() raises ValueError naming the
field on data of the wrong shape, so a bad snapshot is refused before anything changes.
"""
from __future__ import annotations

import dataclasses
import random
import types
import typing
from collections import deque
from functools import lru_cache
from typing import Any, Callable

Codec = tuple[Callable[[Any], Any], Callable[[Any, str], Any]]


def encode(record: Any) -> dict[str, Any]:
    """A dataclass instance as plain data."""
    return _record_codec(type(record))[0](record)


def decode(cls: type, data: Any, where: str = "") -> Any:
    """An instance of dataclass `cls` from encode()'s data; ValueError naming the field otherwise."""
    return _record_codec(cls)[1](data, where or cls.__name__)


def encoder_of(hint: Any) -> Callable[[Any], Any]:
    return _codec(hint)[0]


def decoder_of(hint: Any) -> Callable[[Any, str], Any]:
    return _codec(hint)[1]


def _identity(value: Any) -> Any:
    return value


def _scalar(kinds: tuple[type, ...]) -> Codec:
    def decode_scalar(value: Any, where: str) -> Any:
        # bool is an int to Python; a JSON true for an int field is still the wrong shape.
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise ValueError(f"{where}: expected {'/'.join(k.__name__ for k in kinds)}, got {type(value).__name__}")
        return value
    return _identity, decode_scalar


_SCALARS: dict[Any, Codec] = {
    int: _scalar((int,)), str: _scalar((str,)), bool: _scalar((bool,)),
    float: _scalar((int, float)),  # a float field may hold an int (60 and 60.0 both stay as they are)
    type(None): _scalar((type(None),)),
}


@lru_cache(maxsize=None)
def _codec(hint: Any) -> Codec:
    if hint is Any or hint is object:
        return _identity, lambda value, where: value
    if hint in _SCALARS:
        return _SCALARS[hint]
    if dataclasses.is_dataclass(hint):
        return _record_codec(hint)
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _union(args)
    if origin in (list, deque, set, frozenset) or hint in (list, set, deque):
        return _sequence(origin or hint, args[0] if args else Any)
    if origin is tuple:
        return _tuple(args)
    if origin is dict or hint is dict:
        return _mapping(*(args or (str, Any)))
    raise TypeError(f"no snapshot codec for {hint!r}")


def _union(args: tuple[Any, ...]) -> Codec:
    options = [a for a in args if a is not type(None)]
    nullable = len(options) < len(args)
    if len(options) == 1:
        inner_encode, inner_decode = _codec(options[0])
    else:  # a union of several kinds: kept as it is (only scalars are hinted so)
        inner_encode, inner_decode = _identity, (lambda value, where: value)

    def encode_union(value: Any) -> Any:
        return None if value is None else inner_encode(value)

    def decode_union(value: Any, where: str) -> Any:
        if value is None:
            if nullable:
                return None
            raise ValueError(f"{where}: may not be null")
        return inner_decode(value, where)
    return encode_union, decode_union


def _sequence(kind: type, item: Any) -> Codec:
    item_encode, item_decode = _codec(item)
    ordered = kind in (set, frozenset)

    def encode_sequence(values: Any) -> list[Any]:
        out = [item_encode(v) for v in values]
        # A set has no order of its own: sorted, so the same set always reads the same.
        return sorted(out, key=_sort_key) if ordered else out

    def decode_sequence(values: Any, where: str) -> Any:
        if not isinstance(values, list):
            raise ValueError(f"{where}: expected a list, got {type(values).__name__}")
        return kind(item_decode(v, f"{where}[{i}]") for i, v in enumerate(values))
    return encode_sequence, decode_sequence


def _tuple(args: tuple[Any, ...]) -> Codec:
    if len(args) == 2 and args[1] is Ellipsis:
        item_encode, item_decode = _codec(args[0])

        def encode_var(values: Any) -> list[Any]:
            return [item_encode(v) for v in values]

        def decode_var(values: Any, where: str) -> tuple:
            if not isinstance(values, list):
                raise ValueError(f"{where}: expected a list, got {type(values).__name__}")
            return tuple(item_decode(v, f"{where}[{i}]") for i, v in enumerate(values))
        return encode_var, decode_var
    parts = [_codec(a) for a in args] if args else None

    def encode_fixed(values: Any) -> list[Any]:
        return [e(v) for (e, _), v in zip(parts, values)] if parts else list(values)

    def decode_fixed(values: Any, where: str) -> tuple:
        if not isinstance(values, list) or (parts and len(values) != len(parts)):
            raise ValueError(f"{where}: expected a list of {len(parts or ())} values")
        if not parts:
            return tuple(values)
        return tuple(d(v, f"{where}[{i}]") for i, ((_, d), v) in enumerate(zip(parts, values)))
    return encode_fixed, decode_fixed


def _mapping(key: Any, value: Any) -> Codec:
    key_encode, key_decode = _codec(key)
    value_encode, value_decode = _codec(value)
    if key is str:
        def encode_object(mapping: Any) -> dict[str, Any]:
            return {k: value_encode(v) for k, v in mapping.items()}

        def decode_object(data: Any, where: str) -> dict:
            if not isinstance(data, dict):
                raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
            return {k: value_decode(v, f"{where}.{k}") for k, v in data.items()}
        return encode_object, decode_object

    def encode_pairs(mapping: Any) -> list[list[Any]]:
        return [[key_encode(k), value_encode(v)] for k, v in mapping.items()]

    def decode_pairs(data: Any, where: str) -> dict:
        if not isinstance(data, list) or not all(isinstance(p, list) and len(p) == 2 for p in data):
            raise ValueError(f"{where}: expected a list of [key, value] pairs")
        return {key_decode(k, f"{where}[{i}][0]"): value_decode(v, f"{where}[{i}][1]")
                for i, (k, v) in enumerate(data)}
    return encode_pairs, decode_pairs


@lru_cache(maxsize=None)
def _record_codec(cls: type) -> Codec:
    hints = typing.get_type_hints(cls)
    fields = [(f.name, _codec(hints[f.name])) for f in dataclasses.fields(cls)]
    required = {f.name for f in dataclasses.fields(cls)
                if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    names = {name for name, _ in fields}

    def encode_record(record: Any) -> dict[str, Any]:
        return {name: encode(getattr(record, name)) for name, (encode, _) in fields}

    def decode_record(data: Any, where: str) -> Any:
        if not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object, got {type(data).__name__}")
        unknown = set(data) - names
        if unknown:
            raise ValueError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
        missing = required - set(data)
        if missing:
            raise ValueError(f"{where}: missing fields {', '.join(sorted(missing))}")
        return cls(**{name: decode(data[name], f"{where}.{name}") for name, (_, decode) in fields if name in data})
    return encode_record, decode_record


def _sort_key(value: Any) -> tuple[str, Any]:
    return (type(value).__name__, value if isinstance(value, (int, float, str)) else repr(value))


def rng_state(rng: random.Random) -> list[Any]:
    """A random.Random's state as JSON data (the same draws follow after restore_rng)."""
    version, internal, gauss = rng.getstate()
    return [version, list(internal), gauss]


def restore_rng(rng: random.Random, state: Any, where: str) -> random.Random:
    try:
        version, internal, gauss = state
        rng.setstate((version, tuple(internal), gauss))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{where}: not a random generator's state ({exc})") from None
    return rng


def new_rng(state: Any, where: str) -> random.Random:
    return restore_rng(random.Random(), state, where)
