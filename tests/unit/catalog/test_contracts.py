"""Contracts load from the repository, and a bad one is reported by file and field."""
import shutil
from pathlib import Path

import pytest
import yaml

from satudata import settings
from satudata.catalog import ContractError, load_catalog, load_contract

DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"


def test_repository_catalog_loads():
    catalog = load_catalog()
    contract = catalog.contract(DATASET)
    assert contract.dinas == "disdukcapil"
    assert catalog.conn_id(contract) == "dinas_disdukcapil"
    assert contract.sql_path.is_file() and contract.suite_path.is_file()
    assert contract.measure.name == "jumlah_penduduk"
    assert contract.ckan_name == DATASET.replace("_", "-")


@pytest.fixture
def contracts_copy(tmp_path: Path) -> Path:
    shutil.copytree(settings.contracts_dir(), tmp_path / "contracts")
    return tmp_path / "contracts"


def _edit(path: Path, **changes) -> None:
    data = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


@pytest.mark.parametrize("changes, field, words", [
    ({"frekuensi": "Kadang-kadang"}, "frekuensi", "Tahunan"),
    ({"klasifikasi": "rahasia"}, "klasifikasi", "terbuka"),
    ({"primary_key": ["kolom_hilang"]}, "(top level)", "kolom_hilang"),
    ({"title": None}, "title", "Field required"),
    ({"satuan_baru": "x"}, "satuan_baru", "Extra inputs"),
])
def test_bad_contract_names_file_and_field(contracts_copy, changes, field, words):
    path = contracts_copy / "datasets" / f"{DATASET}.yaml"
    _edit(path, **changes)
    with pytest.raises(ContractError) as err:
        load_contract(path)
    message = str(err.value)
    assert str(path) in message and field in message and words in message


def test_unknown_dinas_is_named(contracts_copy):
    path = contracts_copy / "datasets" / f"{DATASET}.yaml"
    _edit(path, dinas="dinas_fiktif")
    with pytest.raises(ContractError, match=r"dinas: 'dinas_fiktif' is not in dinas\.yaml"):
        load_catalog(contracts_copy)


def test_id_must_match_file_name(contracts_copy):
    path = contracts_copy / "datasets" / f"{DATASET}.yaml"
    path.rename(path.with_name("lain.yaml"))
    with pytest.raises(ContractError, match="must equal the file name 'lain'"):
        load_contract(path.with_name("lain.yaml"))
