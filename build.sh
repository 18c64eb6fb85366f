#!/usr/bin/env bash
# DeviceAgent's entry points.
#
#   ./build.sh test     install what is missing (as root), build, run every test
#   ./build.sh demo     build, start the simulators, and run the provisioning story
#   ./build.sh deps     only install (or list) the system and npm packages the tests need
#   ./build.sh build    only build (Release)
#   ./build.sh package [--out DIR]   the Debian packages deviceagent and provisioning-endpoint (deploy/)
#   ./build.sh bench [FILTER]   run the benchmarks (BenchmarkDotNet; not part of `test`);
#                      `bench first-telemetry [ROUNDS]` runs the packaged amd64 agent (native AOT)
#   ./build.sh fuzz TARGET [MINUTES]   AFL++ on one SharpFuzz target (tests/DeviceAgent.Fuzz; `test` runs each a few seconds)
#   ./build.sh sigterm [STOPS] [AGENT]   SIGTERM `deviceagent run` at STOPS random moments (default 200);
#                      AGENT: an executable to stop instead of the built deviceagent.dll (e.g. the native AOT one)
#   ./build.sh soak [MINUTES]   agents, registrations and periodic faults against the endpoint (default 10 min);
#                      reports the endpoint's RSS, descriptors and threads over time and fails on growth
#
# Environment: CONFIGURATION (default Release), TEST_FILTER (passed to `dotnet test --filter`),
# TEST_SERIAL=1 (run Deploy.Tests in turn, not beside the other test projects).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
root=$(pwd)
configuration=${CONFIGURATION:-Release}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { printf 'build.sh: error: %s\n' "$*" >&2; exit 1; }

# Debian packages the tests and the demo drive as real peers.
apt_packages=(
  swtpm swtpm-tools tpm2-tools tpm2-abrmd libtss2-tcti-tabrmd0 libtpm2-pkcs11-1 libtpm2-pkcs11-tools
  softhsm2 opensc dbus openssl python3
  mosquitto                     # the broker of `./build.sh bench mqtt-throughput`
  postgresql haproxy            # the endpoint's scale-out tests and bench: the shared store, the TCP load balancer
  systemd init-system-helpers   # the packaging tests: systemd-analyze, systemd-sysusers, deb-systemd-helper
  # Native AOT (deploy/package.sh): clang and lld link the executables; the arm64 cross-link takes
  # Debian's arm64 libraries, installed multiarch, as its sysroot (/), and aarch64 objcopy strips.
  clang lld binutils-aarch64-linux-gnu zlib1g-dev zlib1g-dev:arm64 libc6-dev:arm64 libgcc-12-dev:arm64
  # The emulated arm64 device (Deploy.Tests' Arm64Device tier): arm64 programs run under qemu-user
  # with an arm64 root that the tests unpack from `apt-get download` (see Arm64Root.cs).
  qemu-user-static
  # Long fuzzing runs (./build.sh fuzz): AFL++ drives the SharpFuzz targets of tests/DeviceAgent.Fuzz.
  afl++
  # The operator console's browser tests (tests/ProvisioningEndpoint.Tests/Console): headless Chromium driven by Playwright.
  chromium
)

missing_apt() {
  local p
  for p in "${apt_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || echo "$p"
  done
}

deps() {
  command -v dotnet >/dev/null || die "the .NET 10 SDK is not installed; see https://learn.microsoft.com/dotnet/core/install/linux-debian"
  local missing
  # The :arm64 packages above need the architecture known to dpkg (multiarch).
  if ! dpkg --print-foreign-architectures | grep -qx arm64; then
    [ "$(id -u)" -ne 0 ] || dpkg --add-architecture arm64
  fi
  missing=$(missing_apt | tr '\n' ' ')
  if [ -n "${missing// /}" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      die "missing Debian packages; install them and run again:
  sudo dpkg --add-architecture arm64 && sudo apt-get update && sudo apt-get install -y ${missing}"
    fi
    say "installing Debian packages: $missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
  if [ -f tests/node/package.json ]; then
    if ! command -v npm >/dev/null; then
      [ "$(id -u)" -eq 0 ] || die "npm is not installed; install it and run again:
  sudo apt-get update && sudo apt-get install -y nodejs npm"
      say "installing Node.js and npm (the official Azure IoT Node SDK is a test peer)"
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
    fi
    if [ ! -d tests/node/node_modules ] || [ tests/node/package-lock.json -nt tests/node/node_modules ]; then
      say "installing npm test peers (tests/node)"
      (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
      touch tests/node/node_modules
    fi
  fi
}

build() {
  say "building ($configuration)"
  dotnet build DeviceAgent.sln -c "$configuration" -nologo -v quiet -clp:ErrorsOnly
}

# test_project PROJECT RESULTS: one test project, its trx into RESULTS.
test_project() {
  dotnet test "$1" -c "$configuration" --no-build -nologo \
    --logger "trx;LogFileName=$(basename "$1" .csproj).trx" --results-directory "$2" \
    --logger "console;verbosity=normal" ${TEST_FILTER:+--filter "$TEST_FILTER"}
}

# Deploy.Tests spends most of its time in native AOT publishes (./build.sh package: ILC and
# clang, CPU-bound) while the other projects mostly wait on their peers, so it runs beside
# them (its output is printed when it ends); TEST_SERIAL=1 runs every project in turn.
# package.sh's publishes write only RID-specific outputs, so the framework-dependent builds
# that the other tests run are not touched while they run.
background_project=tests/Deploy.Tests/Deploy.Tests.csproj

run_tests() {
  local results="$root/artifacts/test-results" failed=0 project stamp background_pid=""
  rm -rf "$results"; mkdir -p "$results"
  stamp="$root/artifacts/test-run.stamp"; touch "$stamp"
  if [ -f "$background_project" ] && [ -z "${TEST_SERIAL:-}" ]; then
    say "testing Deploy.Tests in the background (log: $results/Deploy.Tests.log)"
    test_project "$background_project" "$results" >"$results/Deploy.Tests.log" 2>&1 &
    background_pid=$!
  fi
  for project in tests/*.Tests/*.Tests.csproj; do
    [ -n "$background_pid" ] && [ "$project" = "$background_project" ] && continue
    say "testing $(basename "$project" .csproj)"
    test_project "$project" "$results" || failed=1
  done
  if [ -n "$background_pid" ]; then
    say "waiting for Deploy.Tests (in the background)"
    wait "$background_pid" || failed=1
    cat "$results/Deploy.Tests.log"
  fi
  fuzz_smoke "$results" || failed=1
  say "checking the test logs and outputs for secrets"
  tests/secrets/scan-secrets.sh "$results" "$stamp" || failed=1
  [ "$failed" -eq 0 ] || die "some tests failed (results in $results)"
  say "all tests passed"
}

fuzz_program="$root/tests/DeviceAgent.Fuzz/bin/$configuration/net10.0/DeviceAgent.Fuzz.dll"

# A bounded in-process run of every fuzz target over its seed corpus (SharpFuzz coverage, our own
# mutation loop: see tests/DeviceAgent.Fuzz/MutationDriver.cs). FUZZ_SECONDS per target (5).
fuzz_smoke() {
  local findings="$1/fuzz-findings" target failed=0
  for target in $(dotnet "$fuzz_program" list); do
    say "fuzzing $target for ${FUZZ_SECONDS:-5} s"
    dotnet "$fuzz_program" run "$target" "${FUZZ_SECONDS:-5}" "tests/fuzz/corpora/$target" "$findings" || failed=1
  done
  return "$failed"
}

# ./build.sh fuzz TARGET MINUTES: AFL++ over the SharpFuzz-instrumented target; crashes land in
# artifacts/fuzz/TARGET/default/crashes (replay: dotnet DeviceAgent.Fuzz.dll replay TARGET FILE).
fuzz_long() {
  local target=${1:?usage: ./build.sh fuzz TARGET MINUTES (targets: dotnet DeviceAgent.Fuzz.dll list)} minutes=${2:-10} out
  [ -d "tests/fuzz/corpora/$target" ] || die "no seed corpus tests/fuzz/corpora/$target (targets: $(dotnet "$fuzz_program" list | tr '\n' ' '))"
  out="$root/artifacts/fuzz/$target"; mkdir -p "$out"
  say "AFL++ on $target for $minutes min (findings in $out)"
  # SharpFuzz instruments IL, which afl-fuzz cannot see in the dotnet binary (hence SKIP_BIN_CHECK);
  # shared machines: no CPU pinning or governor checks; the .NET runtime needs no memory limit.
  AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_NO_AFFINITY=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_AUTORESUME=1 \
    afl-fuzz -V "$((minutes * 60))" -t 10000 -m none -i "tests/fuzz/corpora/$target" -o "$out" -- dotnet "$fuzz_program" afl "$target" || true
  if compgen -G "$out/default/crashes/id:*" >/dev/null; then
    say "crashes found: $(ls "$out"/default/crashes/id:* | wc -l); replaying"
    dotnet "$fuzz_program" replay "$target" "$out"/default/crashes/id:*; return 1
  fi
  say "no crash ($(grep -E '^execs_done' "$out/default/fuzzer_stats" 2>/dev/null | tr -s ' '))"
}

case "${1:-}" in
  deps) deps;;
  build) build;;
  test) deps; build; run_tests;;
  demo) deps; build; exec "$root/deploy/demo/demo.sh";;
  package) shift; exec "$root/deploy/package.sh" "$@";;
  bench) shift; deps
    if [ "${1:-}" = first-telemetry ] && [ $# -le 2 ]; then
      # The packaged amd64 build (native AOT), as a device gets it; installed sizes side by side.
      bench_dir="$root/artifacts/bench"; rm -rf "$bench_dir"; mkdir -p "$bench_dir/root"
      deb=$("$root/deploy/package.sh" --arch amd64 --no-endpoint --out "$bench_dir")
      dpkg-deb -x "$deb" "$bench_dir/root"
      say "installed size: $(basename "$deb") $(dpkg-deb --field "$deb" Installed-Size) KiB; the Node SDK device (tests/node/node_modules) $(du -sk tests/node/node_modules | cut -f1) KiB without node itself"
      exec dotnet run -c Release --project tests/DeviceAgent.Benchmarks -- first-telemetry "${2:-8}" "$bench_dir/root/usr/bin/deviceagent"
    fi
    exec dotnet run -c Release --project tests/DeviceAgent.Benchmarks -- "$@";;
  fuzz) shift; deps
    dotnet build tests/DeviceAgent.Fuzz -c "$configuration" -nologo -v quiet -clp:ErrorsOnly
    fuzz_long "$@";;
  sigterm) shift; deps
    dotnet build tests/DeviceAgent.Tests -c "$configuration" -nologo -v quiet -clp:ErrorsOnly
    DEVICEAGENT_SIGTERM_STOPS=${1:-200} DEVICEAGENT_SIGTERM_AGENT=${2:+$(realpath "$2")} \
      exec dotnet test tests/DeviceAgent.Tests -c "$configuration" --no-build -nologo \
        --filter "FullyQualifiedName~SigtermAtRandomMomentsTests" --logger "console;verbosity=normal";;
  soak) shift; deps
    dotnet build tests/DeviceAgent.Tests -c "$configuration" -nologo -v quiet -clp:ErrorsOnly
    DEVICEAGENT_SOAK_MINUTES=${1:-10} exec dotnet test tests/DeviceAgent.Tests -c "$configuration" --no-build -nologo \
      --filter "FullyQualifiedName~SoakTests" --logger "console;verbosity=normal";;
  -h|--help|help|"") sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//';;
  *) die "unknown command '$1' (try ./build.sh --help)";;
esac
