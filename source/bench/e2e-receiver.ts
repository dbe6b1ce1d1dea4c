import type {ChatMessage} from '../chat/message.js';
import {ChatService} from '../kafka/chat-service.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';
import type {Logger} from '../kafka/log-file.js';
import {createChatStore} from '../store/chat-store.js';
import {answer, commands} from './child.js';

/** Milliseconds since the epoch with microseconds: the same clock in every process on this machine. */
export const wallClock = (): number => performance.timeOrigin + performance.now();

/** `e2e <seq> <sent at, wall clock ms> ` then padding: what the receiver needs, in the text itself. */
export const E2E_TEXT = /^e2e (\d+) (\d+\.\d+) /;

export type E2eSamples = {samples: number[]; received: number};

/**
 * The receiving client of the e2e measurement, a process of its own as another user's kchat is
 * (`kchat bench --internal e2e`): a chat service joined to the room; a sample runs from the sender's
 * clock reading just before `send` (carried in the text) to this service putting the message into its
 * store. Answers when it has `total` messages, or on `end`, with the samples from `warmup` on.
 */
export async function runE2eReceiver(options: {brokers: string[]; security: SecuritySettings; logger: Logger; room: string; total: number; warmup: number}): Promise<void> {
	const nick = 'bench-rx';
	const samples: number[] = [];
	let received = 0;
	let answered = false;
	const finish = (): void => {
		if (answered) return;
		answered = true;
		answer({samples, received} satisfies E2eSamples);
	};
	const onMessages = (messages: ChatMessage[]): void => {
		const now = wallClock();
		for (const m of messages) {
			const match = E2E_TEXT.exec(m.text);
			if (!match) continue;
			received++;
			if (Number(match[1]) >= options.warmup) samples.push(now - Number(match[2]));
		}
		if (received >= options.total) finish();
	};
	const store = createChatStore({nick, brokers: options.brokers});
	const service = new ChatService({brokers: options.brokers, nick, store, logger: options.logger, ...options.security, presence: false, announce: false, onMessages});
	try {
		await service.join(options.room, {history: 0});
		answer({ready: true});
		await commands(command => {
			if (command === 'end') finish();
		});
	} finally {
		await service.stop();
	}
}
