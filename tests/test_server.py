"""The waitress runner: a background server stops cleanly even when its loop closes the wake-up
pipe before close() writes to it (a race seen about once in a hundred closes)."""
from __future__ import annotations

import urllib.request

from flask import Flask

from mockserver.server import BackgroundServer


def _app() -> Flask:
    app = Flask("server-test")
    app.add_url_rule("/", "ok", lambda: "ok")
    return app


def test_close_survives_a_wake_up_pipe_the_loop_already_closed():
    server = BackgroundServer(_app()).start()
    assert urllib.request.urlopen(server.url + "/", timeout=5).read() == b"ok"
    trigger = server._server.trigger
    real_pull = trigger.pull_trigger
    pulls = []

    def pull(thunk=None):
        pulls.append(thunk)
        if len(pulls) == 2:  # what the race looks like: the job runs, the wake-up write fails
            real_pull(thunk)
            raise OSError(9, "Bad file descriptor")
        return real_pull(thunk)

    trigger.pull_trigger = pull
    server.close()  # must not raise
    assert len(pulls) == 2
    assert not server._thread.is_alive()
