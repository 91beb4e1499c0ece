#!/usr/bin/env bash
# Create the deployment's .env from .env.example, filling every empty *PASSWORD, *SECRET or *KEY
# setting with a fresh random value. Refuses to overwrite an existing file.
#
#   docker/init-env.sh            # writes .env beside docker-compose.yaml
#   docker/init-env.sh PATH       # writes PATH instead
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
example="$root/.env.example"
target="${1:-$root/.env}"

if [[ -e "$target" ]]; then
  echo "init-env: $target exists; not overwriting it" >&2
  exit 1
fi

hex() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
fernet() { head -c 32 /dev/urandom | base64 | tr '+/' '-_'; }  # 44 chars, url-safe base64

umask 077
generated=0
while IFS= read -r line || [[ -n "$line" ]]; do
  if [[ "$line" =~ ^([A-Z][A-Z0-9_]*)=$ ]]; then
    name="${BASH_REMATCH[1]}"
    case "$name" in
      *FERNET_KEY) line="$name=$(fernet)"; generated=$((generated + 1)) ;;
      *PASSWORD|*SECRET|*SECRET_KEY) line="$name=$(hex)"; generated=$((generated + 1)) ;;
    esac
  fi
  printf '%s\n' "$line"
done < "$example" > "$target"
echo "init-env: wrote $target with $generated generated secrets; review the other settings in it"
