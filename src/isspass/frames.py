"""Passes as a pandas DataFrame: one row per pass, one typed column per quantity.

pandas is optional (``pip install 'isspass[pandas]'``) and imported only when a frame is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import tzinfo
from typing import TYPE_CHECKING, Any

from .model import Pass, PassPoint, _zone

if TYPE_CHECKING:
    import pandas

#: The moments of a pass that get columns of their own, in the order of the JSON schema.
POINTS = ("rise", "culmination", "set", "appears", "highest", "disappears")
#: Per moment: the column suffix, the PassPoint attribute, and the column's dtype (pandas' name).
POINT_COLUMNS = (
    ("time", "time", None),  # datetime64 in UTC, or in the zone asked for
    ("altitude_deg", "altitude_deg", "float64"),
    ("azimuth_deg", "azimuth_deg", "float64"),
    ("direction", "direction", "string"),
    ("range_km", "range_km", "float64"),
    ("magnitude", "magnitude", "float64"),
)
PASS_COLUMNS = (
    ("type", "category"),
    ("visible", "bool"),
    ("magnitude", "float64"),
    ("brightest_magnitude", "float64"),
    ("visible_duration_s", "float64"),
    ("duration_s", "float64"),
    ("timing_uncertainty_s", "float64"),
)


def passes_to_dataframe(passes: Iterable[Pass], zone: str | tzinfo | None = None) -> pandas.DataFrame:
    """A :class:`pandas.DataFrame` with one row per pass.

    Columns: ``type`` (categorical), ``visible`` (bool), ``magnitude``,
    ``brightest_magnitude``, ``visible_duration_s``, ``duration_s``,
    ``timing_uncertainty_s`` (floats, NaN when unknown), then for each of ``rise``,
    ``culmination``, ``set``, ``appears``, ``highest``, ``disappears``: ``<point>_time``
    (timezone-aware datetime64, NaT when the pass has no such point), ``_altitude_deg``,
    ``_azimuth_deg``, ``_direction`` (string), ``_range_km`` and ``_magnitude``. Times are
    in UTC, or in ``zone`` (an IANA name or a tzinfo, e.g. ``observer.timezone()``).

    >>> frame = passes_to_dataframe(passes, zone="Europe/Zurich")  # doctest: +SKIP
    """
    try:
        import pandas as pd
    except ImportError:
        raise ImportError(
            "passes_to_dataframe needs pandas, which isspass does not install by itself: "
            "pip install pandas (or pip install 'isspass[pandas]')"
        ) from None
    rows = list(passes)
    for p in rows:
        if not isinstance(p, Pass):
            raise TypeError(f"passes must be isspass.Pass objects, not {type(p).__name__}")
    columns: dict[str, Any] = {}
    for name, dtype in PASS_COLUMNS:
        values = [getattr(p, name) for p in rows]
        if name == "type":
            values = [p.type.value for p in rows]
            kinds = pd.CategoricalDtype(["visible", "daylight", "unlit"])
            columns[name] = pd.Series(values, dtype=kinds)
        else:
            columns[name] = pd.Series([_absent(v) for v in values], dtype=dtype)
    shown = "UTC" if zone is None else _zone(zone)
    for point_name in POINTS:
        points: list[PassPoint | None] = [getattr(p, point_name) for p in rows]
        for suffix, attribute, dtype in POINT_COLUMNS:
            values = [None if point is None else getattr(point, attribute) for point in points]
            column = f"{point_name}_{suffix}"
            if dtype is None:
                columns[column] = pd.Series(pd.to_datetime(values, utc=True)).dt.tz_convert(shown)
            else:
                columns[column] = pd.Series([_absent(v) for v in values], dtype=dtype)
    return pd.DataFrame(columns)


def _absent(value: Any) -> Any:
    """None as a float column's NaN (pandas would otherwise make the column ``object``)."""
    return float("nan") if value is None else value
