#!/usr/bin/env bash
# The DeviceAgent demo: run by `./build.sh demo` after the build.
#
# Today's story (it grows with the product):
#   1. start a simulated TPM (swtpm + tpm2-abrmd + tpm2-pkcs11) in a private directory
#   2. generate the device key INSIDE the TPM (it never leaves it)
#   3. issue a short chain for the TPM's public key: root CA -> line CA -> device leaf
#   4. start `openssl s_server` that trusts ONLY the root and requires a client certificate
#   5. `deviceagent doctor`: module, token, PIN, key custody, chain, and a mutual-TLS handshake
#      in which the device sends leaf + intermediate and the TPM signs the CertificateVerify
#   6. the same handshake with the leaf alone: the server refuses it (the intermediate matters)
# Everything is stopped and removed at the end, also on failure.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
configuration=${CONFIGURATION:-Release}
agent="$root/src/DeviceAgent/bin/$configuration/net10.0/deviceagent"
[ -x "$agent" ] || { echo "demo: $agent is not built; run ./build.sh demo" >&2; exit 1; }

step() { printf '\n\033[1;34m== %s\033[0m\n' "$*"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/deviceagent-demo.XXXXXX")
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  [ -n "${DEVICEAGENT_SIM_DIR:-}" ] && "$root/hardware/simulators/tpm-sim.sh" stop "$DEVICEAGENT_SIM_DIR" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "1. simulated TPM"
eval "$("$root/hardware/simulators/tpm-sim.sh" start "$work/tpm")"
echo "token '$DEVICEAGENT_TOKEN_LABEL' via $DEVICEAGENT_PKCS11_MODULE"

step "2. device key generated inside the TPM"
key_uri="pkcs11:token=$DEVICEAGENT_TOKEN_LABEL;object=device-key;type=private"
# pkcs11-tool takes the PIN as an argument: acceptable for the simulator's throw-away PIN only.
pkcs11-tool --module "$DEVICEAGENT_PKCS11_MODULE" --token-label "$DEVICEAGENT_TOKEN_LABEL" --login \
  --pin "$(cat "$DEVICEAGENT_PIN_FILE")" --keypairgen --key-type EC:prime256v1 --label device-key --id 01 2>/dev/null |
  sed -n '1,/Access/p' | sed 's/^/  /'

step "3. root CA -> line CA -> leaf for the TPM's public key (CN = registration id)"
pki="$work/pki"; mkdir -p "$pki"; cd "$pki"
# The public half is read from the token; the private half stays in the TPM. (bringup, the
# factory tool, will have the TPM sign a CSR instead.)
pkcs11-tool --module "$DEVICEAGENT_PKCS11_MODULE" --token-label "$DEVICEAGENT_TOKEN_LABEL" \
  --read-object --type pubkey --label device-key -o device-pub.der 2>/dev/null
openssl pkey -pubin -inform DER -in device-pub.der -out device-pub.pem
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout root.key -out root.pem -days 30 \
  -subj "/CN=Demo Root CA" -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout line.key -out line.csr -subj "/CN=Demo Line CA" 2>/dev/null
printf 'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > ca.ext
openssl x509 -req -in line.csr -CA root.pem -CAkey root.key -CAcreateserial -days 30 -extfile ca.ext -out line.pem 2>/dev/null
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n' > leaf.ext
openssl x509 -new -subj "/CN=demo-device-001" -force_pubkey device-pub.pem -CA line.pem -CAkey line.key \
  -CAcreateserial -days 7 -extfile leaf.ext -out leaf.pem 2>/dev/null
cat leaf.pem line.pem > chain.pem
openssl crl2pkcs7 -nocrl -certfile chain.pem | openssl pkcs7 -print_certs -noout | grep subject | sed 's/^/  /'

step "4. openssl s_server trusting only the root, requiring a client certificate"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout server.key -out server.pem -days 1 \
  -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost" 2>/dev/null
port=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
openssl s_server -accept "127.0.0.1:$port" -cert server.pem -key server.key -CAfile root.pem \
  -Verify 3 -verify_return_error -www > s_server.log 2>&1 &
server_pid=$!
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done
echo "  listening on localhost:$port (log: s_server.log)"

step "5. deviceagent doctor, with a mutual-TLS probe"
"$agent" doctor --module "$DEVICEAGENT_PKCS11_MODULE" --key "$key_uri" --pin-file "$DEVICEAGENT_PIN_FILE" \
  --chain chain.pem --trust server.pem --tls-probe "localhost:$port"

step "6. the same handshake sending the leaf alone (the server trusts only the root)"
set +e
"$agent" doctor --module "$DEVICEAGENT_PKCS11_MODULE" --key "$key_uri" --pin-file "$DEVICEAGENT_PIN_FILE" \
  --chain chain.pem --trust server.pem --tls-probe "localhost:$port" --send-leaf-only > leaf-only.txt
status=$?
set -e
grep 'mutual-TLS handshake' leaf-only.txt
if [ "$status" -ne 1 ] || ! grep -q '^\[FAILED \] mutual-TLS handshake' leaf-only.txt; then
  echo "demo: the leaf alone was accepted, which it must not be" >&2; exit 1
fi
echo "  refused (exit code $status), as it must be; s_server said: $(grep -m1 -i 'verify error' s_server.log || echo '(see its log)')"

step "done: the device key never left the TPM; the chain was presented in full"
