#!/usr/bin/env bash
# Run by the e2e-tests build before its integration tests: the dashboard's browser tests
# (DashboardE2EIT) drive Debian's headless chromium through its chromedriver. A machine without
# them gets them from Debian's packages, so `mvn -B verify` needs no other setup step.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
  exit 0
fi
echo "installing chromium and chromium-driver from Debian packages (for the dashboard's browser tests)"
if [ "$(id -u)" = 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1; then
  run=(sudo)
else
  echo "chromium and chromium-driver are missing and this user cannot install them:" \
    "run 'apt-get install chromium chromium-driver' as root, then mvn -B verify again" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq chromium chromium-driver
