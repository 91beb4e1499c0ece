"""`satudata scaffold`: a new dataset's three places, written so that they pass `satudata check` and run.

The contract `contracts/datasets/<id>.yaml`, the extract `sql/<id>/extract.sql` and the suite
`expectations/<id>.json`. The suite holds only what the contract does not already imply (the derived
expectations come from satudata.quality.derived at run time); the steward fills in the TODOs.
"""
from __future__ import annotations

import json
from pathlib import Path

from satudata import settings
from satudata.catalog.loading import check_contract
from satudata.catalog.models import EXTRACT_SQL, Dinas
from satudata.messages import SCAFFOLD

SQL_SKELETON = """-- {title}
-- Runs on the {dinas} database; only aggregates leave it (never NIK, names or addresses).
-- Bind parameters: :tahun, :bulan, :periode_awal, :periode_akhir (from the run's period).
-- TODO: replace with the real aggregation; the columns must be exactly the contract's.
{query}
"""


# The dialects sqlfluff lints a dataset's queries in: the root .sqlfluff says postgres; a MariaDB
# dataset's folder carries its own .sqlfluff.
DIALECTS = ("postgres", "mariadb")
MARIADB_SQLFLUFF = "# {dataset} runs on a MariaDB dinas database ({conn_id}).\n[sqlfluff]\ndialect = mariadb\n"


def skeleton_query(table: str | None, region_column: str, measure: str) -> str:
    """A query that runs and passes sqlfluff in both dialects (GROUP BY and ORDER BY positional)."""
    if table:
        return (f"SELECT\n    LEFT(t.{region_column}, 8) AS kemendagri_kode_kecamatan,\n"
                f"    COUNT(*) AS {measure},\n    :tahun AS tahun\nFROM {table} AS t\n"
                f"WHERE t.{region_column} IS NOT NULL\nGROUP BY 1\nORDER BY 1")
    return f"SELECT\n    '32.16.01' AS kemendagri_kode_kecamatan,\n    0 AS {measure},\n    :tahun AS tahun"


def paths(dataset: str) -> dict[str, Path]:
    """The three places of a dataset, by what they hold."""
    return {"contract": settings.contracts_dir() / "datasets" / f"{dataset}.yaml",
            "sql": settings.sql_dir() / dataset / EXTRACT_SQL,
            "suite": settings.expectations_dir() / f"{dataset}.json"}


def contract_skeleton(dataset: str, producer: Dinas, title: str, measure: str, satuan: str) -> dict:
    return {
        "id": dataset, "title": title,
        "description": SCAFFOLD["description"].format(title=title[0].lower() + title[1:], dinas=producer.nama),
        "dinas": producer.id, "schedule": "@yearly", "frekuensi": "Tahunan", "klasifikasi": "terbuka",
        "tingkat_penyajian": "Kecamatan", "satuan": satuan,
        "region": {"level": "kecamatan", "column": "kemendagri_kode_kecamatan"}, "period_column": "tahun",
        "columns": [
            {"name": "kemendagri_kode_kecamatan", "type": "text", "role": "region",
             "description": "Kode kecamatan menurut Kemendagri"},
            {"name": measure, "type": "integer", "role": "measure", "description": f"TODO: jelaskan {measure}",
             "satuan": satuan},
            {"name": "tahun", "type": "integer", "role": "period", "description": "Tahun data"}],
        "primary_key": ["kemendagri_kode_kecamatan", "tahun"],
        "publish": {"tags": [producer.id, "kecamatan"], "groups": [], "license_id": "cc-by"},
    }


def suite_skeleton(dataset: str) -> dict:
    """Only the dataset's own expectations: region, key, measure and period checks are derived."""
    return {"name": dataset, "meta": {"dataset": dataset}, "expectations": [
        {"type": "expect_table_row_count_to_be_between", "severity": "warning", "kwargs": {"min_value": 1},
         "meta": {"saran": SCAFFOLD["row_count_fix"]}}]}


def write(dataset: str, known: dict[str, Dinas], dinas: str, title: str, *, table: str | None = None,
          region_column: str = "kode_desa", measure: str = "jumlah", satuan: str = "UNIT",
          dialect: str = "postgres", force: bool = False) -> dict[str, Path]:
    """Write the three files and check them; FileExistsError unless `force`, ContractError if they fail.

    A MariaDB source also gets `sql/<id>/.sqlfluff`, so that its queries are linted in its dialect.
    """
    import yaml

    wanted = paths(dataset)
    existing = [str(p) for p in wanted.values() if p.exists()]
    if existing and not force:
        raise FileExistsError(f"already exists (use --force to overwrite): {', '.join(existing)}")
    producer = known[dinas]
    for path in wanted.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    wanted["contract"].write_text(
        f"# Written by `satudata scaffold`: fill in the TODOs, then `satudata check {dataset}`.\n"
        + yaml.safe_dump(contract_skeleton(dataset, producer, title, measure, satuan), allow_unicode=True,
                         sort_keys=False, width=110), encoding="utf-8")
    wanted["sql"].write_text(SQL_SKELETON.format(title=title, dinas=producer.singkatan,
                                                 query=skeleton_query(table, region_column, measure)),
                             encoding="utf-8")
    if dialect == "mariadb":
        (wanted["sql"].parent / ".sqlfluff").write_text(
            MARIADB_SQLFLUFF.format(dataset=dataset, conn_id=producer.conn_id or f"dinas_{producer.id}"),
            encoding="utf-8")
    wanted["suite"].write_text(json.dumps(suite_skeleton(dataset), ensure_ascii=False, indent=2) + "\n",
                               encoding="utf-8")
    check_contract(wanted["contract"], known)  # the scaffold's own promise: fail loudly if it ever breaks
    return wanted
