#!/usr/bin/env bash
# Halo's one entry point: setup | build | test | demo | bench.
#
#   ./build.sh setup   install what is missing (wasm32 target, wasm-bindgen-cli, chromium, npm)
#   ./build.sh build   dist/chrome/ (the unpacked extension) and target/release/halo
#   ./build.sh test    every test: native, halo-core on wasm32, end to end in headless Chromium
#   ./build.sh demo    the main job against a local sandbox broker; screenshots in demo-output/
#   ./build.sh bench   speed figures (vault unlock, instrument master, codes)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

wasm_target=wasm32-unknown-unknown
dist="$root/dist/chrome"

step() { printf '\n== %s\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
locked_wasm_bindgen_version() {
    awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

setup() {
    command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup first."

    if ! rustup target list --installed | grep -qx "$wasm_target"; then
        step "adding the $wasm_target target"
        rustup target add "$wasm_target"
    fi

    local want have
    want="$(locked_wasm_bindgen_version)"
    [ -n "$want" ] || die "Cargo.lock names no wasm-bindgen version."
    have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
    if [ "$have" != "$want" ]; then
        step "installing wasm-bindgen-cli $want (found: ${have:-none})"
        cargo install wasm-bindgen-cli --version "$want"
    fi

    if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
        step "installing Debian's chromium and chromium-driver"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver
    fi

    command -v node >/dev/null \
        || die "node is missing: install Node.js 20 (apt-get install nodejs npm)."
    local stamp=tests/e2e/node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || [ tests/e2e/package-lock.json -nt "$stamp" ]; then
        step "installing the end-to-end tests' npm packages"
        # PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: the tests drive Debian's chromium, never a download.
        (cd tests/e2e && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
    fi
}

build() {
    step "building the worker and popup for $wasm_target"
    cargo build --release --target "$wasm_target" -p halo-worker -p halo-popup

    step "building the halo companion"
    cargo build --release -p halo-companion

    step "assembling dist/chrome"
    rm -rf "$dist"
    mkdir -p "$dist/pkg" "$dist/content"
    for crate in halo_worker halo_popup; do
        # The name section only serves stack traces; dropping it shrinks the bundle by ~40 %.
        wasm-bindgen --target web --no-typescript --remove-name-section \
            --remove-producers-section --out-dir "$dist/pkg" \
            "target/$wasm_target/release/$crate.wasm"
    done
    cp manifest.json "$dist/"
    cp -R extension/static/. "$dist/"
    cp extension/content/*.js "$dist/content/"

    check_bundle
    report_sizes
}

# The extension pages' CSP must allow wasm and nothing looser, and the generated glue must not
# compile code from strings: the browser would refuse it at run time, far from the cause.
check_bundle() {
    grep -q "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'" "$dist/manifest.json" \
        || die "manifest.json: extension_pages CSP must be" \
            "\"script-src 'self' 'wasm-unsafe-eval'; object-src 'self';\""
    if grep -lE 'new Function\(|[^.a-zA-Z_]eval\(' \
        "$dist"/pkg/*.js "$dist"/*.js "$dist"/content/*.js; then
        die "the files above build code from strings (eval / new Function), which the CSP forbids"
    fi
}

report_sizes() {
    local wasm
    for wasm in "$dist"/pkg/*.wasm; do
        printf '%-28s %9d bytes raw %9d bytes gzip\n' "$(basename "$wasm")" \
            "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)"
    done
}

run_tests() {
    step "formatting"
    cargo fmt --all -- --check

    step "native tests"
    cargo test --workspace --quiet

    step "halo-core on wasm32 (wasm-bindgen-test under node)"
    # No --quiet here: cargo hands it on to wasm-bindgen-test-runner, which rejects it.
    CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
        cargo test -p halo-core --target "$wasm_target"

    step "end to end in headless Chromium"
    HALO_BIN="$root/target/release/halo" HALO_EXTENSION="$dist" \
        HALO_TEST_OUTPUT="$root/test-output" \
        node --test --test-concurrency=1 tests/e2e/
}

demo() {
    HALO_BIN="$root/target/release/halo" HALO_EXTENSION="$dist" \
        HALO_DEMO_OUTPUT="$root/demo-output" node tests/e2e/demo.mjs
}

bench() {
    step "halo-core benchmarks (release)"
    cargo bench -p halo-core --bench core

    step "the benchmark-only key derivation module (benches/wasm-kdf, never in dist)"
    cargo build --release --target "$wasm_target" -p halo-bench-kdf
    rm -rf target/bench/pkg
    wasm-bindgen --target web --no-typescript --out-dir target/bench/pkg \
        "target/$wasm_target/release/halo_bench_kdf.wasm"
    if [ ! -f benches/node_modules/.package-lock.json ] \
        || [ benches/package-lock.json -nt benches/node_modules/.package-lock.json ]; then
        (cd benches && npm ci --no-audit --no-fund)
    fi

    step "vault unlock in Chromium and Node, beside hash-wasm"
    node benches/kdf.mjs
}

case "${1:-}" in
    setup) setup ;;
    build) setup; build ;;
    test) setup; build; run_tests ;;
    demo) setup; build; demo ;;
    bench) setup; build; bench ;;
    *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
