// MQTT.js (npm "mqtt") as a browser page's MQTT client would use it, run by MqttJsIT under Node:
// connects to argv[2] (ws:// or wss://), subscribes to argv[3] at QoS 1, prints "subscribed",
// then prints "message TOPIC PAYLOAD" for the first message and exits 0. Any error exits 1.
const mqtt = require('mqtt');

const [url, topic, protocolVersion] = process.argv.slice(2);
const client = mqtt.connect(url, {
  clientId: 'mqttjs-' + process.pid,
  protocolVersion: Number(protocolVersion || 4),
  reconnectPeriod: 0,
  connectTimeout: 5000,
});
client.on('error', (err) => {
  console.log('error ' + err.message);
  process.exit(1);
});
client.on('close', () => {
  console.log('closed');
});
client.on('connect', () => {
  client.subscribe(topic, { qos: 1 }, (err, granted) => {
    if (err) {
      console.log('error ' + err.message);
      process.exit(1);
    }
    console.log('subscribed ' + granted.map((g) => g.qos).join(','));
  });
});
client.on('message', (t, payload) => {
  console.log('message ' + t + ' ' + payload.toString());
  client.end(false, {}, () => process.exit(0));
});
