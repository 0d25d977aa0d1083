"""The places of a batch, read while they are searched: bad rows reported as they are met, and
each place held only until the rows of its chunk are written, so memory does not grow with the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .locations import Location, RowError
from .model import Observer


class PlaceStream:
    """The valid places of :func:`~isspass.locations.iter_locations`, numbered from 0 in the
    file's order.

    Rows are read no further than asked for (by :meth:`first`, or by the search pulling
    :meth:`observers`); ``report`` is called with each bad row as it is read, and a file the
    CSV reader gives up on raises ``refuse(message)``. Each place stays in :attr:`held`
    (and its time zone in :attr:`zones`) until :meth:`release`.
    """

    def __init__(
        self,
        items: Iterator[Location | RowError],
        report: Callable[[RowError], None],
        refuse: Callable[[str], Exception],
    ) -> None:
        self._items = items
        self._report = report
        self._refuse = refuse
        self.held: dict[int, Location] = {}
        self.zones: dict[int, str] = {}
        self.read = 0  # valid places read so far
        self.skipped = 0  # bad rows met so far
        self._given = 0  # places handed to the search so far
        self._kept_from = 0  # the first place not yet released

    def _read_one(self) -> bool:
        """Read up to the next valid place; False at the end of the file."""
        while True:
            try:
                item = next(self._items, None)
            except ValueError as exc:
                raise self._refuse(str(exc)) from None
            if item is None:
                return False
            if isinstance(item, RowError):
                self.skipped += 1
                self._report(item)
                continue
            self.held[self.read] = item
            self.read += 1
            return True

    def first(self) -> Location | None:
        """The first valid place (None when the file has none), read now if it was not yet."""
        if self.read == 0 and not self._read_one():
            return None
        return self.held.get(0)

    def observers(self) -> Iterator[Observer]:
        """The places' observers, in order, each read when the search asks for it."""
        while self._given < self.read or self._read_one():
            yield self.held[self._given].observer
            self._given += 1

    def all(self) -> list[Location]:
        """Every place, the file read to its end (for a search that needs them all at once)."""
        while self._read_one():
            pass
        return [self.held[k] for k in range(self._kept_from, self.read)]

    def zone(self, index: int) -> str:
        """The IANA time zone of place ``index`` (as given by its place name, else found from its
        coordinates), looked up once."""
        found = self.zones.get(index)
        if found is None:
            from .places import timezone_at

            place = self.held[index]
            o = place.observer
            found = self.zones[index] = place.timezone or timezone_at(o.latitude_deg, o.longitude_deg)
        return found

    def release(self, upto: int) -> None:
        """Forget the places before ``upto`` (their rows are written)."""
        for index in range(self._kept_from, min(upto, self.read)):
            self.held.pop(index, None)
            self.zones.pop(index, None)
        self._kept_from = max(self._kept_from, min(upto, self.read))
