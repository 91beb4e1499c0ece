"""Shared pieces: the skeleton dataset's contract, variants of it, and frames of its shape."""
from __future__ import annotations

import pandas as pd
import pytest

from satudata.catalog import load_catalog
from satudata.catalog.models import Region
from satudata.quality import harmonise
from satudata.settings import region_variants_path as variants_path
from satudata.warehouse.reference import DATA_DIR

DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"
COLUMNS = ["kemendagri_kode_kecamatan", "jenis_kelamin", "jumlah_penduduk", "tahun"]


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def contract(catalog):
    return catalog.contract(DATASET)


@pytest.fixture(scope="session")
def quarantine_contract(contract):
    return contract.model_copy(update={"quarantine": True})


@pytest.fixture(scope="session")
def named_contract(contract):
    """The same dataset as a spreadsheet would send it: kecamatan names next to (empty) codes."""
    from satudata.catalog import Column

    columns = [*contract.columns, Column(name="kecamatan", type="text", role="attribute",
                                         description="Nama kecamatan seperti ditulis sumber")]
    region = Region(level="kecamatan", column="kemendagri_kode_kecamatan", name_column="kecamatan")
    return contract.model_copy(update={"columns": columns, "region": region})


@pytest.fixture(scope="session")
def codes() -> list[str]:
    return pd.read_csv(DATA_DIR / "bekasi_kecamatan.csv", dtype=str)["kode_kemendagri"].tolist()


@pytest.fixture(scope="session")
def parameters(codes):
    return {"kode_kecamatan_referensi": codes, "kode_desa_referensi": []}


@pytest.fixture(scope="session")
def gazetteer():
    return harmonise.gazetteer_from_csv(harmonise.load_rules(variants_path()))


@pytest.fixture
def good_frame(codes) -> pd.DataFrame:
    rows = [(code, sex, 1000 + i, 2025) for i, code in enumerate(codes) for sex in ("LAKI-LAKI", "PEREMPUAN")]
    return pd.DataFrame(rows, columns=COLUMNS)
