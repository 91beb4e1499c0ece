"""Action ``satudata_dataset_withdraw``: take a dataset off the portal completely.

A dataset reclassified ``tertutup`` must leave CKAN entirely: not marked deleted (a sysadmin, the
trash and the database still hold it), but its DataStore tables dropped, its uploaded files removed
and the dataset purged. CKAN's ``dataset_purge`` is for sysadmins only; this action lets whoever may
delete the dataset (an editor of its organization: the pipeline's user) withdraw it, and nothing
else: it checks ``package_delete`` on the dataset, then purges with the checks already done.

Parameters: ``id`` (name or id). Works on active, private, draft and deleted datasets. Returns
``{"purged": id, "datastore_tables": n, "files": n}``; an unknown id is ``NotFound``.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk


def satudata_dataset_withdraw(context: dict[str, Any], data_dict: dict[str, Any]) -> dict[str, Any]:
    from ckan import model
    from ckan.lib import uploader

    ident = tk.get_or_bust(data_dict, "id")
    package = model.Package.get(ident)
    if package is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("package_delete", context, {"id": package.id})
    trusted = {**context, "ignore_auth": True}
    tables = files = 0
    for resource in list(package.resources_all):
        if resource.extras.get("datastore_active") in (True, "True", "true"):
            try:
                tk.get_action("datastore_delete")(dict(trusted), {"resource_id": resource.id, "force": True})
                tables += 1
            except tk.ObjectNotFound:
                pass
        if resource.url_type == "upload":
            # both of CKAN's resource uploaders remove the stored file when told to clear it
            uploader.get_resource_uploader({"id": resource.id, "url": resource.url,
                                            "clear_upload": True}).upload(resource.id)
            files += 1
    tk.get_action("dataset_purge")(dict(trusted), {"id": package.id})
    return {"purged": package.id, "datastore_tables": tables, "files": files}
