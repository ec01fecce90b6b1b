#!/usr/bin/env bash
# Installs what the demo JupyterHub needs (`make hub`, and `make test` before pytest, since
# tests/test_hub.py runs the hub): Node.js and npm (Debian packages, only if `node`/`npm` are
# missing), configurable-http-proxy from the npm registry into hub/node_modules (hub/package-lock.json),
# and JupyterHub from PyPI into .venv (hub/requirements.txt, constrained by requirements-lock.txt).
# Idempotent and quick when everything is there. Accounts, folders and permissions are made by
# `python hub/democlass.py setup` (part of `make hub`; the test makes its own class).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  bash scripts/system-deps.sh nodejs npm
fi
command -v runuser >/dev/null 2>&1 || bash scripts/system-deps.sh util-linux
if [ ! -x hub/node_modules/.bin/configurable-http-proxy ] || [ hub/package-lock.json -nt hub/node_modules/.stamp ]; then
  echo "installing configurable-http-proxy into hub/node_modules (npm ci)" >&2
  (cd hub && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  touch hub/node_modules/.stamp
fi
want=$(sed -n 's/^jupyterhub==//p' hub/requirements.txt)
if [ "$($PY -c 'import jupyterhub; print(jupyterhub.__version__)' 2>/dev/null)" != "$want" ]; then
  echo "installing JupyterHub $want into .venv" >&2
  $PY -m pip install -q --disable-pip-version-check -r hub/requirements.txt -c requirements-lock.txt
fi
