"""Worker processes of a search: one thread each for numpy's linear algebra, asked for before numpy loads.

A process searching observers multiplies (observers × 3) by (3 × times) matrices; the BLAS under
numpy would start a thread per core in every worker process, so that N workers on N cores would
run N² busy threads, spinning against each other. Dask's nanny sets the same variables for its
workers. Nothing here imports numpy.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Any

#: The thread counts numpy's BLAS reads when it loads: OpenBLAS, OpenMP builds, MKL, Apple's Accelerate.
THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "VECLIB_MAXIMUM_THREADS")


def one_blas_thread() -> bool:
    """Ask for one BLAS thread in this process, unless its environment already sets a count.

    Effective only before numpy is first imported: returns False when it came too late.
    """
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    return "numpy" not in sys.modules


def start_with_one_blas_thread(setup: bytes) -> None:
    """A worker process's initializer: :func:`one_blas_thread`, then ``function(*args)`` from
    ``setup``, a pickled ``(function, args)``; unpickled only now, so that what it loads (numpy
    for arrays) loads after the thread count is set."""
    one_blas_thread()
    function: Callable[..., Any]
    function, args = pickle.loads(setup)
    function(*args)
