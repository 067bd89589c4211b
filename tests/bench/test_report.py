"""bench/ must keep working: its modules import, and the pure parts (wrk's report, ratios, goals,
the Markdown and the before/after table) give the right text for fixed results. No network, no
wrk, no speed asserted."""
from __future__ import annotations

import importlib

import pytest

from bench import compare, goals, hotspots, report, throughput, wrk

MODULES = ("bench.calls", "bench.compare", "bench.goals", "bench.hotspots", "bench.installs", "bench.latency", "bench.machine",
           "bench.peers", "bench.plots", "bench.procs", "bench.profiles", "bench.receiver", "bench.report",
           "bench.runner", "bench.scale", "bench.startup", "bench.throughput", "bench.webhooks", "bench.wrk",
           "bench.bare_app")

WRK_OUT = """Running 8s test @ http://127.0.0.1:8000/api/v2/order/get_order_list?x=1
  1 threads and 16 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    14.63ms   24.32ms 213.66ms   91.08%
    Req/Sec     2.10k   789.73     3.82k    65.96%
  Latency Distribution
     50%  591.00us
     75%   12.37ms
     90%   34.37ms
     99%    1.29s
  10249 requests in 8.05s, 14.84MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   1273.12
Transfer/sec:      2.94MB
"""


def _round(rps: float, index: int = 1, errors: int = 0) -> dict:
    return {"rps": rps, "p50_ms": 5.0, "p99_ms": 50.0, "errors": errors, "load": 1.5, "round": index}


def _results() -> dict:
    targets = {
        "sandbox_list": {"label": "sandbox list", "bytes": 1386, "rounds": [_round(1000, 1), _round(1500, 2)]},
        "wiremock": {"label": "WireMock", "bytes": 1386, "rounds": [_round(2000, 1), _round(1000, 2)]},
        "prism": {"label": "Prism", "bytes": 1295, "rounds": [_round(500, 1), _round(3000, 2, errors=3)]},
        "sandbox_detail": {"label": "detail", "bytes": 9000, "rounds": [_round(900, 1), _round(1200, 2)]},
        "oneshop_list": {"label": "1shop", "bytes": 32000, "rounds": [_round(400, 1), _round(600, 2)]},
    }
    for target in targets.values():
        target.update(rps=throughput.summary(target["rounds"], "rps"), p50_ms=5.0, p99_ms=50.0)
    size = {"list_update_time": {"p50_ms": 1.0}, "list_create_time": {"p50_ms": 0.9}, "detail": {"p50_ms": 1.5}}
    return {
        "mode": "full", "started_at": "2026-12-04T00:00:00Z", "duration_seconds": 1200,
        "profile": {"wrk_seconds": 8, "rounds": 2},
        "machine": {"cpu_count": 2, "cpu_model": "test CPU", "load_at_start": [1.0, 1.0, 1.0],
                    "python": "3.11.7", "python_executable": "/opt/python/bin/python3.11",
                    "sandbox": {"version": "0.1.0", "commit": "abc1234"}},
        "peers": {"wiremock": {"version": "3.13.2"}, "prism": {"skipped": "no node"}},
        "throughput": {"targets": targets, "ratios": throughput.ratios(targets), "skipped": {}},
        "scale": {"rss_empty_shop": 50_000_000, "chunk": 100_000, "seed_calls": [
            {"count": 1000, "orders_after": 1000, "seconds": 0.1, "load": 1.0}],
            "sizes": [{"orders": 1000, "seed_seconds": 0.1, "rss": 60_000_000, "peak_rss": 61_000_000, **size},
                      {"orders": 1_000_000, "seed_seconds": 8.0, "rss": 1_050_000_000, "peak_rss": 1_100_000_000,
                       **size, "list_update_time": {"p50_ms": 1.1}}]},
        "startup": {"sandbox": {"runs": [{"ms": 250.0, "load": 1.0, "cpu_busy_before": 0.07},
                                         {"ms": 260.0, "load": 1.1}], "median_ms": 255.0}},
        "webhooks": {"engine": {"deliveries": 100, "workers": 4, "seconds": 0.05, "per_second": 2000.0},
                     "shopline_trigger": {"rps": 300.0, "p50_ms": 30.0, "p99_ms": 90.0, "errors": 0,
                                          "delivered": 2400, "drain_seconds": 1.0, "delivered_per_second": 250.0}},
    }


@pytest.mark.parametrize("name", MODULES)
def test_bench_modules_import(name):
    importlib.import_module(name)


def test_wrk_report_is_parsed_in_milliseconds_with_every_error_counted():
    figures = wrk.parse(WRK_OUT)
    assert figures == {"rps": 1273.12, "p50_ms": 0.591, "p99_ms": 1290.0, "requests": 10249, "errors": 7}


def test_wrk_post_script_keeps_the_json_intact():
    script = wrk.post_script({"topic": "order/create", "note": "a ]====] b"})
    assert 'wrk.method = "POST"' in script
    assert '[=====[{"topic": "order/create", "note": "a ]====] b"}]=====]' in script


def test_ratios_are_per_round_against_the_faster_peer_and_skip_rounds_with_errors():
    ratios = _results()["throughput"]["ratios"]
    assert ratios["list_vs_wiremock"] == {"per_round": [0.5, 1.5], "median": 1.0}
    # Round 2's Prism figure had errors: no ratio against the faster peer in that round.
    assert ratios["list_vs_faster_peer"] == {"per_round": [0.5, None], "median": 0.5}
    assert ratios["detail_vs_list"]["per_round"] == [0.9, 0.8]
    assert "list_vs_bare_flask" not in ratios


def test_goals_judge_each_row_of_the_issue():
    rows = {row["what"]: row for row in goals.evaluate(_results())}
    assert rows["signed `get_order_list`, page of 20"]["met"] is False
    assert rows["`get_order_detail` of 50"]["met"] is True
    assert rows["1shop `GET /v1/order` (50 orders)"]["met"] is False
    assert rows["`get_order_list` by `update_time`, p50"]["met"] is True  # 1.1 ms against 1.0: within 1.2x
    assert rows["seeding 1M orders into one shop"]["met"] is True
    assert "1.0 kB per order" in rows["seeding 1M orders into one shop"]["sandbox"]
    assert rows["startup to first healthy answer"]["met"] is True
    assert rows["SHOPLINE trigger"]["met"] is False
    assert rows["Shopee push deliveries"]["met"] is True


@pytest.mark.parametrize("answered,delivered,met", [(2500.0, 1800.0, False), (1800.0, 2500.0, False),
                                                     (2100.0, 2050.0, True)])
def test_the_trigger_goal_needs_triggers_answered_and_delivered(answered, delivered, met):
    results = _results()
    results["webhooks"]["shopline_trigger"].update(rps=answered, delivered_per_second=delivered)
    rows = {row["what"]: row for row in goals.evaluate(results)}
    assert rows["SHOPLINE trigger"]["met"] is met


def test_goals_of_a_quick_run_say_the_million_was_not_measured():
    results = _results()
    results["scale"]["sizes"].pop()
    rows = {row["what"]: row for row in goals.evaluate(results)}
    seeding = rows["seeding 1k orders into one shop"]
    assert seeding["met"] is None and "not 1M" in seeding["note"]


def test_markdown_has_the_table_the_figures_and_the_loads():
    text = report.render(_results(), {"startup": "performance/startup.png"})
    assert text.startswith(report.START) and text.rstrip().endswith(report.END)
    assert "| what | sandbox now | peers, same run | goal | met |" in text
    assert "| signed `get_order_list`, page of 20 | 1,250 req/s (p50 5.0 ms, p99 50.0 ms) |" in text
    assert "| **not met** |" in text and "| met |" in text
    assert "1,000 @ 1.5" in text  # every round's figure with the load it ran at
    assert "Prism skipped: no node" in text
    assert "Python 3.11.7 (/opt/python/bin/python3.11)" in text  # which interpreter's build was measured
    assert "![startup](performance/startup.png)" in text
    assert "250 @ 1.0 (7%), 260 @ 1.1 |" in text  # how busy the CPUs were before a start, when known


def test_writing_the_document_keeps_the_hand_written_text(tmp_path):
    document = tmp_path / "performance.md"
    report.write(document, report.render(_results()))
    first = document.read_text()
    document.write_text("# Performance\n\nWhy it is slow.\n\n" + first.split("\n\n", 1)[1] + "\nMore notes.\n")
    report.write(document, f"{report.START}\nnew figures\n{report.END}\n")
    text = document.read_text()
    assert text.startswith("# Performance\n\nWhy it is slow.\n")
    assert "new figures" in text and "1,250 req/s" not in text
    assert text.rstrip().endswith("More notes.")
    assert text.count(report.START) == 1


def test_compare_says_which_figures_got_better():
    before = _results()
    after = _results()
    after["throughput"]["targets"]["sandbox_list"]["rps"] = 2500.0
    after["scale"]["sizes"][1]["seed_seconds"] = 16.0
    lines = compare.table(before, after).splitlines()
    assert any(line.startswith("sandbox_list rps") and "2.00x" in line and "better" in line for line in lines)
    assert any(line.startswith("1M seed_seconds") and "worse" in line for line in lines)


def test_plots_are_drawn_from_the_results(tmp_path):
    pytest.importorskip("matplotlib")
    from bench import plots

    made = plots.draw(_results(), tmp_path)
    assert set(made) >= {"requests per second and p50/p99 against the peers", "p50 against shop size",
                         "seed time and RSS against size", "startup", "webhook deliveries per second"}
    assert all(path.read_bytes().startswith(b"\x89PNG") for path in made.values())


def test_hotspot_samples_go_to_the_innermost_frame_that_names_a_layer():
    raw = [
        "thread (1);run (mockserver/server.py:110);Flask.__call__ (flask/app.py:1536);"
        "RequestLog.__call__ (mockserver/core/request_log.py:68);dispatch (mockserver/shopee/blueprint.py:40);"
        "json_response (mockserver/core/web.py:20);dumps (json/__init__.py:231) 6",
        "thread (1);run (mockserver/server.py:110);RequestLog.__call__ (mockserver/core/request_log.py:68);"
        "dispatch (mockserver/shopee/blueprint.py:40);sign (mockserver/shopee/signing.py:28);new (hmac.py:184) 3",
        "thread (2);run (mockserver/server.py:110);RequestLog.__call__ (mockserver/core/request_log.py:78) 1",
        "not a sample line",
    ]
    found = hotspots.summarise(raw)
    assert found["samples"] == 10
    assert found["layers_percent"] == {"JSON encoding": 60.0, "request log, console, journal, fault hooks": 10.0,
                                       "platform code (mockserver/)": 30.0}
    assert found["top_functions_percent"]["dispatch (mockserver/shopee/blueprint.py)"] == 90.0
    assert not any(name.startswith("RequestLog.__call__") for name in found["top_functions_percent"])


def test_settle_waits_for_a_calm_window_and_gives_up_at_its_bound(monkeypatch):
    from bench import machine

    busy_then_calm = iter([(0, 0), (90, 100), (90, 100), (95, 200), (95, 200), (96, 300)])
    monkeypatch.setattr(machine, "_cpu_times", lambda: next(busy_then_calm))
    monkeypatch.setattr(machine.time, "sleep", lambda seconds: None)
    assert machine.settle(busy_below=0.2) == 0.05  # 90% busy, then 5%: the second window ends it
    always_busy = iter([(i * 100, i * 100) for i in range(10_000)])
    monkeypatch.setattr(machine, "_cpu_times", lambda: next(always_busy))
    clock = iter(range(0, 10_000, 3))
    monkeypatch.setattr(machine.time, "monotonic", lambda: next(clock))
    assert machine.settle(busy_below=0.2, at_most=10) == 1.0  # never calm: the bound ends the wait


def test_the_trigger_row_and_the_webhook_lines_give_the_webhookinbox_figure_beside():
    results = _results()
    results["webhooks"]["shopline_trigger_inbox"] = {"rps": 1700.0, "p50_ms": 9.0, "p99_ms": 20.0, "errors": 0,
                                                     "delivered": 13600, "drain_seconds": 0.2,
                                                     "delivered_per_second": 1650.0, "load": 1.0}
    rows = {row["what"]: row for row in goals.evaluate(results)}
    assert "(to a WebhookInbox: 1,700 answered, 1,650 delivered)" in rows["SHOPLINE trigger"]["sandbox"]
    text = report.render(results, {})
    assert "order/create to the receiver): **300 per s**" in text
    assert "order/create to a WebhookInbox): **1,700 per s**" in text


def test_shop_sizes_are_sampled_round_by_round_and_summarised_over_all_rounds(monkeypatch):
    from bench import latency, profiles, scale
    visited = []

    def timed(url, max_samples, budget):
        visited.append(url)
        return [float(len(visited))], 0

    monkeypatch.setattr(latency, "timed", timed)
    shops = {1_000: {"list": "small-list", "detail": "small-detail"}, 1_000_000: {"list": "big-list", "detail": "big-detail"}}
    measured = scale._latencies(shops, profiles.FULL)
    forward, backward = ["small-list", "small-detail", "big-list", "big-detail"], ["big-list", "big-detail", "small-list", "small-detail"]
    assert visited == (forward + backward) * (scale.ROUNDS // 2) + forward * (scale.ROUNDS % 2)
    # small-list was call 1, 7, 9, 15 and 17 of the 20: its p50 over all the rounds is the 9th
    assert measured[1_000]["list"] == {"p50_ms": 9.0, "min_ms": 1.0, "max_ms": 17.0, "samples": 5, "errors": 0,
                                       "rounds": 5}
    assert measured[1_000_000]["detail"]["p50_ms"] == 12.0  # calls 4, 6, 12, 14 and 20
