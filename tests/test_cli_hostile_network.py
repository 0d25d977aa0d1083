"""The installed command against a hostile GP server on 127.0.0.1: ``isspass update`` and the
main command's automatic refresh.

The cache holds a fresh set fetched 30 hours ago, so that the main command's refresh is due
and a refused answer still leaves it something good to predict with. Every case checks the
exit code, the lines on stderr, how many requests the server saw, and the cached elements.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from gp_server import GPServer, Reply, body, trickle
from hostile_cli import (
    DAY,
    HOUR,
    ZURICH,
    Ran,
    World,
    fails,
    inert_bytes,
    omm_at,
    succeeds,
    utc,
)
from isspass.download import TOTAL_TIMEOUT_S

#: From now on, for a day: the main command's refresh is due (the cache was fetched 30 h ago).
PREDICT = (*ZURICH, "--days", "1", "--format", "json")
FORBIDDEN = (
    b"GP data has not updated since your last successful\r\ndownload of CATNR=25544 at "
    b"2026-11-25 08:11:36 UTC.\r\nData is updated once every 2 hours."
)
HOSTILE_NAME = "ISS \x1b[2J\x1b]0;owned\x07\u009b31m\u202eAYRAZ"


@pytest.fixture
def server():
    with GPServer() as running:
        yield running


@pytest.fixture
def world(tmp_path, server) -> World:
    world = World(tmp_path)
    world.env["ISSPASS_ELEMENTS_URL"] = server.url
    world.cache_holds(utc(time.time() - 1.5 * DAY), fetched_ago_s=30 * HOUR)
    return world


def fresh(**fields: object) -> bytes:
    """A valid answer, half a day old, with ``fields`` changed."""
    return omm_at(utc(time.time() - 0.5 * DAY), **fields)


def raw_field(name: str, json_text: bytes) -> bytes:
    """A valid answer whose field ``name`` is the JSON text given (``1e400``, ``true``…)."""
    return fresh(**{name: "@@"}).replace(b'"@@"', json_text)


def redirect(status: int, location: Callable[[BaseHTTPRequestHandler], str]) -> Reply:
    def reply(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location(handler))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    return reply


def element_files(world: World) -> dict[str, bytes]:
    return {name: data for name, data in world.snapshot().items() if name != "state.json"}


def from_the_cache(world: World, ran: Ran, *warnings: str) -> None:
    """A successful prediction from the cached set, with exactly these warnings."""
    report = json.loads(succeeds(ran, *warnings))
    assert report["satellite"]["source"] == f"cache ({world.cache / '25544.json'})"


# --------------------------------------------------------------------------- hostile answers

#: id: (the server's answer, given the server and a second one; what the failure says)
HOSTILE: dict[str, tuple[Callable[[GPServer, GPServer], Reply], str]] = {
    "301-same-host": (
        lambda server, other: redirect(301, lambda h: server.url + "?CATNR=25544&FORMAT=JSON&again=1"),
        "answered HTTP 301 Moved Permanently, pointing to http://127.0.0.1:",
    ),
    "302-other-host": (
        lambda server, other: redirect(302, lambda h: other.url + "?CATNR=25544&FORMAT=JSON"),
        "answered HTTP 302 Found, pointing to http://127.0.0.1:",
    ),
    "307-loop": (
        lambda server, other: redirect(307, lambda h: h.path),
        "answered HTTP 307 Temporary Redirect, pointing to /NORAD/elements/gp.php?CATNR=25544&FORMAT=JSON; "
        "redirects are not followed",
    ),
    "403-celestrak": (
        lambda server, other: body(403, FORBIDDEN, "text/plain"),
        "answered HTTP 403 Forbidden: GP data has not updated since your last successful download of "
        "CATNR=25544 at 2026-11-25 08:11:36 UTC. Data is updated once every 2 hours.",
    ),
    "malformed-json": (
        lambda server, other: body(200, b'[{"OBJECT_NAME": "ISS (ZARYA)", "EPOCH": '),
        "the answer: not valid JSON (Expecting value: line 1 column",
    ),
    "deeply-nested": (
        lambda server, other: body(200, b"[" * 200_000 + b"]" * 200_000),
        "the answer: JSON nested too deeply to be OMM",
    ),
    "norad-1e300": (
        lambda server, other: body(200, raw_field("NORAD_CAT_ID", b"1e300")),
        "NORAD_CAT_ID 1e+300 is not a catalogue number",
    ),
    "mean-motion-1e400": (
        lambda server, other: body(200, raw_field("MEAN_MOTION", b"1e400")),
        "MEAN_MOTION inf is not finite",
    ),
    "mean-motion-true": (
        lambda server, other: body(200, raw_field("MEAN_MOTION", b"true")),
        "MEAN_MOTION True is not a number",
    ),
    "mean-motion-abc": (
        lambda server, other: body(200, fresh(MEAN_MOTION="abc")),
        "MEAN_MOTION 'abc' is not a number",
    ),
    "element-set-no-abc": (
        lambda server, other: body(200, fresh(ELEMENT_SET_NO="abc")),
        "ELEMENT_SET_NO 'abc' is not a number",
    ),
    "steering-name": (
        lambda server, other: body(200, fresh(OBJECT_NAME=HOSTILE_NAME)),
        "OBJECT_NAME 'ISS \\x1b[2J\\x1b]0;owned\\x07\\x9b31m\\u20… is not a short line of text",
    ),
}


@pytest.mark.parametrize(("answer", "fragment"), HOSTILE.values(), ids=HOSTILE.keys())
def test_the_refresh_meets_a_hostile_answer_and_update_backs_off(world, server, answer, fragment):
    with GPServer() as other:
        server.reply = answer(server, other)
        before = element_files(world)
        refreshed = world.run(*PREDICT)
        from_the_cache(world, refreshed, "could not update elements for 25544: ")
        assert fragment in refreshed.lines[0] and refreshed.lines[0].endswith("; using the elements at hand")
        ran = world.run("update")
        fails(ran, 6, "fetching elements for 25544 failed at", fragment, "; not asking again before ")
        assert len(server.requests) == 1 and other.requests == []
    assert element_files(world) == before
    entry = world.state()["25544"]
    assert entry["failures"] == 1 and fragment in entry["last_error"]


UPDATE_FIRST = ["302-other-host", "307-loop", "403-celestrak"]


@pytest.mark.parametrize("case", UPDATE_FIRST)
def test_update_meets_a_hostile_answer_and_the_refresh_backs_off(world, server, case):
    answer, fragment = HOSTILE[case]
    with GPServer() as other:
        server.reply = answer(server, other)
        before = element_files(world)
        fails(world.run("update"), 6, "could not update elements for 25544: ", fragment)
        from_the_cache(
            world,
            world.run(*PREDICT),
            f"fetching elements for 25544 failed at {utc(time.time()):%Y-%m-%d}",
        )
        assert len(server.requests) == 1 and other.requests == []
    assert element_files(world) == before


def test_a_steering_name_reaches_no_stream_and_no_file(world, server):
    server.reply = body(200, fresh(OBJECT_NAME=HOSTILE_NAME))
    assert world.run("update").code == 6
    listed = world.run("elements")
    out = succeeds(listed)
    assert b"25544  last fetch failed at " in out and b"\\x1b[2J" in out
    for data in world.snapshot().values():
        assert inert_bytes(data)
    assert len(server.requests) == 1


# --------------------------------------------------------------------------- worse epochs: six cron runs


@pytest.mark.parametrize(
    ("epoch", "fragment"),
    [
        (lambda now: utc(now).replace(year=2099), "is outside 1957..2056: not a real element set"),
        (lambda now: utc(now - 3 * DAY), "is older than the cached"),
    ],
    ids=["2099", "older-than-the-cache"],
)
def test_a_worse_epoch_is_refused_kept_out_and_backed_off(world, server, epoch, fragment):
    server.reply = body(200, omm_at(epoch(time.time())))
    before = element_files(world)
    runs = [world.run(*PREDICT) for _ in range(6)]
    from_the_cache(world, runs[0], "could not update elements for 25544: the answer")
    assert fragment in runs[0].err
    for later in runs[1:]:
        from_the_cache(world, later, "fetching elements for 25544 failed at ")
        assert fragment in later.err and "not asking again before" in later.err
    assert len(server.requests) == 1
    assert element_files(world) == before
    assert world.state()["25544"]["failures"] == 1


# --------------------------------------------------------------------------- bad URLs


@pytest.mark.parametrize("url", ["not a url", "http://[::1"])
@pytest.mark.parametrize("args", [("update",), PREDICT], ids=["update", "predict"])
def test_a_malformed_elements_url_is_a_configuration_error(world, server, url, args):
    before = world.snapshot()
    ran = world.run(*args, env={"ISSPASS_ELEMENTS_URL": url})
    fails(ran, 7, "environment variable ISSPASS_ELEMENTS_URL", f"elements URL '{url}'")
    assert server.requests == [] and world.snapshot() == before


# --------------------------------------------------------------------------- the cache cannot be written


def test_a_file_where_the_cache_directory_should_be(world, server):
    server.reply = body(200, fresh())
    blocker = world.root / "a-file"
    blocker.write_bytes(b"not a cache\n")
    env = {"ISSPASS_CACHE_DIR": str(blocker)}
    fails(
        world.run("update", env=env),
        1,
        f"could not update elements for 25544: the cache directory {blocker} is a file, not a directory; "
        "not asking the server, since its answer could not be kept",
    )
    # The bundled set is too old for a window starting now: refused, saying why nothing fresher.
    fails(world.run(*PREDICT, env=env), 5, "elements for ISS (ZARYA)")
    assert server.requests == [] and blocker.read_bytes() == b"not a cache\n"


@pytest.mark.parametrize(
    ("home", "fragment"),
    [
        ("no-such-home", "the home directory {home} does not exist"),
        ("a-file/home", "part of its path is a file, not a directory"),
    ],
)
def test_a_home_that_does_not_exist(world, server, home, fragment):
    server.reply = body(200, fresh())
    (world.root / "a-file").write_bytes(b"")
    path = world.root / home
    env = {"HOME": str(path), "ISSPASS_CACHE_DIR": None}
    cache = path / ".cache" / "isspass"
    fails(
        world.run("update", env=env),
        1,
        f"the cache directory {cache} cannot be used: {fragment.format(home=path)}; not asking the server",
    )
    fails(world.run(*PREDICT, env=env), 5, "elements for ISS (ZARYA)")
    assert server.requests == [] and not path.exists()


# --------------------------------------------------------------------------- a trickle


class Trickled:
    """One command run against its own server, which sends a valid answer a byte at a time."""

    def __init__(self, stack: contextlib.ExitStack, root: Path, args: tuple[str, ...], pause_s: float):
        self.server = stack.enter_context(GPServer())
        self.arrived: list[float] = []
        answer = fresh()
        sending = trickle(answer, pause_s * len(answer), self.server.release)

        def reply(handler: BaseHTTPRequestHandler) -> None:
            self.arrived.append(time.monotonic())
            sending(handler)

        self.server.reply = reply
        self.world = World(root)
        self.world.env["ISSPASS_ELEMENTS_URL"] = self.server.url
        self.world.cache_holds(utc(time.time() - 1.5 * DAY), fetched_ago_s=30 * HOUR)
        self.process = stack.enter_context(self.world.popen(*args))
        stack.callback(self.process.kill)

    def result(self) -> tuple[Ran, float]:
        """How the run ended, and how long after its request arrived."""
        out, err = self.process.communicate(timeout=TOTAL_TIMEOUT_S + 30)
        ended = time.monotonic()
        assert len(self.arrived) == 1 and len(self.server.requests) == 1
        return Ran(self.process.returncode, out, err, 0.0), ended - self.arrived[0]

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server.httpd.server_address[1]}"


@pytest.fixture(scope="module", autouse=True)
def trickles(tmp_path_factory: pytest.TempPathFactory):
    """The two trickle runs, started with the module so that their wait overlaps its other tests.

    The whole-answer deadline (download.TOTAL_TIMEOUT_S, 30 s) cannot be shortened from
    outside the library, so the 30 s are spent in the background: ``update`` against one
    byte every 2 s (each wait well under the 10 s read limit), the main command's refresh
    against one byte every 0.1 s.
    """
    with contextlib.ExitStack() as stack:
        root = tmp_path_factory.mktemp("trickle")
        yield {
            "update": Trickled(stack, root / "update", ("update",), 2.0),
            "predict": Trickled(stack, root / "predict", PREDICT, 0.1),
        }


def test_a_trickle_is_cut_at_the_whole_answer_deadline(trickles):
    update, predict = trickles["update"], trickles["predict"]
    ran, after_request_s = update.result()
    fails(ran, 6, f"could not update elements for 25544: {update.host} did not finish answering within 30 s")
    assert TOTAL_TIMEOUT_S <= after_request_s < TOTAL_TIMEOUT_S + 2
    ran, after_request_s = predict.result()
    cut = f"could not update elements for 25544: {predict.host} did not finish answering within 30 s"
    from_the_cache(predict.world, ran, cut)
    assert TOTAL_TIMEOUT_S <= after_request_s < TOTAL_TIMEOUT_S + 2
