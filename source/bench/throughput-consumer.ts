import type {ChatMessage} from '../chat/message.js';
import {ChatService} from '../kafka/chat-service.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';
import type {Logger} from '../kafka/log-file.js';
import {createChatStore} from '../store/chat-store.js';
import {answer, commands} from './child.js';
import {renderHeadlessApp} from './headless-app.js';
import {percentile, round} from './stats.js';

/** What the consumer says about the messages since the last `mark`. */
export type WindowReport = {
	received: number;
	/** Latency from the producer's `kchat-sent-at` to the store, in ms. */
	p50: number;
	p99: number;
	max: number;
	/** The most frames Ink wrote in any one second of the window, and all of them. */
	maxFps: number;
	frames: number;
	/** Milliseconds Ink spent rendering frames (its onRender metric). */
	renderMs: number;
	/** CPU time of this process over wall time, in percent of one core. */
	cpuPercent: number;
	/** Store updates (receive batches) in the window. */
	batches: number;
};

/**
 * The instance under load (`kchat bench --internal throughput`): a chat service joined to the room,
 * the real App drawn by Ink (30 fps at most) into a terminal without a screen, the room on screen.
 * The parent produces; this process only takes messages in, so the two never share an event loop.
 * Commands: `mark` starts a window, `report` answers with the window's figures, `catchup ROOM N`
 * joins a room of N lines with its whole history and says how long they took; end of input stops.
 */
export async function runThroughputConsumer(options: {brokers: string[]; security: SecuritySettings; logger: Logger; room: string}): Promise<void> {
	const nick = 'bench-ui';
	let received = 0;
	const perRoom = new Map<string, number>();
	let batches = 0;
	let latencies: number[] = [];
	let frameTimes: number[] = [];
	let renderMs = 0;
	let cpuMark = process.cpuUsage();
	let wallMark = performance.now();
	const onMessages = (messages: ChatMessage[]): void => {
		const now = Date.now();
		batches++;
		const room = messages[0]?.room;
		if (room !== undefined) perRoom.set(room, (perRoom.get(room) ?? 0) + messages.length);
		for (const m of messages) {
			received++;
			if (m.sentAt !== undefined) latencies.push(now - m.sentAt);
		}
	};
	const store = createChatStore({nick, brokers: options.brokers});
	const service = new ChatService({brokers: options.brokers, nick, store, logger: options.logger, ...options.security, presence: false, announce: false, onMessages});
	const instance = renderHeadlessApp(store, service, ({renderTime}) => {
		frameTimes.push(performance.now());
		renderMs += renderTime;
	});
	try {
		await service.join(options.room, {history: 0});
		answer({ready: true});
		await commands(async command => {
			if (command === 'mark') {
				latencies = [];
				frameTimes = [];
				renderMs = 0;
				batches = 0;
				cpuMark = process.cpuUsage();
				wallMark = performance.now();
				answer({marked: received});
			} else if (command.startsWith('catchup ')) {
				// Join a room that holds `count` lines with its whole history, on screen: how fast they go in.
				const [, room = '', count] = command.split(' ');
				const started = performance.now();
				await service.join(room, {history: Infinity});
				store.getState().actions.selectRoom(room);
				while ((perRoom.get(room) ?? 0) < Number(count)) await new Promise(resolve => setTimeout(resolve, 2));
				answer({catchUpMs: performance.now() - started, messages: perRoom.get(room) ?? 0});
			} else if (command === 'report') {
				const sorted = latencies.sort((a, b) => a - b);
				let maxFps = 0;
				for (let i = 0, j = 0; j < frameTimes.length; j++) {
					while (frameTimes[j]! - frameTimes[i]! >= 1000) i++;
					maxFps = Math.max(maxFps, j - i + 1);
				}
				const cpu = process.cpuUsage(cpuMark);
				const report: WindowReport = {
					received,
					p50: percentile(sorted, 0.5),
					p99: percentile(sorted, 0.99),
					max: sorted[sorted.length - 1] ?? 0,
					maxFps,
					frames: frameTimes.length,
					renderMs: round(renderMs, 1),
					cpuPercent: round(((cpu.user + cpu.system) / 1000 / (performance.now() - wallMark)) * 100, 1),
					batches,
				};
				answer(report);
			}
		});
	} finally {
		instance.unmount();
		await service.stop();
	}
}
