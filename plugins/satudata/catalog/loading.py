"""Reading the catalog: `contracts/dinas.yaml` and every `contracts/datasets/<id>.yaml`, cross-checked.

Each contract is loaded and checked on its own, so one broken file never hides the others:
`load_catalog_parts` returns the good contracts and, per broken file, its error (file and field);
`load_catalog` is the strict form for the CLI and tests. A contract is checked against what it
names: its dinas, its queries under `sql/<id>/` and its suite `expectations/<id>.json`.

Every DAG parse loads the catalog, so reading it is kept cheap (200 contracts in well under a second):
YAML goes through libyaml when PyYAML has it, and within one process a contract or suite is parsed
and validated once per path and text: files are still read on every load (cheap), so an edit is never
missed, however quickly it follows. A DagBag parses both DAG files in one process, each loading the
catalog; Airflow's DAG processor parses each file in a fresh process, where only the fast reading counts.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import ValidationError

from satudata import settings
from satudata.catalog.models import IDENTIFIER, Catalog, Contract, Dinas
from satudata.errors import ContractError

# libyaml reads the same documents eight times faster than PyYAML's pure-Python parser.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
# Cached contracts and suites, one entry per (path, text); old versions fall out.
_CACHE_SIZE = 2048


def _parse_yaml(text: str):
    """safe_load, through libyaml. On an error the pure-Python parser reads the text again: its message
    (which quotes the offending line) is the one stewards see, and libyaml may refuse what it accepts."""
    try:
        return yaml.load(text, Loader=_FAST_LOADER)
    except yaml.YAMLError:
        return yaml.safe_load(text)


def _read_yaml(path: Path, text: str | None = None) -> dict:
    try:
        data = _parse_yaml(path.read_text(encoding="utf-8") if text is None else text)
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
    """The contract in `path`, validated. Contracts are frozen, so the one of an unchanged text is reused."""
    return _load_contract(path, path.read_text(encoding="utf-8"))


@lru_cache(maxsize=_CACHE_SIZE)
def _load_contract(path: Path, text: str) -> Contract:
    """Keyed on path and text; a broken contract raises and so is never cached (its error is made anew)."""
    data = _read_yaml(path, text)
    try:
        contract = Contract(**data)
    except ValidationError as exc:
        raise _explain(path, exc) from None
    if contract.id != path.stem:
        raise ContractError(f"{path}: id: {contract.id!r} must equal the file name {path.stem!r}")
    return contract


def dataset_files(contract: Contract) -> list[tuple[str, Path]]:
    """The files a contract names, labelled by the field that names them (the three places of a dataset)."""
    needs = [("expectation suite", contract.suite_path)]
    if contract.source.type == "sql":
        needs.insert(0, ("source.sql", contract.sql_path))
    if contract.source.watermark:
        needs.append(("source.watermark", contract.watermark_sql_path))
    needs += [(f"checks.{i} ({c.rule})", contract.check_path(c)) for i, c in enumerate(contract.checks)]
    return needs


def check_contract(path: Path, dinas: dict[str, Dinas]) -> Contract:
    """Load one contract and check what it names: its dinas, its SQL, its suite (and the suite's columns)."""
    contract = load_contract(path)
    if contract.dinas not in dinas:
        raise ContractError(f"{path}: dinas: {contract.dinas!r} is not in dinas.yaml "
                            f"(known: {', '.join(sorted(dinas))})")
    for label, needed in dataset_files(contract):
        if not needed.is_file():
            raise ContractError(f"{path}: {label}: file {needed} does not exist")
    _check_suite_columns(contract)
    return contract


def _check_suite_columns(contract: Contract) -> None:
    path = contract.suite_path
    try:
        text = path.read_text(encoding="utf-8")
    except ValueError as exc:  # not UTF-8
        raise ContractError(f"{path}: not valid JSON: {exc}") from None
    _check_suite(path, text, tuple(c.name for c in contract.columns))


@lru_cache(maxsize=_CACHE_SIZE)
def _check_suite(path: Path, text: str, names: tuple[str, ...]) -> None:
    """Keyed on path, text and the contract's columns: a suite that passed is not parsed again."""
    try:
        suite = json.loads(text)
    except ValueError as exc:
        raise ContractError(f"{path}: not valid JSON: {exc}") from None
    for i, expectation in enumerate(suite.get("expectations") or []):
        kwargs = expectation.get("kwargs") or {}
        wanted = [kwargs["column"]] if "column" in kwargs else list(kwargs.get("column_list") or [])
        for column in wanted:
            if column not in names:
                raise ContractError(f"{path}: expectations.{i}.kwargs: column {column!r} is not a "
                                    f"column of the contract (allowed: {', '.join(names)})")


def load_catalog_parts(directory: Path | None = None) -> tuple[Catalog, dict[Path, ContractError]]:
    """The catalog of every usable contract, and the error of each contract that is not.

    dinas.yaml itself must be valid: without it no contract can be checked, so its error is raised.
    """
    directory = directory or settings.contracts_dir()
    dinas = load_dinas(directory / "dinas.yaml")
    contracts: dict[str, Contract] = {}
    errors: dict[Path, ContractError] = {}
    for path in sorted((directory / "datasets").glob("*.yaml")):
        try:
            contract = check_contract(path, dinas)
        except ContractError as exc:
            errors[path] = exc
            continue
        contracts[contract.id] = contract
    return Catalog(dinas=dinas, contracts=contracts), errors


def load_catalog(directory: Path | None = None) -> Catalog:
    """Load dinas.yaml and every datasets/*.yaml; raise the first broken contract's error."""
    catalog, errors = load_catalog_parts(directory)
    if errors:
        raise next(iter(errors.values()))
    return catalog


def slug_ok(value: str) -> bool:
    import re

    return bool(re.fullmatch(IDENTIFIER, value))
