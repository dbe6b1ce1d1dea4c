// kchat bench's e2e method with plain kafkajs: a sender at a steady rate (open loop, one idempotent
// producer, acks all) and a receiver in another process; the floor kchat's own code adds to.
//   node docs/experiments/kafkajs-open-loop.mjs receive BROKER TOPIC [RECORDS] [MAX_WAIT_MS]   (prints "ready")
//   node docs/experiments/kafkajs-open-loop.mjs send BROKER TOPIC [RECORDS] [RATE]
import kafkajs from 'kafkajs';

const {Kafka, logLevel} = kafkajs;
const [role, broker = '127.0.0.1:9092', topic = 'kafkajs-e2e', records = '5000', rateOrWait] = process.argv.slice(2);
const n = Number(records);
const kafka = new Kafka({brokers: [broker], clientId: 'kafkajs-open-loop', logLevel: logLevel.NOTHING});
// The same clock in both processes.
const now = () => performance.timeOrigin + performance.now();

if (role === 'receive') {
	// kchat's fetch wait is 100 ms; Kafka's tool uses 0 (its consumer fetches back to back).
	const consumer = kafka.consumer({groupId: `kafkajs-open-loop-${process.pid}`, maxWaitTimeInMs: Number(rateOrWait ?? 100)});
	await consumer.connect();
	await consumer.subscribe({topics: [topic]});
	const samples = [];
	let received = 0;
	let done = () => {};
	const finished = new Promise(resolve => (done = resolve));
	consumer.on(consumer.events.GROUP_JOIN, () => console.log('ready'));
	await consumer.run({
		autoCommit: false,
		eachBatch: async ({batch}) => {
			const at = now();
			for (const m of batch.messages) {
				// "<seq> <sent at> padding": the first 200 are warm-up.
				const [seq, sent] = m.value.toString().split(' ');
				if (Number(seq) >= 200) samples.push(at - Number(sent));
				if (++received >= n) done();
			}
		},
	});
	await finished;
	samples.sort((a, b) => a - b);
	const q = x => samples[Math.floor(x * (samples.length - 1))].toFixed(2);
	console.log(`mean ${(samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(3)} ms, p50 ${q(0.5)}, p99 ${q(0.99)}`);
	await consumer.disconnect();
} else if (role === 'send') {
	const producer = kafka.producer({idempotent: true, maxInFlightRequests: 1});
	await producer.connect();
	const pad = 'x'.repeat(80);
	const sends = [];
	const started = performance.now();
	for (let i = 0; i < n; i++) {
		const due = started + (i * 1000) / Number(rateOrWait ?? 200);
		if (due > performance.now()) await new Promise(resolve => setTimeout(resolve, due - performance.now()));
		sends.push(producer.send({topic, acks: -1, messages: [{key: 'x', value: `${i} ${now().toFixed(3)} ${pad}`}]}));
	}
	await Promise.all(sends);
	await producer.disconnect();
} else {
	console.error('usage: kafkajs-open-loop.mjs receive BROKER TOPIC [RECORDS] [MAX_WAIT_MS] | send BROKER TOPIC [RECORDS] [RATE]');
	process.exitCode = 2;
}
process.exit();
