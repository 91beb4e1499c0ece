"""Pure generation logic of the non-registry samples: determinism, magnitudes, exact defects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from satudata_samples import dinkes, disdik, distan, dpmptsp
from satudata_samples._common import desa_list, to_frame

CODES = {d.kode for d in desa_list()}


def frames(data) -> dict[str, pd.DataFrame]:
    return {name: to_frame(cols) for name, cols in data.tables.items()}


@pytest.mark.parametrize("module", [dpmptsp, distan, dinkes, disdik])
def test_same_seed_same_data(module) -> None:
    defects = dict.fromkeys(module.DEFECT_KINDS, 1)
    a, b = module.build(0.001, 5, defects), module.build(0.001, 5, defects)
    assert a.defects == b.defects
    for name in a.tables:
        pd.testing.assert_frame_equal(to_frame(a.tables[name]), to_frame(b.tables[name]))


@pytest.mark.parametrize("module", [dpmptsp, distan, dinkes, disdik])
def test_no_defects_by_default_and_bad_kind_rejected(module) -> None:
    assert module.build(0.001).defects == {}
    with pytest.raises(ValueError, match="unknown defect"):
        module.build(0.001, defects={"nonsense": 1})
    with pytest.raises(ValueError):
        module.build(-1)


# --- DPMPTSP -------------------------------------------------------------------------------


def test_dpmptsp_shape_and_defects() -> None:
    d = {"unknown_region": 3, "future_date": 2, "duplicate_nib": 2, "negative_investment": 2,
         "invalid_kbli": 2, "null_sector": 1}
    data = dpmptsp.build(0.01, defects=d)
    f = frames(data)["izin_usaha"]
    ref = frames(data)["ref_kbli"]
    assert len(f) == round(sum(dpmptsp.PERMITS_PER_YEAR.values()) * 0.01) + 2
    assert f["id"].is_unique
    assert f["nib"].str.fullmatch(r"\d{13}").all()
    rep = data.defects
    def ids(mask):
        return sorted(f.loc[mask, "id"].astype(str))
    assert ids(~f["kode_desa"].isin(CODES)) == sorted(rep["unknown_region"])
    assert ids(f["tanggal_terbit"].dt.year > 2025) == sorted(rep["future_date"])
    assert ids(f["nilai_investasi"] < 0) == sorted(rep["negative_investment"])
    assert ids(~f["kbli"].isin(ref["kbli"])) == sorted(rep["invalid_kbli"])
    assert ids(f["sektor"].isna()) == sorted(rep["null_sector"])
    assert ids(f.duplicated(["nib", "kbli"])) == sorted(rep["duplicate_nib"])
    per_year = f.loc[f["tanggal_terbit"].dt.year <= 2024].groupby(f["tanggal_terbit"].dt.year).size()
    assert per_year.idxmax() == 2022 and per_year.idxmin() == 2019
    assert (f["skala_usaha"] == "MIKRO").mean() > 0.8


# --- Distan --------------------------------------------------------------------------------


def test_distan_rice_production_realistic() -> None:
    f = frames(distan.build(1.0))["laporan_tanaman_pangan"]
    rice = f[f["kode_komoditas"] == "PS"].groupby("tahun")["produksi_ton"].sum()
    assert rice.between(450_000, 650_000).all()
    harvest = f[f["kode_komoditas"] == "PS"].groupby("bulan")["luas_panen_ha"].sum()
    assert set(harvest.nlargest(4).index) <= {2, 3, 4, 8, 9, 10}
    palawija = f[f["kode_komoditas"] != "PS"].groupby("tahun")["luas_panen_ha"].sum()
    assert (palawija < 5_000).all()
    assert not f.duplicated(["kode_desa", "tahun", "bulan", "kode_komoditas"]).any()


def test_distan_defects() -> None:
    d = dict.fromkeys(distan.DEFECT_KINDS, 2)
    data = distan.build(0.001, defects=d)
    f = frames(data)["laporan_tanaman_pangan"]
    rep = data.defects
    def ids(mask):
        return sorted(f.loc[mask, "id"].astype(str))
    assert ids(f["luas_panen_ha"] < 0) == sorted(rep["negative_area"])
    assert ids(f["produksi_ton"].isna()) == sorted(rep["null_production"])
    assert ids(~f["kode_desa"].isin(CODES)) == sorted(rep["unknown_region"])
    assert ids(f["tahun"] > 2025) == sorted(rep["future_year"])
    assert ids(f.duplicated(["kode_desa", "tahun", "bulan", "kode_komoditas"])) == sorted(rep["duplicate_report"])
    implied = f["luas_panen_ha"].abs() * f["produktivitas_ku_ha"] / 10
    assert ids(f["produksi_ton"].fillna(0) > implied.fillna(0) * 100) == sorted(rep["unit_error"])


# --- Dinkes --------------------------------------------------------------------------------


def test_dinkes_puskesmas_cover_every_desa_once() -> None:
    pusk = dinkes.puskesmas_list()
    assert 38 <= len(pusk) <= 50
    served = [d for p in pusk for d in p.desa_served]
    assert sorted(served) == sorted(CODES)


def test_dinkes_growth_and_stunting() -> None:
    f = frames(dinkes.build(0.01))
    pen = f["penimbangan"]
    assert pen["umur_bulan"].between(0, 59).all()
    assert set(pen["tanggal"].dt.month) <= {2, 3}  | {8, 9}
    stunting = pen.groupby(pen["tanggal"].dt.year)["zs_tbu"].apply(lambda z: (z < -2).mean())
    assert stunting[2019] > stunting[2024]
    assert 0.05 < stunting.mean() < 0.16
    assert ((pen["zs_tbu"] < -2) == pen["status_tbu"].isin(["PENDEK", "SANGAT PENDEK"])).all()
    assert set(pen["nik_balita"]) <= set(f["balita"]["nik_balita"])
    # Attendance dip in 2020.
    per_year = pen.groupby(pen["tanggal"].dt.year).size()
    assert per_year[2020] < 0.7 * per_year[2019]
    # Complete basic immunisation for most children born 2019-2023.
    imm = f["imunisasi"]
    doses = imm.groupby("nik_balita")["jenis_vaksin"].nunique()
    born = f["balita"].set_index("nik_balita")["tanggal_lahir"]
    eligible = born[(born >= "2019-01-01") & (born < "2023-06-01")].index
    idl = (doses.reindex(eligible).fillna(0) == len(dinkes.IDL_VACCINES)).mean()
    assert 0.8 < idl < 0.95


def test_dinkes_defects() -> None:
    d = dict.fromkeys(dinkes.DEFECT_KINDS, 2)
    data = dinkes.build(0.001, defects=d)
    f = frames(data)
    pen, rep = f["penimbangan"], data.defects
    def ids(mask):
        return sorted(pen.loc[mask, "id"].astype(str))
    assert ids(pen["berat_kg"] < 0) == sorted(rep["negative_weight"])
    assert ids(pen["tinggi_cm"].isna()) == sorted(rep["null_height"])
    assert ids(pen["tinggi_cm"] > 250) == sorted(rep["implausible_height"])
    assert ids(pen.duplicated(["nik_balita", "tanggal"])) == sorted(rep["duplicate_measurement"])
    assert ids(~pen["kode_puskesmas"].isin(f["puskesmas"]["kode_puskesmas"])) == sorted(rep["unknown_puskesmas"])
    assert ids(~pen["kode_desa"].isin(CODES)) == sorted(rep["unknown_region"])
    assert ids(pen["tanggal"].dt.year > 2025) == sorted(rep["future_date"])


# --- Disdik --------------------------------------------------------------------------------


def test_disdik_schools_students_teachers() -> None:
    f = frames(disdik.build(0.01))
    sk, pd_, guru, rekap = f["sekolah"], f["peserta_didik"], f["guru"], f["rekap_sekolah"]
    assert sk["npsn"].is_unique and sk["npsn"].str.fullmatch(r"\d{8}").all()
    negeri = sk[(sk["status_sekolah"] == "NEGERI")]
    for jenjang in ("SD", "SMP"):  # every kecamatan has a public SD and SMP
        assert negeri.loc[negeri["bentuk_pendidikan"] == jenjang, "kode_desa"].str[:8].nunique() == 23
    assert pd_["nisn"].is_unique and pd_["nisn"].str.fullmatch(r"\d{10}").all()
    assert (pd_["nisn"].str[:3].astype(int) == pd_["tanggal_lahir"].dt.year % 1000).all()
    jenjang = sk.set_index("npsn")["bentuk_pendidikan"].reindex(pd_["npsn"]).to_numpy()
    for j, grades in disdik.GRADES.items():
        assert pd_.loc[jenjang == j, "tingkat_pendidikan"].isin(list(grades)).all()
    assert set(guru["npsn"]) <= set(sk["npsn"])
    snap = rekap[rekap["semester_id"] == disdik.SNAPSHOT_SEMESTER].set_index("npsn")
    counts = pd_.groupby(["npsn", "jenis_kelamin"]).size().unstack(fill_value=0)
    joined = snap.join(counts, how="left").fillna(0)
    assert (joined["jumlah_pd_l"] == joined["L"]).all() and (joined["jumlah_pd_p"] == joined["P"]).all()
    assert len(rekap) == len(sk) * len(disdik.SEMESTERS)


def test_disdik_defects() -> None:
    d = dict.fromkeys(disdik.DEFECT_KINDS, 2)
    data = disdik.build(0.001, defects=d)
    f = frames(data)
    sk, pd_, rekap, rep = f["sekolah"], f["peserta_didik"], f["rekap_sekolah"], data.defects
    def pid(mask):
        return sorted(pd_.loc[mask, "peserta_didik_id"])
    assert pid(pd_["nisn"].isna()) == sorted(rep["missing_nisn"])
    assert pid(pd_["tanggal_lahir"].dt.year > 2025) == sorted(rep["future_birth"])
    assert pid(~pd_["npsn"].isin(sk["npsn"])) == sorted(rep["unknown_school"])
    jenjang = sk.set_index("npsn")["bentuk_pendidikan"].reindex(pd_["npsn"]).to_numpy()
    wrong = np.zeros(len(pd_), bool)
    for j, grades in disdik.GRADES.items():
        wrong |= (jenjang == j) & ~pd_["tingkat_pendidikan"].isin(list(grades)).to_numpy()
    assert pid(wrong) == sorted(rep["invalid_tingkat"])
    dup = pd_["nisn"].dropna()
    assert sorted(dup[dup.duplicated()]) == sorted(rep["duplicate_nisn"])
    assert sorted(sk.loc[~sk["kode_desa"].isin(CODES), "npsn"]) == sorted(rep["unknown_region"])
    neg = rekap[rekap["jumlah_pd_l"] < 0]
    assert sorted(neg["npsn"] + "/" + neg["semester_id"]) == sorted(rep["negative_count"])
