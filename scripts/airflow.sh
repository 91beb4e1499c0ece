#!/usr/bin/env bash
# The Airflow services of one local instance, as production runs them: api-server, scheduler,
# dag-processor, triggerer (and Celery workers with the CeleryExecutor), on a PostgreSQL metadata
# database of the instance (satudata_<instance>_airflow), with the FAB auth manager and a generated
# admin password kept in var/<instance>/secrets.env.
#
#   scripts/airflow.sh up       migrate, sync pools and roles, start everything, wait for the API
#   scripts/airflow.sh down     stop every process this script started for the instance
#   scripts/airflow.sh env      print the shell lines to use the instance's Airflow (eval "$(...)")
#
# Settings (environment): SATUDATA_INSTANCE (default demo), SATUDATA_AIRFLOW_PORT (api-server,
# default 8080), SATUDATA_AIRFLOW_EXECUTOR (LocalExecutor | CeleryExecutor), SATUDATA_CELERY_WORKERS
# (default 2), SATUDATA_CELERY_CONCURRENCY (default 2), SATUDATA_REDIS_DB (Celery broker DB, default 0).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# SATUDATA_KEEP_ENV=1: the caller (a test) has set the instance's connections and paths itself.
if [ -z "${SATUDATA_KEEP_ENV:-}" ]; then
  # shellcheck source=scripts/env.sh
  . "$ROOT/scripts/env.sh"
else
  secrets="$SATUDATA_VAR_DIR/secrets.env" db_prefix="satudata_${SATUDATA_INSTANCE}"
  mkdir -p "$SATUDATA_VAR_DIR"; touch "$secrets"; chmod 600 "$secrets"
  export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
fi

port="${SATUDATA_AIRFLOW_PORT:-8080}"
executor="${SATUDATA_AIRFLOW_EXECUTOR:-LocalExecutor}"
run="$SATUDATA_VAR_DIR/airflow/run"
mkdir -p "$run"

# Generated once per instance, never printed except the admin password by `up` for the local login.
if ! grep -q '^AIRFLOW_ADMIN_PASSWORD=' "$secrets"; then
  (umask 077; {
    printf 'AIRFLOW_ADMIN_PASSWORD=%s\n' "$(head -c 12 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    printf 'AIRFLOW_JWT_SECRET=%s\n' "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    printf 'AIRFLOW_API_SECRET_KEY=%s\n' "$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
  } >> "$secrets")
  # shellcheck disable=SC1090
  . "$secrets"
fi

airflow_db="${db_prefix}_airflow"
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN="postgresql+psycopg://${PGUSER}@${PGHOST}:${PGPORT}/${airflow_db}"
export AIRFLOW__CORE__EXECUTOR="$executor"
export AIRFLOW__CORE__AUTH_MANAGER=airflow.providers.fab.auth_manager.fab_auth_manager.FabAuthManager
export AIRFLOW__CORE__EXECUTION_API_SERVER_URL="http://127.0.0.1:${port}/execution/"
export AIRFLOW__API__BASE_URL="http://127.0.0.1:${port}"
export AIRFLOW__API_AUTH__JWT_SECRET="$AIRFLOW_JWT_SECRET" AIRFLOW__API__SECRET_KEY="$AIRFLOW_API_SECRET_KEY"
export AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION=True
# A small machine: parse the catalog every 30 s, look for new runs often, one api worker.
export AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL="${AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL:-30}"
export AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL="${AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL:-30}"
export AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC=2
export AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT=900
export AIRFLOW__API__WORKERS=1
# The same Celery settings as docker-compose.yaml, on the machine's Redis (one DB per instance).
export AIRFLOW__CELERY__BROKER_URL="redis://127.0.0.1:6379/${SATUDATA_REDIS_DB:-0}"
export AIRFLOW__CELERY__RESULT_BACKEND="db+postgresql://${PGUSER}@${PGHOST}:${PGPORT}/${airflow_db}"
export AIRFLOW__CELERY__WORKER_CONCURRENCY="${SATUDATA_CELERY_CONCURRENCY:-2}"
export AIRFLOW__CELERY__TASK_ACKS_LATE=True

start() {  # name, command...: its own process group, pid and log under var/<instance>/airflow/run
  local name=$1; shift
  if [ -f "$run/$name.pid" ] && kill -0 "$(cat "$run/$name.pid")" 2>/dev/null; then
    echo "airflow.sh [$SATUDATA_INSTANCE]: $name already running"; return
  fi
  setsid "$@" >"$run/$name.log" 2>&1 < /dev/null &
  echo $! > "$run/$name.pid"
}

stop_all() {
  local pidfile pid
  for pidfile in "$run"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then kill -TERM -- "-$pid" 2>/dev/null || true; fi
  done
  for _ in $(seq 1 30); do
    local alive=0
    for pidfile in "$run"/*.pid; do
      [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null && alive=1
    done
    [ $alive -eq 0 ] && break
    sleep 1
  done
  for pidfile in "$run"/*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill -0 "$pid" 2>/dev/null && kill -KILL -- "-$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

case "${1:-}" in
  up)
    psql -q -d postgres -tc "SELECT 1 FROM pg_database WHERE datname = '$airflow_db'" | grep -q 1 \
      || createdb "$airflow_db"
    airflow db migrate >"$run/migrate.log" 2>&1 || { tail -20 "$run/migrate.log" >&2; exit 1; }
    airflow users create --role Admin --username walidata --password "$AIRFLOW_ADMIN_PASSWORD" \
      --email walidata@localhost --firstname Walidata --lastname Bekasi >>"$run/migrate.log" 2>&1 \
      || airflow users reset-password --username walidata --password "$AIRFLOW_ADMIN_PASSWORD" \
      >>"$run/migrate.log" 2>&1 || true
    satudata pools >/dev/null
    satudata airflow-roles >/dev/null
    start api-server airflow api-server --host 127.0.0.1 --port "$port" --workers 1
    start scheduler airflow scheduler
    start dag-processor airflow dag-processor
    start triggerer airflow triggerer
    if [ "$executor" = CeleryExecutor ]; then
      for i in $(seq 1 "${SATUDATA_CELERY_WORKERS:-2}"); do
        start "worker-$i" airflow celery worker --celery-hostname "worker$i@%h" \
          --concurrency "$AIRFLOW__CELERY__WORKER_CONCURRENCY" --skip-serve-logs
      done
    fi
    for _ in $(seq 1 120); do
      curl -fs "http://127.0.0.1:${port}/api/v2/monitor/health" >/dev/null 2>&1 && break
      sleep 1
    done
    curl -fs "http://127.0.0.1:${port}/api/v2/monitor/health" >/dev/null \
      || { echo "airflow.sh: the api-server did not come up, see $run/api-server.log" >&2; exit 1; }
    echo "airflow.sh [$SATUDATA_INSTANCE]: $executor, UI http://127.0.0.1:${port} (walidata / see secrets)"
    ;;
  down)
    stop_all
    echo "airflow.sh [$SATUDATA_INSTANCE]: stopped"
    ;;
  env)
    env | grep -E '^AIRFLOW(__|_HOME|_CONN_)' | sed "s/^/export /; s/=\(.*\)$/='\1'/"
    ;;
  *)
    echo "usage: scripts/airflow.sh up|down|env" >&2; exit 2
    ;;
esac
