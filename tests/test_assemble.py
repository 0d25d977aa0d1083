"""The event table of result assembly, on hand-made passes, shadows and lit segments."""

from __future__ import annotations

import numpy as np

from isspass.search.assemble import Event, event_times
from isspass.search.roots import Intervals
from isspass.search.visibility import lit_segments

NAN = np.nan


def test_events_are_the_rows_of_the_table_in_order():
    assert [event.value for event in Event] == list(range(10))


def test_event_times_of_a_split_pass_an_unlit_pass_and_a_lit_pass():
    passes = Intervals(
        owner=np.array([0, 0, 1]),
        start=np.array([100.0, 300.0, 500.0]),
        peak=np.array([150.0, 340.0, 550.0]),
        end=np.array([200.0, 400.0, 600.0]),
        peak_value=np.full(3, 0.5),
    )
    horizon_start = np.array([50.0, 280.0, 480.0])
    horizon_end = np.array([250.0, 420.0, 620.0])
    shadow = Intervals(
        owner=np.zeros(2, dtype=np.intp),
        start=np.array([120.0, 290.0]),
        peak=np.array([145.0, 350.0]),
        end=np.array([170.0, 410.0]),
        peak_value=np.full(2, 0.1),
    )
    lit = lit_segments(passes.start, passes.end, shadow.start, shadow.end)
    table = event_times(shadow, passes, horizon_start, horizon_end, lit)
    expected = {
        Event.RISE: [100.0, 300.0, 500.0],
        Event.CULMINATION: [150.0, 340.0, 550.0],
        Event.SET: [200.0, 400.0, 600.0],
        Event.HORIZON_RISE: [50.0, 280.0, 480.0],
        Event.HORIZON_SET: [250.0, 420.0, 620.0],
        Event.APPEARS: [100.0, NAN, 500.0],
        # the peak (150, in the shadow) moved to the nearer lit edge: 170, not 120
        Event.HIGHEST: [170.0, NAN, 550.0],
        Event.DISAPPEARS: [200.0, NAN, 600.0],
        Event.SHADOW_ENTRY: [120.0, 290.0, NAN],
        Event.SHADOW_EXIT: [170.0, 410.0, NAN],
    }
    assert table.shape == (len(Event), 3)
    for event, row in expected.items():
        np.testing.assert_array_equal(table[event], row, err_msg=event.name)
