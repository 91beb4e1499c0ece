#!/bin/bash
# First start of ckan-postgres only: CKAN's role and database, the DataStore database (owned by CKAN,
# which runs `datastore set-permissions` at start) and the DataStore's read-only role.
# Passwords go through psql variables (:'name'), so no quoting of secrets in SQL.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
     -v ckan_password="${CKAN_DB_PASSWORD:?}" -v ro_password="${CKAN_DATASTORE_RO_PASSWORD:?}" <<'EOSQL'
CREATE ROLE ckan NOSUPERUSER CREATEDB CREATEROLE LOGIN PASSWORD :'ckan_password';
CREATE DATABASE ckan OWNER ckan ENCODING 'UTF8' TEMPLATE template0;
CREATE ROLE datastore_ro NOSUPERUSER NOCREATEDB NOCREATEROLE LOGIN PASSWORD :'ro_password';
CREATE DATABASE ckan_datastore OWNER ckan ENCODING 'UTF8' TEMPLATE template0;
EOSQL
