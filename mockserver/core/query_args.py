"""A query string read once into what the platform code asks of it, without Werkzeug's MultiDict.

shopee/lean.py answers signed calls below Flask; there, parsing the query with urllib's parse_qsl
and wrapping it in an ImmutableMultiDict cost a fifth of a call's Python time (a dozen parameters,
each looked up several times through MultiDict's Python methods). QueryArgs is a dict of each
name's first value, which is what MultiDict's [], get() and items() answer, plus getlist() and
lists() for the names that came more than once.
"""
from __future__ import annotations

from typing import Any, Iterable
from urllib.parse import unquote

import werkzeug.urls  # noqa: F401 - registers the "werkzeug.url_quote" error handler used below

_ERRORS = "werkzeug.url_quote"  # an escape that is not UTF-8 stays as it was sent, as in Flask


def _decode(text: str) -> str:
    if "+" in text:
        text = text.replace("+", " ")
    if "%2C" in text or "%2c" in text:
        # A comma-joined list (order_sn_list) comes with every comma escaped: decoded here in one
        # pass instead of unquote's per-escape loop. Replacing "%2C" never forms another escape.
        text = text.replace("%2C", ",").replace("%2c", ",")
    return unquote(text, errors=_ERRORS) if "%" in text else text


def parse_pairs(query: str) -> list[tuple[str, str]]:
    """What parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote") gives (names and
    values split on '&' and the first '=', '+' a space, %-escapes decoded), without its per-pair
    work for the pairs that hold neither '%' nor '+' (nearly all of them)."""
    pairs = []
    for part in query.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if "%" in part or "+" in part:
            name, value = _decode(name), _decode(value)
        pairs.append((name, value))
    return pairs


class QueryArgs(dict):
    """Each name's first value (a dict), and every value of a name through getlist()/lists()."""

    __slots__ = ("_repeated",)

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        super().__init__()
        repeated: dict[str, list[str]] = {}
        for name, value in pairs:
            if name not in self:
                self[name] = value
            elif name in repeated:
                repeated[name].append(value)
            else:
                repeated[name] = [self[name], value]
        self._repeated = repeated

    def getlist(self, name: str) -> list[str]:
        found = self._repeated.get(name)
        if found is not None:
            return list(found)
        return [self[name]] if name in self else []

    def lists(self) -> list[tuple[str, list[str]]]:
        repeated = self._repeated
        if not repeated:
            return [(name, [value]) for name, value in self.items()]
        return [(name, list(repeated[name]) if name in repeated else [value]) for name, value in self.items()]


def from_environ(environ: dict[str, Any]) -> QueryArgs | None:
    """The request's query as QueryArgs, for a handler below Flask (shopee/lean.py, oneshop/lean.py);
    None for a query that is not UTF-8, which such a handler leaves to Flask's path, as it always was."""
    try:
        query = environ.get("QUERY_STRING", "").encode("latin-1").decode()
    except UnicodeDecodeError:
        return None
    return QueryArgs(parse_pairs(query))
