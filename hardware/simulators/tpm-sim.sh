#!/usr/bin/env bash
# A private software TPM reachable as a PKCS#11 token:
#   swtpm (libtpms) on two free loopback ports
#   -> tpm2-abrmd (resource manager: the simulator has only 3 object slots) on a private D-Bus bus
#   -> a tpm2-pkcs11 store with one initialised token.
# With --native, swtpm alone: the agent's own TPM stack talks to it directly (identity.tpm =
# $DEVICEAGENT_TPM_SPEC, keys tpm:handle=0x81XXXXXX), as it talks to /dev/tpmrm0 on a device.
# Nothing global is touched: everything lives in DIR and dies with `stop`.
#
#   tpm-sim.sh start [DIR] [--label LABEL]   start; prints `export NAME='value'` lines on stdout
#   tpm-sim.sh start [DIR] --native          swtpm only, with an EK certificate (swtpm_setup
#                                            --create-ek-cert, a private swtpm_localca); prints
#                                            DEVICEAGENT_TPM_SPEC, DEVICEAGENT_EK_CA and TPM2TOOLS_TCTI
#   tpm-sim.sh env DIR                       print those lines again
#   tpm-sim.sh stop DIR [--keep]             stop the processes; remove DIR unless --keep
#
# Use:  eval "$(hardware/simulators/tpm-sim.sh start)"; ...; hardware/simulators/tpm-sim.sh stop "$DEVICEAGENT_SIM_DIR"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/lib.sh"

usage() { sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

print_env() { # dir
  cat "$1/env"
}

start() {
  local dir="" label="device" native=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --label) label=$2; shift 2;;
      --native) native=1; shift;;
      -h|--help) usage; exit 0;;
      -*) sim_die "unknown option '$1'";;
      *) dir=$1; shift;;
    esac
  done
  sim_need swtpm swtpm; sim_need tpm2_getcap tpm2-tools; sim_need python3 python3
  local module="" ek_ca=""
  if [ "$native" -eq 0 ]; then
    sim_need tpm2-abrmd tpm2-abrmd; sim_need dbus-daemon dbus; sim_need tpm2_ptool libtpm2-pkcs11-tools
    module=$(sim_find_module libtpm2_pkcs11.so) ||
      sim_die "the tpm2-pkcs11 module is not installed; sudo apt-get install -y libtpm2-pkcs11-1"
  fi
  [ -n "$dir" ] || dir=$(mktemp -d "${TMPDIR:-/tmp}/deviceagent-tpm.XXXXXX")
  mkdir -p "$dir/state" "$dir/store"; chmod 700 "$dir"
  dir=$(cd "$dir" && pwd)
  [ -f "$dir/env" ] && sim_die "$dir already holds a simulator; stop it first: $0 stop $dir"

  # A start that fails half-way stops what it started.
  trap 'status=$?; if [ $status -ne 0 ]; then stop "$dir" --keep >/dev/null 2>&1; fi' EXIT

  if [ "$native" -eq 1 ]; then
    # The TPM's manufacturing: an EK certificate in NV from a private "vendor" CA, as a discrete TPM
    # ships with one; bringup's key attestation checks the EK against DEVICEAGENT_EK_CA.
    sim_need swtpm_setup swtpm-tools; sim_need swtpm_localca swtpm-tools
    mkdir -p "$dir/localca"
    printf 'statedir = %s\nsigningkey = %s\nissuercert = %s\ncertserial = %s\n' \
      "$dir/localca" "$dir/localca/signkey.pem" "$dir/localca/issuercert.pem" "$dir/localca/certserial" > "$dir/localca.conf"
    printf -- '--platform-manufacturer DeviceAgent\n--platform-version 2.1\n--platform-model swtpm\n' > "$dir/localca.options"
    printf 'create_certs_tool = %s\ncreate_certs_tool_config = %s\ncreate_certs_tool_options = %s\n' \
      "$(command -v swtpm_localca)" "$dir/localca.conf" "$dir/localca.options" > "$dir/swtpm_setup.conf"
    swtpm_setup --tpm2 --tpmstate "$dir/state" --create-ek-cert --config "$dir/swtpm_setup.conf" --overwrite \
      > "$dir/swtpm_setup.log" 2>&1 || sim_die "swtpm_setup --create-ek-cert failed; see $dir/swtpm_setup.log"
    ek_ca="$dir/ek-ca.pem"
    cat "$dir/localca/swtpm-localca-rootca-cert.pem" "$dir/localca/issuercert.pem" > "$ek_ca"
  fi

  local ports port
  ports=$(sim_free_port_pair); port=${ports%% *}
  echo "simulator: swtpm on 127.0.0.1:$port (control $((port + 1)))" >&2
  swtpm socket --tpm2 --tpmstate dir="$dir/state" \
    --server type=tcp,port="$port",bindaddr=127.0.0.1 \
    --ctrl type=tcp,port=$((port + 1)),bindaddr=127.0.0.1 \
    --flags not-need-init,startup-clear \
    --pid file="$dir/swtpm.pid" --log file="$dir/swtpm.log" --daemon </dev/null >/dev/null 2>&1
  sim_wait_for 50 test -s "$dir/swtpm.pid" || sim_die "swtpm did not start; see $dir/swtpm.log"

  if [ "$native" -eq 1 ]; then
    local spec="swtpm:host=127.0.0.1,port=$port"
    sim_wait_for 50 env TPM2TOOLS_TCTI="$spec" tpm2_getcap properties-fixed >/dev/null 2>&1 ||
      sim_die "swtpm does not answer on 127.0.0.1:$port; see $dir/swtpm.log"
    cat > "$dir/env" <<ENV
export DEVICEAGENT_SIM_KIND='tpm-native'
export DEVICEAGENT_SIM_DIR='$dir'
export DEVICEAGENT_TPM_SPEC='$spec'
export DEVICEAGENT_EK_CA='$ek_ca'
export TPM2TOOLS_TCTI='$spec'
ENV
    trap - EXIT
    echo "simulator: TPM (swtpm, no resource manager) ready in $dir: $spec" >&2
    print_env "$dir"
    return 0
  fi

  # A private session bus: tpm2-abrmd must own a well-known name, and we never touch the
  # system bus or the user's session bus.
  cat > "$dir/dbus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path=$dir/bus</listen>
  <auth>EXTERNAL</auth>
  <!-- the policy of Debian's stock session.conf --><policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/><allow own="*"/></policy>
</busconfig>
CONF
  dbus-daemon --config-file="$dir/dbus.conf" --fork --print-pid > "$dir/dbus.pid" </dev/null 2>"$dir/dbus.log"
  sim_wait_for 50 test -S "$dir/bus" || sim_die "the private D-Bus daemon did not start"
  export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/bus"

  local bus_name="com.intel.tss2.Tabrmd.sim$port" root_flag=()
  [ "$(id -u)" -eq 0 ] && root_flag=(--allow-root)
  # tpm2-pkcs11 keeps each key it has used loaded; test suites use dozens of keys in one
  # process, beyond tpm2-abrmd's default of 27 transient objects per connection (100 is its maximum).
  tpm2-abrmd "${root_flag[@]}" --session --dbus-name="$bus_name" --max-transients=100 \
    --tcti="swtpm:host=127.0.0.1,port=$port" </dev/null > "$dir/abrmd.log" 2>&1 &
  echo $! > "$dir/abrmd.pid"
  local tcti="tabrmd:bus_type=session,bus_name=$bus_name"
  # Wait for the daemon to own its name before the first client connects: a client that
  # connects while tpm2-abrmd is still starting can block.
  sim_wait_for 100 sh -c "dbus-send --session --print-reply --dest=org.freedesktop.DBus \
      /org/freedesktop/DBus org.freedesktop.DBus.NameHasOwner string:$bus_name | grep -q 'boolean true'" ||
    sim_die "tpm2-abrmd did not take its D-Bus name; see $dir/abrmd.log"
  timeout 20 env TPM2TOOLS_TCTI="$tcti" tpm2_getcap properties-fixed >/dev/null 2>&1 ||
    sim_die "the TPM does not answer through tpm2-abrmd; see $dir/abrmd.log and $dir/swtpm.log"

  # The simulator's PINs live in files (mode 0600) so that nothing asks for them on a
  # command line; tpm2_ptool itself takes them as arguments, which is acceptable for a
  # throw-away simulator and never done with a real device's PIN.
  umask 077
  sim_random_pin > "$dir/user.pin"; sim_random_pin > "$dir/so.pin"
  export TPM2_PKCS11_TCTI="$tcti" TPM2TOOLS_TCTI="$tcti" TPM2_PKCS11_STORE="$dir/store"
  tpm2_ptool init --path "$dir/store" > "$dir/ptool.log" 2>&1 ||
    sim_die "tpm2_ptool init failed; see $dir/ptool.log"
  tpm2_ptool addtoken --pid=1 --label="$label" --path "$dir/store" \
    --sopin="$(cat "$dir/so.pin")" --userpin="$(cat "$dir/user.pin")" >> "$dir/ptool.log" 2>&1 ||
    sim_die "tpm2_ptool addtoken failed; see $dir/ptool.log"

  cat > "$dir/env" <<ENV
export DEVICEAGENT_SIM_KIND='tpm'
export DEVICEAGENT_SIM_DIR='$dir'
export DEVICEAGENT_PKCS11_MODULE='$module'
export DEVICEAGENT_TOKEN_LABEL='$label'
export DEVICEAGENT_PIN_FILE='$dir/user.pin'
export DEVICEAGENT_SO_PIN_FILE='$dir/so.pin'
export DBUS_SESSION_BUS_ADDRESS='unix:path=$dir/bus'
export TPM2_PKCS11_TCTI='$tcti'
export TPM2TOOLS_TCTI='$tcti'
export TPM2_PKCS11_STORE='$dir/store'
ENV
  trap - EXIT
  echo "simulator: TPM token '$label' ready in $dir" >&2
  print_env "$dir"
}

stop() {
  local dir="${1:-}" keep=0
  [ -n "$dir" ] || sim_die "usage: $0 stop DIR [--keep]"
  [ "${2:-}" = "--keep" ] && keep=1
  [ -d "$dir" ] || { echo "simulator: $dir does not exist; nothing to stop" >&2; return 0; }
  sim_kill_pidfile "$dir/abrmd.pid"
  sim_kill_pidfile "$dir/swtpm.pid"
  sim_kill_pidfile "$dir/dbus.pid"
  rm -f "$dir/env"
  [ "$keep" -eq 1 ] || rm -rf "$dir"
  echo "simulator: TPM in $dir stopped" >&2
}

case "${1:-}" in
  start) shift; start "$@";;
  stop) shift; stop "$@";;
  env) [ -f "${2:-}/env" ] || sim_die "no simulator in '${2:-}'"; print_env "$2";;
  -h|--help|help) usage;;
  *) usage >&2; exit 2;;
esac
