"""What both clients share about trying again: which failures are worth it and how long to wait."""
from __future__ import annotations

import requests

BACKOFF_BASE_SECONDS = 1.0
BACKOFF_CAP_SECONDS = 30.0
REQUEST_TIMEOUT_SECONDS = 30.0
# No answer, or one whose connection closed before the whole body arrived (requests raises
# ChunkedEncodingError for both chunked and Content-Length bodies): worth another try.
CONNECTION_ERRORS = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def backoff(failures: int) -> float:
    """Seconds to wait after the n-th failure in a row: 1, 2, 4 ... capped at 30."""
    return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (failures - 1))
