"""Reading the catalog: `contracts/dinas.yaml` and every `contracts/datasets/<id>.yaml`, cross-checked.

Each contract is loaded and checked on its own, so one broken file never hides the others:
`load_catalog_parts` returns the good contracts and, per broken file, its error (file and field);
`load_catalog` is the strict form for the CLI and tests. A contract is checked against what it
names: its dinas, its queries under `sql/<id>/` and its suite `expectations/<id>.json`.
"""
from __future__ import annotations

import json
from pathlib import Path

import yaml
from pydantic import ValidationError

from satudata import settings
from satudata.catalog.models import IDENTIFIER, Catalog, Contract, Dinas
from satudata.errors import ContractError


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
