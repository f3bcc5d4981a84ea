#!/usr/bin/env bash
# Install the given Debian packages if any of them is missing; do nothing otherwise.
#   scripts/apt-ensure.sh chromium poppler-utils
# When something is missing: one `apt-get update`, then one
# `apt-get install -y --no-install-recommends` for the missing packages only. Needs root (or sudo).
# `make test` calls this once with everything it needs, so apt runs at most once per run.
set -euo pipefail

missing=()
for pkg in "$@"; do
  status="$(dpkg-query -W -f='${db:Status-Abbrev}' "$pkg" 2>/dev/null || true)"
  [[ "$status" == ii* ]] || missing+=("$pkg")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ "$(id -u)" -eq 0 ]]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  echo "apt-ensure: missing Debian packages: ${missing[*]}; install them as root." >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "apt-ensure: installing ${missing[*]}" >&2
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "apt-ensure: installed ${missing[*]}" >&2
