#!/bin/bash
# Inside the container of deploy/container-check.sh: installs the packages, runs both services
# under their sandbox, and writes one "ok NAME" or "FAILED NAME: what systemd saw" line per check
# to /out/results.
set -u
results=/out/results
: > "$results"
state() { systemctl show -p ActiveState,SubState,Result,ExecMainStatus,NRestarts "$1" | sort | tr '\n' ' '; }
check() { # name expected-substring... -- actual
  local name=$1 actual=${*: -1} want
  shift
  for want in "${@:1:$#-1}"; do
    if [[ "$actual" != *"$want"* ]]; then echo "FAILED $name: wanted '$want' in: $actual" >> "$results"; return; fi
  done
  echo "ok $name" >> "$results"
}
wait_port() { for _ in $(seq 60); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 1; done; return 1; }

dpkg -i /debs/deviceagent_*_amd64.deb /debs/provisioning-endpoint_*_all.deb > /out/dpkg.log 2>&1
check "both packages install" "rc=0" "rc=$?"
check "the units are installed disabled and inactive" "disabled disabled inactive inactive" \
  "$(systemctl is-enabled deviceagent provisioning-endpoint | tr '\n' ' ')$(systemctl is-active deviceagent provisioning-endpoint | tr '\n' ' ')"
check "deviceagent is in tss and gpio" "(tss)" "(gpio)" "$(id deviceagent)"

systemctl start provisioning-endpoint
wait_port 8883
check "the endpoint serves under its sandbox" "ActiveState=active" "NRestarts=0" "$(state provisioning-endpoint)"
scope=$(provisioning-endpoint info --data-dir /var/lib/provisioning-endpoint --json | sed -n 's/.*"idScope": *"\([^"]*\)".*/\1/p')

systemctl start deviceagent 2>/dev/null; sleep 5
check "without its PIN file the agent fails the assertion once" "ActiveState=inactive" "NRestarts=0" "Assertion failed" \
  "$(state deviceagent) $(journalctl -u deviceagent -o cat | tail -n 1)"

printf '1234' > /etc/deviceagent/user.pin && chown deviceagent: /etc/deviceagent/user.pin && chmod 600 /etc/deviceagent/user.pin
systemctl reset-failed deviceagent
systemctl start deviceagent 2>/dev/null; sleep 15
check "with the sample configuration the agent exits 2 and is not restarted" "ExecMainStatus=2" "NRestarts=0" "ActiveState=failed" "$(state deviceagent)"

# A software identity (file: key encrypted with the PIN, read through the credential) and the endpoint as DPS.
cd /tmp
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -subj /CN=check-root -days 2 \
  -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out leaf.key 2>/dev/null
openssl pkcs8 -topk8 -v2 aes-256-cbc -in leaf.key -passout pass:1234 -out /var/lib/deviceagent/device.key
openssl req -new -key leaf.key -subj /CN=check-device -out leaf.csr
printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > leaf.ext
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile leaf.ext -out /var/lib/deviceagent/chain.pem 2>/dev/null
chown deviceagent: /var/lib/deviceagent/device.key /var/lib/deviceagent/chain.pem
install -m 0644 /var/lib/provisioning-endpoint/tls/server-ca.pem /etc/deviceagent/dps-ca.pem
cat > /etc/deviceagent/agent.json <<JSON
{
  "identity": { "key": "file:/var/lib/deviceagent/device.key", "allowSoftwareKey": true, "pinFile": "credential:pin", "chain": "/var/lib/deviceagent/chain.pem" },
  "provisioning": { "endpoint": "localhost:8883", "idScope": "$scope", "trust": "/etc/deviceagent/dps-ca.pem" },
  "hub": { "trust": "/etc/deviceagent/dps-ca.pem" },
  "retry": { "refusedMinimumSeconds": 2, "refusedMaximumSeconds": 4 }
}
JSON
mkdir -p /etc/systemd/system/deviceagent.service.d
printf '[Service]\nWatchdogSec=6s\n' > /etc/systemd/system/deviceagent.service.d/check.conf
systemctl daemon-reload
systemctl reset-failed deviceagent
systemctl start deviceagent
check "with an identity the agent becomes ready" "rc=0" "rc=$?"
sleep 20
check "the agent runs under its sandbox, feeds a 6 s watchdog and reaches DPS (refused: no enrollment)" \
  "ActiveState=active" "SubState=running" "NRestarts=0" "DPS refused" "$(state deviceagent) $(systemctl show -p StatusText deviceagent)"
systemctl stop deviceagent provisioning-endpoint
check "the endpoint stops cleanly" "ActiveState=inactive" "Result=success" "$(state provisioning-endpoint)"
journalctl -u deviceagent -u provisioning-endpoint -o short-monotonic --no-pager > /out/journal.log
