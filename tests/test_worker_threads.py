"""Worker processes run numpy's BLAS on one thread (unless the environment sets a count), as
the thread count is asked for before numpy loads in them."""

from __future__ import annotations

import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pytest

from isspass.worker_threads import THREAD_VARIABLES, start_with_one_blas_thread

_started: list[int] = []


def _remember(value: int) -> None:
    _started.append(value)


def _threads_numpy_adds() -> tuple[str | None, int, list[int]]:
    """In a worker: its OPENBLAS_NUM_THREADS, the threads loading numpy (and its BLAS) added,
    and what the initializer's own function was given."""
    import psutil

    before = psutil.Process().num_threads()
    import numpy

    numpy.ones((300, 3)) @ numpy.ones((3, 300))
    return os.environ.get("OPENBLAS_NUM_THREADS"), psutil.Process().num_threads() - before, _started


def _in_a_worker() -> tuple[str | None, int, list[int]]:
    setup = pickle.dumps((_remember, (7,)))
    context = get_context("spawn")
    with ProcessPoolExecutor(
        1, mp_context=context, initializer=start_with_one_blas_thread, initargs=(setup,)
    ) as pool:
        return pool.submit(_threads_numpy_adds).result(timeout=60)


def test_a_worker_loads_numpy_with_one_blas_thread(monkeypatch):
    pytest.importorskip("psutil")
    if len(os.sched_getaffinity(0)) < 2:
        pytest.skip("one core: BLAS starts no thread of its own either way")
    for name in THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    assert _in_a_worker() == ("1", 0, [7])


def test_a_count_set_by_the_user_is_kept(monkeypatch):
    monkeypatch.setenv("OPENBLAS_NUM_THREADS", "2")
    setting, _, started = _in_a_worker()
    assert (setting, started) == ("2", [7])
