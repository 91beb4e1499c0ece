"""Region harmonisation: every spelling the rules allow maps to one Kemendagri code; nothing is guessed."""
import pandas as pd
import pytest
import yaml

from satudata.quality import harmonise
from satudata.settings import region_variants_path as variants_path
from satudata.warehouse.reference import DATA_DIR


@pytest.mark.parametrize(("written", "kode"), [
    ("Tambun Selatan", "32.16.06"), ("TAMBUN SELATAN", "32.16.06"), ("Kec. Tambun Selatan", "32.16.06"),
    ("KECAMATAN TAMBUN SELATAN", "32.16.06"), ("TAMBUN SEL.", "32.16.06"), ("  tambun   selatan ", "32.16.06"),
    ("CIKARANG BRT", "32.16.08"), ("KARANGBAHAGIA", "32.16.10"), ("Karang Bahagia", "32.16.10"),
    ("KEDUNGWARINGIN", "32.16.12"), ("MUARA GEMBONG", "32.16.17"), ("Muaragembong", "32.16.17"),
    ("PABAYURAN", "32.16.13"), ("CABANG BUNGIN", "32.16.16"),
    ("32.16.01", "32.16.01"), ("321601", "32.16.01"), ("3216100", "32.16.01"),
])
def test_kecamatan_spellings(gazetteer, written, kode):
    assert gazetteer.match(written, "kecamatan").kode == kode


@pytest.mark.parametrize(("written", "kode"), [
    ("Desa Sagara Makmur", "32.16.01.2001"), ("SAGARAMAKMUR", "32.16.01.2001"), ("Kel. Bahagia", "32.16.02.1006"),
    ("32.16.02.1006", "32.16.02.1006"), ("3216100005", "32.16.01.2001"),
])
def test_desa_spellings(gazetteer, written, kode):
    assert gazetteer.match(written, "desa").kode == kode


def test_unknown_name_gets_candidates_not_a_guess(gazetteer):
    m = gazetteer.match("Tambun Selatann", "kecamatan")
    assert m.kode is None and m.how == "tidak_dikenal"
    assert m.candidates[0] == "Tambun Selatan (32.16.06)"
    far = gazetteer.match("KEC. ANTAH BERANTAH", "kecamatan")
    assert (far.kode, far.candidates) == (None, ())


def test_ten_digit_code_that_is_kemendagri_and_bps_is_ambiguous(gazetteer):
    """3216021006 is Bahagia's Kemendagri code without dots and a BPS desa code in Serang Baru."""
    m = gazetteer.match("3216021006", "desa")
    assert m.kode is None and m.how == "ambigu"
    assert m.candidates == ("Bahagia (32.16.02.1006)", "Cilangkara (32.16.21.2007)")


def test_parent_narrows_desa(gazetteer):
    assert gazetteer.match("3216021006", "desa", parent="32.16.02").kode == "32.16.02.1006"
    assert gazetteer.match("Bahagia", "desa", parent="32.16.01").kode is None


def test_variants_file_agrees_with_the_reference():
    data = yaml.safe_load(variants_path().read_text(encoding="utf-8"))
    ref = pd.read_csv(DATA_DIR / "bekasi_kecamatan.csv", dtype=str).set_index("kode_kemendagri")["nama_kecamatan"]
    seen: dict[str, str] = {}
    rules = harmonise.load_rules(variants_path())
    for entry in data["kecamatan"]:
        assert ref[entry["kode"]] == entry["nama"], entry
        for v in entry["varian"]:
            k = harmonise.key(v, rules)
            assert seen.setdefault(k, entry["kode"]) == entry["kode"], f"variant {v} names two codes"


def test_a_variant_with_an_unknown_code_is_refused():
    rules = harmonise.Rules(variants={"kecamatan": {"KOTA X": "32.16.99"}, "desa": {}})
    with pytest.raises(ValueError, match=r"32\.16\.99"):
        harmonise.gazetteer_from_rows([{"kemendagri_kode": "32.16.01", "nama": "Tarumajaya"}], [], rules)


def test_harmonise_frame_fills_codes_and_groups_the_unmatched(gazetteer):
    frame = pd.DataFrame({"kode": [None, "32.16.18", None, None, None],
                          "kecamatan": ["Kec. Setu", "whatever", "KEC. ANTAH BERANTAH", "KEC. ANTAH BERANTAH", "-"]})
    out = harmonise.harmonise_frame(frame, gazetteer, "kecamatan", "kode", "kecamatan")
    assert [None if pd.isna(v) else v for v in out.frame["kode"]] == ["32.16.18", "32.16.18", None, None, None]
    assert out.matched == {"nama": 1, "kode": 1}
    assert [(u.column, u.value, u.how, u.rows) for u in out.unmatched] == [
        ("kecamatan", "KEC. ANTAH BERANTAH", "tidak_dikenal", [2, 3]), ("kecamatan", "", "kosong", [4])]
    assert out.unmatched_rows == [2, 3, 4]
