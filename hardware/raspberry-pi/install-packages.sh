#!/usr/bin/env bash
# Installs the Debian packages a DeviceAgent device needs (Raspberry Pi OS bookworm, arm64):
#   tpm2-tools          tpm2_getcap and friends, to check the TPM
#   tpm-udev            the 'tss' group and the udev rule that gives it /dev/tpmrm0
#   libtpm2-pkcs11-1    the PKCS#11 module through which the agent uses its TPM key
#   libtpm2-pkcs11-tools  tpm2_ptool, to create the token store
#   opensc              pkcs11-tool, to create and inspect the token
#   gpiod               gpiodetect/gpioinfo/gpioset, to check the LED and button wiring
# Already installed packages are left alone; safe to run again.
#
#   install-packages.sh [--dry-run]
#
# Run as root. The .NET runtime and the deviceagent package itself are installed separately.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

packages=(tpm2-tools tpm-udev libtpm2-pkcs11-1 libtpm2-pkcs11-tools opensc gpiod)

while [ $# -gt 0 ]; do
  case "$1" in
    --dry-run) rpi_dry_run=1; shift;;
    -h|--help) rpi_usage; exit 0;;
    *) rpi_usage_error "unknown argument '$1'";;
  esac
done

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
  rpi_say "all packages are installed: ${packages[*]}"
  exit 0
fi
rpi_need_root
rpi_say "installing: ${missing[*]}"
rpi_run apt-get update
rpi_run env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
[ "$rpi_dry_run" -eq 1 ] || rpi_say "done"
