"""Region reference files shipped with the package.

The CSVs are copied unchanged from the project's shared reference set: Kemendagri region codes
(Kepmendagri No 300.2.2-2138 Tahun 2025, via the public repository cahyadsn/wilayah) with BPS codes
alongside (Open Data Jabar desa files 2019-2021, and BPS MFD 2018 by name for 7 desa; column
``sumber_kode_bps`` says which). They live inside the package so that the sample generators, the
reference-data DAG and the tests find them without depending on the checkout layout.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

KECAMATAN_CSV = "bekasi_kecamatan.csv"
DESA_KELURAHAN_CSV = "bekasi_desa_kelurahan.csv"


def reference_paths() -> dict[str, Path]:
    """Return the paths of the shipped reference CSVs, keyed ``kecamatan`` and ``desa_kelurahan``."""
    base = Path(str(resources.files(__name__)))
    return {
        "kecamatan": base / KECAMATAN_CSV,
        "desa_kelurahan": base / DESA_KELURAHAN_CSV,
    }
