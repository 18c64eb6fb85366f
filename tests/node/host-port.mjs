// Lets the Azure IoT service SDKs reach a service on a port other than 443, without changing them.
//
// azure-iot-provisioning-service and azure-iothub take a connection string's HostName and hand it
// to https.request as `host`, which Node resolves as a DNS name. Real DPS and IoT Hub host names
// never carry a port; a local endpoint's do (HostName=localhost:8443). This wraps the connection
// step of every https.Agent (the SDKs make their own agents) so that a trailing ":port" of the
// host becomes the port to dial; everything else stays the SDK's own: paths, headers
// (Host: localhost:8443), SAS tokens (sr=localhost:8443), and the TLS name check (against
// "localhost", taken from the Host header). Import it before using an SDK.
import https from 'node:https';

const connect = https.Agent.prototype.createConnection;
https.Agent.prototype.createConnection = function createConnection(options, callback) {
  const match = /^([^:[\]]+):(\d+)$/.exec(options.host ?? '');
  const target = match ? { ...options, host: match[1], port: Number(match[2]), servername: options.servername || match[1] } : options;
  return connect.call(this, target, callback);
};
