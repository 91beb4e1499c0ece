"""Faults against the real PostgreSQL: a killed backend mid-load, and two loads of one dataset at once.

The kill is made deterministic by pausing the load at the exact step (inside COPY, or after the
promotion's DELETE and INSERT) while another connection runs pg_terminate_backend on it.
"""
import threading
import time

import pytest

from satudata.warehouse import load

from .conftest import write_landed

pytestmark = pytest.mark.integration


def _curated(conn, contract):
    return load.table_checksum(conn, contract), conn.execute(
        f"SELECT count(*) FROM curated.{contract.table}").fetchone()[0]


def _kill(connect, pid: int) -> None:
    killer = connect(autocommit=True)
    assert killer.execute("SELECT pg_terminate_backend(%s)", (pid,)).fetchone()[0]


def _load_runs(conn, contract, run_id):
    return conn.execute("SELECT count(*) FROM audit.runs WHERE dataset_id = %s AND run_id = %s",
                        (contract.id, run_id)).fetchone()[0]


def test_backend_killed_during_copy_leaves_curated_unchanged(connect, contract, tmp_path, monkeypatch):
    good = write_landed(tmp_path / "good.parquet", 2024)
    conn = connect()
    load.load(conn, contract, good, "before_kill")
    before = _curated(conn, contract)

    real_copy = load.copy_parquet

    def copy_then_get_killed(c, table, columns, path):
        with c.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN (FORMAT csv)") as cp:
            cp.write(b'"32.16.01","LAKI-LAKI",1,2024\n')
            state = connect().execute("SELECT query FROM pg_stat_activity WHERE pid = %s", (c.info.backend_pid,))
            assert state.fetchone()[0].startswith("COPY staging.")
            _kill(connect, c.info.backend_pid)
            time.sleep(0.2)
            cp.write(b'"32.16.02","LAKI-LAKI",1,2024\n')

    monkeypatch.setattr(load, "copy_parquet", copy_then_get_killed)
    with pytest.raises(load.LoadError, match="curated unchanged"):
        load.load(conn, contract, write_landed(tmp_path / "new.parquet", 2024, offset=9), "killed_in_copy")
    monkeypatch.setattr(load, "copy_parquet", real_copy)

    fresh = connect()
    assert _curated(fresh, contract) == before
    assert _load_runs(fresh, contract, "killed_in_copy") == 0
    after = load.load(fresh, contract, write_landed(tmp_path / "next.parquet", 2024, offset=9), "after_copy_kill")
    assert after.rows == 46 and after.checksum != before[0]


def test_backend_killed_during_promotion_leaves_curated_unchanged(connect, contract, tmp_path, monkeypatch):
    conn = connect()
    load.load(conn, contract, write_landed(tmp_path / "good.parquet", 2025), "before_promo_kill")
    before = _curated(conn, contract)
    real_facts = load._period_facts

    def killed_after_delete_and_insert(c, contract_, periods):
        # The period's old rows are deleted and the new ones inserted, not yet committed.
        _kill(connect, c.info.backend_pid)
        return real_facts(c, contract_, periods)

    monkeypatch.setattr(load, "_period_facts", killed_after_delete_and_insert)
    with pytest.raises(load.LoadError, match="curated unchanged"):
        load.load(conn, contract, write_landed(tmp_path / "new.parquet", 2025, offset=3), "killed_in_promotion")
    monkeypatch.setattr(load, "_period_facts", real_facts)

    fresh = connect()
    assert _curated(fresh, contract) == before
    assert _load_runs(fresh, contract, "killed_in_promotion") == 0
    assert load.load(fresh, contract, write_landed(tmp_path / "next.parquet", 2025, offset=3), "after").rows == 46


def test_two_concurrent_loads_of_one_dataset_serialize(connect, contract, tmp_path, monkeypatch):
    """Load A is slowed inside its transaction; B must wait on the advisory lock, then replace A's rows."""
    paths = {"A": write_landed(tmp_path / "a.parquet", 2026, offset=100),
             "B": write_landed(tmp_path / "b.parquet", 2026, offset=200)}
    real_copy = load.copy_parquet
    a_inside = threading.Event()

    def slow_copy(c, table, columns, path):
        real_copy(c, table, columns, path)
        if path == paths["A"]:
            a_inside.set()
            time.sleep(1.5)

    monkeypatch.setattr(load, "copy_parquet", slow_copy)
    results, errors = {}, []

    def run(name):
        try:
            results[name] = load.load(connect(), contract, paths[name], f"concurrent_{name}")
        except Exception as exc:  # noqa: BLE001 - the assertion below shows it
            errors.append(exc)

    a = threading.Thread(target=run, args=("A",))
    a.start()
    assert a_inside.wait(10)
    b = threading.Thread(target=run, args=("B",))
    b.start()
    watcher = connect(autocommit=True)
    saw_wait = False
    while a.is_alive():
        saw_wait |= watcher.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                                    " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                                    ).fetchone()[0] > 0
        time.sleep(0.05)
    a.join()
    b.join()
    assert errors == []
    assert saw_wait, "the second load never waited for the first"
    conn = connect()
    total = conn.execute(f"SELECT count(*), sum(jumlah_penduduk) FROM curated.{contract.table} WHERE tahun = 2026")
    b_sum = sum(1000 + i * 7 + 200 for i in range(23)) * 2 + 23
    assert total.fetchone() == (46, b_sum)
    assert load.table_checksum(conn, contract) == results["B"].checksum
    finished = dict(conn.execute("SELECT run_id, finished_at FROM audit.runs WHERE run_id LIKE 'concurrent_%'"))
    assert finished["concurrent_A"] < finished["concurrent_B"]

