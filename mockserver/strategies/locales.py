"""Faker value pools per Shopee region: drawn once with a fixed seed, then sampled by Hypothesis.

Faker keeps its own random state, so calling it inside a strategy would take the randomness away
from Hypothesis (no shrinking, no `derandomize`). Instead each locale fills small pools of names,
words, sentences, phones, e-mails and addresses once (seed 0, so every run sees the same pools) and
the strategies pick from them with `sampled_from`, which Hypothesis controls and shrinks.
"""
from __future__ import annotations

from collections.abc import Callable
from functools import cache

from faker import Faker
from hypothesis import strategies as st

# Shopee region -> Faker locales. Faker has no Malay or Singapore locale: Singapore gets British
# English and Simplified Chinese, Malaysia Indonesian (the nearest names) and British English.
REGION_LOCALES: dict[str, tuple[str, ...]] = {
    "TW": ("zh_TW",), "SG": ("en_GB", "zh_CN"), "MY": ("id_ID", "en_GB"), "TH": ("th_TH",),
    "ID": ("id_ID",), "PH": ("en_PH", "fil_PH"), "VN": ("vi_VN",), "BR": ("pt_BR",),
    "MX": ("es_MX",), "CO": ("es_CO",), "CL": ("es_CL",),
}
POOL_SIZE = 48
KINDS = ("name", "word", "sentence", "phone", "email", "address")


def _makers(fake: Faker) -> dict[str, Callable[[], str]]:
    return {"name": fake.name, "word": fake.word, "sentence": lambda: fake.sentence(nb_words=4).rstrip(".。"),
            "phone": lambda: fake.phone_number(), "email": fake.email,
            "address": lambda: fake.address().replace("\n", " ")}


@cache
def pool(locale: str, kind: str) -> tuple[str, ...]:
    """POOL_SIZE values of one kind in one locale (en_US where the locale lacks the provider)."""
    if kind not in KINDS:
        raise ValueError(f"unknown pool kind {kind!r}; one of {', '.join(KINDS)}")
    fake = Faker(locale)
    fake.seed_instance(0)
    try:
        make = _makers(fake)[kind]
        make()
    except AttributeError:  # e.g. en_PH has no phone_number provider
        return pool("en_US", kind)
    values = {make() for _ in range(POOL_SIZE * 2)}
    return tuple(sorted(v for v in values if v.strip()))[:POOL_SIZE]


def locales_of(region: str | None) -> tuple[str, ...]:
    """The Faker locales of a region; every region's locales when None."""
    if region is None:
        return tuple(dict.fromkeys(loc for locs in REGION_LOCALES.values() for loc in locs))
    if region not in REGION_LOCALES:
        raise ValueError(f"unknown Shopee region {region!r}; one of {', '.join(REGION_LOCALES)}")
    return REGION_LOCALES[region]


def localized(kind: str, region: str | None = None) -> st.SearchStrategy[str]:
    """A Faker value of `kind` in one of the region's locales (pools are built on first draw)."""
    return st.sampled_from(locales_of(region)).flatmap(lambda locale: st.sampled_from(pool(locale, kind)))
