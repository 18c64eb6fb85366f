#!/usr/bin/env bash
# Creates the agent's system user and gives it the devices it needs, and nothing more:
#   - groups 'tss' (the TPM's /dev/tpmrm0) and 'gpio' (/dev/gpiochip*, LED and button), created
#     when missing (tpm-udev and Raspberry Pi OS normally provide them);
#   - the system user (default 'deviceagent'): no login shell, no password, home = its state
#     directory, member of tss and gpio;
#   - its directories: state /var/lib/deviceagent (0750, the user's) and configuration
#     /etc/deviceagent (0750, root:deviceagent);
#   - a udev rule (/etc/udev/rules.d/60-deviceagent.rules) that gives /dev/tpmrm* to tss and
#     /dev/gpiochip* to gpio, mode 0660, then applies it.
# Safe to run again: what exists is kept (a missing group membership is added).
#
#   create-agent-user.sh [--user NAME] [--state-dir DIR] [--config-dir DIR] [--udev-rules FILE] [--dry-run]
#
# Run as root.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

user=${DEVICEAGENT_USER:-deviceagent}
state_dir=${DEVICEAGENT_STATE_DIR:-/var/lib/deviceagent}
config_dir=${DEVICEAGENT_CONFIG_DIR:-/etc/deviceagent}
udev_rules=/etc/udev/rules.d/60-deviceagent.rules
while [ $# -gt 0 ]; do
  case "$1" in
    --user) [ $# -ge 2 ] || rpi_usage_error "--user needs a name"; user=$2; shift 2;;
    --state-dir) [ $# -ge 2 ] || rpi_usage_error "--state-dir needs a path"; state_dir=$2; shift 2;;
    --config-dir) [ $# -ge 2 ] || rpi_usage_error "--config-dir needs a path"; config_dir=$2; shift 2;;
    --udev-rules) [ $# -ge 2 ] || rpi_usage_error "--udev-rules needs a path"; udev_rules=$2; shift 2;;
    --dry-run) rpi_dry_run=1; shift;;
    -h|--help) rpi_usage; exit 0;;
    *) rpi_usage_error "unknown argument '$1'";;
  esac
done
[[ "$user" =~ ^[a-z_][a-z0-9_-]{0,31}$ ]] || rpi_usage_error "'$user' is not a valid user name"
rpi_need_root

for group in tss gpio; do
  if getent group "$group" >/dev/null; then
    rpi_say "group $group exists"
  else
    rpi_run groupadd --system "$group"
  fi
done

if id -u "$user" >/dev/null 2>&1; then
  rpi_say "user $user exists"
  for group in tss gpio; do
    if id -nG "$user" | tr ' ' '\n' | grep -qx "$group"; then
      rpi_say "$user is in group $group"
    else
      rpi_run usermod -aG "$group" "$user"
    fi
  done
else
  rpi_run useradd --system --user-group --groups tss,gpio --home-dir "$state_dir" --no-create-home \
    --shell /usr/sbin/nologin --comment "DeviceAgent provisioning agent" "$user"
fi

rpi_run install -d -m 0750 -o "$user" -g "$user" "$state_dir"
rpi_run install -d -m 0750 -o root -g "$user" "$config_dir"

rules='# DeviceAgent (hardware/raspberry-pi/create-agent-user.sh): the TPM resource manager to group tss,
# the GPIO chips (status LED, re-provision button) to group gpio. tpm-udev and Raspberry Pi OS
# ship equivalent rules; this one keeps the device working without them.
KERNEL=="tpmrm[0-9]*", GROUP="tss", MODE="0660"
SUBSYSTEM=="gpio", KERNEL=="gpiochip[0-9]*", GROUP="gpio", MODE="0660"'
if [ -f "$udev_rules" ] && [ "$(cat "$udev_rules")" = "$rules" ]; then
  rpi_say "$udev_rules is up to date"
elif ! rpi_would "write $udev_rules and reload udev"; then
  mkdir -p "$(dirname "$udev_rules")"
  printf '%s\n' "$rules" | rpi_write_file "$udev_rules" 644 root:root
  if command -v udevadm >/dev/null 2>&1 && [ -d /run/udev ]; then
    udevadm control --reload-rules
    udevadm trigger --action=change --subsystem-match=tpmrm --subsystem-match=gpio
  else
    rpi_warn "udev is not running here; the rule applies at the next boot"
  fi
  rpi_say "wrote $udev_rules"
fi

[ "$rpi_dry_run" -eq 1 ] || rpi_say "done: $user may use the TPM and the GPIO chips (a running agent gets new groups at its next start)"
