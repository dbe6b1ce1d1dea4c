import {ChatService} from '../kafka/chat-service.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';
import type {Logger} from '../kafka/log-file.js';
import {createChatStore} from '../store/chat-store.js';
import {sleep, waitUntil} from './bench-context.js';
import {renderHeadlessApp} from './headless-app.js';
import {round} from './stats.js';

export type IdleResult = {
	/** CPU time of the process over wall time while nothing happens, in percent of one core. */
	idleCpuPercent: number;
	rooms: number;
	seconds: number;
};

/**
 * Runs in a process of its own (`kchat bench --internal idle`): a kchat as a person runs it (presence,
 * join and leave records, the App drawn headless) joins the rooms, settles, and then sits in them while
 * nobody writes. The figure is the process's CPU time over that wall time: what an open chat costs
 * when nothing happens.
 */
export async function measureIdle(options: {brokers: string[]; security: SecuritySettings; logger: Logger; rooms: string[]; seconds: number}): Promise<IdleResult> {
	const nick = 'bench-idle';
	const store = createChatStore({nick, brokers: options.brokers});
	const service = new ChatService({brokers: options.brokers, nick, store, logger: options.logger, ...options.security});
	const instance = renderHeadlessApp(store, service);
	try {
		await service.start();
		for (const room of options.rooms) await service.join(room);
		await waitUntil(() => options.rooms.every(r => store.getState().rooms[r]?.status === 'live'), 30_000, 'the rooms live');
		// Settle: the join records written and read back, presence sent, the first frames drawn, and the
		// start-up's background work (the JIT compiling the bundle's hot code, the first collections) done.
		await sleep(10_000);
		const cpu = process.cpuUsage();
		const started = performance.now();
		await sleep(options.seconds * 1000);
		const used = process.cpuUsage(cpu);
		const wall = performance.now() - started;
		return {idleCpuPercent: round(((used.user + used.system) / 1000 / wall) * 100, 2), rooms: options.rooms.length, seconds: round(wall / 1000, 1)};
	} finally {
		instance.unmount();
		await service.stop();
	}
}
