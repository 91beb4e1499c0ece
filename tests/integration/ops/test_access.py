"""A dinas user in Airflow (FAB auth manager) reaches exactly the DAGs of its dinas."""
import json
import textwrap

import pytest

from satudata.catalog import load_catalog

from ...support import ROOT
from .conftest import make_airflow

pytestmark = pytest.mark.integration
FAB = "airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager"

CHECK = textwrap.dedent('''
    import json, sys
    from airflow.api_fastapi.auth.managers.models.resource_details import DagAccessEntity, DagDetails
    from airflow.providers.fab.auth_manager.cli_commands.utils import get_application_builder
    from airflow.providers.fab.auth_manager.fab_auth_manager import FabAuthManager

    username, own, other = sys.argv[1:4]
    with get_application_builder() as appbuilder:
        manager = FabAuthManager()
        manager.appbuilder = appbuilder
        user = appbuilder.sm.find_user(username=username)
        can = lambda method, dag_id, entity=None: manager.is_authorized_dag(
            method=method, user=user, access_entity=entity, details=DagDetails(id=dag_id))
        print(json.dumps({
            "dag_ids": sorted(manager.get_authorized_dag_ids(user=user)),
            "read_own": can("GET", own), "read_other": can("GET", other),
            "trigger_own": can("POST", own, DagAccessEntity.RUN), "trigger_other": can("POST", other, DagAccessEntity.RUN),
            "logs_own": can("GET", own, DagAccessEntity.TASK_LOGS), "logs_other": can("GET", other, DagAccessEntity.TASK_LOGS),
            "delete_own": can("DELETE", own),
            "connections": manager.is_authorized_connection(method="GET", user=user),
        }))
''')


@pytest.fixture(scope="module")
def fab_airflow(tmp_path_factory):
    airflow = make_airflow(tmp_path_factory.mktemp("access"), ROOT / "dags", AIRFLOW__CORE__AUTH_MANAGER=FAB)
    done = airflow.run("dags", "reserialize")   # the DAG table, as the dag-processor fills it
    assert done.returncode == 0, done.stderr[-2000:]
    return airflow


def test_each_dinas_user_reaches_only_its_dags(fab_airflow):
    catalog = load_catalog()
    roles = fab_airflow.run("airflow-roles", program="satudata")
    assert roles.returncode == 0, roles.stderr[-2000:]
    assert "pool ckan_writes: 3 slot" in roles.stdout
    again = fab_airflow.run("airflow-roles", program="satudata")   # re-running changes nothing
    def lines(done):
        return [line for line in done.stdout.splitlines() if line.startswith(("dinas_", "pool "))]
    assert again.returncode == 0 and lines(again) == lines(roles) and len(lines(roles)) == len(catalog.dinas) + 1
    dinas_with_dags = sorted(d for d in catalog.dinas if catalog.by_dinas.get(d))
    assert len(dinas_with_dags) >= 2
    for dinas_id in dinas_with_dags[:2]:
        username = f"staf_{dinas_id}"
        created = fab_airflow.run("users", "create", "--role", f"dinas_{dinas_id}", "--username", username,
                                  "--email", f"{username}@bekasikab.go.id", "--firstname", "Staf",
                                  "--lastname", dinas_id, "--password", "rahasia-uji-123")
        assert created.returncode == 0, created.stderr[-2000:]
        own = sorted(c.id for c in catalog.by_dinas[dinas_id])
        other = next(c.id for c in catalog.contracts.values() if c.dinas != dinas_id)
        check = fab_airflow.run("-c", CHECK, username, own[0], other, program="python")
        assert check.returncode == 0, check.stderr[-2000:]
        seen = json.loads(check.stdout.strip().splitlines()[-1])
        assert seen["dag_ids"] == own                     # not the housekeeping DAGs, not another dinas's
        assert seen["read_own"] and not seen["read_other"]
        assert seen["trigger_own"] and not seen["trigger_other"]
        assert seen["logs_own"] and not seen["logs_other"]
        assert not seen["delete_own"] and not seen["connections"]
