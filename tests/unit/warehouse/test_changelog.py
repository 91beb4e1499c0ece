"""The change log of a release, computed from two snapshots of the public rows."""
from satudata.catalog import load_catalog
from satudata.warehouse.changelog import Snapshot, diff

BASE = "jumlah_penduduk_jenis_kelamin_kecamatan"
HEADER = ["kemendagri_kode_kecamatan", "nama_kecamatan", "jenis_kelamin", "jumlah_penduduk", "tahun"]


def snap(rows, header=HEADER):
    out = Snapshot(list(header))
    for code, name, jk, n, year in rows:
        row = dict(zip(header, [code, name, jk, str(n), str(year)], strict=True))
        out.rows[(code, jk, str(year))] = row
    return out


def contract():
    return load_catalog().contract(BASE)


def base_rows(years=(2023,)):
    return [(f"32.16.0{k}", f"KEC {k}", "LAKI-LAKI", 100 * k, y) for y in years for k in range(1, 4)]


def test_first_release_names_rows_and_periods():
    entry = diff(contract(), None, snap(base_rows((2022, 2023))), catatan="Rilis awal")
    assert entry["lines"] == ["Rilis pertama: 6 baris, periode 2022–2023.", "Catatan walidata: Rilis awal"]


def test_period_added_and_removed():
    entry = diff(contract(), snap(base_rows((2022, 2023))), snap(base_rows((2023, 2024))))
    assert "Data tahun 2024 ditambahkan: 3 baris." in entry["lines"]
    assert "Data tahun 2022 dihapus: 3 baris." in entry["lines"]
    assert entry["revised"] == 0


def test_revised_values_with_largest_old_to_new_per_region():
    new = [(c, n, jk, v + (50 if n == "KEC 2" else 5 if n == "KEC 3" else 0), y) for c, n, jk, v, y in base_rows()]
    entry = diff(contract(), snap(base_rows()), snap(new), catatan="Koreksi dinas")
    assert entry["revised"] == 2
    assert ("Tahun 2023: 2 nilai direvisi di KEC 2, KEC 3. KEC 2 (jumlah_penduduk): 200 → 250; "
            "KEC 3 (jumlah_penduduk): 300 → 305.") in entry["lines"]
    assert entry["lines"][-1] == "Catatan walidata: Koreksi dinas"
    assert entry["large"] == []


def test_large_factor_is_flagged():
    new = [(c, n, jk, v * 10 if n == "KEC 1" else v, y) for c, n, jk, v, y in base_rows()]
    entry = diff(contract(), snap(base_rows()), snap(new))
    assert entry["large"] == ["2023 KEC 1 (jumlah_penduduk): 100 → 1000"]
    assert any(line.startswith("PERHATIAN: 1 revisi mengubah nilai 10× atau lebih") for line in entry["lines"])
    below = contract().model_copy(update={"faktor_revisi_besar": 20.0})
    assert diff(below, snap(base_rows()), snap(new))["large"] == []


def test_recoded_region_is_one_change_not_a_removal_and_an_addition():
    new = [("32.16.99" if n == "KEC 2" else c, n, jk, v, y) for c, n, jk, v, y in base_rows((2022, 2023))]
    entry = diff(contract(), snap(base_rows((2022, 2023))), snap(new))
    assert entry["lines"] == ["Kode wilayah KEC 2 berubah: 32.16.02 → 32.16.99 (2 baris)."]
    assert entry["recoded"] == 2


def test_columns_added_and_renamed():
    old = snap(base_rows())
    header = [h if h != "jumlah_penduduk" else "jumlah_jiwa" for h in HEADER]
    new = snap(base_rows(), header)
    for row in new.rows.values():
        row["catatan"] = ""
    new.header.append("catatan")
    entry = diff(contract(), old, new)
    assert "Kolom jumlah_penduduk berganti nama menjadi jumlah_jiwa." in entry["lines"]
    assert "Kolom catatan ditambahkan." in entry["lines"]
    assert entry["revised"] == 0
