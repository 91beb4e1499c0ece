# Source me: the environment of one local instance of Satu Data Bekasi (SATUDATA_INSTANCE, default demo).
# Secrets are generated once per instance into var/<instance>/secrets.env (mode 600) and handed to
# Airflow as AIRFLOW_CONN_<ID> variables; nothing secret is committed or printed.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SATUDATA_INSTANCE="${SATUDATA_INSTANCE:-demo}"
export SATUDATA_INSTANCE SATUDATA_HOME="$ROOT"
export SATUDATA_VAR_DIR="$ROOT/var/$SATUDATA_INSTANCE"
export AIRFLOW_HOME="$SATUDATA_VAR_DIR/airflow"
export AIRFLOW__CORE__DAGS_FOLDER="$ROOT/dags"
export AIRFLOW__CORE__LOAD_EXAMPLES=False
export AIRFLOW__CORE__PARALLELISM="${AIRFLOW__CORE__PARALLELISM:-4}"
export AIRFLOW__LOGGING__LOGGING_LEVEL="${AIRFLOW__LOGGING__LOGGING_LEVEL:-WARNING}"
export PATH="$ROOT/.venv/bin:$PATH"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"

mkdir -p "$SATUDATA_VAR_DIR"
secrets="$SATUDATA_VAR_DIR/secrets.env"
if [ ! -f "$secrets" ]; then
  (umask 077; printf 'DINAS_READER_PASSWORD=%s\n' "$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')" > "$secrets")
fi
# shellcheck disable=SC1090
. "$secrets"

db_prefix="satudata_${SATUDATA_INSTANCE}"
export SATUDATA_PG_ADMIN_URL="postgresql://${PGUSER}@${PGHOST}:${PGPORT}/postgres"
export AIRFLOW_CONN_WAREHOUSE="postgres://${PGUSER}@${PGHOST}:${PGPORT}/${db_prefix}_warehouse"
export SATUDATA_MYSQL_ADMIN_URL="mysql://root@127.0.0.1:3306"
export SATUDATA_DROP_DIR="$SATUDATA_VAR_DIR/drop"
# One read-only login per dinas database, as a real dinas would grant the walidata.
for d in disdukcapil distan dpmptsp; do
  export "AIRFLOW_CONN_DINAS_${d^^}=postgres://${db_prefix}_${d}_reader:${DINAS_READER_PASSWORD}@${PGHOST}:${PGPORT}/${db_prefix}_${d}"
done
for d in dinkes disdik; do
  export "AIRFLOW_CONN_DINAS_${d^^}=mysql://${db_prefix}_${d}_reader:${DINAS_READER_PASSWORD}@127.0.0.1:3306/${db_prefix}_${d}"
done

export CKAN_INSTANCE="$SATUDATA_INSTANCE"
export CKAN_HOME="$ROOT/var/ckan/$SATUDATA_INSTANCE"
if [ -f "$CKAN_HOME/env" ]; then
  # shellcheck disable=SC1091
  . "$CKAN_HOME/env"
  export AIRFLOW_CONN_CKAN_DEFAULT="{\"conn_type\": \"http\", \"host\": \"$CKAN_URL\", \"password\": \"$CKAN_API_TOKEN\"}"
  export AIRFLOW_CONN_CKAN_ADMIN="{\"conn_type\": \"http\", \"host\": \"$CKAN_URL\", \"password\": \"$CKAN_ADMIN_TOKEN\"}"
fi
