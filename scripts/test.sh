#!/usr/bin/env bash
# The one test command (README.md and .ci/run call it): install planner with its test tools,
# install the browser the browser tests drive, then run every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1

python3 -m pip install -q -e ".[test]"
bash scripts/install-browser.sh
python3 -m pytest -q "$@"
