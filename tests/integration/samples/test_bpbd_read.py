"""The BPBD drop can be opened by the tools the pipeline uses (pandas + openpyxl)."""

from __future__ import annotations

import pandas as pd
import pytest

from satudata_samples import bpbd

pytestmark = pytest.mark.integration


def test_pandas_reads_xlsx_and_csv(tmp_path) -> None:
    pytest.importorskip("openpyxl")
    report = bpbd.seed(tmp_path, "bpbd", defects={"duplicate_row": 1})
    xlsx, csv_path = report.files
    sheets = pd.read_excel(xlsx, sheet_name=None, header=[3, 4])
    assert list(sheets) == [str(y) for y in bpbd.YEARS]
    frame = pd.read_csv(csv_path, sep=";", skiprows=1, dtype=str, encoding="utf-8-sig")
    assert len(frame) == report.row_counts["csv_data_rows"]
    assert frame.columns[0] == "No"
