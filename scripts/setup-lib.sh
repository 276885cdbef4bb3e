# Shared by scripts/serve.sh and scripts/test.sh: install what is missing, quickly skip what is there.
# Everything comes from the package registries (crates.io, npm, Debian); nothing else is downloaded.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

TRUNK_VERSION="0.21.14"
BINARYEN_VERSION="132"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm-bindgen version the lockfile pins; the CLI must match it exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

ensure_wasm_target() {
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_trunk() {
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "installing trunk $TRUNK_VERSION (a few minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi
}

ensure_wasm_bindgen() {
  local want
  want="$(wasm_bindgen_version)"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $want\$"; then
    say "installing wasm-bindgen-cli $want (matches Cargo.lock)"
    # No --locked: the CLI's own lockfile names a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$want"
  fi
}

ensure_wasm_opt() {
  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION"; then
    say "installing wasm-opt (npm binaryen@$BINARYEN_VERSION)"
    as_root npm install -g "binaryen@$BINARYEN_VERSION"
  fi
}

TERSER_VERSION="5.51.4"

# The JS minifier for the wasm-bindgen glue (trunk's own minifier cannot parse it): see scripts/post-build.sh.
ensure_terser() {
  if ! terser --version 2>/dev/null | grep -q "$TERSER_VERSION"; then
    say "installing terser (npm terser@$TERSER_VERSION)"
    as_root npm install -g "terser@$TERSER_VERSION"
  fi
}

# The crates Cargo.lock names, for every target (trunk builds with --offline, so that it uses the tools installed here
# instead of downloading its own; cargo is then offline too). Quick when they are already in the cargo cache.
ensure_crates() {
  (cd "$ROOT" && cargo fetch --locked --quiet)
}

# xz packs the release build's wasm (scripts/pack-wasm.mjs); Debian's required packages usually include it.
ensure_xz() {
  if ! command -v xz >/dev/null; then
    say "installing Debian xz-utils"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xz-utils >/dev/null
  fi
}

ensure_build_tools() {
  ensure_xz
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_wasm_opt
  ensure_terser
  ensure_trunk
  ensure_crates
}

ensure_chromium() {
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian chromium and chromium-driver"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

# A Python 3 with numpy, for the tests that run the graph lab's exported .py file: exported as $PYTHON_NUMPY.
ensure_python_numpy() {
  for p in python3 /usr/bin/python3; do
    if command -v "$p" >/dev/null && "$p" -c 'import numpy' 2>/dev/null; then
      export PYTHON_NUMPY="$(command -v "$p")"
      return
    fi
  done
  say "installing Debian python3-numpy"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3 python3-numpy >/dev/null
  export PYTHON_NUMPY=/usr/bin/python3
}

# zbar's decoder, for the test that reads the share panel's QR codes back.
ensure_zbar() {
  if ! command -v zbarimg >/dev/null; then
    say "installing Debian zbar-tools"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq zbar-tools >/dev/null
  fi
}

ensure_e2e_deps() {
  if [ ! -d "$ROOT/e2e/node_modules/playwright-core" ] || [ "$ROOT/e2e/package-lock.json" -nt "$ROOT/e2e/node_modules/.stamp" ]; then
    say "installing the end-to-end runner (playwright-core; it drives Debian's chromium, no browser download)"
    (cd "$ROOT/e2e" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent && touch node_modules/.stamp)
  fi
}
