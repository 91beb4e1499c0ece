#!/usr/bin/env bash
# Install everything the project needs from a fresh clone: system packages, the project's virtualenv
# (pinned in requirements/airflow.lock) and CKAN's own virtualenv. Fast and quiet when already done.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

need_apt=()
# chromium: the status-board tests look at the page in a real headless browser.
for pkg in libpq-dev default-libmysqlclient-dev pkg-config build-essential chromium; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need_apt+=("$pkg")
done
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "bootstrap: installing system packages ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null || PY=python3
if ! command -v uv >/dev/null 2>&1; then
  "$PY" -m pip install -q uv
fi

stamp=".venv/.satudata-installed"
want="$(cat requirements/airflow.lock pyproject.toml samples/pyproject.toml | sha256sum | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "bootstrap: installing the project virtualenv (.venv)"
  [ -x .venv/bin/python ] || uv venv -q --python "$PY" .venv
  uv pip install -q --python .venv/bin/python --compile-bytecode -r requirements/airflow.lock
  # the product and, as its own package, the sample dinas systems the demo and the tests extract from
  uv pip install -q --python .venv/bin/python --no-deps -e . -e samples
  echo "$want" > "$stamp"
fi

scripts/ckan.sh install
