#!/usr/bin/env bash
# The test command: install what is missing, make sure the services answer, run every test.
# Extra arguments go to pytest (e.g. scripts/test.sh tests/unit -q).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
scripts/bootstrap.sh
scripts/services.sh
exec .venv/bin/pytest "$@"
