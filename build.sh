#!/usr/bin/env bash
# Halo's one entry point: setup | build | test | demo | bench.
#
#   ./build.sh setup   install what is missing (wasm32 target, wasm-bindgen-cli, chromium,
#                      firefox-esr, geckodriver, npm)
#   ./build.sh build   dist/chrome/ and dist/firefox/ (the unpacked extension) and
#                      target/release/halo
#   ./build.sh test    every test: native, halo-core on wasm32, end to end in headless Chromium
#                      and in headless Firefox ESR (test --firefox: only the Firefox part)
#   ./build.sh demo    the main job against a local sandbox broker; screenshots in demo-output/
#   ./build.sh bench   speed figures (vault unlock, instrument master, codes)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$root"

wasm_target=wasm32-unknown-unknown
dist="$root/dist/chrome"
firefox_dist="$root/dist/firefox"
# geckodriver from crates.io; the version is pinned so a new release cannot break the tests.
geckodriver_version=0.37.1

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

    setup_firefox
}

# Firefox ESR from Debian, geckodriver from crates.io, and the Firefox tests' npm packages.
setup_firefox() {
    if [ ! -x /usr/bin/firefox-esr ]; then
        step "installing Debian's firefox-esr"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr
    fi

    if [ "$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}')" \
        != "$geckodriver_version" ]; then
        step "installing geckodriver $geckodriver_version"
        # A debug build: it only relays the tests' commands, and compiles in a third of the time.
        cargo install geckodriver --version "$geckodriver_version" --locked --debug
    fi

    local stamp=tests/e2e-firefox/node_modules/.package-lock.json
    if [ ! -f "$stamp" ] || [ tests/e2e-firefox/package-lock.json -nt "$stamp" ]; then
        step "installing the Firefox tests' npm packages"
        (cd tests/e2e-firefox && npm ci --no-audit --no-fund)
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

    build_firefox
}

# dist/firefox: the files of dist/chrome with Firefox's variant of the manifest.
build_firefox() {
    step "assembling dist/firefox"
    rm -rf "$firefox_dist"
    cp -R "$dist" "$firefox_dist"
    node extension/firefox/manifest.mjs manifest.json "$firefox_dist/manifest.json"
    check_bundle "$firefox_dist"
}

# The extension pages' CSP must allow wasm and nothing looser, and the generated glue must not
# compile code from strings: the browser would refuse it at run time, far from the cause.
check_bundle() {
    local dist="${1:-$dist}"
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

    run_firefox_tests
}

# dist/firefox through web-ext lint (errors fail the build, warnings are shown), then the
# Firefox end-to-end tests: about a minute together.
run_firefox_tests() {
    step "dist/firefox through web-ext lint"
    (cd tests/e2e-firefox && npx --no-install web-ext lint --source-dir "$firefox_dist" \
        --self-hosted --output text)

    step "end to end in headless Firefox ESR"
    HALO_BIN="$root/target/release/halo" HALO_FIREFOX_EXTENSION="$firefox_dist" \
        HALO_TEST_OUTPUT="$root/test-output" \
        node --test --test-concurrency=1 tests/e2e-firefox/
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

    step "full-size instrument master in wasm, beside JSON.parse; Confirm to the sandbox"
    cargo build --release --target "$wasm_target" -p halo-bench-master
    rm -rf target/bench/master-pkg
    wasm-bindgen --target web --no-typescript --out-dir target/bench/master-pkg \
        "target/$wasm_target/release/halo_bench_master.wasm"
    node --expose-gc benches/master.mjs
}

case "${1:-}" in
    setup) setup ;;
    build) setup; build ;;
    test)
        setup
        build
        if [ "${2:-}" = --firefox ]; then run_firefox_tests; else run_tests; fi
        ;;
    demo) setup; build; demo ;;
    bench) setup; build; bench ;;
    *) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
