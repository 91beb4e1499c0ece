"""Who sees what in Airflow: one FAB role per dinas, granting that dinas's DAGs and nothing else.

The auth manager is FAB's (apache-airflow-providers-fab, set in docker-compose.yaml): its roles can
hold permissions on single DAGs (`can_read` on `DAG:<dag_id>`), which Airflow 3's SimpleAuthManager
cannot (it knows only whole roles: viewer, user, op, admin, for every DAG at once).

A dinas role is Airflow's Viewer + User permissions *without* the global "DAGs" ones, plus read and
edit (trigger, clear) on each of its DAGs and their runs. `sync` makes the roles match the contracts
every time it runs (airflow-init runs it on each deployment): a dataset that moved to another dinas
leaves the old role. Users are then given their role, e.g.
`airflow users create --role dinas_dinkes --username ... --email ... --firstname ... --lastname ...`.
"""
from __future__ import annotations

import logging

from satudata.catalog import Catalog
from satudata.messages import POOLS

log = logging.getLogger(__name__)
DAG_PREFIX = "DAG:"
DAG_RUN_PREFIX = "DAG Run:"
PER_DAG = (("can_read", DAG_PREFIX), ("can_edit", DAG_PREFIX), ("can_read", DAG_RUN_PREFIX),
           ("can_create", DAG_RUN_PREFIX))
CKAN_POOL = "ckan_writes"
CKAN_POOL_SLOTS = 3


def role_name(dinas_id: str) -> str:
    return f"dinas_{dinas_id}"


def role_permissions(dag_ids: list[str], base: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """`base` (Viewer + User) without global DAG access, plus read/edit on each of `dag_ids`."""
    perms = {(action, resource) for action, resource in base
             if not (resource == "DAGs" and action != "menu_access")}
    perms |= {(action, f"{prefix}{dag_id}") for dag_id in dag_ids for action, prefix in PER_DAG}
    return perms


def dinas_dags(catalog: Catalog) -> dict[str, list[str]]:
    """Every dinas (also one without datasets yet) and the ids of its DAGs."""
    return {d: sorted(c.id for c in catalog.by_dinas.get(d, [])) for d in sorted(catalog.dinas)}


def sync_roles(catalog: Catalog) -> dict[str, list[str]]:
    """Create or update one role per dinas in Airflow's metadata database; return role → DAG ids."""
    from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder

    granted = {}
    with get_application_builder() as appbuilder:
        sm = appbuilder.sm
        base = list(sm.VIEWER_PERMISSIONS) + list(sm.USER_PERMISSIONS)
        for dinas_id, dag_ids in dinas_dags(catalog).items():
            name = role_name(dinas_id)
            wanted = role_permissions(dag_ids, base)
            role = sm.add_role(name)
            have = {(p.action.name, p.resource.name): p for p in role.permissions}
            for action, resource in sorted(wanted - set(have)):
                sm.add_permission_to_role(role, sm.get_permission(action, resource)
                                          or sm.create_permission(action, resource))
            for key in set(have) - wanted:
                sm.remove_permission_from_role(role, have[key])
            granted[name] = dag_ids
            log.info("role %s: %d DAGs", name, len(dag_ids))
    return granted


def ensure_pools() -> dict[str, int]:
    """The CKAN write pool (publish tasks), created if missing; an operator's later resize is kept."""
    from airflow.models.pool import Pool

    existing = Pool.get_pool(CKAN_POOL)
    if existing is None:
        Pool.create_or_update_pool(CKAN_POOL, CKAN_POOL_SLOTS, POOLS["ckan"],
                                   include_deferred=False)
        return {CKAN_POOL: CKAN_POOL_SLOTS}
    return {CKAN_POOL: existing.slots}


def dinas_pools(catalog_dinas: dict) -> dict[str, dict]:
    """One pool per dinas (`dinas_<id>`, its max_concurrent_queries) for the extract tasks, as
    `airflow pools import` reads them."""
    return {d.pool: {"slots": d.max_concurrent_queries, "include_deferred": False,
                     "description": POOLS["dinas"].format(dinas=d.singkatan)} for d in catalog_dinas.values()}
