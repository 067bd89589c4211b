"""The one way every platform and the admin API answer JSON (UTF-8, non-ASCII kept)."""
from __future__ import annotations

import json
from typing import Any

from flask import Response


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
