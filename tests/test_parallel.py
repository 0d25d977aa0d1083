"""Many observers searched in worker processes and on a real Dask cluster: the same passes,
in the same order, as in one process; and the same bytes from ``isspass batch``."""

from __future__ import annotations

import pickle
import random
from datetime import datetime, timezone

import numpy as np
import pytest
from click.testing import CliRunner

import isspass
from isspass.cli import cli
from isspass.search.parallel import check_workers

START = datetime(2026, 9, 24, tzinfo=timezone.utc)
WINDOW = ["--start", "2026-09-24", "--days", "1", "--offline", "--all"]


def _observers(count: int, seed: int) -> list[isspass.Observer]:
    rng = random.Random(seed)
    return [
        isspass.Observer(rng.uniform(-70, 70), rng.uniform(-180, 180), rng.uniform(0, 3000))
        for _ in range(count)
    ]


def _places_csv(tmp_path, count: int):
    path = tmp_path / "places.csv"
    rows = [f"p{i},{o.latitude_deg:.4f},{o.longitude_deg:.4f},{o.elevation_m:.0f}"
            for i, o in enumerate(_observers(count, 7))]  # fmt: skip
    path.write_text("name,lat,lon,elevation_m\n" + "\n".join(rows) + "\n")
    return path


def _batch(*args: str) -> str:
    result = CliRunner().invoke(cli, ["batch", *args, "--format", "jsonl", *WINDOW], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_a_satrec_survives_pickling_and_propagates_identically(iss):
    satrec = iss.elements.satrec
    copy = pickle.loads(pickle.dumps(satrec))
    jd = np.full(500, satrec.jdsatepoch)
    fraction = np.linspace(-5.0, 15.0, 500)
    for original, shipped in zip(satrec.sgp4_array(jd, fraction), copy.sgp4_array(jd, fraction), strict=True):
        assert np.array_equal(original, shipped)
    assert (copy.revnum, copy.satnum, copy.intldesg) == (satrec.revnum, satrec.satnum, satrec.intldesg)


def test_worker_processes_give_the_passes_of_one_process_in_order(iss):
    observers = _observers(150, 1)
    one = isspass.find_passes_many(observers, START, 2, satellite=iss, chunk_size=40, visible_only=False)
    many = isspass.find_passes_many(
        observers, START, 2, satellite=iss, chunk_size=40, visible_only=False, workers=2
    )
    assert sum(len(p) for p in one) > 300  # a real workload
    assert many == one
    streamed = isspass.iter_passes_many(observers, START, 2, satellite=iss, chunk_size=40, workers=2)
    assert next(streamed) == isspass.find_passes(observers[0], START, 2, satellite=iss)
    streamed.close()


@pytest.mark.parametrize("bad", [0, -1, 1.5, True, "2"])
def test_workers_must_be_a_positive_integer(bad, iss):
    with pytest.raises(ValueError, match="workers"):
        check_workers(bad)
    with pytest.raises(ValueError, match="workers"):
        isspass.find_passes_many([isspass.Observer(0, 0)], START, 1, satellite=iss, workers=bad)


def test_batch_with_workers_writes_the_bytes_of_one_process(tmp_path):
    places = str(_places_csv(tmp_path, 600))  # three chunks of the command's 256
    assert _batch(places, "--workers", "2") == _batch(places, "--workers", "1")


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, host="127.0.0.1"
        ) as local,
        distributed.Client(local) as client,
    ):
        yield local, client


def test_a_dask_cluster_gives_the_passes_of_one_process_in_order(cluster, iss):
    _, client = cluster
    observers = _observers(120, 2)
    one = isspass.find_passes_many(observers, START, 2, satellite=iss, chunk_size=25)
    assert isspass.find_passes_many(observers, START, 2, satellite=iss, chunk_size=25, client=client) == one


def test_batch_on_a_dask_scheduler_writes_the_bytes_of_one_process(cluster, tmp_path):
    local, _ = cluster
    places = str(_places_csv(tmp_path, 300))
    assert _batch(places, "--scheduler", local.scheduler_address) == _batch(places, "--workers", "1")


def test_batch_with_no_scheduler_there_fails_in_one_line(tmp_path):
    pytest.importorskip("distributed")
    result = CliRunner().invoke(
        cli, ["batch", str(_places_csv(tmp_path, 3)), "--scheduler", "nowhere://127.0.0.1:9", *WINDOW]
    )
    assert result.exit_code != 0
    assert result.output.startswith("isspass: no Dask scheduler at nowhere://127.0.0.1:9")


def _tables_bytes(tables) -> list[bytes]:
    return [pickle.dumps(table.to_passes()) for table in tables]


def test_observers_from_a_generator_are_read_a_few_chunks_ahead(iss):
    observers = _observers(200, 3)
    read: list[int] = []

    def stream():
        for k, observer in enumerate(observers):
            read.append(k)
            yield observer

    listed = _tables_bytes(isspass.iter_pass_tables(observers, START, 1, satellite=iss, chunk_size=20))
    for how in ({}, {"workers": 2}):
        read.clear()
        tables = isspass.iter_pass_tables(stream(), START, 1, satellite=iss, chunk_size=20, **how)
        first = next(tables)
        assert len(read) <= 20 * (1 + 2 * how.get("workers", 0))  # a chunk, or two per worker
        assert _tables_bytes([first, *tables]) == listed
        assert len(read) == 200
    with pytest.raises(TypeError, match="Observer"):
        list(isspass.iter_pass_tables(iter([observers[0], (1, 2)]), START, 1, satellite=iss))
    assert list(isspass.iter_pass_tables(iter(()), START, 1, satellite=iss)) == []


def test_a_dask_cluster_reads_a_generator_of_observers_in_order(cluster, iss):
    _, client = cluster
    observers = _observers(90, 4)
    listed = _tables_bytes(isspass.iter_pass_tables(observers, START, 1, satellite=iss, chunk_size=10))
    for _ in range(2):  # the same track again at once: scattered anew while the first is released
        streamed = isspass.iter_pass_tables(
            iter(observers), START, 1, satellite=iss, chunk_size=10, client=client
        )
        assert _tables_bytes(streamed) == listed  # nine chunks, several to a task
