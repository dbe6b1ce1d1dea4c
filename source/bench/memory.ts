import {ChatService} from '../kafka/chat-service.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';
import type {Logger} from '../kafka/log-file.js';
import {createChatStore} from '../store/chat-store.js';
import {sleep, waitUntil} from './bench-context.js';
import {renderHeadlessApp} from './headless-app.js';
import {round} from './stats.js';

export type MemoryResult = {
	/** Resident set size with every message in the store, settled: a full garbage collection, 2.5 s for the freed pages to go back, another collection. */
	rssMB: number;
	/** The highest resident set size seen while loading (fetch buffers not yet given back). */
	peakRssMB: number;
	heapUsedMB: number;
	heapTotalMB: number;
	/** Buffers outside the JS heap (kafkajs's fetch responses), after the collection. */
	externalMB: number;
	/** The same process before it joined the rooms (connected, UI drawn, nothing loaded). */
	baselineRssMB: number;
	messages: number;
	rooms: number;
	/** How long loading the rooms' history into the store took. */
	loadMs: number;
};

const MB = 1024 * 1024;

function collect(): void {
	const gc = (globalThis as {gc?: () => void}).gc;
	gc?.();
	gc?.();
}

/**
 * Runs in a process of its own (`node --expose-gc … bench --internal memory`): a chat service with
 * the real App drawn into a terminal without a screen joins the rooms with their whole history
 * (filled by the parent), and the resident memory is read once every line is in the store.
 */
export async function measureMemory(options: {brokers: string[]; security: SecuritySettings; logger: Logger; rooms: string[]; expected: number}): Promise<MemoryResult> {
	const nick = 'bench-memory';
	const store = createChatStore({nick, brokers: options.brokers});
	const service = new ChatService({brokers: options.brokers, nick, store, logger: options.logger, ...options.security, presence: false, announce: false});
	const instance = renderHeadlessApp(store, service);
	try {
		await service.start();
		await sleep(300);
		collect();
		const baseline = process.memoryUsage().rss;

		let peak = baseline;
		const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
		const loading = performance.now();
		await Promise.all(options.rooms.map(room => service.join(room, {history: Infinity})));
		const count = (): number => Object.values(store.getState().rooms).reduce((sum, r) => sum + r.log.length, 0);
		await waitUntil(() => count() >= options.expected, 60_000, `${options.expected} messages in the store`, 20);
		const loadMs = performance.now() - loading;
		// Settle, as in a running chat: the last frames drawn, garbage collected, and the pages V8 and
		// the allocator freed given back to the system (that happens in the background after a collection).
		await sleep(500);
		clearInterval(sampler);
		collect();
		await sleep(2500);
		collect();
		const usage = process.memoryUsage();
		return {
			rssMB: round(usage.rss / MB, 1),
			peakRssMB: round(Math.max(peak, usage.rss) / MB, 1),
			heapUsedMB: round(usage.heapUsed / MB, 1),
			heapTotalMB: round(usage.heapTotal / MB, 1),
			externalMB: round(usage.external / MB, 1),
			baselineRssMB: round(baseline / MB, 1),
			messages: count(),
			rooms: options.rooms.length,
			loadMs: round(loadMs, 0),
		};
	} finally {
		instance.unmount();
		await service.stop();
	}
}
