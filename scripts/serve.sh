#!/usr/bin/env bash
# Installs whatever the build needs, then serves AD Lab at http://127.0.0.1:8080 (rebuilding on change).
# Extra arguments go to `trunk serve`, e.g. `scripts/serve.sh --release`.
source "$(dirname "$0")/setup-lib.sh"
ensure_build_tools
cd "$ROOT"
say "serving on http://127.0.0.1:8080"
exec trunk serve --offline --address 127.0.0.1 --port 8080 "$@"
