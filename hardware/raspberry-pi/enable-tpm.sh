#!/usr/bin/env bash
# Enables an SPI TPM (Infineon SLB9670/9672 class HAT) on Raspberry Pi OS: makes sure config.txt
# has, outside any conditional section,
#     dtparam=spi=on
#     dtoverlay=tpm-slb9670
# Lines already in effect are left alone; missing ones are appended at the end (under [all]),
# after a backup copy config.txt.deviceagent-TIMESTAMP.bak. Safe to run again: a second run
# changes nothing. The TPM appears as /dev/tpmrm0 after the next reboot; then run check-tpm.sh.
#
#   enable-tpm.sh [--config PATH] [--overlay NAME] [--dry-run]
#
#   --config PATH    config.txt to edit (default: /boot/firmware/config.txt on bookworm,
#                    /boot/config.txt on older images; env DEVICEAGENT_CONFIG_TXT)
#   --overlay NAME   the TPM overlay (default tpm-slb9670, which also serves the SLB9672)
#   --dry-run        print the lines that would be added; change nothing
#
# Exit status: 0 done (or nothing to do), 1 error, 2 usage.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

config=${DEVICEAGENT_CONFIG_TXT:-}
overlay=tpm-slb9670
while [ $# -gt 0 ]; do
  case "$1" in
    --config) [ $# -ge 2 ] || rpi_usage_error "--config needs a path"; config=$2; shift 2;;
    --overlay) [ $# -ge 2 ] || rpi_usage_error "--overlay needs a name"; overlay=$2; shift 2;;
    --dry-run) rpi_dry_run=1; shift;;
    -h|--help) rpi_usage; exit 0;;
    *) rpi_usage_error "unknown argument '$1'";;
  esac
done
[[ "$overlay" =~ ^[A-Za-z0-9_,.-]+$ ]] || rpi_usage_error "'$overlay' is not an overlay name"

if [ -z "$config" ]; then
  for candidate in /boot/firmware/config.txt /boot/config.txt; do
    [ -f "$candidate" ] && { config=$candidate; break; }
  done
  [ -n "$config" ] || rpi_die "no config.txt in /boot/firmware or /boot" \
    "is this Raspberry Pi OS? pass the file with --config PATH (the boot partition may be mounted elsewhere)"
fi
[ -f "$config" ] || rpi_die "$config does not exist" "pass the right file with --config PATH"

# Lines in effect on every board: before the first conditional section, or after an [all].
# (config.txt filters such as [pi4] or [cm4] apply until the next [all].)
unconditional_lines() {
  awk '
    { line = $0; sub(/\r$/, "", line); sub(/^[ \t]+/, "", line); sub(/[ \t]+$/, "", line) }
    line ~ /^\[.*\]$/ { conditional = (line != "[all]"); next }
    !conditional && line != "" && line !~ /^#/ { print line }
  ' "$1"
}

# Whether the file ends inside a conditional section (so that appended lines need an [all]).
ends_conditional() {
  awk '
    { line = $0; sub(/\r$/, "", line); gsub(/^[ \t]+|[ \t]+$/, "", line) }
    line ~ /^\[.*\]$/ { conditional = (line != "[all]") }
    END { exit conditional ? 0 : 1 }
  ' "$1"
}

wanted=("dtparam=spi=on" "dtoverlay=$overlay")
present=$(unconditional_lines "$config")
missing=()
for line in "${wanted[@]}"; do
  grep -qxF -- "$line" <<<"$present" || missing+=("$line")
done
# dtparam=spi=off after our line would switch SPI off again; the last setting wins.
if [ "$(grep -E '^dtparam=spi=(on|off)$' <<<"$present" | tail -n 1)" = "dtparam=spi=off" ] &&
   [[ ! " ${missing[*]} " =~ " dtparam=spi=on " ]]; then
  missing=("dtparam=spi=on" "${missing[@]}")
fi

if [ ${#missing[@]} -eq 0 ]; then
  rpi_say "$config already enables the TPM (dtparam=spi=on, dtoverlay=$overlay); nothing to do"
  exit 0
fi

block=()
ends_conditional "$config" && block+=("[all]")
block+=("# DeviceAgent: SPI TPM (added by enable-tpm.sh)" "${missing[@]}")

backup="$config.deviceagent-$(date +%Y%m%dT%H%M%S).bak"
if rpi_would "back up $config to $backup and append:"; then
  printf '  + %s\n' "${block[@]}" >&2
  exit 0
fi

[ -w "$config" ] || rpi_die "cannot write $config" "run as root: sudo $0"
cp -p "$config" "$backup"
tmp=$(mktemp "$(dirname "$config")/.config.txt.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
  cat "$config"
  # Make sure the appended block starts on a line of its own.
  [ -s "$config" ] && [ "$(tail -c 1 "$config" | od -An -c | tr -d ' ')" != '\n' ] && echo
  printf '%s\n' "${block[@]}"
} > "$tmp"
chmod --reference="$config" "$tmp" 2>/dev/null || true
mv -f "$tmp" "$config"
trap - EXIT
sync
rpi_say "added to $config: ${missing[*]} (backup: $backup)"
rpi_say "reboot now (sudo reboot); afterwards check-tpm.sh must find /dev/tpmrm0"
