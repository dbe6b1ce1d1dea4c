import {randomUUID} from 'node:crypto';
import type {ChatMessage} from '../chat/message.js';
import {ChatService, type ChatServiceOptions} from '../kafka/chat-service.js';
import {ClusterAdmin} from '../kafka/cluster-admin.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';
import type {Logger} from '../kafka/log-file.js';
import {createChatStore, type ChatStore} from '../store/chat-store.js';

/** What every measurement needs: where the broker is, how to log, and the rooms to delete afterwards. */
export class BenchContext {
	/** Short and unique per run, so rooms of two runs never meet. */
	readonly runId = randomUUID().slice(0, 8);
	readonly admin: ClusterAdmin;
	private readonly created: string[] = [];
	private readonly services = new Set<ChatService>();

	constructor(
		readonly brokers: string[],
		readonly security: SecuritySettings,
		readonly logger: Logger,
		readonly logFile: string,
		readonly verbose: boolean,
		readonly quick: boolean,
		/** A line of progress on stderr. */
		readonly progress: (line: string) => void,
	) {
		this.admin = new ClusterAdmin({brokers, logger, verbose, ...security});
	}

	async connect(): Promise<void> {
		await this.admin.connect();
	}

	/** The connection flags for a `kchat bench --internal` child (TLS and SASL come from the environment and config file). */
	childArgs(): string[] {
		return ['--brokers', this.brokers.join(','), '--log-file', this.logFile, ...(this.verbose ? ['--verbose'] : [])];
	}

	/** A fresh room `kchat-bench-<run>-<name>`, deleted by cleanup(). */
	async createRoom(name: string, partitions = 3): Promise<string> {
		const room = `kchat-bench-${this.runId}-${name}`;
		await this.admin.create(room, partitions);
		this.created.push(room);
		return room;
	}

	/** A name for a topic someone else creates (Kafka's tool); deleted by cleanup() too. */
	topicName(name: string): string {
		const topic = `kchat-bench-${this.runId}-${name}`;
		this.created.push(topic);
		return topic;
	}

	get createdRooms(): readonly string[] {
		return this.created;
	}

	/** A chat service with its own store, headless: no presence, no join or leave records. */
	service(nick: string, extra: Partial<ChatServiceOptions> = {}): {service: ChatService; store: ChatStore} {
		const store = createChatStore({nick, brokers: this.brokers});
		const service = new ChatService({
			brokers: this.brokers,
			nick,
			store,
			logger: this.logger,
			verbose: this.verbose,
			...this.security,
			presence: false,
			announce: false,
			...extra,
		});
		this.services.add(service);
		return {service, store};
	}

	async stopService(service: ChatService): Promise<void> {
		this.services.delete(service);
		await service.stop();
	}

	/** Stops the services still running and deletes every room this run made. */
	async cleanup(): Promise<void> {
		await Promise.allSettled([...this.services].map(s => s.stop()));
		this.services.clear();
		for (const room of this.created.splice(0)) {
			try {
				await this.admin.delete(room);
			} catch (error) {
				this.logger.warn('bench: could not delete room', {room, error: (error as Error).message});
			}
		}
		await this.admin.disconnect().catch(() => undefined);
	}
}

/** Resolves when `test` holds, checking on every received batch; rejects after `ms`. */
export function waitUntil(test: () => boolean, ms: number, what: string, poll = 5): Promise<void> {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const check = (): void => {
			if (test()) return resolve();
			if (Date.now() - started > ms) return reject(new Error(`timed out after ${ms} ms waiting for ${what}`));
			setTimeout(check, poll);
		};
		check();
	});
}

export const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

export type Received = (messages: ChatMessage[]) => void;
