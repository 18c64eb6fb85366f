// Drives the official azure-iot-provisioning-service SDK, unchanged, against the endpoint's REST API.
// Steps come as a JSON array in STEPS, e.g. [["individual-create", "device-1", "/tmp/leaf.pem"], ["group-query"]];
// each prints one JSON line: {"step": name, "result": ...} or {"step": name, "error": {statusCode, name, message}}.
// Exits 0 when every step ran (errors included: the tests judge them), 2 on bad usage.
// Trust for the endpoint's server CA comes from NODE_EXTRA_CA_CERTS; see host-port.mjs for host:port.
//
// Environment: PROVISIONING_CONNECTION_STRING, STEPS.
import './host-port.mjs';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { ProvisioningServiceClient } = require('azure-iot-provisioning-service');

const connectionString = process.env.PROVISIONING_CONNECTION_STRING;
const steps = JSON.parse(process.env.STEPS ?? '[]');
if (!connectionString || steps.length === 0) { console.log(JSON.stringify({ error: 'PROVISIONING_CONNECTION_STRING and STEPS are required' })); process.exit(2); }
const client = ProvisioningServiceClient.fromConnectionString(connectionString);
const pem = (file) => readFileSync(file, 'utf8');

async function drain(query) {
  const items = [];
  let pages = 0;
  while (query.hasMoreResults) {
    const page = await query.next(query.continuationToken); // next() without a token starts over
    pages++;
    items.push(...page.responseBody);
  }
  return { pages, items };
}

const operations = {
  // TPM attestation: the EK file is the TPM2B_PUBLIC tpm2_createek -u wrote; the service API carries its base64.
  'individual-create-tpm': async (id, ekFile) => (await client.createOrUpdateIndividualEnrollment({
    registrationId: id, attestation: { type: 'tpm', tpm: { endorsementKey: readFileSync(ekFile).toString('base64') } }, provisioningStatus: 'enabled',
  })).responseBody,
  'individual-create': async (id, certFile, status = 'enabled') => (await client.createOrUpdateIndividualEnrollment({
    registrationId: id,
    attestation: { type: 'x509', x509: { clientCertificates: { primary: { certificate: pem(certFile) } } } },
    provisioningStatus: status,
    initialTwin: { tags: { source: 'node-service-sdk' }, properties: { desired: { interval: 30 } } },
  })).responseBody,
  'individual-get': async (id) => (await client.getIndividualEnrollment(id)).responseBody,
  'individual-set-status': async (id, status) => {
    const enrollment = (await client.getIndividualEnrollment(id)).responseBody;
    enrollment.provisioningStatus = status; // read-modify-write: the etag goes back as If-Match
    return (await client.createOrUpdateIndividualEnrollment(enrollment)).responseBody;
  },
  'individual-delete': async (id) => { await client.deleteIndividualEnrollment(id); return 'deleted'; },
  'individual-query': async (pageSize) => drain(client.createIndividualEnrollmentQuery({ query: '*' }, Number(pageSize))),
  'group-create': async (id, certFile) => (await client.createOrUpdateEnrollmentGroup({
    enrollmentGroupId: id,
    attestation: { type: 'x509', x509: { signingCertificates: { primary: { certificate: pem(certFile) } } } },
    provisioningStatus: 'enabled',
  })).responseBody,
  'group-create-by-reference': async (id, caName) => (await client.createOrUpdateEnrollmentGroup({
    enrollmentGroupId: id,
    attestation: { type: 'x509', x509: { caReferences: { primary: caName } } },
    provisioningStatus: 'enabled',
  })).responseBody,
  'group-get': async (id) => (await client.getEnrollmentGroup(id)).responseBody,
  'group-query': async () => drain(client.createEnrollmentGroupQuery({ query: '*' })),
  'group-devices': async (id) => drain(client.createEnrollmentGroupDeviceRegistrationStateQuery({ query: '*' }, id)),
  'group-delete': async (id) => { await client.deleteEnrollmentGroup(id); return 'deleted'; },
  'registration-get': async (id) => (await client.getDeviceRegistrationState(id)).responseBody,
  'registration-delete': async (id) => { await client.deleteDeviceRegistrationState(id); return 'deleted'; },
};

for (const [name, ...args] of steps) {
  const operation = operations[name];
  if (!operation) { console.log(JSON.stringify({ step: name, error: { message: `unknown step ${name}` } })); process.exit(2); }
  try {
    console.log(JSON.stringify({ step: name, result: await operation(...args) }));
  } catch (err) {
    console.log(JSON.stringify({ step: name, error: { statusCode: err.response?.statusCode, name: err.constructor?.name, message: err.message, body: err.responseBody } }));
  }
}
