#!/usr/bin/env bash
# The DeviceAgent demo: run by `./build.sh demo` after the build. The whole story, offline:
#
#   1. simulators: a TPM for the device (swtpm, reached through the agent's own TPM stack: no
#      tpm2-pkcs11, no tpm2-abrmd) and an HSM for the factory's CA keys (SoftHSM2), each in a
#      private directory
#   2. the local provisioning endpoint serving devices (DPS over MQTT/TLS), two hubs and its REST API
#   3. the CA hierarchy: root -> factory CA (keys in the HSM) -> production-line CA (encrypted file)
#   4. proof of possession of the root against the endpoint: verification code -> verification
#      certificate signed inside the HSM -> the root becomes Verified; the factory CA is uploaded
#      (unverified) so that the line CA rolls up to the verified root
#   5. an enrollment group on the line CA (accepted because it rolls up to the verified root)
#   6. the device key generated INSIDE the simulated TPM and its certificate issued by the line CA
#   7. `deviceagent provision`: TLS with leaf + intermediates, the TPM signs the CertificateVerify;
#      the assigned hub and device id are shown and saved
#   8. `deviceagent run`: connects to the assigned hub; its telemetry arrives there
#   9. the device is blocked with a disabled individual enrollment: its next registration is refused
#  10. everything is stopped and removed (also on failure)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
configuration=${CONFIGURATION:-Release}
bin() { echo "$root/src/$1/bin/$configuration/net10.0/$2"; }
agent=$(bin DeviceAgent deviceagent)
bringup=$(bin Factory bringup)
endpoint=$(bin ProvisioningEndpoint provisioning-endpoint)
for program in "$agent" "$bringup" "$endpoint"; do
  [ -x "$program" ] || { echo "demo: $program is not built; run ./build.sh demo" >&2; exit 1; }
done

step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
# Prints the command (to stderr, so that its stdout can be captured) with short paths, then runs it.
run() { printf '\033[2m$ %s\033[0m\n' "$*" | sed "s|$root/src/[A-Za-z.]*/bin/$configuration/net10.0/||g; s|$work/||g" >&2; "$@"; }
fail() { printf '\ndemo: FAILED: %s\n' "$*" >&2; exit 1; }
json() { python3 -c 'import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {"d": d}))' "$1"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_port() {
  local _
  for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

work=$(mktemp -d "${TMPDIR:-/tmp}/deviceagent-demo.XXXXXX")
tpm_dir="" hsm_dir="" endpoint_pid="" agent_pid=""
stop_process() { # PID NAME: SIGTERM, then wait (SIGKILL after 15 s)
  local pid=$1 _
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  echo "demo: $2 did not stop on SIGTERM; killing it" >&2; kill -KILL "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  set +e
  stop_process "$agent_pid" deviceagent
  [ -n "$endpoint_pid" ] && { stop_process "$endpoint_pid" provisioning-endpoint; echo "  provisioning-endpoint stopped"; }
  [ -n "$tpm_dir" ] && "$root/hardware/simulators/tpm-sim.sh" stop "$tpm_dir" 2>&1 | sed 's/^simulator:/ /'
  [ -n "$hsm_dir" ] && "$root/hardware/simulators/softhsm-sim.sh" stop "$hsm_dir" 2>&1 | sed 's/^simulator:/ /'
  if [ "$status" -ne 0 ]; then
    for log in endpoint.log agent.log; do
      [ -s "$work/$log" ] && { echo "--- last lines of $log" >&2; tail -n 30 "$work/$log" >&2; }
    done
  fi
  rm -rf "$work"
  [ "$status" -eq 0 ] && printf '\n\033[1;32mdemo: done; everything stopped and removed\033[0m\n'
}
trap cleanup EXIT
cd "$work"

step "1. simulators: the device's TPM and the factory's HSM"
eval "$("$root/hardware/simulators/softhsm-sim.sh" start "$work/hsm" --label factory-hsm)"
hsm_dir=$DEVICEAGENT_SIM_DIR hsm_module=$DEVICEAGENT_PKCS11_MODULE hsm_pin=$DEVICEAGENT_PIN_FILE
eval "$("$root/hardware/simulators/tpm-sim.sh" start "$work/tpm" --native)"
tpm_dir=$DEVICEAGENT_SIM_DIR tpm=$DEVICEAGENT_TPM_SPEC ek_ca=$DEVICEAGENT_EK_CA
echo "  HSM token 'factory-hsm' via $hsm_module"
echo "  TPM $tpm (swtpm; the agent's own TPM stack talks to it as to /dev/tpmrm0 on a device)"

step "2. the local provisioning endpoint (DPS device endpoint, two hubs, REST API)"
device_port=$(free_port) rest_port=$(free_port) hub1_port=$(free_port) hub2_port=$(free_port)
"$endpoint" serve --data-dir "$work/endpoint" --host-name localhost --device-port "$device_port" --rest-port "$rest_port" \
  --hub "hub1=localhost:$hub1_port" --hub "hub2=localhost:$hub2_port" --retry-after 1 > endpoint.log 2>&1 &
endpoint_pid=$!
# The REST API starts after the device and hub listeners.
wait_port "$rest_port" || fail "the endpoint did not start (see endpoint.log)"
"$endpoint" info --data-dir "$work/endpoint" --json > endpoint.json
id_scope=$(json 'd["idScope"]' < endpoint.json)
server_ca=$(json 'd["serverCaCertificate"]' < endpoint.json)
PROVISIONING_CONNECTION_STRING=$(json 'd["connectionString"]' < endpoint.json)
export PROVISIONING_CONNECTION_STRING # bringup reads it from the environment: the key stays out of the process list
echo "  devices:  mqtts://localhost:$device_port  ID scope $id_scope"
echo "  hubs:     hub1 localhost:$hub1_port, hub2 localhost:$hub2_port"
echo "  REST API: https://localhost:$rest_port (owner connection string in PROVISIONING_CONNECTION_STRING)"

step "3. CA hierarchy: root -> factory -> production line"
run "$bringup" ca create-root --name root --subject "CN=Contoso Demo Root CA, O=Contoso" --path-length 2 \
  --module "$hsm_module" --key "pkcs11:token=factory-hsm;object=root-ca" --pin-file "$hsm_pin"
run "$bringup" ca create-intermediate --name factory --issuer root --subject "CN=Contoso Factory 1 CA, O=Contoso" --path-length 1 \
  --module "$hsm_module" --key "pkcs11:token=factory-hsm;object=factory-ca" --pin-file "$hsm_pin"
head -c 32 /dev/urandom | base64 > line-ca.passphrase
run "$bringup" ca create-intermediate --name line --issuer factory --subject "CN=Contoso Line A CA, O=Contoso" \
  --passphrase-file line-ca.passphrase

step "4. proof of possession of the root (the HSM signs the verification certificate)"
run "$bringup" ca verify --ca root --trust "$server_ca"
echo "  the factory CA is uploaded too (unverified): the line CA then rolls up to the verified root"
run "$bringup" ca upload --ca factory --trust "$server_ca"
run "$bringup" ca list --trust "$server_ca"

step "5. enrollment group on the production-line CA"
run "$bringup" enrollment-group create --id line-a --ca line --trust "$server_ca"

step "6. device key generated inside the TPM; its certificate from the line CA"
registration_id=demo-device-001
# Key attestation before the leaf is issued: TPM2_Certify of the new key by an attestation key tied to
# the EK, whose certificate (in the TPM's NV) must chain to the TPM vendor's CA (--ek-ca).
run "$bringup" device create --registration-id "$registration_id" --issuer line \
  --tpm "$tpm" --key tpm:handle=0x81000101 --ek-ca "$ek_ca" --out device
run "$bringup" inspect device/chain.pem

cat > agent.json <<JSON
{
  "identity": {
    "tpm": "$tpm",
    "key": "tpm:handle=0x81000101",
    "chain": "$work/device/chain.pem"
  },
  "provisioning": {
    "endpoint": "localhost:$device_port",
    "idScope": "$id_scope",
    "registrationId": "$registration_id",
    "trust": "$server_ca",
    "payload": { "model": "demo-board", "line": "A" }
  },
  "hub": { "trust": "$server_ca", "telemetryIntervalSeconds": 2 },
  "stateDirectory": "$work/state"
}
JSON

step "7. deviceagent provision: full chain over TLS, the TPM signs the handshake"
run "$agent" provision --config agent.json --json | tee provision.json
[ "$(json 'd["status"]' < provision.json)" = assigned ] || fail "the device was not assigned"
echo "  assigned hub: $(json 'd["assignedHub"]' < provision.json), device id: $(json 'd["deviceId"]' < provision.json)"
run "$agent" status --config agent.json

step "8. deviceagent run: connects to the assigned hub and sends telemetry"
"$agent" run --config agent.json > agent.log 2>&1 &
agent_pid=$!
printf '\033[2m$ deviceagent run --config agent.json &   (log: agent.log)\033[0m\n'
arrived=""
for _ in $(seq 60); do
  kill -0 "$agent_pid" 2>/dev/null || fail "the agent exited (see agent.log)"
  if "$bringup" hub device telemetry --device-id "$registration_id" --trust "$server_ca" --limit 2 --json > telemetry.json 2>/dev/null &&
     [ "$(json 'len(d["messages"])' < telemetry.json)" -ge 2 ]; then arrived=yes; break; fi
  sleep 1
done
[ -n "$arrived" ] || fail "no telemetry reached the hub within 60 s (see agent.log)"
run "$bringup" hub device telemetry --device-id "$registration_id" --trust "$server_ca" --limit 2
printf '\033[2m$ kill -TERM deviceagent\033[0m\n'
kill -TERM "$agent_pid"; wait "$agent_pid" && echo "  deviceagent stopped cleanly (exit 0)" || fail "deviceagent exited with $? on SIGTERM"
agent_pid=""

step "9. block the device: a disabled individual enrollment decides before its group"
run "$bringup" enrollment create --registration-id "$registration_id" --cert device/chain.pem --disabled --trust "$server_ca"
run "$agent" reset --config agent.json
set +e
run "$agent" provision --config agent.json --json > refused.json
status=$?
set -e
cat refused.json
[ "$status" -eq 1 ] && [ "$(json 'd["status"]' < refused.json)" = disabled ] ||
  fail "the blocked device was not refused (exit $status)"
echo "  refused as DPS refuses it: exit $status, status 'disabled'"

step "10. stopping everything"
