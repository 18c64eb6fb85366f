// The npm `mqtt` client against a server on 127.0.0.1:<port> (our MqttServerConnection echo host):
// MQTT 3.1.1, subscribe echo/node/# at QoS 2, publish one message at each QoS, expect all three
// back, print {"protocolVersion":4,"received":[...]} and exit 0. Any failure exits 1.
import mqtt from 'mqtt';

const port = Number(process.argv[2]);
const client = mqtt.connect({ host: '127.0.0.1', port, protocolVersion: 4, clientId: 'node-echo', clean: true, keepalive: 30, reconnectPeriod: 0 });
const received = [];
const fail = (error) => { console.error(String(error && error.stack || error)); process.exit(1); };
const timer = setTimeout(() => fail(`timed out; received ${JSON.stringify(received)}`), 20000);

client.on('error', fail);
client.on('message', (topic, payload, packet) => {
  received.push({ topic, qos: packet.qos, payload: payload.toString() });
  if (received.length === 3) {
    clearTimeout(timer);
    client.end(false, {}, () => {
      console.log(JSON.stringify({ protocolVersion: client.options.protocolVersion, received }));
      process.exit(0);
    });
  }
});
client.on('connect', async () => {
  try {
    const granted = await client.subscribeAsync('echo/node/#', { qos: 2 });
    if (granted[0].qos !== 2) fail(`granted ${JSON.stringify(granted)}`);
    for (const qos of [0, 1, 2]) await client.publishAsync(`echo/node/${qos}`, `qos${qos}`, { qos });
  } catch (error) { fail(error); }
});
