#!/usr/bin/env bash
# Debian packages the project needs beyond Python: bubblewrap (the grading sandbox) and util-linux
# (prlimit). Called by `make setup`; installs only what is missing, with sudo when not root.
# Extra Debian package names may be given as arguments: the set-up step of `make test` passes
# postgresql, chromium and chromium-driver, so every system package the tests need is installed
# once, before pytest starts (tests never install anything), while students' `make setup` stays light.
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
# wait for another apt/dpkg run to finish instead of failing on its lock
apt=($sudo apt-get -o DPkg::Lock::Timeout=600 -y -q)
"${apt[@]}" install "${need[@]}" >/dev/null 2>&1 || { "${apt[@]}" update >/dev/null && "${apt[@]}" install "${need[@]}" >/dev/null; }
