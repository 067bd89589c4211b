"""The console's writer thread: order kept, lines made by the writer among them, flush waits for
every line, a stalled stream bounded, a line that cannot be made lost alone."""
from __future__ import annotations

import io
import threading

from mockserver.core import line_writer
from mockserver.core.line_writer import LineWriter


def test_lines_come_out_in_order_once_flushed():
    out = io.StringIO()
    writer = LineWriter(lambda: out, lambda n: f"dropped {n}")
    threads = [threading.Thread(target=lambda t=t: [writer.put(f"{t}:{i}") for i in range(500)]) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert writer.flush(timeout=30)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2000
    for t in range(4):  # each thread's lines in the order it handed them over
        assert [line for line in lines if line.startswith(f"{t}:")] == [f"{t}:{i}" for i in range(500)]


def test_a_stream_that_does_not_keep_up_drops_lines_and_says_how_many(monkeypatch):
    monkeypatch.setattr(line_writer, "MAX_PENDING", 10)
    out = io.StringIO()
    release = threading.Event()

    class Stalled(io.StringIO):
        def write(self, text: str) -> int:
            release.wait(30)  # the first write blocks until the test has queued too many lines
            return out.write(text)

    stalled = Stalled()
    writer = LineWriter(lambda: stalled, lambda n: f"dropped {n}")
    writer.put("first")
    for i in range(100):
        writer.put(f"line {i}")
    release.set()
    assert writer.flush(timeout=30)
    lines = out.getvalue().splitlines()
    kept = [line for line in lines if line.startswith("line ")]
    dropped = [int(line.split()[1]) for line in lines if line.startswith("dropped ")]
    assert lines[0] == "first"
    assert len(kept) <= 20 and dropped  # at most two queues full (one taken before the stall)
    assert len(kept) + sum(dropped) == 100


def test_a_broken_stream_does_not_stop_the_writer():
    out = io.StringIO()
    streams = iter([None, out, out])

    def stream():
        current = next(streams)
        if current is None:
            raise OSError("closed pipe")
        return current

    writer = LineWriter(stream, lambda n: f"dropped {n}")
    writer.put("lost")
    assert writer.flush(timeout=30)
    writer.put("kept")
    assert writer.flush(timeout=30)
    assert out.getvalue() == "kept\n"


def test_flush_without_a_line_returns_at_once():
    assert LineWriter(lambda: io.StringIO(), str).flush(timeout=0.01)


def test_lines_made_by_the_writer_keep_their_place_and_one_that_fails_is_lost_alone():
    out = io.StringIO()
    writer = LineWriter(lambda: out, lambda n: f"dropped {n}")

    def made(number: int) -> str:
        if number == 2:
            raise ValueError("a bug in the line")
        return f"made {number}"

    for number in range(4):
        writer.put(f"plain {number}")
        writer.put_later(made, (number,))
    assert writer.flush(timeout=30)
    assert out.getvalue().splitlines() == ["plain 0", "made 0", "plain 1", "made 1", "plain 2", "plain 3", "made 3"]
