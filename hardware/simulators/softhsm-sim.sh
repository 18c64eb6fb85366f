#!/usr/bin/env bash
# A private SoftHSM2 token, standing in for an HSM: its own configuration and token
# directory in DIR; nothing global is touched.
#
#   softhsm-sim.sh start [DIR] [--label LABEL]   start; prints `export NAME='value'` lines on stdout
#   softhsm-sim.sh env DIR                       print those lines again
#   softhsm-sim.sh stop DIR [--keep]             remove DIR unless --keep
#
# Use:  eval "$(hardware/simulators/softhsm-sim.sh start)"; ...; hardware/simulators/softhsm-sim.sh stop "$DEVICEAGENT_SIM_DIR"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

usage() { sed -n '2,10p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

start() {
  local dir="" label="hsm"
  while [ $# -gt 0 ]; do
    case "$1" in
      --label) label=$2; shift 2;;
      -h|--help) usage; exit 0;;
      -*) sim_die "unknown option '$1'";;
      *) dir=$1; shift;;
    esac
  done
  sim_need softhsm2-util softhsm2
  local module
  module=$(sim_find_module libsofthsm2.so) ||
    sim_die "the SoftHSM2 module is not installed; sudo apt-get install -y softhsm2"
  [ -n "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/deviceagent-hsm.XXXXXX")
  mkdir -p "$dir/tokens"; chmod 700 "$dir"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/env" ] && sim_die "$dir already holds a simulator; stop it first: $0 stop $dir"

  cat > "$dir/softhsm2.conf" <<CONF
directories.tokendir = $dir/tokens
objectstore.backend = file
log.level = ERROR
slots.removable = false
CONF
  export SOFTHSM2_CONF="$dir/softhsm2.conf"
  umask 077
  sim_random_pin > "$dir/user.pin"; sim_random_pin > "$dir/so.pin"
  # softhsm2-util takes PINs as arguments; acceptable for a throw-away simulator only.
  softhsm2-util --init-token --free --label "$label" \
    --so-pin "$(cat "$dir/so.pin")" --pin "$(cat "$dir/user.pin")" > "$dir/init.log" 2>&1 ||
    sim_die "softhsm2-util --init-token failed; see $dir/init.log"

  cat > "$dir/env" <<ENV
export DEVICEAGENT_SIM_KIND='softhsm'
export DEVICEAGENT_SIM_DIR='$dir'
export DEVICEAGENT_PKCS11_MODULE='$module'
export DEVICEAGENT_TOKEN_LABEL='$label'
export DEVICEAGENT_PIN_FILE='$dir/user.pin'
export DEVICEAGENT_SO_PIN_FILE='$dir/so.pin'
export SOFTHSM2_CONF='$dir/softhsm2.conf'
ENV
  echo "simulator: SoftHSM2 token '$label' ready in $dir" >&2
  cat "$dir/env"
}

stop() {
  local dir="${1:-}" keep=0
  [ -n "$dir" ] || sim_die "usage: $0 stop DIR [--keep]"
  [ "${2:-}" = "--keep" ] && keep=1
  [ -d "$dir" ] || { echo "simulator: $dir does not exist; nothing to stop" >&2; return 0; }
  rm -f "$dir/env"
  [ "$keep" -eq 1 ] || rm -rf "$dir"
  echo "simulator: SoftHSM2 in $dir stopped" >&2
}

case "${1:-}" in
  start) shift; start "$@";;
  stop) shift; stop "$@";;
  env) [ -f "${2:-}/env" ] || sim_die "no simulator in '${2:-}'"; cat "$2/env";;
  -h|--help|help) usage;;
  *) usage >&2; exit 2;;
esac
