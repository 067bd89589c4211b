"""The one way every platform and the admin API answer JSON (UTF-8, non-ASCII kept).

The charset is named: a client that reads a bare application/json by the HTTP default decodes
Chinese shop names as latin-1 (issue 11; 1shop's seed 003 asks for UTF-8 explicitly).
"""
from __future__ import annotations

import json
from typing import Any

from flask import Response

JSON_TYPE = "application/json; charset=utf-8"


def json_response(body: Any, status: int = 200) -> Response:
    return Response(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_TYPE)
