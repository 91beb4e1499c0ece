#!/usr/bin/env bash
# The main job, end to end on the embedded default: install, seed the sample dinas databases, bring up
# the warehouse and a real CKAN, run every DAG with Airflow, and say where to look at the result.
# SATUDATA_SCALE sizes the sample data (1.0 = the whole of Kabupaten Bekasi; default 0.02).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
started=$(date +%s)

scripts/bootstrap.sh
scripts/services.sh
export SATUDATA_INSTANCE=demo
# shellcheck source=scripts/env.sh
. scripts/env.sh

step() { printf '\n== %s\n' "$*"; }

step "Warehouse (PostgreSQL: ${AIRFLOW_CONN_WAREHOUSE##*/})"
psql -q -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '${db_prefix}_warehouse'" | grep -q 1 \
  || createdb "${db_prefix}_warehouse"
satudata migrate

step "Sample dinas databases (scale ${SATUDATA_SCALE:-0.02})"
satudata seed --all --scale "${SATUDATA_SCALE:-0.02}"

step "CKAN (instance $CKAN_INSTANCE)"
scripts/ckan.sh up
. scripts/env.sh
satudata ckan-orgs

step "Airflow: every DAG, run with 'airflow dags test'"
airflow db migrate >/dev/null
satudata pools
# Runs are dated when they are due and cover the period that just ended; the sample systems hold
# 2019-2024, so the default run is the one due on 1 January 2025.
due="${SATUDATA_DEMO_DATE:-2025-01-01}"
failed=()
run_dag() {
  local dag_id=$1 date=$2 log="$SATUDATA_VAR_DIR/logs/$1.log"
  mkdir -p "$SATUDATA_VAR_DIR/logs"
  if airflow dags test "$dag_id" "$date" >"$log" 2>&1; then
    echo "ok      $dag_id ($date)"
  else
    echo "FAILED  $dag_id ($date), log: $log"; failed+=("$dag_id")
  fi
}
run_dag warehouse_setup "$(date +%Y-%m-%d)"
for dag_id in $(satudata list-datasets); do
  run_dag "$dag_id" "$due"
done
# housekeeping looks at the present: what is fresh or late now
now="$(date -u +%Y-%m-%dT%H:%M:%S+00:00)"
run_dag freshness_monitor "$now"
run_dag status_board "$now"

step "Where to look"
echo "CKAN portal:        $CKAN_URL/dataset"
satudata list-datasets --where
echo "Status board:       $SATUDATA_VAR_DIR/reports/status/index.html"
echo "Reports (walidata):  $SATUDATA_VAR_DIR/reports/index.html   (one index per dinas beside it)"
echo "Warehouse:          psql -d ${db_prefix}_warehouse -c 'SELECT * FROM audit.runs'"
echo "Airflow UI:         . scripts/env.sh && airflow standalone   (then http://127.0.0.1:8080)"
echo "Took $(( $(date +%s) - started )) s."
[ ${#failed[@]} -eq 0 ] || { echo "Failed DAGs: ${failed[*]}" >&2; exit 1; }
