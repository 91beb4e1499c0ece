"""The initial load binds each past year exactly as that year's own run would, the run's own last."""
from datetime import UTC, date, datetime

from satudata.catalog import load_catalog
from satudata.ops.scheduler import last_logical_date
from satudata.sources import history, period_params


def test_yearly_history_is_each_year_as_its_own_run():
    contract = load_catalog().contract("jumlah_penduduk_jenis_kelamin_kecamatan")
    own = period_params(datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    found = history.periods(contract, own)
    assert [p["tahun"] for p in found] == [2019, 2020, 2021, 2022, 2023, 2024]
    assert found[0] == period_params(date(2019, 1, 1), date(2020, 1, 1))
    assert found[-1] is own


def test_only_plain_sql_extracts_reach_back():
    catalog = load_catalog()
    assert history.needs_history(catalog.contract("jumlah_penduduk_jenis_kelamin_kecamatan"))
    assert not history.needs_history(catalog.contract("jumlah_izin_usaha_sektor_bulan_kecamatan"))


def test_backfill_of_a_year_takes_its_last_interval():
    assert last_logical_date("@yearly", 2021) == datetime(2021, 1, 1, tzinfo=UTC)
    assert last_logical_date("@monthly", 2021) == datetime(2021, 12, 1, tzinfo=UTC)
