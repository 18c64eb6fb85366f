// Drives the official azure-iothub Registry, unchanged, against a hub registry of the endpoint.
// Steps come as a JSON array in STEPS, e.g. [["get", "device-1"], ["disable", "device-1"]]; each prints one
// JSON line: {"step": name, "result": ...} or {"step": name, "error": {statusCode, name, message}}.
// Exits 0 when every step ran, 2 on bad usage. Trust comes from NODE_EXTRA_CA_CERTS; see host-port.mjs.
//
// Environment: IOTHUB_CONNECTION_STRING (HostName=host:registryPort;SharedAccessKeyName=iothubowner;...), STEPS.
import './host-port.mjs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Registry } = require('azure-iothub');

const connectionString = process.env.IOTHUB_CONNECTION_STRING;
const steps = JSON.parse(process.env.STEPS ?? '[]');
if (!connectionString || steps.length === 0) { console.log(JSON.stringify({ error: 'IOTHUB_CONNECTION_STRING and STEPS are required' })); process.exit(2); }
const registry = Registry.fromConnectionString(connectionString);

const setStatus = async (id, status) => {
  const device = (await registry.get(id)).responseBody;
  device.status = status; // read-modify-write, as the SDK samples do
  return (await registry.update(device)).responseBody;
};

const operations = {
  'list': async () => (await registry.list()).responseBody.map((d) => ({ deviceId: d.deviceId, status: d.status })),
  'get': async (id) => (await registry.get(id)).responseBody,
  'create': async (id, thumbprint) => (await registry.create({
    deviceId: id,
    status: 'enabled',
    authentication: { x509Thumbprint: { primaryThumbprint: thumbprint } },
  })).responseBody,
  'disable': async (id) => setStatus(id, 'disabled'),
  'enable': async (id) => setStatus(id, 'enabled'),
  'delete': async (id) => { await registry.delete(id); return 'deleted'; },
  'twin': async (id) => (await registry.getTwin(id)).responseBody.properties.desired,
};

for (const [name, ...args] of steps) {
  const operation = operations[name];
  if (!operation) { console.log(JSON.stringify({ step: name, error: { message: `unknown step ${name}` } })); process.exit(2); }
  try {
    console.log(JSON.stringify({ step: name, result: await operation(...args) }));
  } catch (err) {
    console.log(JSON.stringify({ step: name, error: { statusCode: err.response?.statusCode, name: err.constructor?.name, message: err.message } }));
  }
}
