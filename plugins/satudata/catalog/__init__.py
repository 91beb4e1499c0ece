"""The catalog: dataset contracts and the dinas that produce them (models, loading, scaffolding)."""
from satudata.catalog.loading import (
                                      check_contract,
                                      dataset_files,
                                      load_catalog,
                                      load_catalog_parts,
                                      load_contract,
                                      load_dinas,
)
from satudata.catalog.models import Catalog, Column, Contract, Dinas, SourceCheck
from satudata.errors import ContractError

__all__ = ["Catalog", "Column", "Contract", "ContractError", "Dinas", "SourceCheck", "check_contract",
           "dataset_files", "load_catalog", "load_catalog_parts", "load_contract", "load_dinas"]
