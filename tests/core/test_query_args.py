"""core/query_args.py reads a query as Flask's request.args does: the same pairs as parse_qsl with
Werkzeug's error handler, and the same first values, lists and order as an ImmutableMultiDict."""
from __future__ import annotations

from urllib.parse import parse_qsl

import werkzeug.urls  # noqa: F401 - the "werkzeug.url_quote" error handler
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import ImmutableMultiDict

from mockserver.core.query_args import QueryArgs, parse_pairs

# Pieces a query is made of, the awkward ones often: separators, escapes (valid, invalid and cut
# short UTF-8), '+', non-ASCII text and empty names and values.
_PIECES = st.sampled_from(["a", "shop_id", "sign", "=", "&", "&&", "+", "%20", "%2B", "%26", "%2C", "%2c", "%2", ",", "%3D", "%e4%b8%ad",
                           "%e4%b8", "%ff", "%", "%zz", "%4", "中", "é", " ", "1", "x=y=z", ";"])
QUERIES = st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=14).map("".join)


@settings(max_examples=1000, deadline=None)
@given(QUERIES)
def test_the_pairs_are_parse_qsls(query: str) -> None:
    assert parse_pairs(query) == parse_qsl(query, keep_blank_values=True, errors="werkzeug.url_quote")


@settings(max_examples=300, deadline=None)
@given(QUERIES)
def test_the_args_answer_as_a_multidict_does(query: str) -> None:
    pairs = parse_pairs(query)
    ours, theirs = QueryArgs(pairs), ImmutableMultiDict(pairs)
    assert list(ours.items()) == list(theirs.items())
    assert ours.lists() == list(theirs.lists())
    assert list(ours) == list(theirs)
    for name in {name for name, _ in pairs} | {"absent"}:
        assert ours.get(name) == theirs.get(name)
        assert ours.getlist(name) == theirs.getlist(name)
        assert (name in ours) == (name in theirs)


def test_a_repeated_name_keeps_its_first_value_and_every_value_in_order() -> None:
    args = QueryArgs(parse_pairs("partner_id=1&x=&partner_id=2&partner_id=3"))
    assert args["partner_id"] == "1" and args["x"] == ""
    assert args.getlist("partner_id") == ["1", "2", "3"]
    assert args.lists() == [("partner_id", ["1", "2", "3"]), ("x", [""])]
    args.getlist("partner_id").append("4")  # a copy: the args stay as read
    assert args.getlist("partner_id") == ["1", "2", "3"]
