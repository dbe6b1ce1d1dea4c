import type {E2eResult} from './e2e.js';
import type {JoinToLiveResult} from './join-to-live.js';
import type {KafkaToolResult} from './kafka-tool.js';
import type {MemoryResult} from './memory.js';
import type {RenderResult} from './render.js';
import type {ThroughputResult} from './throughput.js';
import type {Summary} from './stats.js';

/** `kchat bench --json`: every leaf a number (milliseconds unless the name says otherwise). */
export type BenchReport = {
	e2e: Summary;
	kafkaE2e: KafkaToolResult;
	joinToLive: JoinToLiveResult;
	throughput: Pick<ThroughputResult, 'msgsPerSec' | 'catchUpMsgsPerSec' | 'maxFps' | 'cpuPercent'>;
	render: RenderResult;
	memory: Omit<MemoryResult, 'loadMs'>;
	/** A TUI in five quiet rooms: CPU time over wall time, in percent of one core. */
	idleCpuPercent: number;
};

/** What the human output adds to the figures. */
export type BenchNotes = {
	brokers: string;
	machine: string;
	quick: boolean;
	e2e: E2eResult;
	throughput: ThroughputResult;
	seconds: number;
};

export type Target = {name: string; ok: boolean; detail: string};

const ms = (n: number): string => `${fmt(n)} ms`;

function fmt(n: number): string {
	if (!Number.isFinite(n)) return String(n);
	if (Number.isInteger(n)) return n.toLocaleString('en-US');
	return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2);
}

/** kchat / Kafka's tool, with the tool's whole milliseconds as printed; Infinity when the tool says 0. */
export function ratio(kchat: number, tool: number): number {
	return tool > 0 ? Math.round((kchat / tool) * 100) / 100 : kchat > 0 ? Infinity : 1;
}

/** The targets, each checked against this run's figures. */
export function targets(r: BenchReport): Target[] {
	const p99Ratio = ratio(r.e2e.p99, r.kafkaE2e.p99);
	const meanRatio = ratio(r.e2e.mean, r.kafkaE2e.avg);
	return [
		{name: 'e2e p99 ≤ 2 × Kafka tool p99', ok: p99Ratio <= 2, detail: `${ms(r.e2e.p99)} vs ${ms(r.kafkaE2e.p99)}: × ${p99Ratio}`},
		{name: 'e2e p50 ≤ 1.5 × Kafka tool (mean vs its average)', ok: meanRatio <= 1.5, detail: `mean ${ms(r.e2e.mean)} vs average ${ms(r.kafkaE2e.avg)}: × ${meanRatio} (p50 ${ms(r.e2e.p50)} vs ${ms(r.kafkaE2e.p50)})`},
		{name: 'join-to-live p50 ≤ 300 ms', ok: r.joinToLive.p50 <= 300, detail: ms(r.joinToLive.p50)},
		{name: 'join-to-live p99 ≤ 1 s', ok: r.joinToLive.p99 <= 1000, detail: ms(r.joinToLive.p99)},
		{name: '≥ 20,000 msgs/s into the store at ≤ 30 fps', ok: r.throughput.msgsPerSec >= 20_000 && r.throughput.maxFps <= 30, detail: `${fmt(r.throughput.msgsPerSec)} msgs/s, ${r.throughput.maxFps} fps at most`},
		{name: 'key-to-frame < 30 ms (p99) with 50,000 lines', ok: r.render.keyToFrameP99Ms < 30, detail: `p99 ${ms(r.render.keyToFrameP99Ms)}, p50 ${ms(r.render.keyToFrameP50Ms)}`},
		{name: 'key-to-frame < 30 ms (p99) at 200 lines a second', ok: r.render.busyKeyToFrameP99Ms < 30, detail: `p99 ${ms(r.render.busyKeyToFrameP99Ms)}, p50 ${ms(r.render.busyKeyToFrameP50Ms)}`},
		{name: 'first frame < 500 ms', ok: r.render.firstFrameMs < 500, detail: ms(r.render.firstFrameMs)},
		{name: '< 200 MB resident, 50,000 messages in 10 rooms', ok: r.memory.rssMB < 200, detail: `${fmt(r.memory.rssMB)} MB`},
		{name: '< 200 MB resident at the peak while loading them', ok: r.memory.peakRssMB < 200, detail: `${fmt(r.memory.peakRssMB)} MB`},
		{name: 'idle: < 1 % of a core in five quiet rooms', ok: r.idleCpuPercent < 1, detail: `${fmt(r.idleCpuPercent)} %`},
	];
}

/** The short table `kchat bench` prints. */
export function formatReport(r: BenchReport, notes: BenchNotes): string {
	const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length));
	const lpad = (s: string, n: number): string => (s.length >= n ? s : ' '.repeat(n - s.length) + s);
	const row = (label: string, cells: string[]): string => pad(label, 24) + cells.map(c => lpad(c, 9)).join('');
	const lines = [
		`kchat bench${notes.quick ? ' --quick' : ''} · ${notes.brokers} · ${notes.machine} · ${fmt(notes.seconds)} s`,
		'',
		row('latency (ms)', ['p50', 'p95', 'p99', 'max', 'mean', 'count']),
		row('e2e kchat', [fmt(r.e2e.p50), fmt(r.e2e.p95), fmt(r.e2e.p99), fmt(r.e2e.max), fmt(r.e2e.mean), fmt(r.e2e.count)]),
		row("e2e Kafka's tool", [fmt(r.kafkaE2e.p50), '–', fmt(r.kafkaE2e.p99), `${fmt(r.kafkaE2e.p999)}*`, fmt(r.kafkaE2e.avg), fmt(r.kafkaE2e.count)]),
		row("kchat / Kafka's tool", ['', '', `× ${ratio(r.e2e.p99, r.kafkaE2e.p99)}`, '', `× ${ratio(r.e2e.mean, r.kafkaE2e.avg)}`, '']),
		`  (*the tool's 99.9th, not its max. It prints whole milliseconds, cut down: its p99 of ${r.kafkaE2e.p99} is under ${r.kafkaE2e.p99 + 1} ms,`,
		`   against which kchat's p99 is × ${ratio(r.e2e.p99, r.kafkaE2e.p99 + 1)}. kchat sent at ${fmt(notes.e2e.sendRate)}/s, open loop, and its consumer long-polls (answered`,
		`   when a record comes); the tool sends each record after the last arrived, and fetches without waiting (fetch.max.wait.ms=0),`,
		`   a busy loop no chat client should run: see docs/benchmarks.md.)`,
		'',
		`join-to-live            p50 ${ms(r.joinToLive.p50)}, p99 ${ms(r.joinToLive.p99)} over ${r.joinToLive.count} joins (join() itself p50 ${ms(r.joinToLive.joinP50)}); rooms made after start: p50 ${ms(r.joinToLive.newRoomP50)} over ${r.joinToLive.newRoomCount}`,
		`throughput              ${fmt(r.throughput.msgsPerSec)} msgs/s steady into the store, ${r.throughput.maxFps} fps at most, consumer cpu ${fmt(r.throughput.cpuPercent)}%${notes.throughput.producerBound ? ' (the load generator could go no faster: a lower bound)' : ''}; a backlog goes in at ${fmt(r.throughput.catchUpMsgsPerSec)} msgs/s`,
		`render                  first frame ${ms(r.render.firstFrameMs)} (render() to frame ${ms(r.render.mountMs)}); key-to-frame p50 ${ms(r.render.keyToFrameP50Ms)}, p99 ${ms(r.render.keyToFrameP99Ms)}, max ${ms(r.render.keyToFrameMaxMs)} (${fmt(r.render.messages)} lines in the room)`,
		`                        at 200 lines/s key-to-frame p50 ${ms(r.render.busyKeyToFrameP50Ms)}, p99 ${ms(r.render.busyKeyToFrameP99Ms)}; at 50 lines/s ${fmt(r.render.bytesPerSecondAt50)} bytes/s written to the terminal`,
		`idle                    ${fmt(r.idleCpuPercent)} % of a core in five quiet rooms`,
		`memory                  ${fmt(r.memory.rssMB)} MB resident with ${fmt(r.memory.messages)} messages in ${r.memory.rooms} rooms (${fmt(r.memory.baselineRssMB)} MB before joining, peak ${fmt(r.memory.peakRssMB)} MB while loading; heap ${fmt(r.memory.heapUsedMB)} MB)`,
		'',
		'targets',
		...targets(r).map(t => `  ${t.ok ? '✓' : '✗'} ${pad(t.name, 50)} ${t.detail}`),
		'',
	];
	return lines.join('\n');
}
