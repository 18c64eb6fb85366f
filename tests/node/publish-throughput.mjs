// QoS 1 publish throughput of the npm `mqtt` client: node publish-throughput.mjs PORT COUNT WINDOW PAYLOAD_BYTES
// Publishes COUNT messages of PAYLOAD_BYTES to bench/throughput with WINDOW publishes in flight, timed
// from the first publish to the last PUBACK (after connecting). Prints {"messagesPerSecond": ...}.
import mqtt from 'mqtt';

const [port, count, window, size] = process.argv.slice(2).map(Number);
const payload = Buffer.alloc(size);
const client = await mqtt.connectAsync({ host: '127.0.0.1', port, protocolVersion: 4, clientId: 'bench-node', clean: true, reconnectPeriod: 0 });
let next = 0;
const worker = async () => {
  while (next++ < count) await client.publishAsync('bench/throughput', payload, { qos: 1 });
};
const start = process.hrtime.bigint();
await Promise.all(Array.from({ length: window }, worker));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
await client.endAsync();
console.log(JSON.stringify({ messagesPerSecond: count / seconds, seconds }));
