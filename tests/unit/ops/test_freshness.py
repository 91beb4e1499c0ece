"""Freshness levels from fixed dates: each promise, its grace, the edges, never loaded, no promise."""
from datetime import UTC, datetime, timedelta

import pytest

from satudata.ops import freshness
from satudata.ops.freshness import Freshness, classify, compose, newly_late

AT = datetime(2026, 3, 15, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(("frekuensi", "age", "level"), [
    ("Harian", timedelta(hours=20), "hijau"),
    ("Harian", timedelta(days=1), "hijau"),               # exactly the promise: still fresh
    ("Harian", timedelta(days=1, minutes=1), "kuning"),
    ("Harian", timedelta(days=2), "kuning"),              # promise + grace: last moment of kuning
    ("Harian", timedelta(days=2, seconds=1), "merah"),
    ("Mingguan", timedelta(days=6), "hijau"),
    ("Mingguan", timedelta(days=9), "kuning"),
    ("Mingguan", timedelta(days=11), "merah"),
    ("Bulanan", timedelta(days=31), "hijau"),
    ("Bulanan", timedelta(days=35), "kuning"),
    ("Bulanan", timedelta(days=39), "merah"),
    ("Triwulanan", timedelta(days=92), "hijau"),
    ("Triwulanan", timedelta(days=100), "kuning"),
    ("Triwulanan", timedelta(days=107), "merah"),
    ("Semesteran", timedelta(days=183), "hijau"),
    ("Semesteran", timedelta(days=200), "kuning"),
    ("Semesteran", timedelta(days=214), "merah"),
    ("Tahunan", timedelta(days=366), "hijau"),
    ("Tahunan", timedelta(days=390), "kuning"),
    ("Tahunan", timedelta(days=397), "merah"),
    ("Tidak Tentu", timedelta(days=5000), "tidak_tentu"),
])
def test_levels(frekuensi, age, level):
    assert classify(frekuensi, AT - age, AT).level == level


def test_every_contract_frequency_has_a_rule():
    from satudata.catalog.models import FREQUENCIES

    assert set(FREQUENCIES) == set(freshness.PROMISE) | {"Tidak Tentu"}
    assert set(freshness.PROMISE) == set(freshness.GRACE)


def test_never_loaded_is_red_unless_nothing_was_promised():
    assert classify("Bulanan", None, AT).level == "merah"
    assert classify("Bulanan", None, AT).detail == "Belum pernah berhasil dimuat."
    assert classify("Tidak Tentu", None, AT).level == "tidak_tentu"


def test_a_load_after_the_checked_moment_counts_as_fresh_not_negative():
    f = classify("Harian", AT + timedelta(hours=3), AT)
    assert f.level == "hijau" and f.age == timedelta(0)


def test_detail_says_age_and_promise_in_indonesian():
    f = classify("Bulanan", AT - timedelta(days=40, hours=5), AT)
    assert f.detail == "Dimuat terakhir 40 hari lalu (2026-02-02 19:00 UTC); dijanjikan Bulanan (setiap 31 hari)."
    assert f.due == AT - timedelta(days=40, hours=5) + timedelta(days=31)
    assert f.label == "Sangat terlambat"


def test_newly_late_only_when_worse_than_the_previous_check():
    found = {"a": classify("Harian", AT - timedelta(days=3), AT),      # merah
             "b": classify("Harian", AT - timedelta(days=3), AT),      # merah, was merah
             "c": classify("Harian", AT - timedelta(hours=30), AT),    # kuning, was hijau
             "d": classify("Harian", AT - timedelta(hours=30), AT),    # kuning, was merah: better
             "e": classify("Harian", AT - timedelta(hours=2), AT),     # hijau
             "f": classify("Tidak Tentu", None, AT)}
    before = {"a": "kuning", "b": "merah", "c": "hijau", "d": "merah", "e": "merah"}
    assert newly_late(found, before) == ["a", "c"]
    assert newly_late(found, {}) == ["a", "b", "c", "d"]


def test_message_lists_late_datasets_worst_first_and_marks_new():
    from satudata.catalog import load_catalog

    catalog = load_catalog()
    ids = sorted(catalog.contracts)[:2]
    found: dict[str, Freshness] = {ids[0]: classify("Harian", AT - timedelta(hours=30), AT)}
    if len(ids) > 1:
        found[ids[1]] = classify("Harian", AT - timedelta(days=9), AT)
    subject, body = compose(catalog, found, [ids[0]], AT, "http://laporan/status/")
    assert subject == f"[Satu Data Bekasi] Kesegaran data: {len(found)} dataset terlambat (2026-03-15)"
    lines = [line for line in body.splitlines() if line.startswith("- [")]
    assert lines[-1].startswith("- [TERLAMBAT] " + catalog.contracts[ids[0]].title) and lines[-1].endswith("(baru)")
    if len(ids) > 1:
        assert lines[0].startswith("- [SANGAT TERLAMBAT]") and not lines[0].endswith("(baru)")
    assert "Papan status: http://laporan/status/" in body
