"""The sandbox tested against its own contracts: one Schemathesis suite per contract.

`contract_suite(name)` loads contracts/<PLATFORMS[name].contract>, binds it to a fresh in-process
app (seed 7, clock frozen at T0) and returns a pytest test parametrized over every operation: the
explicit examples, the coverage phase (boundary values, each parameter broken in turn, undeclared
methods) and EXAMPLES fuzzed examples per operation, positive and negative, Hypothesis derandomized.
Every answer must be: no server error (and no exception recorded by app.py), a documented status
with the documented content type, headers and body schema, a rejection of schema-violating input,
the platform's error envelope, and, for an error, no change to the record the request targeted.

Known findings (KNOWN) are failures already reported, each pinned by a strict-xfail regression test
in the suite's module; the suites drop only those failures, so everything else still fails.

Adding a contract is one entry in PLATFORMS (its hooks in hooks.py or, for SHOPLINE, hooks_shopline.py)
plus a two-line test module.
SHOP_SANDBOX_CONTRACT_EXAMPLES=<n> raises the fuzzing budget for a deeper local run;
SHOP_SANDBOX_CONTRACT_VERBOSE=1 lists how often each operation answered what.
"""
from __future__ import annotations

import collections
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.conftest import SEED, make_settings

# Fuzzed examples per operation (the examples and coverage phases add their own deterministic cases).
EXAMPLES = int(os.environ.get("SHOP_SANDBOX_CONTRACT_EXAMPLES", "50"))
STATEFUL_EXAMPLES = int(os.environ.get("SHOP_SANDBOX_CONTRACT_STATEFUL_EXAMPLES", "40"))
_VERBOSE = os.environ.get("SHOP_SANDBOX_CONTRACT_VERBOSE") == "1"
_HEX32 = re.compile(r"[0-9a-f]{32}")
_STATS: dict[str, list[float]] = {}
_OUTCOMES: collections.Counter = collections.Counter()
_SUPPRESSED: collections.Counter = collections.Counter()


# ---- the platforms' error envelopes ------------------------------------------------------------
def _is_json(response: Any) -> bool:
    return "json" in (response.headers.get("content-type") or [""])[0]


def _json(response: Any) -> Any:
    assert _is_json(response), f"{response.status_code} answer is not JSON: {response.headers.get('content-type')}"
    return response.json()


def shopee_envelope(ctx: Any, response: Any, case: Any) -> None:
    """Shopee: every JSON answer is {request_id, error, message}; an error has a non-empty `error`."""
    if response.status_code < 400 and not _is_json(response):
        return  # the auth pages: HTML or a redirect
    body = _json(response)
    assert isinstance(body, dict) and {"request_id", "error", "message"} <= set(body), body
    assert isinstance(body["request_id"], str) and _HEX32.fullmatch(body["request_id"]), body
    assert isinstance(body["message"], str), body
    if response.status_code >= 400:
        assert isinstance(body["error"], str) and body["error"], body
    else:
        assert body["error"] == "", body


def oneshop_envelope(ctx: Any, response: Any, case: Any) -> None:
    """1shop: {success, data, msg}, HTTP 200 whether it succeeded (0) or not (data []), seed 003;
    429: {success: -9999}; only the sandbox failing answers 5xx (with the same three parts)."""
    body = _json(response)
    assert isinstance(body, dict) and isinstance(body.get("success"), int), body
    if response.status_code == 429:
        assert body == {"success": -9999}, body
        return
    assert set(body) == {"success", "data", "msg"} and isinstance(body["msg"], str), body
    if body["success"] != 0:
        assert body["data"] == [] and body["msg"], body
    assert response.status_code == 200 or response.status_code >= 400 and body["success"] != 0, body
    # 1shop refuses schema-violating input with HTTP 200 and a non-zero success (platform rejects_with
    # admits the 200; this says it must still be a refusal).
    from schemathesis.core.parameters import ParameterLocation

    meta = getattr(case, "_meta", None)
    if meta is not None and response.status_code == 200 and any(
            meta.is_negative_at(location) for location in (ParameterLocation.QUERY, ParameterLocation.PATH)):
        assert body["success"] != 0, f"schema-violating input answered success 0: {body}"


def shopline_envelope(ctx: Any, response: Any, case: Any) -> None:
    """SHOPLINE Open API: 422 {"message": "Unable to process the changes [...]"}, every other error
    {"error", "code"} (routes_openapi.py; app.py's handlers answer the same on /v1/webhooks*)."""
    if response.status_code < 400 or case.method.upper() == "HEAD":
        return
    body = _json(response)
    if response.status_code == 422:
        assert isinstance(body, dict) and set(body) == {"message"}, body
        assert re.fullmatch(r"Unable to process the changes \[.+\]", body["message"], re.S), body
    else:
        assert isinstance(body, dict) and set(body) == {"error", "code"}, body
        assert all(isinstance(body[k], str) and body[k] for k in ("error", "code")), body


def shopline_global_envelope(ctx: Any, response: Any, case: Any) -> None:
    """SHOPLINE global: every error is {"errors": "<text>"} (routes_global.py, and app.py's handlers
    on /admin/openapi/*)."""
    if response.status_code < 400 or case.method.upper() == "HEAD":
        return
    body = _json(response)
    assert isinstance(body, dict) and set(body) == {"errors"} and isinstance(body["errors"], str) and body["errors"], body


# The auth page's form answers its own HTML page on a wrong password (400) or an old ticket (410).
_ADMIN_HTML_ERRORS = {"/_sandbox/shopee/auth_page/submit"}


def admin_envelope(ctx: Any, response: Any, case: Any) -> None:
    """Admin: every error is {"error": code, "message": text, ...}."""
    if response.status_code < 400 or case.operation.path in _ADMIN_HTML_ERRORS:
        return
    body = _json(response)
    assert isinstance(body, dict) and isinstance(body.get("error"), str) and body["error"], body
    assert isinstance(body.get("message"), str) and body["message"], body


# ---- known findings ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Known:
    """A reported finding: which failures it explains (failure, case, response -> bool)."""
    id: str
    summary: str
    matches: Callable[[Any, Any, Any], bool]


# None open: S1-S6, O1, A1 and A2 are fixed (docs/fidelity.md, "Findings") and their regression tests
# pass. A new one: Known("X1", "what is wrong (file)", lambda failure, case, response: <it is this>),
# its id in the Platform's `known`, and a strict-xfail test in the suite's module.
KNOWN: dict[str, Known] = {k.id: k for k in ()}


@dataclass(frozen=True)
class Platform:
    contract: str                       # path under contracts/
    envelope: Callable[[Any, Any, Any], None]
    auth: str | None                    # the auth provider class in hooks.py / hooks_shopline.py, or None
    steer: str                          # the map_case hook in hooks.py / hooks_shopline.py
    known: tuple[str, ...] = ()         # KNOWN findings this suite may meet
    # Statuses that count as rejecting schema-violating input, besides Schemathesis' 4xx defaults.
    rejects_with: tuple[int, ...] = ()
    excluded: dict[str, str] = field(default_factory=dict)  # path regex -> why it is left out
    prepare: str | None = None          # a hook making the suite's own records after every restore
    examples: int | None = None         # fuzzed examples per operation, when not EXAMPLES


PLATFORMS: dict[str, Platform] = {
    "shopee": Platform("shopee/openapi.yaml", shopee_envelope, "ShopeeSigner", "steer_shopee"),
    # 1shop answers every failure but the rate limit with HTTP 200 (seed 003): oneshop_envelope checks
    # that a schema-violating request got a non-zero success instead.
    "oneshop": Platform("oneshop/openapi.yaml", oneshop_envelope, "OneshopCredentials", "steer_oneshop",
                        rejects_with=(200,)),
    # A form post without its ticket is an expired page: 410 with the page (contract: 410).
    "admin": Platform("admin/openapi.yaml", admin_envelope, None, "steer_admin",
                      rejects_with=(410,),
                      excluded={"^/_sandbox/shopline/": "its trigger's `to` queues deliveries to any URL: "
                                                          "hooks._local_urls must keep it local first"}),
    # SHOPLINE's two flavours: few operations, so fewer fuzzed examples keep the whole run short.
    "shopline": Platform("shopline/openapi.yaml", shopline_envelope, "ShoplineOpenApiToken", "steer_shopline",
                         prepare="prepare_shopline", examples=25),
    "shopline-global": Platform("shopline-global/openapi.yaml", shopline_global_envelope, "ShoplineGlobalToken",
                                "steer_shopline_global", prepare="prepare_shopline_global", examples=25),
}


def _hook(name: str) -> Any:
    """A hook (auth provider, steer, prepare) by name, from hooks.py or hooks_shopline.py."""
    from tests.contract import hooks, hooks_shopline

    for module in (hooks, hooks_shopline):
        if hasattr(module, name):
            return getattr(module, name)
    raise AttributeError(f"no contract hook {name}")


def _examples(platform: Platform) -> int:
    # A deeper local run (SHOP_SANDBOX_CONTRACT_EXAMPLES) raises every suite, never lowers one.
    return EXAMPLES if platform.examples is None or "SHOP_SANDBOX_CONTRACT_EXAMPLES" in os.environ \
        else min(EXAMPLES, platform.examples)


def schemathesis_config(platform: Platform) -> Any:
    import schemathesis

    rejects = [400, 401, 403, 404, 405, 406, 409, 413, 415, 422, 428, 429, "5xx", *platform.rejects_with]
    return schemathesis.Config.from_dict({
        "seed": SEED,
        # Generated data may be slow to draw or filtered a lot: that is not what these suites test.
        "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large", "large_base_example"],
        "generation": {"mode": "all", "max-examples": _examples(platform), "deterministic": True,
                       "database": "none"},
        # Reproducible runs: no constants harvested from the app's modules (their order follows
        # PYTHONHASHSEED) and no values harvested from answers (request ids, delivery ids are random).
        # hooks.steer_* put the seed world's real ids into the examples instead.
        "analysis": {"constants": {"enabled": False}},
        # The stateful phase never runs inside the parametrized test; stateful_test() runs it, with
        # positive data (link scenarios need answers to follow; negative data is the other tests' job).
        "phases": {"stateful": {"enabled": True, "max-steps": 6, "generation": {"mode": "positive"}},
                   "examples": {"extra-data-sources": {"responses": False}},
                   "coverage": {"extra-data-sources": {"responses": False}},
                   "fuzzing": {"extra-data-sources": {"responses": False}}},
        "checks": {
            # Schema-valid requests are refused by business rules (unknown ids, wrong statuses,
            # expired codes): "positive data is accepted" is not a property of these APIs.
            "positive_data_acceptance": {"enabled": False},
            "negative_data_rejection": {"expected-statuses": rejects},
        },
    })


@dataclass
class Suite:
    name: str
    platform: Platform
    sandbox: Any
    schema: Any
    checks: list[Callable[[Any, Any, Any], None]]
    test: Callable[..., None]


def contract_suite(name: str) -> Suite:
    """The Schemathesis suite of one contract, bound to its own in-process sandbox."""
    import schemathesis

    from mockserver.app import create_app
    from mockserver.resources import data_dir
    from tests.contract import hooks

    platform = PLATFORMS[name]
    sandbox = hooks.Sandbox(create_app(make_settings()), _hook(platform.prepare) if platform.prepare else None)
    schema = schemathesis.openapi.from_path(data_dir("contracts") / platform.contract,
                                            config=schemathesis_config(platform))
    for pattern in platform.excluded:
        schema = schema.exclude(path_regex=pattern)
    schema.app = sandbox.app
    if platform.auth is not None:
        provider = _hook(platform.auth)
        schema.auth(refresh_interval=None)(hooks.bind(provider, sandbox))
    steer = _hook(platform.steer)
    schema.hooks.register_hook_with_name(lambda context, case: steer(sandbox, case), "map_case")
    known = [KNOWN[k] for k in platform.known]

    def filter_failure(context: Any, failure: Any, case: Any, response: Any) -> bool:
        for finding in known:
            if finding.matches(failure, case, response):
                _SUPPRESSED[finding.id] += 1
                return False
        return True

    schema.hooks.register_hook_with_name(filter_failure, "filter_failure")
    checks = [platform.envelope, crash_check(sandbox)]

    @schema.parametrize()
    def test_contract(case: Any) -> None:
        sandbox.restore()
        watched = sandbox.watch(case)
        started = time.perf_counter()
        response = None
        try:
            response = case.call_and_validate(additional_checks=[*checks, sandbox.unchanged(watched)])
        finally:
            sandbox.settle(case.method, None if response is None else response.status_code)
            _record(name, case, response, time.perf_counter() - started)

    return Suite(name, platform, sandbox, schema, checks, test_contract)


def stateful_test(suite: Suite) -> Callable[[], None]:
    """A test running the contract's OpenAPI links as Hypothesis state machine scenarios."""
    import hypothesis

    sandbox, checks = suite.sandbox, suite.checks
    base = suite.schema.as_state_machine()

    class Links(base):  # type: ignore[valid-type, misc]
        def setup(self) -> None:
            sandbox.dirty = True  # every scenario starts from the seed world
            sandbox.restore()

        def validate_response(self, response: Any, case: Any, additional_checks: Any = None, **kwargs: Any) -> None:
            _record(suite.name + " (links)", case, response, 0.0)
            super().validate_response(response, case, additional_checks=[*checks, *(additional_checks or [])],
                                      **kwargs)

    settings = hypothesis.settings(max_examples=STATEFUL_EXAMPLES, stateful_step_count=6, derandomize=True,
                                   deadline=None, database=None, suppress_health_check=list(hypothesis.HealthCheck))

    def test_links() -> None:
        Links.run(settings=settings)

    return test_links


def contract_admits_body(schema: Any, path: str, method: str, body: Any) -> bool:
    """Whether the contract's request body schema of an operation admits `body`."""
    import jsonschema

    alternative = schema[path][method].get_body_for_media_type("application/json")
    return jsonschema.Draft202012Validator(alternative.validation_schema).is_valid(body)


def crash_check(sandbox: Any) -> Callable[[Any, Any, Any], None]:
    def no_sandbox_crash(ctx: Any, response: Any, case: Any) -> None:
        """app.py's crash handler records every exception a handler raised: there must be none."""
        crashes = sandbox.crashes()
        assert not crashes, f"the sandbox raised {crashes[0]!r}"
    return no_sandbox_crash


# ---- what ran ------------------------------------------------------------------------------------
def _record(name: str, case: Any, response: Any, seconds: float) -> None:
    stats = _STATS.setdefault(name, [0, 0.0])
    stats[0] += 1
    stats[1] += seconds
    if _VERBOSE:
        mode = case.meta.generation.mode.value if case.meta else "-"
        _OUTCOMES[(name, case.operation.label, mode, _outcome(response))] += 1


def _outcome(response: Any) -> str:
    if response is None:
        return "failed"
    try:
        body = response.json()
    except ValueError:  # not JSON (the auth pages)
        return str(response.status_code)
    if isinstance(body, dict):
        detail = " ".join(str(body.get(k) or "") for k in ("error", "message", "msg", "errors"))
        return f"{response.status_code} {' '.join(detail.split())[:90]}"
    return str(response.status_code)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Requests each contract suite sent, how fast the in-process app answered them, and how often
    each known finding was met (and dropped)."""
    for key, count in sorted(_OUTCOMES.items()):
        terminalreporter.write_line(f"{count:5d} {' | '.join(key)}")
    for name, (count, seconds) in sorted(_STATS.items()):
        rate = f" ({count / seconds:.0f}/s in call+checks)" if seconds else ""
        terminalreporter.write_line(f"contract suite {name}: {int(count)} requests{rate}")
    for finding, count in sorted(_SUPPRESSED.items()):
        terminalreporter.write_line(f"known finding {finding} met {count} times: {KNOWN[finding].summary}")
