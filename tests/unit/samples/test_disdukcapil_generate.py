"""Pure generation logic of the Disdukcapil sample: determinism, NIK format, distributions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from satudata_samples import disdukcapil
from satudata_samples._common import desa_list, to_frame

ALL_DEFECTS = {"unknown_region": 4, "null_sex": 3, "future_birth": 2, "duplicate_nik": 2, "invalid_nik": 1}


def frames(scale: float, seed: int = 2024, defects: dict | None = None) -> dict[str, pd.DataFrame]:
    chunks = list(disdukcapil.generate(scale, seed, defects))
    out = {t: to_frame([getattr(c, t) for c in chunks])
           for t in ("penduduk", "kelahiran", "kematian", "pindah_datang")}
    out["defects"] = {}
    for c in chunks:
        for k, v in c.defects.items():
            out["defects"].setdefault(k, []).extend(v)
    return out


@pytest.fixture(scope="module")
def small() -> dict[str, pd.DataFrame]:
    return frames(0.002)


def test_same_seed_same_rows() -> None:
    a, b = frames(0.0005, defects=ALL_DEFECTS), frames(0.0005, defects=ALL_DEFECTS)
    for table in ("penduduk", "kelahiran", "kematian", "pindah_datang"):
        pd.testing.assert_frame_equal(a[table], b[table])
    assert a["defects"] == b["defects"]


def test_other_seed_other_rows() -> None:
    a, b = frames(0.0005, seed=1), frames(0.0005, seed=2)
    assert set(a["penduduk"]["nik"]) != set(b["penduduk"]["nik"])


def test_size_follows_scale(small) -> None:
    assert len(small["penduduk"]) == round(disdukcapil.FULL_SCALE_ROWS * 0.002)
    assert 0.9 < (small["penduduk"]["status"] == "AKTIF").mean() < 0.95


def test_nik_encodes_kecamatan_birth_date_and_sex(small) -> None:
    p = small["penduduk"]
    assert p["nik"].str.fullmatch(r"3216\d{12}").all()
    assert p["nik"].is_unique
    assert (p["nik"].str[4:6] == p["kode_desa"].str[6:8]).all()
    born = pd.to_datetime(p["tanggal_lahir"])
    day = born.dt.day + np.where(p["jenis_kelamin"] == "PEREMPUAN", 40, 0)
    expected = day.map("{:02d}".format) + born.dt.strftime("%m%y")
    assert (p["nik"].str[6:12] == expected).all()
    assert p["no_kk"].str.fullmatch(r"3216\d{12}").all()


def test_regions_are_reference_codes(small) -> None:
    codes = {d.kode for d in desa_list()}
    assert set(small["penduduk"]["kode_desa"]) <= codes
    assert len(set(small["penduduk"]["kode_desa"])) == len(codes)  # every desa populated


def test_kecamatan_sizes_realistic(small) -> None:
    by_kec = small["penduduk"]["kode_desa"].str[:8].value_counts()
    assert by_kec.index[0] == "32.16.06"  # Tambun Selatan
    assert set(by_kec.index[-3:]) <= {"32.16.23", "32.16.17", "32.16.04", "32.16.03", "32.16.14"}


def test_sex_ratio_and_age_pyramid(small) -> None:
    p = small["penduduk"]
    assert 0.49 < (p["jenis_kelamin"] == "LAKI-LAKI").mean() < 0.52
    age = (pd.Timestamp("2024-12-31") - pd.to_datetime(p["tanggal_lahir"])).dt.days / 365.25
    assert 0.21 < (age < 15).mean() < 0.28
    assert 0.03 < (age >= 65).mean() < 0.08
    assert age.max() < 90


def test_names_upper_case_and_values_siak_style(small) -> None:
    p = small["penduduk"]
    assert (p["nama"] == p["nama"].str.upper()).all()
    assert set(p["jenis_kelamin"]) == {"LAKI-LAKI", "PEREMPUAN"}
    assert set(p["status"]) == {"AKTIF", "MENINGGAL", "PINDAH"}
    assert "KATHOLIK" in set(p["agama"])


def test_bps_spelling_variants_present(small) -> None:
    names = set(small["penduduk"]["nama_kecamatan"])
    assert {"KARANGBAHAGIA", "KARANG BAHAGIA", "MUARA GEMBONG", "MUARAGEMBONG"} <= names


def test_events_agree_with_register(small) -> None:
    p, k, m, pd_ = small["penduduk"], small["kelahiran"], small["kematian"], small["pindah_datang"]
    assert set(m["nik"]) == set(p.loc[p["status"] == "MENINGGAL", "nik"])
    assert set(pd_.loc[pd_["jenis"] == "PINDAH", "nik"]) == set(p.loc[p["status"] == "PINDAH", "nik"])
    assert set(k["nik_anak"]) <= set(p["nik"])
    for frame, col in ((k, "tanggal_lahir"), (m, "tanggal_meninggal"), (pd_, "tanggal")):
        years = pd.to_datetime(frame[col]).dt.year
        assert years.between(2019, 2024).all()
    assert (pd.to_datetime(m["tanggal_meninggal"]) >= pd.to_datetime(m["tanggal_lahir"])).all()
    for frame, col in ((k, "no_akta"), (m, "no_akta"), (pd_, "no_surat")):
        assert frame[col].is_unique


def test_no_defects_by_default(small) -> None:
    assert small["defects"] == {}
    assert small["penduduk"]["jenis_kelamin"].notna().all()


def test_defects_exact_and_visible() -> None:
    f = frames(0.0005, defects=ALL_DEFECTS)
    p, d = f["penduduk"], f["defects"]
    assert {k: len(v) for k, v in d.items()} == ALL_DEFECTS
    codes = {x.kode for x in desa_list()}
    assert set(p.loc[~p["kode_desa"].isin(codes), "nik"]) == set(d["unknown_region"])
    assert set(p.loc[p["jenis_kelamin"].isna(), "nik"]) == set(d["null_sex"])
    assert set(p.loc[pd.to_datetime(p["tanggal_lahir"]).dt.year > 2025, "nik"]) == set(d["future_birth"])
    dup = p["nik"].value_counts()
    assert set(dup[dup > 1].index) == set(d["duplicate_nik"])
    assert set(p.loc[p["nik"].str.len() != 16, "nik"]) == set(d["invalid_nik"])
    assert len(p) == round(disdukcapil.FULL_SCALE_ROWS * 0.0005) + ALL_DEFECTS["duplicate_nik"]
    all_keys = [k for v in d.values() for k in v]
    assert len(all_keys) == len(set(all_keys))


def test_defect_validation() -> None:
    with pytest.raises(ValueError, match="unknown defect"):
        list(disdukcapil.generate(0.0005, defects={"nonsense": 1}))
    with pytest.raises(ValueError, match="too many defects"):
        list(disdukcapil.generate(0.0001, defects={"null_sex": 10_000}))
    with pytest.raises(ValueError):
        list(disdukcapil.generate(0))
