"""The cyclic collector paused for a block, and left as it was found, whatever happens inside."""

from __future__ import annotations

import gc
import weakref

import pytest

from isspass.collector import collector_paused


@pytest.fixture
def collector_restored():
    enabled = gc.isenabled()
    yield
    if enabled:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_enabled_again_after(collector_restored):
    gc.enable()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():  # nested: the inner block must not switch it on early
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_enables_it_again(collector_restored):
    gc.enable()
    with pytest.raises(ZeroDivisionError), collector_paused():
        1 / 0  # noqa: B018
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(collector_restored):
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_objects_made_inside_are_collected_as_usual_afterwards(collector_restored):
    gc.enable()

    class Node:
        pass

    with collector_paused():
        node = Node()
        node.self = node  # a cycle: only the collector can free it
        alive = weakref.ref(node)
        del node
        assert alive() is not None
    gc.collect()
    assert alive() is None
