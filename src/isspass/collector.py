"""The cyclic garbage collector, paused while a burst of long-lived objects is made.

Scanning objects again and again while they are being made, when every one of them is kept, is wasted work.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """No automatic cyclic collection inside the block; afterwards the collector is as it was.

    For building many objects that outlive the block and form no reference cycles: each
    allocation counts towards the next collection, and a collection scans every object made
    so far, so a burst of objects that are all kept gets scanned several times over for
    nothing. Reference counting still frees everything as usual inside the block; the
    collector, once enabled again, takes the new objects in one young-generation pass.
    The switch is process-wide: other threads' automatic collections wait for the block too,
    so keep it to bursts of milliseconds.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
