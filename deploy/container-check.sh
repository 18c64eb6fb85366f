#!/usr/bin/env bash
# Runs the packaged services under a real systemd, by hand (not part of ./build.sh test: it boots a
# container). The container is systemd-nspawn --boot on an overlay of this Debian machine's /usr,
# /etc and /var (so it has this machine's .NET runtime and packages; nothing of the machine
# changes) with a private network. Inside: dpkg -i both packages, then deploy/container-check.d/
# checks.sh starts the services under their sandbox and reports what systemd sees. Prints one
# "ok"/"FAILED" line per check; exit status 0 when all passed, 1 otherwise, 2 usage.
#
#   sudo deploy/container-check.sh [--debs DIR]
#
#   --debs DIR   where deviceagent_*_amd64.deb and provisioning-endpoint_*_all.deb are (default artifacts/)
#
# Needs root and systemd-nspawn (sudo apt-get install systemd-container).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
debs="$root/artifacts"
while [ $# -gt 0 ]; do
  case "$1" in
    --debs) [ $# -ge 2 ] || { echo "container-check: --debs needs a directory (try --help)" >&2; exit 2; }; debs=$2; shift 2;;
    -h|--help) sed -n '2,/^[^#]/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0;;
    *) echo "container-check: unknown argument '$1' (try --help)" >&2; exit 2;;
  esac
done
die() { echo "container-check: error: $1" >&2; [ $# -lt 2 ] || echo "  hint: $2" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "it mounts overlays and boots a container: run it as root" "sudo $0"
command -v systemd-nspawn >/dev/null || die "systemd-nspawn is not installed" "sudo apt-get install -y systemd-container"
ls "$debs"/deviceagent_*_amd64.deb "$debs"/provisioning-endpoint_*_all.deb >/dev/null 2>&1 ||
  die "no packages in $debs" "./build.sh package first, or pass --debs DIR"

work=$(mktemp -d "${TMPDIR:-/tmp}/deviceagent-container.XXXXXX")
cleanup() {
  for dir in usr etc var; do mountpoint -q "$work/root/$dir" && umount "$work/root/$dir"; done
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/root" "$work/debs" "$work/out"
cp "$debs"/deviceagent_*_amd64.deb "$debs"/provisioning-endpoint_*_all.deb "$work/debs/"
for dir in usr etc var; do
  mkdir -p "$work/$dir-upper" "$work/$dir-work" "$work/root/$dir"
  mount -t overlay overlay -o "lowerdir=/$dir,upperdir=$work/$dir-upper,workdir=$work/$dir-work" "$work/root/$dir"
done
for link in bin sbin lib lib64; do [ -L "/$link" ] && ln -s "$(readlink "/$link")" "$work/root/$link"; done
mkdir -p "$work/root"/{proc,sys,dev,run,tmp,root,home}
rm -f "$work/root/etc/machine-id"
systemd-id128 new > "$work/root/etc/machine-id"

echo "container-check: booting the container (a few minutes)" >&2
timeout 600 systemd-nspawn --quiet --directory="$work/root" --private-network --link-journal=no --register=no --keep-unit \
  --machine="deviceagent-check-$$" --bind-ro="$root/deploy/container-check.d:/check" --bind-ro="$work/debs:/debs" \
  --bind="$work/out:/out" --bind-ro="$root/deploy/container-check.d/check.service:/etc/systemd/system/check.service" \
  --boot -- --unit=check.service > "$work/console.log" 2>&1 || true
[ -s "$work/out/results" ] || { tail -n 40 "$work/console.log" >&2; die "the container produced no results (its console is above)"; }
cat "$work/out/results"
! grep -q '^FAILED' "$work/out/results"
