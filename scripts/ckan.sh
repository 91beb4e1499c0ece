#!/usr/bin/env bash
# A real CKAN 2.12 (DataStore, activity, scheming, DCAT and the project's ckanext-satudata with
# its PostgreSQL search index -- no Solr) for local runs and tests. See ckan/README.md.
#
#   scripts/ckan.sh install   create/update var/ckan/venv from ckan/requirements.txt (+ the extension)
#   scripts/ckan.sh up        create roles, databases, ini, users and tokens if missing; start the server
#   scripts/ckan.sh down      stop the server of the instance
#   scripts/ckan.sh drop      down, then drop its databases and roles and remove CKAN_HOME
#   scripts/ckan.sh status    running or not, URL, home
#   scripts/ckan.sh cli ...   run the `ckan` command against the instance (e.g. `cli search-index rebuild`)
#
# Environment (defaults): CKAN_INSTANCE (demo), CKAN_HOME (var/ckan/<instance>), CKAN_PORT (5000),
# CKAN_DB (ckan_<instance>), CKAN_DATASTORE_DB (ckan_<instance>_datastore),
# CKAN_REDIS_URL (redis://127.0.0.1:6379/1), PGHOST/PGPORT/PGUSER (127.0.0.1/5432/postgres),
# CKAN_WORKERS (2 gunicorn workers), CKAN_JOBS_WORKER (1: also run `ckan jobs worker`; 0: don't).
# `up` writes $CKAN_HOME/env (mode 600): CKAN_URL, CKAN_API_TOKEN (user satudata_pipeline),
# CKAN_ADMIN_TOKEN (sysadmin admin), CKAN_ADMIN_PASSWORD. Tokens are never printed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/var/ckan/venv"
REQUIREMENTS="$ROOT/ckan/requirements.txt"
EXTENSION="$ROOT/ckan/ckanext-satudata"
PYTHON="${CKAN_PYTHON:-python3.11}"

CKAN_INSTANCE="${CKAN_INSTANCE:-demo}"
if ! [[ "$CKAN_INSTANCE" =~ ^[a-z][a-z0-9_]{0,39}$ ]] || [ "$CKAN_INSTANCE" = venv ]; then
  echo "ckan.sh: CKAN_INSTANCE must match [a-z][a-z0-9_]* (and not be 'venv'): '$CKAN_INSTANCE'" >&2
  exit 2
fi
CKAN_HOME="${CKAN_HOME:-$ROOT/var/ckan/$CKAN_INSTANCE}"
CKAN_PORT="${CKAN_PORT:-5000}"
CKAN_DB="${CKAN_DB:-ckan_$CKAN_INSTANCE}"
CKAN_DATASTORE_DB="${CKAN_DATASTORE_DB:-ckan_${CKAN_INSTANCE}_datastore}"
CKAN_REDIS_URL="${CKAN_REDIS_URL:-redis://127.0.0.1:6379/1}"
CKAN_WORKERS="${CKAN_WORKERS:-2}"
CKAN_JOBS_WORKER="${CKAN_JOBS_WORKER:-1}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
CKAN_ROLE="ckan_${CKAN_INSTANCE}"
CKAN_RO_ROLE="ckan_${CKAN_INSTANCE}_ro"
CKAN_URL="http://127.0.0.1:$CKAN_PORT"

INI="$CKAN_HOME/ckan.ini"
PIDFILE="$CKAN_HOME/gunicorn.pid"
WORKER_PIDFILE="$CKAN_HOME/worker.pid"
LOG="$CKAN_HOME/ckan.log"
SECRETS="$CKAN_HOME/secrets"
ENV_FILE="$CKAN_HOME/env"
MARKER="$CKAN_HOME/.satudata-ckan-home"
INIT_STAMP="$CKAN_HOME/.initialized"

say() { echo "ckan.sh [$CKAN_INSTANCE]: $*" >&2; }
die() { say "ERROR: $*"; exit 1; }
psql_admin() { PGOPTIONS="-c client_min_messages=warning" psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

# CKAN lets some environment variables override the ini (CKAN_SQLALCHEMY_URL, CKAN_SITE_URL, ...).
# The ini of the instance is the single source of truth: never let the caller's environment leak in.
ckan_cli() {
  env -u CKAN_SQLALCHEMY_URL -u CKAN_DATASTORE_WRITE_URL -u CKAN_DATASTORE_READ_URL \
      -u CKAN_REDIS_URL -u CKAN_SOLR_URL -u CKAN_SOLR_USER -u CKAN_SOLR_PASSWORD -u CKAN_SITE_ID \
      -u CKAN_SITE_URL -u CKAN_STORAGE_PATH -u CKAN_DATAPUSHER_URL -u CKAN_MAX_UPLOAD_SIZE_MB \
      -u CKAN_SMTP_SERVER -u CKAN_SMTP_STARTTLS -u CKAN_SMTP_USER -u CKAN_SMTP_PASSWORD \
      -u CKAN_SMTP_MAIL_FROM CKAN_INI="$INI" "$@"
}

# ---------------------------------------------------------------- install
requirements_hash() {
  # the pins, and the extension's packaging (its code is installed editable)
  cat "$REQUIREMENTS" "$EXTENSION/pyproject.toml" | sha256sum | cut -d' ' -f1
}

cmd_install() {
  local stamp="$VENV/.satudata-requirements" want
  want="$(requirements_hash)"
  if [ -x "$VENV/bin/ckan" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  command -v uv >/dev/null || die "uv is needed to install CKAN (https://docs.astral.sh/uv/)"
  say "installing CKAN into var/ckan/venv ..."
  [ -x "$VENV/bin/python" ] || uv venv -q --python "$PYTHON" "$VENV"
  # One step works for these pins; keep ckan[requirements] apart from extensions that pin
  # certifi/idna/urllib3 differently (e.g. ckanext-xloader) -- install those in a second step.
  uv pip install -q --compile-bytecode --python "$VENV/bin/python" -r "$REQUIREMENTS"
  uv pip install -q --compile-bytecode --python "$VENV/bin/python" --no-deps -e "$EXTENSION"
  echo "$want" > "$stamp"
  say "installed CKAN $("$VENV/bin/python" -I -c 'import ckan; print(ckan.__version__)')"
}

# ---------------------------------------------------------------- helpers
live_pid() {
  # live_pid PIDFILE WORD: the pid in PIDFILE if that process is alive and its command line has WORD
  [ -f "$1" ] || return 0
  local pid
  pid="$(cat "$1" 2>/dev/null || true)"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null \
     && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$2"; then
    echo "$pid"
  fi
}
server_pid() { live_pid "$PIDFILE" gunicorn; }
worker_pid() { live_pid "$WORKER_PIDFILE" "jobs worker"; }

stop_pids() {
  # stop_pids PID...: TERM them all, wait up to 20 s, then KILL what is left
  local pid i alive
  for pid in "$@"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 1 80); do
    alive=""
    for pid in "$@"; do
      if kill -0 "$pid" 2>/dev/null; then alive=1; fi
    done
    [ -n "$alive" ] || return 0
    sleep 0.25
  done
  for pid in "$@"; do kill -KILL "$pid" 2>/dev/null || true; done
}

answers() { curl -fsS -m 5 -o /dev/null "$CKAN_URL/api/3/action/status_show" 2>/dev/null; }

port_busy() {
  "$VENV/bin/python" -I - "$CKAN_PORT" <<'EOF'
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "taken"
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(0)
sys.exit(1)
EOF
}

ensure_secrets() {
  if [ ! -f "$SECRETS" ]; then
    (
      umask 077
      rnd() { "$VENV/bin/python" -I -c 'import secrets; print(secrets.token_urlsafe(24))'; }
      {
        echo "SECRET_KEY=$(rnd)"
        echo "CKAN_ROLE_PASSWORD=$(rnd)"
        echo "CKAN_RO_ROLE_PASSWORD=$(rnd)"
      } > "$SECRETS"
    )
  fi
  # shellcheck disable=SC1090
  . "$SECRETS"
}

ensure_databases() {
  psql_admin -v role="$CKAN_ROLE" -v ro="$CKAN_RO_ROLE" -v pw="$CKAN_ROLE_PASSWORD" \
    -v ropw="$CKAN_RO_ROLE_PASSWORD" -v db="$CKAN_DB" -v ds="$CKAN_DATASTORE_DB" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'role') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
SELECT format('CREATE ROLE %I LOGIN', :'ro') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'ro') \gexec
SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', :'role', :'pw') \gexec
SELECT format('ALTER ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD %L', :'ro', :'ropw') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'db', :'role', 'UTF8')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db') \gexec
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0', :'ds', :'role', 'UTF8')
  WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'ds') \gexec
SQL
}

write_ini() {
  local locale=en offered="en"
  if [ -d "$VENV/lib/python3.11/site-packages/ckan/i18n/id" ] \
     || compgen -G "$VENV/lib/python*/site-packages/ckan/i18n/id/LC_MESSAGES/ckan.mo" >/dev/null; then
    locale=id offered="id en"
  fi
  local db_url="postgresql://$CKAN_ROLE:$CKAN_ROLE_PASSWORD@$PGHOST:$PGPORT"
  local ro_url="postgresql://$CKAN_RO_ROLE:$CKAN_RO_ROLE_PASSWORD@$PGHOST:$PGPORT"
  (
    umask 077
    cat > "$INI.tmp" <<EOF
# Generated by scripts/ckan.sh for instance '$CKAN_INSTANCE' -- edits are overwritten by \`up\`.
[DEFAULT]
debug = false

[app:main]
use = egg:ckan
SECRET_KEY = $SECRET_KEY
WTF_CSRF_SECRET_KEY = $SECRET_KEY
api_token.jwt.encode.secret = string:$SECRET_KEY
api_token.jwt.decode.secret = string:$SECRET_KEY

ckan.site_url = $CKAN_URL
ckan.site_id = satudata_$CKAN_INSTANCE
ckan.site_title = Satu Data Kabupaten Bekasi
ckan.site_description = Portal data terbuka Kabupaten Bekasi

sqlalchemy.url = $db_url/$CKAN_DB
sqlalchemy.pool_pre_ping = true
ckan.datastore.write_url = $db_url/$CKAN_DATASTORE_DB
ckan.datastore.read_url = $ro_url/$CKAN_DATASTORE_DB
ckan.datastore.sqlsearch.enabled = true
ckan.datastore.default_fts_lang = simple
ckan.redis.url = $CKAN_REDIS_URL

# No Solr: the satudata_pgsearch plugin keeps the search index in CKAN's own database.
# solr_url is required by CKAN's config declaration; nothing connects to it.
solr_url = http://127.0.0.1:8983/solr/unused-see-satudata_pgsearch

ckan.plugins = activity datastore datatables_view satudata_pgsearch scheming_datasets satudata dcat structured_data
scheming.dataset_schemas = ckanext.satudata:schemas/dataset.yaml
scheming.presets = ckanext.scheming:presets.json
scheming.dataset_fallback = false
ckan.views.default_views = datatables_view
search.facets = organization groups tags res_format license_id
# DCAT: DCAT-AP 3, then the Satu Data fields (ckanext-satudata's profile, dcat_profile.py)
ckanext.dcat.rdf.profiles = euro_dcat_ap_3 satudata

ckan.storage_path = $CKAN_HOME/storage
ckan.max_resource_size = 100
ckan.locale_default = $locale
ckan.locales_offered = $offered
ckan.display_timezone = Asia/Jakarta

ckan.auth.user_create_organizations = false
ckan.auth.user_create_groups = false
ckan.auth.create_user_via_web = false

[loggers]
keys = root, ckan, ckanext, werkzeug

[handlers]
keys = console

[formatters]
keys = generic

[logger_root]
level = WARNING
handlers = console

[logger_werkzeug]
level = WARNING
handlers = console
qualname = werkzeug
propagate = 0

[logger_ckan]
level = INFO
handlers = console
qualname = ckan
propagate = 0

[logger_ckanext]
level = INFO
handlers = console
qualname = ckanext
propagate = 0

[handler_console]
class = StreamHandler
args = (sys.stderr,)
level = NOTSET
formatter = generic

[formatter_generic]
format = %(asctime)s %(levelname)-5.5s [%(name)s] %(message)s
EOF
    mv "$INI.tmp" "$INI"
  )
}

schema_stamp() {
  # re-run migrations when CKAN or the extension's migrations change
  { cat "$REQUIREMENTS"; find "$EXTENSION/ckanext/satudata/migration" -name '*.py' -printf '%P\n' | sort; } \
    | sha256sum | cut -d' ' -f1
}

schema_ready() {
  [ "$(psql -X -Atq -d "$CKAN_DB" -c "SELECT to_regclass('public.package') IS NOT NULL
      AND to_regclass('public.activity') IS NOT NULL
      AND to_regclass('public.satudata_search_index') IS NOT NULL" 2>/dev/null)" = t ]
}

fail_log() { tail -n 30 "$LOG" >&2; die "$1 failed (see $LOG)"; }

init_databases() {
  local want perm_pid
  want="$(schema_stamp)"
  if [ -f "$INIT_STAMP" ] && [ "$(cat "$INIT_STAMP")" = "$want" ] && schema_ready; then
    return 0
  fi
  say "initializing databases ..."
  # the DataStore grants touch only the DataStore database: run them alongside `db init`
  ( ckan_cli "$VENV/bin/ckan" datastore set-permissions 2>>"$LOG" \
      | psql -X -q -v ON_ERROR_STOP=1 -d "$CKAN_DATASTORE_DB" >>"$LOG" 2>&1 ) &
  perm_pid=$!
  # `db init` also applies the migrations of enabled plugins (activity, satudata_pgsearch)
  ckan_cli "$VENV/bin/ckan" db init >>"$LOG" 2>&1 || { wait "$perm_pid" || true; fail_log "ckan db init"; }
  wait "$perm_pid" || fail_log "ckan datastore set-permissions | psql"
  if ! schema_ready; then
    ckan_cli "$VENV/bin/ckan" db pending-migrations --apply >>"$LOG" 2>&1 \
      || fail_log "ckan db pending-migrations --apply"
    schema_ready || fail_log "database initialization"
  fi
  echo "$want" > "$INIT_STAMP"
}

bootstrap_users() {
  if grep -qs '^CKAN_ADMIN_TOKEN=' "$ENV_FILE" && grep -qs '^CKAN_API_TOKEN=' "$ENV_FILE" \
     && grep -qsx "CKAN_URL=$CKAN_URL" "$ENV_FILE"; then
    return 0
  fi
  ckan_cli "$VENV/bin/ckan" satudata bootstrap --env-file "$ENV_FILE" >>"$LOG" 2>&1 \
    || fail_log "user/token bootstrap (ckan satudata bootstrap)"
}

launch_server() {
  say "starting gunicorn on $CKAN_URL ..."
  (
    cd "$CKAN_HOME"
    ckan_cli setsid "$VENV/bin/gunicorn" \
      --chdir "$ROOT/ckan" --pythonpath "$ROOT/ckan" wsgi:application \
      --bind "127.0.0.1:$CKAN_PORT" --workers "$CKAN_WORKERS" --timeout 300 \
      --pid "$PIDFILE" --name "ckan-$CKAN_INSTANCE" --no-control-socket \
      </dev/null >>"$LOG" 2>&1 8>&- 9>&- &
  )
}

launch_worker() {
  # background jobs (DataStore record counts, ...); the worker writes its own pid
  [ "$CKAN_JOBS_WORKER" = 1 ] || return 0
  [ -z "$(worker_pid)" ] || return 0
  (
    cd "$CKAN_HOME"
    # shellcheck disable=SC2016  # $$, $1 and $@ belong to the inner sh
    ckan_cli setsid sh -c 'echo $$ > "$1"; shift; exec "$@"' sh "$WORKER_PIDFILE" \
      "$VENV/bin/ckan" jobs worker </dev/null >>"$LOG" 2>&1 8>&- 9>&- &
  )
}

wait_for_server() {
  local i
  for i in $(seq 1 240); do
    if answers; then
      return 0
    fi
    if [ "$i" -gt 12 ] && [ -z "$(server_pid)" ]; then
      tail -n 40 "$LOG" >&2
      die "the server did not start (see $LOG)"
    fi
    sleep 0.25
  done
  tail -n 40 "$LOG" >&2
  die "the server did not answer $CKAN_URL/api/3/action/status_show within 60 s (see $LOG)"
}

code_stamp() {
  # what a running server has loaded: the extension's code and schemas, and this script (it writes the ini)
  { find "$EXTENSION/ckanext" -type f \( -name '*.py' -o -name '*.yaml' -o -name '*.html' -o -name '*.json' \) \
      -print0 | sort -z | xargs -0 sha256sum; sha256sum "$0"; } | sha256sum | cut -d' ' -f1
}

# ---------------------------------------------------------------- commands
cmd_up() {
  ( lock install 8; cmd_install )
  local pid
  pid="$(server_pid)"
  if [ -n "$pid" ] && answers && [ "$(cat "$CKAN_HOME/.code-stamp" 2>/dev/null)" = "$(code_stamp)" ]; then
    launch_worker
    say "already running at $CKAN_URL (pid $pid)"
    return 0
  fi
  if [ -n "$pid" ] && answers; then
    say "the extension changed since the server started; restarting it"
    cmd_down
    pid=""
  fi
  if [ -n "$pid" ]; then
    say "server pid $pid does not answer; restarting it"
    cmd_down
  fi
  rm -f "$PIDFILE"
  if port_busy; then
    die "port $CKAN_PORT is taken by another process (set CKAN_PORT)"
  fi
  command -v psql >/dev/null || die "psql is needed"
  mkdir -p "$CKAN_HOME/storage"
  touch "$MARKER"
  ensure_secrets
  ensure_databases
  write_ini
  init_databases
  code_stamp > "$CKAN_HOME/.code-stamp"
  launch_server
  launch_worker
  bootstrap_users  # while the web workers load
  wait_for_server
  say "running at $CKAN_URL (pid $(server_pid)); credentials in $ENV_FILE"
}

cmd_down() {
  local pids
  pids="$(worker_pid) $(server_pid)"
  if [ -n "${pids// /}" ]; then
    # shellcheck disable=SC2086  # word splitting of the pid list is wanted
    stop_pids $pids
    say "stopped"
  fi
  rm -f "$WORKER_PIDFILE" "$PIDFILE"
}

cmd_drop() {
  cmd_down
  if [ -f "$CKAN_HOME/ckan.ini" ] && [ -x "$VENV/bin/python" ]; then
    # forget this instance's Redis keys (job queues), leave the rest of the Redis DB alone
    "$VENV/bin/python" -I - "$CKAN_REDIS_URL" "satudata_$CKAN_INSTANCE" <<'EOF' >/dev/null 2>&1 || true
import sys, redis
r = redis.Redis.from_url(sys.argv[1], socket_timeout=3)
prefix = "ckan:%s:" % sys.argv[2]          # CKAN's queue names: ckan:<site_id>:<queue>
jobs = set()
for key in r.scan_iter("rq:queue:%s*" % prefix):
    jobs.update(r.lrange(key, 0, -1))
    r.delete(key)
for key in r.scan_iter("rq:*:%s*" % prefix):  # registries: started, finished, failed, scheduled...
    if r.type(key) == b"zset":
        jobs.update(m.split(b":")[0] for m in r.zrange(key, 0, -1))
    r.delete(key)
for job in jobs:
    r.delete(b"rq:job:" + job, b"rq:results:" + job)
for key in r.scan_iter("rq:job:*"):             # orphans: jobs whose queue is already gone
    if (r.hget(key, "origin") or b"").startswith(prefix.encode()):
        r.delete(key, b"rq:results:" + key[len(b"rq:job:"):])
for queue in r.smembers("rq:queues"):
    if queue.startswith(b"rq:queue:" + prefix.encode()):
        r.srem("rq:queues", queue)
for key in r.scan_iter("rq:worker:*"):          # stopped workers of this instance
    if (r.hget(key, "queues") or b"").startswith(prefix.encode()):
        r.delete(key)
        r.srem("rq:workers", key)
EOF
  fi
  psql_admin -v role="$CKAN_ROLE" -v ro="$CKAN_RO_ROLE" -v db="$CKAN_DB" -v ds="$CKAN_DATASTORE_DB" <<'SQL'
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'db') \gexec
SELECT format('DROP DATABASE IF EXISTS %I WITH (FORCE)', :'ds') \gexec
SELECT format('DROP ROLE IF EXISTS %I', :'ro') \gexec
SELECT format('DROP ROLE IF EXISTS %I', :'role') \gexec
SQL
  if [ -d "$CKAN_HOME" ]; then
    if [ -f "$MARKER" ]; then
      rm -rf "$CKAN_HOME"
    else
      say "not removing $CKAN_HOME: it was not created by this script"
    fi
  fi
  say "dropped"
}

cmd_status() {
  local pid wpid
  pid="$(server_pid)"
  wpid="$(worker_pid)"
  if [ -n "$pid" ] && answers; then
    echo "ckan[$CKAN_INSTANCE]: running at $CKAN_URL (pid $pid, jobs worker ${wpid:-not running}), home $CKAN_HOME"
  elif [ -n "$pid" ]; then
    echo "ckan[$CKAN_INSTANCE]: process $pid alive but $CKAN_URL does not answer, home $CKAN_HOME"
    return 1
  elif [ -f "$INI" ]; then
    echo "ckan[$CKAN_INSTANCE]: stopped, home $CKAN_HOME"
    return 3
  else
    echo "ckan[$CKAN_INSTANCE]: not created"
    return 3
  fi
}

cmd_cli() {
  [ -f "$INI" ] || die "instance not created: run \`scripts/ckan.sh up\` first"
  ckan_cli "$VENV/bin/ckan" "$@"
}

lock() {
  # lock NAME FD: one `install` at a time (fd 8), one up/down/drop per instance at a time (fd 9).
  # The servers started by `up` must not inherit these descriptors (see launch_*: 8>&- 9>&-).
  mkdir -p "$ROOT/var/ckan"
  eval "exec $2>\"\$ROOT/var/ckan/.lock-$1\""
  flock -w 600 "$2" || die "timed out waiting for another scripts/ckan.sh ($1)"
}

case "${1:-}" in
  install) lock install 8; cmd_install ;;
  up) lock "$CKAN_INSTANCE" 9; cmd_up ;;
  down) lock "$CKAN_INSTANCE" 9; cmd_down ;;
  drop) lock "$CKAN_INSTANCE" 9; cmd_drop ;;
  status) cmd_status ;;
  cli) shift; cmd_cli "$@" ;;
  *)
    sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
