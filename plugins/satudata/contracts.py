"""Dataset contracts: one YAML file per dataset, checked against an explicit schema on load.

A data steward adds a dataset by writing a contract, its extract SQL and its expectation suite; the
contract names everything else by the dataset id. Errors name the file and the field so that a bad
contract is fixed without reading Python.
"""
from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from satudata import settings

IDENTIFIER = r"^[a-z][a-z0-9_]{1,62}$"
FREQUENCIES = ("Harian", "Mingguan", "Bulanan", "Triwulanan", "Semesteran", "Tahunan", "Tidak Tentu")
CLASSIFICATIONS = ("terbuka", "terbatas", "tertutup")
ColumnType = Literal["text", "integer", "numeric", "date", "boolean"]
REGION_LEVELS = ("kabupaten", "kecamatan", "desa")


class ContractError(ValueError):
    """A contract (or the dinas catalog) that cannot be used; the message names file and field."""


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
    type: Literal["text", "integer", "numeric", "date"] = "text"
    required: bool = False
    min: float | None = None

    _header_text = field_validator("header", mode="before")(_no_yaml_booleans)

    @property
    def headers(self) -> list[str]:
        return [self.header] if isinstance(self.header, str) else list(self.header)


class Derive(_Strict):
    """How one group-by column is made from the cleaned fields: exactly one of the three."""

    field: str | None = None  # the field's value (text upper-cased and trimmed)
    region: str | None = None  # the Kemendagri code harmonised from the field's names
    year: str | None = None  # the year of a date field

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
    aggregate: Aggregate

    _header_text = field_validator("header", mode="before")(_no_yaml_booleans)

    @model_validator(mode="after")
    def _fields_exist(self) -> Spreadsheet:
        known = set(self.fields)
        used: list[tuple[str, str]] = []
        agg = self.aggregate
        if agg.unpivot:
            used += [("aggregate.unpivot.fields", f) for f in agg.unpivot.fields.values()]
            known |= {agg.unpivot.column, agg.unpivot.value}
        used += [(f"aggregate.group_by.{k}", d.source_field) for k, d in agg.group_by.items()]
        used += [(f"aggregate.measure.{k}", m.sum) for k, m in agg.measure.items() if m.sum]
        for where, name in used:
            if name not in known:
                raise ValueError(f"{where}: {name!r} is not a field (known: {', '.join(sorted(known))})")
        for k, d in agg.group_by.items():
            if d.year and self.fields[d.year].type != "date":
                raise ValueError(f"aggregate.group_by.{k}: year needs a date field, {d.year!r} is "
                                 f"{self.fields[d.year].type}")
        return self


class Source(_Strict):
    """Where the rows come from: an Airflow connection (default: the dinas's) and a SQL file, or a
    spreadsheet drop. `watermark: true` makes a SQL extract incremental (see satudata.extract)."""

    type: Literal["sql", "spreadsheet"] = "sql"
    conn_id: str | None = None
    sql: str | None = None
    watermark: bool = False
    spreadsheet: Spreadsheet | None = None

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
    satudata.harmonise maps to codes in `column` before validation; for desa, `parent_column` holds
    the kecamatan (name or code) that narrows the search."""

    level: Literal["kabupaten", "kecamatan", "desa"]
    column: str = Field(pattern=IDENTIFIER)
    name_column: str | None = Field(default=None, pattern=IDENTIFIER)
    parent_column: str | None = Field(default=None, pattern=IDENTIFIER)


class Publish(_Strict):
    tags: list[str] = Field(min_length=1)
    groups: list[str] = []
    license_id: str = "cc-by"


class SourceCheck(_Strict):
    """A row-level check run on the dinas database next to the extract (satudata.checks).

    Its query, `sql/checks/<dataset>/<rule>.sql` (or `sql`, relative to `sql/checks/`), returns one row
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
    checks: list[SourceCheck] = []  # row-level checks run at the source (satudata.checks)

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
        if sheet is not None:
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

    @property
    def public_columns(self) -> list[Column]:
        """Columns that may leave the warehouse: never the personal ones."""
        return [c for c in self.columns if not c.personal]

    @property
    def sql_path(self) -> Path:
        return settings.sql_dir() / "extract" / (self.source.sql or f"{self.id}.sql")

    @property
    def watermark_sql_path(self) -> Path:
        """The query that returns the source's current high-water mark (one row, one value)."""
        return self.sql_path.with_name(f"{self.sql_path.stem}.watermark.sql")

    def check_path(self, check: SourceCheck) -> Path:
        return settings.sql_dir() / "checks" / (check.sql or f"{self.id}/{check.rule}.sql")

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
        try:
            return self.contracts[dataset_id]
        except KeyError:
            raise ContractError(f"no contract with id {dataset_id!r} in {settings.contracts_dir()}") from None

    def conn_id(self, contract: Contract) -> str:
        return contract.source.conn_id or self.dinas[contract.dinas].conn_id or f"dinas_{contract.dinas}"


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContractError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ContractError(f"{path}: expected a mapping at the top level")
    return data


def _explain(path: Path, exc: ValidationError) -> ContractError:
    lines = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "(top level)"
        lines.append(f"  {where}: {err['msg']}")
    return ContractError(f"{path}: invalid contract\n" + "\n".join(lines))


def load_dinas(path: Path | None = None) -> dict[str, Dinas]:
    path = path or settings.contracts_dir() / "dinas.yaml"
    data = _read_yaml(path)
    out = {}
    for key, value in data.items():
        try:
            out[key] = Dinas(id=key, **(value or {}))
        except ValidationError as exc:
            raise _explain(path, exc) from None
    return out


def load_contract(path: Path) -> Contract:
    data = _read_yaml(path)
    try:
        contract = Contract(**data)
    except ValidationError as exc:
        raise _explain(path, exc) from None
    if contract.id != path.stem:
        raise ContractError(f"{path}: id: {contract.id!r} must equal the file name {path.stem!r}")
    return contract


def check_contract(path: Path, dinas: dict[str, Dinas]) -> Contract:
    """Load one contract and check what it names: its dinas, its SQL, its suite (and the suite's columns)."""
    contract = load_contract(path)
    if contract.dinas not in dinas:
        raise ContractError(f"{path}: dinas: {contract.dinas!r} is not in dinas.yaml "
                            f"(known: {', '.join(sorted(dinas))})")
    needs = [("expectation suite", contract.suite_path)]
    if contract.source.type == "sql":
        needs.insert(0, ("source.sql", contract.sql_path))
    if contract.source.watermark:
        needs.append(("source.watermark", contract.watermark_sql_path))
    needs += [(f"checks.{i} ({c.rule})", contract.check_path(c)) for i, c in enumerate(contract.checks)]
    for label, needed in needs:
        if not needed.is_file():
            raise ContractError(f"{path}: {label}: file {needed} does not exist")
    _check_suite_columns(contract)
    return contract


def _check_suite_columns(contract: Contract) -> None:
    import json

    try:
        suite = json.loads(contract.suite_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise ContractError(f"{contract.suite_path}: not valid JSON: {exc}") from None
    names = [c.name for c in contract.columns]
    for i, expectation in enumerate(suite.get("expectations") or []):
        kwargs = expectation.get("kwargs") or {}
        wanted = [kwargs["column"]] if "column" in kwargs else list(kwargs.get("column_list") or [])
        for column in wanted:
            if column not in names:
                raise ContractError(f"{contract.suite_path}: expectations.{i}.kwargs: column {column!r} is not a "
                                    f"column of the contract (allowed: {', '.join(names)})")


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load dinas.yaml and every datasets/*.yaml; check the cross-references and named files."""
    directory = directory or settings.contracts_dir()
    dinas = load_dinas(directory / "dinas.yaml")
    contracts: dict[str, Contract] = {}
    for path in sorted((directory / "datasets").glob("*.yaml")):
        contract = check_contract(path, dinas)
        contracts[contract.id] = contract
    return Catalog(dinas=dinas, contracts=contracts)


def slug_ok(value: str) -> bool:
    return bool(re.fullmatch(IDENTIFIER, value))
