// A kchat instance in a process of its own, for tests that kill it with SIGKILL: a ChatService with an
// outbox folder, as the app runs it. Bundled and started by child-instance.ts; not a test itself.
//
// argv[2]: JSON {brokers, nick, outboxDir, room?, texts?, dieAfterAcks?}. It sends `texts` to `room` (they
// wait in the outbox while the cluster is unreachable). stdout, one line each: `queued` once the texts are
// in the outbox, `delivered ID` for every delivery report (also of messages an earlier run left). stdin
// `stop`: stops the service as the app does on quit, prints `stopped`, exits. `dieAfterAcks: N`: SIGKILLs
// itself the moment the Nth acknowledgement of a batch of messages reaches the producer, before kchat has
// seen it: the worst moment for a crash, made certain instead of hoped for.
import readline from 'node:readline';
import kafkajs, {type ProducerConfig} from 'kafkajs';
import {ChatService} from '../../source/kafka/chat-service.js';
import {nullLogger, openLogFile} from '../../source/kafka/log-file.js';
import {createChatStore} from '../../source/store/chat-store.js';

type Config = {brokers: string[]; nick: string; outboxDir: string; room?: string; texts?: string[]; dieAfterAcks?: number};

const config = JSON.parse(process.argv[2]!) as Config;

if (config.dieAfterAcks !== undefined) {
	// The chat messages' producer is the idempotent one (presence and read marks have another).
	const makeProducer = kafkajs.Kafka.prototype.producer;
	let acks = 0;
	kafkajs.Kafka.prototype.producer = function (this: InstanceType<typeof kafkajs.Kafka>, options?: ProducerConfig) {
		const producer = makeProducer.call(this, options);
		if (!options?.idempotent) return producer;
		const send = producer.send.bind(producer);
		producer.send = async record => {
			const result = await send(record);
			if (++acks >= config.dieAfterAcks!) process.kill(process.pid, 'SIGKILL');
			return result;
		};
		return producer;
	};
}
const say = (line: string): void => void process.stdout.write(line + '\n');

const store = createChatStore({nick: config.nick, brokers: config.brokers});
// Every delivery report, also for messages of rooms not on screen (the store drops those).
const {actions} = store.getState();
const updateMessage = actions.updateMessage;
actions.updateMessage = (room, id, change) => {
	if (change.state === 'delivered') say(`delivered ${id}`);
	updateMessage(room, id, change);
};

const logger = process.env['KCHAT_TEST_LOG'] ? openLogFile(process.env['KCHAT_TEST_LOG'], true) : nullLogger;
const service = new ChatService({brokers: config.brokers, nick: config.nick, store, logger, outboxDir: config.outboxDir, announce: false, presence: false});
void service.start().catch(() => undefined);
for (const text of config.texts ?? []) void service.send(config.room!, text).catch(() => undefined);
say('queued');

readline.createInterface({input: process.stdin}).on('line', line => {
	if (line.trim() !== 'stop') return;
	void service.stop().then(() => {
		say('stopped');
		process.exit(0);
	});
});
