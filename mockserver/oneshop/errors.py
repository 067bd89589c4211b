"""1shop's envelope and error answers: {"success": <code>, "data": [], "msg": "<zh-TW text>"}, HTTP 200
(routing errors: 404 / 405).

Seed 003 documents the envelope (0 = success, anything else a failure with `msg`; every answer has
the three parts success / data / msg), HTTP 200 for every request that is not rate-limited, the
enterprise-plan sentence and the 429 body {"success":-9999}; the other codes and messages are the
sandbox's choice (docs/fidelity.md, "1shop API v1"). Answers are written the way PHP's
json_encode writes them: compact, with "/" escaped as "\\/" (the seed prints "https:\\/\\/..."), so
a failure's empty `data` is PHP's empty array, [].
"""
from __future__ import annotations

from typing import Any

from flask import Response

from mockserver.core import exchange, web

JSON_TYPE = "application/json; charset=utf-8"  # seed 003: "請求和響應都只支持 UTF-8 字符編碼"
# Seed 003: "無超出速率限制,會取得 200 HTTP 響應": every answer of the API but the 429 is HTTP 200,
# failures included (a client must branch on `success`, not on the HTTP status). A path that is no
# endpoint (-10) and a method an endpoint does not have (-11) are answered by routing, before any
# endpoint, like the 429 (whose body, {"success":-9999} without data or msg, shows it comes from
# outside the endpoints): they keep 404 and 405 (with Allow), as HTTP has them.
API_STATUS = 200
ROUTING_STATUS = {-10: 404, -11: 405}
NO_DATA: list[Any] = []  # a failure's `data`: json_encode(array()) is "[]" (see the module docstring)

IP_NOT_WHITELISTED = (-1, "IP未加入白名單")  # ref oneshop.md: seen in the wild
MISSING_CREDENTIALS = (-2, "缺少 appid 或 secret")
WRONG_CREDENTIALS = (-3, "appid 或 secret 錯誤")
NOT_ENTERPRISE = (-4, "API為企業方案功能,如需使用請聯繫1shop客服")  # seed 003, first line, verbatim
MISSING_PARAMETER = (-5, "缺少必填參數: {name}")
INVALID_VALUE = (-6, "參數 {name} 的值無效: {value}")
REPEATED_PARAMETER = (-6, "參數 {name} 只能有一個值: {values}")  # strict mode only (issue 12)
BAD_DATE = (-7, "日期格式錯誤: {name} 應為 YYYY-MM-DD")
DATES_REVERSED = (-7, "create_date_start 不可晚於 create_date_end")
PAGE_OUT_OF_RANGE = (-8, "頁碼超出範圍: 共 {total_page} 頁")
ORDER_NOT_FOUND = (-9, "查無此訂單: {order_number}")
UNKNOWN_API = (-10, "找不到此 API")
METHOD_NOT_ALLOWED = (-11, "不支援的 HTTP 方法")
RATE_LIMITED = -9999
SERVER_ERROR = (-500, "系統錯誤")  # a sandbox crash: HTTP 500, not an API answer

# Other HTTP errors under /v1 (raised by Flask/werkzeug before a 1shop handler runs, where a real
# web server would answer before PHP): success is minus the HTTP status, like -500 for a crash,
# and the HTTP status is kept.
_HTTP_MESSAGES = {400: "請求格式錯誤", 413: "請求內容過大", 414: "網址過長", 415: "不支援的內容類型",
                  431: "請求標頭過大"}

ALLOWED_METHODS = ("GET", "HEAD")


def envelope(code: int, msg: str) -> dict[str, Any]:
    """A failure in the seed's three parts: success (non-zero), data (empty), msg."""
    return {"success": code, "data": list(NO_DATA), "msg": msg}


class OneshopError(Exception):
    """A failed request: its code and message (answered HTTP 200, seed 003; routing: 404 / 405)."""

    def __init__(self, spec: tuple[int, str], status: int | None = None, **values: Any) -> None:
        code, template = spec
        self.code = code
        self.status = status if status is not None else ROUTING_STATUS.get(code, API_STATUS)
        self.msg = template.format(**values) if values else template
        super().__init__(self.msg)

    def response(self) -> Response:
        exchange.annotate(error=str(self.code))
        response = json_response(envelope(self.code, self.msg), self.status)
        if self.code == METHOD_NOT_ALLOWED[0]:
            response.headers["Allow"] = ", ".join(ALLOWED_METHODS)
        return response


def dumps(body: Any) -> bytes:
    """PHP json_encode(JSON_UNESCAPED_UNICODE): compact, "/" escaped (never structural in JSON)."""
    return web.dumps(body).replace(b"/", b"\\/")


def json_response(body: Any, status: int = 200) -> Response:
    return Response(dumps(body), status=status, content_type=JSON_TYPE)


def json_answer(body: Any, status: int = 200) -> web.JsonAnswer:
    """json_response's answer for the calls answered below Flask (core/web.py's JsonAnswer)."""
    return web.JsonAnswer(dumps(body), status)


def rate_limited(retry_after: int) -> Response:
    """Seed 003: HTTP 429, {"success":-9999} and Retry-After in whole seconds."""
    exchange.annotate(error=str(RATE_LIMITED))
    response = json_response({"success": RATE_LIMITED}, 429)
    response.headers["Retry-After"] = str(retry_after)
    return response


def http_error(status: int) -> Response:
    """The envelope for an HTTP error werkzeug raised under /v1 (app.py's generic handlers)."""
    if status == 404:
        return OneshopError(UNKNOWN_API).response()
    if status == 405:
        return OneshopError(METHOD_NOT_ALLOWED).response()
    if status >= 500:
        return OneshopError(SERVER_ERROR, status=500).response()
    return json_response(envelope(-status, _HTTP_MESSAGES.get(status, "請求錯誤")), status)


def is_oneshop_path(path: str) -> bool:
    return path == "/v1" or path.startswith("/v1/")
