"""The contract schema: what a data steward writes in `contracts/datasets/<id>.yaml`, as pydantic models.

A dataset is found by its id in three places and nowhere else: its contract, `sql/<id>/` (the
extract query, the watermark query, its source checks under `checks/`) and `expectations/<id>.json`
(its GX suite). The models say which files those are; `satudata.catalog.loading` reads and
cross-checks them, naming file and field in every error.
"""
from __future__ import annotations

from datetime import date
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from satudata import settings
from satudata.errors import ContractError

IDENTIFIER = r"^[a-z][a-z0-9_]{1,62}$"
FREQUENCIES = ("Harian", "Mingguan", "Bulanan", "Triwulanan", "Semesteran", "Tahunan", "Tidak Tentu")
CLASSIFICATIONS = ("terbuka", "terbatas", "tertutup")
ColumnType = Literal["text", "integer", "numeric", "date", "boolean", "categorical"]
REGION_LEVELS = ("kabupaten", "kecamatan", "desa")
# Folders under sql/ that are not a dataset's own: no dataset may take their names.
RESERVED_IDS = ("migrations",)
EXTRACT_SQL = "extract.sql"
WATERMARK_SQL = "watermark.sql"
CHECKS_FOLDER = "checks"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Dinas(_Strict):
    """A data producer: one CKAN organization, one source connection, one pool."""

    id: str = Field(pattern=IDENTIFIER)
    nama: str
    singkatan: str
    deskripsi: str
    ckan_organization: str = Field(pattern=r"^[a-z0-9_-]{2,100}$")
    kontak: str
    conn_id: str | None = None
    max_concurrent_queries: int = Field(default=2, ge=1, le=16)

    @property
    def pool(self) -> str:
        return f"dinas_{self.id}"


class Column(_Strict):
    name: str = Field(pattern=IDENTIFIER)
    type: ColumnType
    role: Literal["region", "period", "dimension", "measure", "attribute"]
    description: str = Field(min_length=3)
    satuan: str | None = None
    personal: bool = False
    # categorical: the fixed set of values (a status: ADA / TIDAK ADA); stored as text, checked by the suite.
    values: list[str] | None = None

    @model_validator(mode="after")
    def _categories(self) -> Column:
        if (self.type == "categorical") != bool(self.values):
            raise ValueError("a categorical column lists its values (values: [ADA, TIDAK ADA]); "
                             "only a categorical column has values")
        return self


def _no_yaml_booleans(value):
    """YAML reads a bare NO / YES / ON / OFF as a boolean; header cells are text."""
    values = value if isinstance(value, list) else [value]
    if any(isinstance(v, bool) for v in values):
        raise ValueError("a header cell was read as true/false: YAML turns a bare NO, YES, ON or OFF into a "
                         'boolean; put it in quotes ("NO")')
    return value


class SheetField(_Strict):
    """One column of a hand-kept spreadsheet: which header it sits under and what it must hold.

    `header` is matched case- and space-insensitively against the flattened header ("KORBAN (JIWA) /
    LUKA-LUKA") or its last part ("LUKA-LUKA"); a list gives alternatives (XLSX and CSV spell headers
    differently). Blank and `-` cells of numeric fields mean zero, as clerks write it.
    """

    header: str | list[str]
    type: Literal["text", "integer", "numeric", "date", "year"] = "text"
    required: bool = False
    min: float | None = None
    # How numbers are written when the column's cells do not tell (satudata.sources.spreadsheet.numbers).
    number_style: Literal["indonesia", "mesin"] = "indonesia"
    values: list[str] | None = None  # the only values allowed (case and spaces ignored), e.g. ADA, TIDAK ADA

    _header_text = field_validator("header", mode="before")(_no_yaml_booleans)

    @property
    def headers(self) -> list[str]:
        return [self.header] if isinstance(self.header, str) else list(self.header)


class Derive(_Strict):
    """How one group-by column is made from the cleaned fields: exactly one of the three."""

    field: str | None = None  # the field's value (text upper-cased and trimmed)
    region: str | None = None  # the Kemendagri code harmonised from the field's names
    year: str | None = None  # the year of a date field
    # region only: more fields tried in turn when one is blank or matches nothing (BPS code, name),
    # the field whose year picks the codes valid then, and the kecamatan field that narrows a desa name.
    alternatives: list[str] = []
    at: str | None = None
    parent: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Derive:
        if sum(v is not None for v in (self.field, self.region, self.year)) != 1:
            raise ValueError("give exactly one of field, region, year")
        return self

    @property
    def source_field(self) -> str:
        return self.field or self.region or self.year  # type: ignore[return-value]


class Measure(_Strict):
    """count: rows per group; sum: the total of a numeric field per group."""

    count: bool = False
    sum: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Measure:
        if self.count == (self.sum is not None):
            raise ValueError("give either count: true or sum: <field>")
        return self


class Unpivot(_Strict):
    """Several numeric fields become one dimension (their labels) and one value field."""

    column: str = Field(pattern=IDENTIFIER)
    value: str = Field(pattern=IDENTIFIER)
    fields: dict[str, str] = Field(min_length=1)  # label -> field


class Aggregate(_Strict):
    unpivot: Unpivot | None = None
    group_by: dict[str, Derive] = Field(min_length=1)
    measure: dict[str, Measure] = Field(min_length=1, max_length=1)


class Spreadsheet(_Strict):
    """A spreadsheet drop: files, sheets, how to find the header, the fields, and the aggregation.

    There is no SQL engine at the source, so the aggregation is declared here and run on the cleaned
    rows; the row-level cells (names, places) never leave the extract step.
    """

    files: str = Field(min_length=1)  # glob under <drop folder>/<dinas>/
    sheets: list[str] = ["*"]  # sheet-name patterns (XLSX); a CSV is one sheet
    header: list[str] = Field(min_length=1)  # cells that identify the header row
    delimiter: str | None = None  # CSV only; default: guessed from the header line
    stop_rows: list[str] = ["JUMLAH", "TOTAL", "Sumber"]  # first cell starting so: not data
    period: Literal["all", "run"] = "all"  # all: every year in the files; run: only the run's interval
    fields: dict[str, SheetField] = Field(min_length=1)
    region_level: Literal["kecamatan", "desa"] = "kecamatan"
    on_unmatched_region: Literal["fail", "drop"] = "fail"
    on_invalid_value: Literal["fail", "drop"] = "fail"
    # Either an aggregation, or `rows`: the rows published as they are, one column per entry.
    aggregate: Aggregate | None = None
    rows: dict[str, Derive] | None = None

    @property
    def derived(self) -> dict[str, Derive]:
        """How every region/field/year column is made (group-by columns, or the row-level columns)."""
        return self.rows if self.rows is not None else self.aggregate.group_by  # type: ignore[union-attr]

    _header_text = field_validator("header", mode="before")(_no_yaml_booleans)

    @model_validator(mode="after")
    def _fields_exist(self) -> Spreadsheet:
        known = set(self.fields)
        used: list[tuple[str, str]] = []
        if (self.aggregate is None) == (self.rows is None):
            raise ValueError("give either aggregate (group_by and measure) or rows (the rows as they are)")
        agg = self.aggregate
        if agg and agg.unpivot:
            used += [("aggregate.unpivot.fields", f) for f in agg.unpivot.fields.values()]
            known |= {agg.unpivot.column, agg.unpivot.value}
        section = "aggregate.group_by" if agg else "rows"
        for k, d in self.derived.items():
            used += [(f"{section}.{k}", f) for f in (d.source_field, *d.alternatives, d.at, d.parent) if f]
        used += [(f"aggregate.measure.{k}", m.sum) for k, m in (agg.measure.items() if agg else ()) if m.sum]
        for where, name in used:
            if name not in known:
                raise ValueError(f"{where}: {name!r} is not a field (known: {', '.join(sorted(known))})")
        for k, d in self.derived.items():
            if d.year and self.fields[d.year].type != "date":
                raise ValueError(f"aggregate.group_by.{k}: year needs a date field, {d.year!r} is "
                                 f"{self.fields[d.year].type}")
        return self


class Source(_Strict):
    """Where the rows come from: an Airflow connection (default: the dinas's) and a SQL file, or a
    spreadsheet drop. `watermark: true` makes a SQL extract incremental (see satudata.sources.watermark).

    `sql` (rarely needed) names another query file, relative to sql/; by default it is
    `sql/<id>/extract.sql`."""

    type: Literal["sql", "spreadsheet"] = "sql"
    conn_id: str | None = None
    sql: str | None = None
    watermark: bool = False
    spreadsheet: Spreadsheet | None = None
    # The first year the source holds: where a first run's initial load starts (satudata.sources.history).
    sejak: int | None = Field(default=None, ge=1945, le=2100)

    @model_validator(mode="after")
    def _kind(self) -> Source:
        if self.type == "spreadsheet" and self.spreadsheet is None:
            raise ValueError("type spreadsheet needs a 'spreadsheet' section (files, header, fields, aggregate)")
        if self.type == "sql" and self.spreadsheet is not None:
            raise ValueError("'spreadsheet' is only allowed with type: spreadsheet")
        if self.type == "spreadsheet" and (self.sql or self.watermark):
            raise ValueError("a spreadsheet source has no sql and no watermark (it is read whole)")
        return self


class Region(_Strict):
    """`column` holds Kemendagri codes; `name_column` (opt-in) holds the names the source writes, which
    satudata.quality.harmonise maps to codes in `column` before validation; for desa, `parent_column` holds
    the kecamatan (name or code) that narrows the search."""

    level: Literal["kabupaten", "kecamatan", "desa"]
    column: str = Field(pattern=IDENTIFIER)
    name_column: str | None = Field(default=None, pattern=IDENTIFIER)
    parent_column: str | None = Field(default=None, pattern=IDENTIFIER)


class Publish(_Strict):
    tags: list[str] = Field(min_length=1)
    groups: list[str] = []
    license_id: str = "cc-by"
    # A steward's takedown by hand in CKAN holds until this date is on or after the day it was found
    # (satudata.portal.visibility): the steward's word, in the contract, that the dataset may return.
    tayang_ulang: date | None = None


class SourceCheck(_Strict):
    """A row-level check run on the dinas database next to the extract (satudata.sources.checks).

    Its query, `sql/<dataset>/checks/<rule>.sql` (or `sql`, relative to `sql/`), returns one row
    per offending record as (kunci, kolom, nilai): a non-personal key (a masked NIK, an NPSN, a report
    id), the column at fault and its value. `pesan` may use {n} (rows found), {column}, {values}.
    """

    rule: str = Field(pattern=IDENTIFIER)
    severity: Literal["critical", "warning"]
    kolom: str | None = None
    pesan: str = Field(min_length=10)
    saran: str = Field(min_length=10)
    diharapkan: str | None = None
    sql: str | None = Field(default=None, pattern=r"^[a-z0-9_/]+\.sql$")


class Contract(_Strict):
    id: str = Field(pattern=IDENTIFIER)
    title: str = Field(min_length=10)
    description: str = Field(min_length=20)
    dinas: str = Field(pattern=IDENTIFIER)
    owner: str = "walidata"
    source: Source = Source()
    schedule: str
    frekuensi: Literal[FREQUENCIES]  # type: ignore[valid-type]
    klasifikasi: Literal[CLASSIFICATIONS]  # type: ignore[valid-type]
    tingkat_penyajian: str
    satuan: str
    region: Region
    period_column: str = Field(pattern=IDENTIFIER)
    columns: list[Column] = Field(min_length=2)
    primary_key: list[str] = Field(min_length=1)
    publish: Publish
    quarantine: bool = False  # rows failing critical row-level checks are set aside, the rest loads
    checks: list[SourceCheck] = []  # row-level checks run at the source (satudata.sources.checks)
    # a revised value that grows or shrinks by this factor or more is flagged (satudata.warehouse.changelog)
    faktor_revisi_besar: float = Field(default=10.0, gt=1)
    # Statistical disclosure control (satudata.quality.disclosure): counts below `threshold` of a
    # sensitive topic (deaths by cause, disease, disability) are suppressed in what is published,
    # with complementary suppression; the warehouse keeps the true values.
    sensitive: bool = False
    threshold: int = Field(default=5, ge=2, le=100)

    @field_validator("id")
    @classmethod
    def _not_reserved(cls, value: str) -> str:
        if value in RESERVED_IDS:
            raise ValueError(f"{value!r} is reserved (sql/{value}/ is not a dataset's folder)")
        return value

    @field_validator("columns")
    @classmethod
    def _unique_columns(cls, columns: list[Column]) -> list[Column]:
        names = [c.name for c in columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"column names must be unique; repeated: {', '.join(dupes)}")
        return columns

    @model_validator(mode="after")
    def _columns_exist(self) -> Contract:
        names = {c.name for c in self.columns}
        for field, wanted in (
            ("primary_key", self.primary_key),
            ("region.column", [self.region.column]),
            ("region.name_column", [self.region.name_column] if self.region.name_column else []),
            ("region.parent_column", [self.region.parent_column] if self.region.parent_column else []),
            ("period_column", [self.period_column]),
        ):
            missing = [w for w in wanted if w not in names]
            if missing:
                raise ValueError(f"{field} names columns not in 'columns': {', '.join(missing)}")
        measures = [c.name for c in self.columns if c.role == "measure"]
        if len(measures) != 1:
            raise ValueError(f"exactly one column must have role 'measure' (found {len(measures)})")
        personal_keys = [c.name for c in self.columns if c.personal and c.name in self.primary_key]
        if personal_keys:
            raise ValueError(f"personal columns cannot be in primary_key: {', '.join(personal_keys)}")
        rules = [c.rule for c in self.checks]
        if len(set(rules)) != len(rules):
            raise ValueError(f"checks: rule names must be unique; repeated: "
                             f"{', '.join(sorted({r for r in rules if rules.count(r) > 1}))}")
        if self.checks and self.source.type != "sql":
            raise ValueError("checks: source checks run on a database; a spreadsheet source has none")
        sheet = self.source.spreadsheet
        if sheet is not None and sheet.rows is not None:
            if sorted(sheet.rows) != sorted(names):
                raise ValueError("source.spreadsheet.rows must make exactly the contract's columns: "
                                 f"makes {', '.join(sheet.rows)}; columns are {', '.join(sorted(names))}")
        elif sheet is not None:
            made = [*sheet.aggregate.group_by, *sheet.aggregate.measure]
            if sorted(made) != sorted(names):
                raise ValueError("source.spreadsheet.aggregate must make exactly the contract's columns: "
                                 f"makes {', '.join(made)}; columns are {', '.join(sorted(names))}")
            if next(iter(sheet.aggregate.measure)) != self.measure.name:
                raise ValueError(f"source.spreadsheet.aggregate.measure must be the measure column "
                                 f"{self.measure.name!r}")
        return self

    @property
    def measure(self) -> Column:
        return next(c for c in self.columns if c.role == "measure")

    @staticmethod
    def shown(path: Path) -> str:
        """A dataset's file as a steward finds it in the repository (`sql/<id>/extract.sql`)."""
        try:
            return str(path.relative_to(settings.home()))
        except ValueError:
            return str(path)

    @property
    def sql_folder(self) -> Path:
        """`sql/<id>/`: every query of the dataset."""
        return settings.sql_dir() / self.id

    @property
    def sql_path(self) -> Path:
        return settings.sql_dir() / self.source.sql if self.source.sql else self.sql_folder / EXTRACT_SQL

    @property
    def watermark_sql_path(self) -> Path:
        """The query that returns the source's current high-water mark (one row, one value)."""
        return self.sql_path.with_name(WATERMARK_SQL)

    def check_path(self, check: SourceCheck) -> Path:
        return settings.sql_dir() / check.sql if check.sql else self.sql_folder / CHECKS_FOLDER / f"{check.rule}.sql"

    @property
    def suite_path(self) -> Path:
        return settings.expectations_dir() / f"{self.id}.json"

    @property
    def table(self) -> str:
        """Curated and staging tables carry the dataset id as their name."""
        return self.id

    @property
    def ckan_name(self) -> str:
        return self.id.replace("_", "-")


class Catalog(BaseModel):
    """Every contract and the dinas they belong to, loaded and cross-checked together."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    dinas: dict[str, Dinas]
    contracts: dict[str, Contract]

    @cached_property
    def by_dinas(self) -> dict[str, list[Contract]]:
        out: dict[str, list[Contract]] = {}
        for c in self.contracts.values():
            out.setdefault(c.dinas, []).append(c)
        return out

    def contract(self, dataset_id: str) -> Contract:
        """The contract of `dataset_id`, or a ContractError naming the contracts folder."""
        try:
            return self.contracts[dataset_id]
        except KeyError:
            raise ContractError(f"no contract with id {dataset_id!r} in {settings.contracts_dir()}") from None

    def conn_id(self, contract: Contract) -> str:
        return contract.source.conn_id or self.dinas[contract.dinas].conn_id or f"dinas_{contract.dinas}"
