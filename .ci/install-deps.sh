#!/usr/bin/env bash
# Installs what the browser and Python suites need on a fresh machine (root: CI) and checks it is there:
#   - Debian packages: chromium (the browser of tests/browser), python3-pytest, python3-httpx (clients/python tests)
#     and python3-yaml (tests/deploy: the Kubernetes manifests)
#   - the pinned browser driver: npm ci in tests/browser (playwright-core, package-lock.json)
# Without root, missing Debian packages are reported, not installed. Exit status non-zero when anything is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

readonly PACKAGES=(chromium python3-pytest python3-httpx python3-yaml)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: missing Debian packages ${missing[*]}; install them as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: apt-get install ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The lock pins the driver; npm ci also fails when package.json and the lock disagree.
npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error

/usr/bin/chromium --version
echo "install-deps: done in ${SECONDS} s"
/usr/bin/python3 -c 'import httpx, pytest, yaml; print("python3: httpx", httpx.__version__, "pytest", pytest.__version__, "yaml", yaml.__version__)'
