// Drives the official Azure IoT Node.js SDK's TPM attestation, unchanged, against a DPS endpoint:
// azure-iot-security-tpm (tss.js) for the TPM, azure-iot-provisioning-device-http for the HTTPS
// device API. tss.js finds no /dev/tpm0 or /dev/tpmrm0 and dials a resource manager at
// 127.0.0.1:2323 (the test's TrmBridge to a swtpm). Prints one JSON line:
// MODE=ek: {"endorsementKey": base64 TPM2B_PUBLIC, "registrationId": the SDK's derived id}
// MODE=register: {"registration": {...}} or {"error": "..."}.
// Trust for the endpoint's server CA comes from NODE_EXTRA_CA_CERTS; see host-port.mjs for host:port.
// Environment: MODE, DPS_HOST (host or host:port), DPS_ID_SCOPE, REGISTRATION_ID.
import { createRequire } from 'node:module';
import './host-port.mjs';

const require = createRequire(import.meta.url);
const { ProvisioningDeviceClient } = require('azure-iot-provisioning-device');
const { Http } = require('azure-iot-provisioning-device-http');
const { TpmSecurityClient } = require('azure-iot-security-tpm');

const print = (value) => { console.log(JSON.stringify(value)); process.exit(value.error ? 1 : 0); };
const security = new TpmSecurityClient(process.env.REGISTRATION_ID || undefined);
const promise = (f) => new Promise((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value))));

try {
  if (process.env.MODE === 'ek') {
    const ek = await promise((cb) => security.getEndorsementKey(cb));
    const registrationId = await promise((cb) => security.getRegistrationId(cb));
    print({ endorsementKey: Buffer.from(ek).toString('base64'), registrationId });
  } else {
    const client = ProvisioningDeviceClient.create(process.env.DPS_HOST, process.env.DPS_ID_SCOPE, new Http(), security);
    const result = await client.register();
    print({ registration: result });
  }
} catch (err) {
  print({ error: `${err?.constructor?.name}: ${err?.message}${err?.result ? ' ' + JSON.stringify(err.result) : ''}` });
}
