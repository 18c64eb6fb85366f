// Drives the official Azure IoT Node.js device SDKs, unchanged, against a DPS endpoint:
// registers an X.509 device (azure-iot-provisioning-device-mqtt + azure-iot-security-x509),
// then optionally connects to the assigned hub (azure-iot-device-mqtt) and sends telemetry.
// Prints one JSON line: {"registration": {...}} or {"error": "..."}, then {"telemetry": n} when sent.
// Trust for the endpoint's server CA comes from NODE_EXTRA_CA_CERTS.
//
// Environment: DPS_HOST (host or host:port), DPS_ID_SCOPE, REGISTRATION_ID, CERT_FILE (leaf + intermediates,
// PEM), KEY_FILE, TELEMETRY_COUNT (default 0), STAY_CONNECTED (default 0).
// STAY_CONNECTED=1 (the first-telemetry benchmark): once the hub acknowledged the TELEMETRY_COUNT messages,
// print {"telemetry": n} and stay connected, as a device does, without reading the twin; SIGTERM closes
// the connection and exits 0.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ProvisioningDeviceClient } = require('azure-iot-provisioning-device');
const { Mqtt: ProvisioningMqtt } = require('azure-iot-provisioning-device-mqtt');
const { X509Security } = require('azure-iot-security-x509');
const { Client, Message } = require('azure-iot-device');
const { Mqtt: HubMqtt } = require('azure-iot-device-mqtt');

const env = (name, fallback) => {
  const value = process.env[name] ?? fallback;
  if (value === undefined) { console.log(JSON.stringify({ error: `${name} is not set` })); process.exit(2); }
  return value;
};

const cert = readFileSync(env('CERT_FILE'), 'utf8');
const key = readFileSync(env('KEY_FILE'), 'utf8');
const registrationId = env('REGISTRATION_ID');
const telemetryCount = Number(env('TELEMETRY_COUNT', '0'));
const stayConnected = env('STAY_CONNECTED', '0') === '1';

const security = new X509Security(registrationId, { cert, key });
const client = ProvisioningDeviceClient.create(env('DPS_HOST'), env('DPS_ID_SCOPE'), new ProvisioningMqtt(), security);

let result;
try {
  result = await client.register();
} catch (err) {
  console.log(JSON.stringify({ error: err.message, name: err.constructor?.name, status: err.result?.status ?? err.transportObject?.status }));
  process.exit(1);
}
console.log(JSON.stringify({ registration: { status: result.status, assignedHub: result.assignedHub, deviceId: result.deviceId, registrationId: result.registrationId } }));
if (telemetryCount === 0) process.exit(0);

const hub = Client.fromConnectionString(`HostName=${result.assignedHub};DeviceId=${result.deviceId};x509=true`, HubMqtt);
hub.setOptions({ cert, key });
try {
  await hub.open();
  for (let i = 0; i < telemetryCount; i++) {
    const message = new Message(JSON.stringify({ sdk: 'azure-iot-device-mqtt', sequence: i }));
    message.properties.add('source', 'node-sdk');
    await hub.sendEvent(message);
  }
  if (stayConnected) {
    console.log(JSON.stringify({ telemetry: telemetryCount }));
    const idle = setInterval(() => {}, 1 << 30); // stays alive even if the SDK's timers do not
    process.on('SIGTERM', () => {
      clearInterval(idle);
      hub.close().then(() => process.exit(0), () => process.exit(1));
    });
  } else {
    const twin = await hub.getTwin();
    await hub.close();
    console.log(JSON.stringify({ telemetry: telemetryCount, twinDesired: twin.properties.desired }));
  }
} catch (err) {
  console.log(JSON.stringify({ error: `hub: ${err.message}` }));
  process.exit(1);
}
