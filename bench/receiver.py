"""A webhook receiver for the bench, run as `python -m bench.receiver`: prints its URL, answers
200 to everything, prints how many requests arrived for each line "count" on stdin, ends at EOF."""
from __future__ import annotations

import sys

from mockserver.testing import WebhookInbox


def main() -> None:
    """Receive until stdin closes."""
    with WebhookInbox() as inbox:
        print(inbox.url, flush=True)
        for line in sys.stdin:
            if line.strip() == "count":
                print(len(inbox.received), flush=True)


if __name__ == "__main__":
    main()
