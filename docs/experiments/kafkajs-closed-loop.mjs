// Kafka's EndToEndLatency method with plain kafkajs, for comparing clients rather than methods:
// send one record (acks all), wait for the acknowledgement, wait until the consumer has it, repeat.
//   node docs/experiments/kafkajs-closed-loop.mjs BROKER TOPIC [RECORDS]
import kafkajs from 'kafkajs';

const {Kafka, logLevel} = kafkajs;
const [broker = '127.0.0.1:9092', topic = 'kafkajs-e2e', records = '5000'] = process.argv.slice(2);
const n = Number(records);
const kafka = new Kafka({brokers: [broker], clientId: 'kafkajs-closed-loop', logLevel: logLevel.NOTHING});
const consumer = kafka.consumer({groupId: `kafkajs-closed-loop-${process.pid}`, maxWaitTimeInMs: 100});
const producer = kafka.producer();
await Promise.all([consumer.connect(), producer.connect()]);
await consumer.subscribe({topics: [topic]});
const joined = new Promise(resolve => consumer.on(consumer.events.GROUP_JOIN, resolve));
let arrived = () => {};
void consumer.run({autoCommit: false, eachBatch: async ({batch}) => void (batch.messages.length > 0 && arrived())});
await joined;
const value = 'x'.repeat(100);
// The consumer takes its start position a moment after joining: warm up until a record comes through.
for (let through = false; !through; ) {
	const got = new Promise(resolve => (arrived = resolve));
	await producer.send({topic, acks: -1, messages: [{value}]});
	through = await Promise.race([got.then(() => true), new Promise(resolve => setTimeout(() => resolve(false), 200))]);
}
const samples = [];
for (let i = 0; i < n; i++) {
	const got = new Promise(resolve => (arrived = resolve));
	const started = performance.now();
	await producer.send({topic, acks: -1, messages: [{value}]});
	await got;
	samples.push(performance.now() - started);
}
samples.sort((a, b) => a - b);
const at = q => samples[Math.floor(q * (n - 1))].toFixed(2);
console.log(`mean ${(samples.reduce((a, b) => a + b, 0) / n).toFixed(3)} ms, p50 ${at(0.5)}, p99 ${at(0.99)}, p99.9 ${at(0.999)}`);
await Promise.all([consumer.disconnect(), producer.disconnect()]);
process.exit(0);
