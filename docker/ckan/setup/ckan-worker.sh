#!/bin/bash
# CKAN's background-job worker: the web container's settings, then `ckan jobs worker`.
set -euo pipefail
# shellcheck source=/dev/null
. /srv/app/satudata/satudata-config.sh
exec ckan -c "${CKAN_INI}" jobs worker "$@"
