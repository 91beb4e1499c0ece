"""Plugin ``satudata``: Satu Data metadata for CKAN.

Works with ``scheming_datasets`` (the dataset schema is
``ckanext.satudata:schemas/dataset.yaml``): registers the schema's
validators, adds the Satu Data facets to the dataset and organization search
pages, the ``ckan satudata`` command (``bootstrap``: users and API tokens
for a local instance) and the action ``satudata_datastore_copy`` (rows into a
typed DataStore table with COPY, see ``datastore_copy.py``).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from . import validators

FACETS = {
    "produsen_data": "Produsen Data",
    "frekuensi": "Frekuensi",
    "tingkat_penyajian": "Tingkat Penyajian",
    "klasifikasi": "Klasifikasi",
}


class SatuDataPlugin(p.SingletonPlugin):
    p.implements(p.IValidators)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IClick)
    p.implements(p.IActions)

    # IValidators
    def get_validators(self) -> dict[str, Any]:
        return validators.get_validators()

    # IFacets
    def dataset_facets(self, facets_dict: dict[str, Any], package_type: str) -> dict[str, Any]:
        for name, title in FACETS.items():
            facets_dict[name] = tk._(title)
        return facets_dict

    def organization_facets(self, facets_dict: dict[str, Any], organization_type: str,
                            package_type: Any) -> dict[str, Any]:
        return self.dataset_facets(facets_dict, package_type)

    # IClick
    def get_commands(self) -> list[Any]:
        from .cli import satudata
        return [satudata]

    # IActions
    def get_actions(self) -> dict[str, Any]:
        from .datastore_copy import satudata_datastore_copy
        from .withdraw import satudata_dataset_withdraw
        return {"satudata_datastore_copy": satudata_datastore_copy,
                "satudata_dataset_withdraw": satudata_dataset_withdraw}
