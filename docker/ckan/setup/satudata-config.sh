# Sourced (not executed) by ckan-base's start_ckan.sh, from /docker-entrypoint.d, after its prerun,
# and by ckan-worker.sh. Pins in ckan.ini what every CKAN container must share and what must survive
# re-creating a container: the session/CSRF secret, the API-token signing secret (so the token that
# Airflow holds stays valid) and the plugin list. The dataset schema is written here too because
# ckanext-scheming reads it in its own update_config, whether or not envvars has applied it yet.
# No `set -e` or `exit` here: it runs in the caller's shell.
ckan config-tool "${CKAN_INI}" \
    "SECRET_KEY=${CKAN_SECRET_KEY:?}" \
    "WTF_CSRF_SECRET_KEY=${CKAN_SECRET_KEY:?}" \
    "api_token.jwt.encode.secret=string:${CKAN_JWT_SECRET:?}" \
    "api_token.jwt.decode.secret=string:${CKAN_JWT_SECRET:?}" \
    "ckan.plugins=${CKAN__PLUGINS:?}" \
    "scheming.dataset_schemas=${CKAN___SCHEMING__DATASET_SCHEMAS:?}" > /dev/null
