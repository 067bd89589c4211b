"""Masking a query string: every secret parameter's value, and nothing else, byte for byte."""
from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from mockserver.core.secrets import SECRET_NAMES, mask, mask_query

# The rule as a pattern (what mask_query did before it split on "&"): the reference it must equal.
_RULE = re.compile(r"(^|&)(" + "|".join(sorted(SECRET_NAMES)) + r")=([^&]*)")


def by_pattern(query: str) -> str:
    return _RULE.sub(lambda m: f"{m.group(1)}{m.group(2)}={mask(m.group(3))}", query)


_NAMES = st.sampled_from(sorted(SECRET_NAMES) + ["shop_id", "signs", "xsign", "Sign", "", "token_"])
_VALUES = st.text(alphabet="ab=%&-_.0123456789", max_size=40)
_PARTS = st.one_of(st.builds(lambda n, v: f"{n}={v}", _NAMES, _VALUES), _NAMES, st.text(max_size=12))


@settings(max_examples=300, deadline=None)
@given(st.lists(_PARTS, max_size=8).map("&".join))
@example("access_token=0123456789abcdef&sign=aa&shop_id=5")
@example("sign=a=b&&secret=&token")
def test_mask_query_masks_as_the_rule_says(query):
    assert mask_query(query) == by_pattern(query)


def test_a_secret_value_never_survives_and_the_rest_is_kept():
    masked = mask_query("partner_id=1&access_token=6455700922e52cb846cef7d61625898d&shop_id=2&sign=0a1b2c3d4e5f")
    assert masked == "partner_id=1&access_token=6455***&shop_id=2&sign=0a1b***"
