"""Plugin ``satudata_pgsearch``: CKAN's search index in CKAN's own PostgreSQL.

Why: Solr cannot be installed on the machines this project runs on, and CKAN
2.12 cannot write a dataset without a search backend (indexing runs inside
``package_create``/``package_update`` before the commit, so a missing Solr
rolls back every dataset write, and every page that lists datasets fails).

How it hooks in -- and why this hook: CKAN 2.12 has no plugin interface for
a search backend. Its search layer (``ckan.lib.search``) is split into
*CKAN logic* -- ``PackageSearchIndex.index_package`` builds the index
document (extras flattening, ``capacity``, permission labels,
``IPackageController.before_dataset_index``), ``PackageSearchQuery.run``
builds the query (``fq`` for ``capacity``/``state``/``site_id``/permission
labels, dismax settings, sort, facets) and turns the answer back into
results -- and one *transport* seam, ``make_connection()``, which returns the
``pysolr.Solr`` client every one of those code paths (and ``is_available``,
``clear_index``, ``get_index``, ``get_all_entity_ids``, the group/tag
dictizers that use ``PackageSearchQuery`` directly) goes through.

We replace only that seam: ``make_connection`` is re-bound (in
``ckan.lib.search`` and the ``common``/``index``/``query`` modules that
imported it by name) to return :class:`~.backend.PgSolr`, which implements
``add``/``delete``/``search``/``commit`` on the table
``satudata_search_index``. Alternatives considered: registering subclasses
in ``ckan.lib.search._INDICES``/``_QUERIES`` would still leave
``model_dictize`` calling ``search.PackageSearchQuery`` directly and would
mean copying ``index_package`` and ``run`` (about 300 lines of CKAN logic that
changes between releases); ``IPackageController`` hooks run too late/early to
stop the Solr call. Swapping the client keeps every line of CKAN's search
logic in use, so permission labels and plugin hooks behave exactly as with
Solr. ``check_solr_schema_version`` (called at start-up, it would fetch
Solr's schema over HTTP) is replaced by a no-op that logs the backend, and
``ckan.lib.search.clear`` (used only by ``ckan search-index clear NAME``,
which counts on Solr to commit) gets a commit after it.

The table is created by this plugin's alembic migration
(``ckan db upgrade -p satudata_pgsearch``, also run by
``ckan db pending-migrations --apply``). ``ckan search-index rebuild``,
``check``, ``show`` and ``clear`` work unchanged.
"""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins as p

from . import backend

log = logging.getLogger(__name__)

_ORIGINALS: dict[str, Any] = {}


def check_schema_version(schema_file: Any = None) -> bool:
    """Replacement for ``ckan.lib.search.check_solr_schema_version``."""
    log.info("Search index: PostgreSQL table %s (ckanext-satudata, no Solr)",
             backend.TABLE)
    return True


def install() -> None:
    """Point CKAN's search layer at the PostgreSQL backend (idempotent)."""
    import ckan.lib.search as search
    import ckan.lib.search.common as common
    import ckan.lib.search.index as index
    import ckan.lib.search.query as query

    for mod in (common, index, query, search):
        current = getattr(mod, "make_connection")
        if current is not backend.make_connection:
            _ORIGINALS.setdefault(mod.__name__ + ".make_connection", current)
            setattr(mod, "make_connection", backend.make_connection)
    if search.check_solr_schema_version is not check_schema_version:
        _ORIGINALS.setdefault("check_solr_schema_version", search.check_solr_schema_version)
        search.check_solr_schema_version = check_schema_version
    if not getattr(search.clear, "_satudata", False):
        _ORIGINALS.setdefault("clear", search.clear)
        search.clear = _clear_and_commit(search.clear)


def _clear_and_commit(clear: Any) -> Any:
    """``ckan search-index clear NAME`` (the only caller of ``ckan.lib.search.clear``)
    relies on Solr committing the delete by itself; here the delete is part of
    the session, so commit it."""

    def wrapper(package_reference: str) -> None:
        from ckan import model
        clear(package_reference)
        model.Session.commit()

    wrapper._satudata = True  # type: ignore[attr-defined]
    return wrapper


def uninstall() -> None:
    """Give CKAN its Solr client back (used when the plugin is unloaded)."""
    import importlib
    import ckan.lib.search as search

    for key, original in list(_ORIGINALS.items()):
        if key in ("check_solr_schema_version", "clear"):
            setattr(search, key, original)
        else:
            mod = importlib.import_module(key.rsplit(".", 1)[0])
            setattr(mod, "make_connection", original)
    _ORIGINALS.clear()


class PgSearchPlugin(p.SingletonPlugin):
    """Keep the dataset search index in CKAN's PostgreSQL database."""

    p.implements(p.IConfigurer)
    p.implements(p.IPluginObserver, inherit=True)

    # IConfigurer: runs inside ``environment.update_config()``, i.e. before
    # CKAN checks the Solr schema and before any request or CLI command.
    def update_config(self, config: Any) -> None:
        install()

    # IPluginObserver
    def after_unload(self, service: Any) -> None:
        if service is self:
            uninstall()
