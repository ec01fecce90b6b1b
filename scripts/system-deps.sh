#!/usr/bin/env bash
# Debian packages the project needs beyond Python: bubblewrap (the grading sandbox).
# Called by `make setup`; installs only what is missing, with sudo when not root.
# Extra Debian package names may be given as arguments; the real-browser tests
# (tests/test_browser.py) run `bash scripts/system-deps.sh chromium chromium-driver`
# themselves when chromium is missing, so students' `make setup` stays light.
set -euo pipefail
need=()
command -v bwrap >/dev/null 2>&1 || need+=(bubblewrap)
command -v prlimit >/dev/null 2>&1 || need+=(util-linux)
for extra in "$@"; do
  dpkg -s "$extra" >/dev/null 2>&1 || need+=("$extra")
done
[ ${#need[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "warning: please install ${need[*]} with your system's package manager" >&2
  exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing Debian packages: ${need[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -q "${need[@]}" >/dev/null 2>&1 || { $sudo apt-get update -q >/dev/null && $sudo apt-get install -y -q "${need[@]}" >/dev/null; }
