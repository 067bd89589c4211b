"""bench/receiver.py in its own process, as the webhook phase runs it: each kind counts what arrives."""
from __future__ import annotations

import urllib.request

import pytest

from bench.procs import Receiver


@pytest.mark.parametrize("inbox", [False, True], ids=["counter", "webhookinbox"])
def test_the_receiver_answers_200_and_counts_every_request(inbox):
    with Receiver(inbox=inbox) as receiver:
        assert receiver.count() == 0
        for n in range(3):
            request = urllib.request.Request(receiver.url + f"hook?n={n}", data=b'{"a": 1}', method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                assert answer.status == 200
        assert receiver.count() == 3
