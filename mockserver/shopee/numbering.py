"""Package and tracking numbers: unique by construction, random-looking, and computable from a
serial alone, so a generated order numbers its parcel the same whenever it is built (batch.py).

A serial n maps to a number through an affine bijection of the number's range: (n * A + B) mod N
with A coprime to N never repeats for n < N, and neighbours look unrelated, as Shopee's do.
"""
from __future__ import annotations

import string

_PACKAGE_RANGE = 9 * 10**14  # "OFG" + 15 digits from 10**14
_PACKAGE_A, _PACKAGE_B = 614_889_782_588_491, 271_828_182_845_904
_TRACKING_RANGE = 9 * 10**11  # region + 12 digits from 10**11 + a letter
_TRACKING_A, _TRACKING_B = 189_782_588_491, 314_159_265_358


def package_number(serial: int) -> str:
    """Like OFG123456789012345 (Shopee's package_number)."""
    return "OFG" + str(10**14 + (serial * _PACKAGE_A + _PACKAGE_B) % _PACKAGE_RANGE)


def tracking_number(serial: int, region: str) -> str:
    """Like TW123456789012A: the region, 12 digits and a letter."""
    digits = 10**11 + (serial * _TRACKING_A + _TRACKING_B) % _TRACKING_RANGE
    return f"{region}{digits}{string.ascii_uppercase[(serial * 7 + 3) % 26]}"


class Serials:
    """A world's next serials; a generated batch reserves a block of each at once."""

    def __init__(self) -> None:
        self.package = 0
        self.tracking = 0

    def reserve(self, count: int) -> tuple[int, int]:
        """(first package serial, first tracking serial) of `count` consecutive ones."""
        first = (self.package, self.tracking)
        self.package += count
        self.tracking += count
        return first

    def next_package(self) -> str:
        self.package += 1
        return package_number(self.package - 1)

    def next_tracking(self, region: str) -> str:
        self.tracking += 1
        return tracking_number(self.tracking - 1, region)
