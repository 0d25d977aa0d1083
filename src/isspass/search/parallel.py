"""Chunks of observers searched elsewhere: in worker processes on this machine, or on a Dask cluster.

Results come back as one PassTable per chunk (small to send), in the observers' order, with a
bounded number of chunks in flight.
"""

from __future__ import annotations

import copyreg
import os
import pickle
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any

from sgp4.api import WGS72, Satrec

from ..model import Observer
from ..passtable import PassTable
from ..worker_threads import start_with_one_blas_thread
from .passes import chunk_table
from .track import Track

if TYPE_CHECKING:
    from concurrent.futures import Future

#: Chunks submitted ahead of the one being yielded, per worker: enough to keep every worker
#: busy, few enough that memory stays bounded whatever the number of observers.
_AHEAD_PER_WORKER = 2
#: Chunks per Dask task: a task costs a cluster some milliseconds of its own, which a chunk of
#: 256 observers × 1 day (some tens of milliseconds of work) would feel.
CHUNKS_PER_TASK = 4

_SATREC_FIELDS = (
    "satnum", "jdsatepoch", "jdsatepochF", "bstar", "ndot", "nddot", "ecco", "argpo", "inclo", "mo",
    "no_kozai", "nodeo", "operationmode",
)  # fmt: skip
#: What a TLE says besides the mean elements (the revolution number numbers the passes).
_SATREC_LABELS = ("revnum", "elnum", "epochyr", "epochdays", "classification", "intldesg", "ephtype")


def _satrec_from(state: tuple[Any, ...], labels: tuple[Any, ...] = ()) -> Satrec:
    """A Satrec rebuilt from its mean elements: propagates exactly as the original (same
    initialisation as ``twoline2rv``, and the epoch split restored to the bit)."""
    values = dict(zip(_SATREC_FIELDS, state, strict=True))
    satrec = Satrec()
    satrec.sgp4init(
        WGS72, values["operationmode"], values["satnum"],
        values["jdsatepoch"] + values["jdsatepochF"] - 2433281.5, values["bstar"], values["ndot"],
        values["nddot"], values["ecco"], values["argpo"], values["inclo"], values["mo"],
        values["no_kozai"], values["nodeo"],
    )  # fmt: skip
    satrec.jdsatepoch, satrec.jdsatepochF = values["jdsatepoch"], values["jdsatepochF"]
    for name, value in zip(_SATREC_LABELS, labels, strict=False):
        setattr(satrec, name, value)
    return satrec


def _reduce_satrec(satrec: Satrec) -> tuple[Callable[..., Satrec], tuple[Any, ...]]:
    state = tuple(getattr(satrec, name) for name in _SATREC_FIELDS)
    return _satrec_from, (state, tuple(getattr(satrec, name) for name in _SATREC_LABELS))


# sgp4's Satrec cannot be pickled on its own; a track sent to a worker carries one.
copyreg.pickle(Satrec, _reduce_satrec)


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def check_workers(workers: int) -> int:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, not {workers!r}")
    return workers


# --------------------------------------------------------------------------- worker processes

#: A chunk of observers and the index of its first one among all the observers searched.
Chunk = tuple[int, Sequence[Observer]]

_worker_track: list[Track] = []  # the track of this worker process, set once when it starts


def _start_worker(track: Track) -> None:
    _worker_track[:] = [track]


def _worker_chunk(
    observers: Sequence[Observer], settings: tuple[float, float, bool], first: int
) -> PassTable:
    return chunk_table(_worker_track[0], observers, *settings).shifted(first)


def iter_in_processes(
    track: Track,
    chunks: Iterable[Chunk],
    workers: int,
    settings: tuple[float, float, bool],
) -> Iterator[PassTable]:
    """The passes of every chunk, in order (observer ``k`` of a chunk is ``first + k``),
    searched by ``workers`` processes (spawned: safe beside threads), each with one BLAS
    thread (see :mod:`isspass.worker_threads`); the track is sent to each once. ``chunks`` is
    read lazily, a few chunks per worker ahead of the one yielded."""
    # Imported here: a search in this process (the command line's) needs no process machinery.
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    setup = pickle.dumps((_start_worker, (track,)), protocol=pickle.HIGHEST_PROTOCOL)
    pool = ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=start_with_one_blas_thread, initargs=(setup,)
    )
    with pool:
        pending: deque[Future[PassTable]] = deque()
        for first, observers in chunks:
            pending.append(pool.submit(_worker_chunk, observers, settings, first))
            if len(pending) >= workers * _AHEAD_PER_WORKER:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


# --------------------------------------------------------------------------- Dask


def _dask_chunks(track: Track, chunks: list[Chunk], settings: tuple[float, float, bool]) -> list[PassTable]:
    return [chunk_table(track, observers, *settings).shifted(first) for first, observers in chunks]


def iter_on_dask(
    client: Any,
    track: Track,
    chunks: Iterable[Chunk],
    settings: tuple[float, float, bool],
) -> Iterator[PassTable]:
    """The passes of every chunk, in order, searched on the cluster behind a
    ``dask.distributed.Client``: the track is scattered to every worker once, then each
    :data:`CHUNKS_PER_TASK` chunks are a task; at most two tasks per worker thread are in
    flight, and ``chunks`` is read no further ahead than that."""
    # A key of its own: an equal track scattered by an earlier search may be being released meanwhile.
    shared = client.scatter(track, broadcast=True, hash=False)
    ahead = max(2, _AHEAD_PER_WORKER * sum(client.nthreads().values()))
    pending: deque[Any] = deque()
    source = iter(chunks)
    while group := [(first, list(observers)) for first, observers in islice(source, CHUNKS_PER_TASK)]:
        pending.append(client.submit(_dask_chunks, shared, group, settings, pure=False))
        if len(pending) >= ahead:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()
