"""The expectations a contract implies are derived at run time; a suite file keeps only its own."""
import json

from satudata.catalog import load_catalog
from satudata.quality.derived import derived_expectations, redundant, with_derived
from satudata.quality.suite import load_suite_json


def _targets(expectations):
    return {(e["type"], e["severity"], e["kwargs"].get("column") or tuple(e["kwargs"].get("column_list", ())))
            for e in expectations}


def test_a_contract_implies_region_key_measure_and_period_checks():
    contract = load_catalog().contract("jumlah_penduduk_desa_kelurahan")
    derived = derived_expectations(contract)
    assert _targets(derived) == {
        ("expect_column_values_to_be_in_set", "critical", "kemendagri_kode_desa_kelurahan"),
        ("expect_compound_columns_to_be_unique", "critical",
         ("kemendagri_kode_desa_kelurahan", "jenis_kelamin", "tahun")),
        ("expect_column_values_to_not_be_null", "critical", "jumlah_penduduk"),
        ("expect_column_values_to_be_between", "critical", "jumlah_penduduk"),
        ("expect_column_values_to_be_between", "critical", "tahun")}
    [region] = [e for e in derived if e["type"] == "expect_column_values_to_be_in_set"]
    assert region["kwargs"]["value_set"] == {"$PARAMETER": "kode_desa_referensi"}


def test_the_suite_file_replaces_a_derived_check_it_declares_itself():
    """The stunting suite asks for a percentage between 0 and 100 with its own advice: that one counts."""
    contract = load_catalog().contract("prevalensi_stunting_balita_kecamatan")
    suite = load_suite_json(contract)
    measure = [e for e in suite["expectations"] if e["type"] == "expect_column_values_to_be_between"
               and e["kwargs"].get("column") == "prevalensi_stunting" and e["severity"] == "critical"]
    assert len(measure) == 1 and measure[0]["kwargs"]["max_value"] == 100 and measure[0]["meta"]
    assert "expect_compound_columns_to_be_unique" in {e["type"] for e in suite["expectations"]}


def test_no_suite_file_repeats_what_its_contract_implies():
    for contract in load_catalog().contracts.values():
        suite = json.loads(contract.suite_path.read_text(encoding="utf-8"))
        assert redundant(contract, suite) == [], contract.suite_path


def test_a_repeated_expectation_is_found():
    contract = load_catalog().contract("produksi_padi_kecamatan")
    suite = {"expectations": [*derived_expectations(contract)[:1], {"type": "expect_column_values_to_be_between",
                                                                    "severity": "warning", "kwargs": {"column": "x"}}]}
    assert redundant(contract, suite) == [0]
    assert len(with_derived(contract, suite)["expectations"]) == len(derived_expectations(contract)) + 1
