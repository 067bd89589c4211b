"""Request verification over the journal, WireMock's `verify` in the sandbox's terms: how many
answered requests match a description, and when the count is wrong, the closest requests with,
for each, the parts of the description it missed (near misses).

A description (`match`) may name: method, path (exact, or a prefix ending in "*"), platform, tenant,
status, error, params (name -> a value, a list of every value in order, or {"matches": regex},
{"present": true|false}), headers (name -> value, names case-insensitive) and body (a JSON object
every field of which the request's JSON body must have, recursively; lists compared whole).
A count is a number, or {"at_least": n}, {"at_most": n}, or both; default {"at_least": 1}.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Iterable

from mockserver.core.faults import path_matches
from mockserver.core.journal import Entry, all_values

MATCH_KEYS = ("method", "path", "platform", "tenant", "status", "error", "params", "headers", "body")
NEAR_MISSES = 3
_MISSING = object()


class VerifyError(ValueError):
    """A description or count the verifier cannot use (the admin API answers 400 with it)."""


@dataclass(frozen=True)
class Miss:
    part: str  # "path", "params.page", "body.item_list", ...
    expected: Any
    actual: Any

    def view(self) -> dict[str, Any]:
        return {"part": self.part, "expected": self.expected, "actual": self.actual}


def check_match(match: Any) -> dict[str, Any]:
    if not isinstance(match, dict):
        raise VerifyError("match should be an object")
    unknown = sorted(set(match) - set(MATCH_KEYS))
    if unknown:
        raise VerifyError(f"unknown field match.{unknown[0]}; known fields: {', '.join(MATCH_KEYS)}")
    for name in ("params", "headers", "body"):
        if name in match and not isinstance(match[name], dict):
            raise VerifyError(f"match.{name} should be an object")
    for name in ("method", "path", "platform", "tenant", "error"):
        if name in match and not isinstance(match[name], str):
            raise VerifyError(f"match.{name} should be a string")
    if "status" in match and (not isinstance(match["status"], int) or isinstance(match["status"], bool)):
        raise VerifyError("match.status should be an integer")
    for name, value in (match.get("headers") or {}).items():
        if not isinstance(value, str):
            raise VerifyError(f"match.headers.{name} should be a string")
    for name, want in (match.get("params") or {}).items():
        if isinstance(want, dict):
            if set(want) - {"matches", "present"} or not want:
                raise VerifyError(f"match.params.{name} takes a value, a list, {{\"matches\": regex}} or {{\"present\": bool}}")
            if "matches" in want and not isinstance(want["matches"], str):
                raise VerifyError(f"match.params.{name}.matches should be a string")
            if "present" in want and not isinstance(want["present"], bool):
                raise VerifyError(f"match.params.{name}.present should be true or false")
            if "matches" in want:
                try:
                    re.compile(str(want["matches"]))
                except re.error as exc:
                    raise VerifyError(f"match.params.{name}.matches is not a regular expression: {exc}") from None
        elif (not isinstance(want, (str, int, float, list)) or isinstance(want, bool)
              or (isinstance(want, list) and not all(isinstance(item, str) for item in want))):
            raise VerifyError(f"match.params.{name} should be a string, a list of strings or an object")
    return match


def check_count(count: Any) -> tuple[int, int | None]:
    """(at least, at most) from a count; at most None is unbounded."""
    if count is None:
        return 1, None
    if isinstance(count, int) and not isinstance(count, bool) and count >= 0:
        return count, count
    if isinstance(count, dict) and count and not set(count) - {"at_least", "at_most"}:
        low, high = count.get("at_least", 0), count.get("at_most")
        for value in (count[name] for name in ("at_least", "at_most") if name in count):
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise VerifyError("count bounds should be integers >= 0")
        if high is not None and high < low:
            raise VerifyError("count.at_most is below count.at_least")
        return low, high
    raise VerifyError('count should be an integer >= 0, or {"at_least": n} and/or {"at_most": n}')


def misses(entry: Entry, match: dict[str, Any]) -> list[Miss]:
    """The parts of `match` this journal entry does not satisfy (none: it matches)."""
    found: list[Miss] = []
    if "method" in match and str(match["method"]).upper() != entry.method:
        found.append(Miss("method", str(match["method"]).upper(), entry.method))
    if "path" in match and not path_matches(str(match["path"]), entry.path):
        found.append(Miss("path", match["path"], entry.path))
    for name, actual in (("platform", entry.platform), ("tenant", entry.tenant), ("status", entry.status),
                         ("error", entry.error)):
        if name in match and match[name] != actual:
            found.append(Miss(name, match[name], actual))
    if match.get("params"):
        values = all_values(entry.query)
        for name, want in match["params"].items():
            miss = _param_miss(want, values.get(name))
            if miss is not None:
                found.append(Miss(f"params.{name}", *miss))
    if match.get("headers"):
        sent = {n.lower(): v for n, v in entry.headers}
        for name, want in match["headers"].items():
            if sent.get(name.lower()) != str(want):
                found.append(Miss(f"headers.{name}", want, sent.get(name.lower())))
    if "body" in match:
        try:
            body = json.loads(entry.body) if entry.body else None
        except (ValueError, UnicodeDecodeError, RecursionError):
            body = entry.body.decode("utf-8", "replace")
        found.extend(_body_misses(match["body"], body, "body"))
    return found


def _param_miss(want: Any, values: list[str] | None) -> tuple[Any, Any] | None:
    shown = None if values is None else (values[0] if len(values) == 1 else values)
    if isinstance(want, dict):
        if "present" in want and bool(want["present"]) != (values is not None):
            return want, shown
        if "matches" in want and (values is None or not all(re.fullmatch(str(want["matches"]), v) for v in values)):
            return want, shown
        return None
    if isinstance(want, list):
        return None if values == [str(v) for v in want] else (want, shown)
    return None if values is not None and values[0] == str(want) and len(values) == 1 else (want, shown)


def _body_misses(want: Any, actual: Any, where: str) -> Iterable[Miss]:
    if isinstance(want, dict):
        if not isinstance(actual, dict):
            yield Miss(where, want, actual)
            return
        for key, sub in want.items():
            yield from _body_misses(sub, actual.get(key, _MISSING), f"{where}.{key}")
    elif actual is _MISSING:
        yield Miss(where, want, None)
    elif want != actual:
        yield Miss(where, want, actual)


def verify(entries: list[Entry], match: dict[str, Any], count: Any = None) -> dict[str, Any]:
    """Pass or fail, how many matched, and (on failure) the near misses or the extra matches."""
    check_match(match)
    low, high = check_count(count)
    scored = [(misses(entry, match), entry) for entry in entries]
    matched = [entry for found, entry in scored if not found]
    passed = len(matched) >= low and (high is None or len(matched) <= high)
    result: dict[str, Any] = {"passed": passed, "count": len(matched), "expected": _expected(low, high),
                              "searched": len(entries), "matched_ids": [e.id for e in matched][-100:]}
    if not passed and len(matched) < low:
        near = sorted(((found, entry) for found, entry in scored if found),
                      key=lambda pair: (_weight(pair[0]), -pair[1].id))[:NEAR_MISSES]
        result["near_misses"] = [{**entry.summary(), "missed": [m.view() for m in found]} for found, entry in near]
    elif not passed:
        result["extra"] = [entry.summary() for entry in matched[high:][:NEAR_MISSES]] if high is not None else []
    return result


def _weight(found: list[Miss]) -> tuple[int, int]:
    """Closer first: a request to another path is farther than one with another parameter value."""
    return (sum(1 for m in found if m.part in ("path", "method")), len(found))


def _expected(low: int, high: int | None) -> str:
    if high == low:
        return f"exactly {low}"
    if high is None:
        return f"at least {low}"
    return f"between {low} and {high}" if low else f"at most {high}"


def describe(match: dict[str, Any]) -> str:
    """A one-line description of a match, for assertion messages."""
    head = f"{str(match.get('method', '')).upper()} {match.get('path', '*')}".strip()
    extras = [f"{k}={v!r}" for k, v in (match.get("params") or {}).items()]
    extras += [f"{k}={match[k]!r}" for k in ("platform", "tenant", "status", "error") if k in match]
    if "body" in match:
        extras.append(f"body~{json.dumps(match['body'], ensure_ascii=False)[:80]}")
    return head + (f" with {', '.join(extras)}" if extras else "")
