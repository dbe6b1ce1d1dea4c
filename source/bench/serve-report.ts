import type {ServeResult} from './serve-bench.js';
import type {Target} from './report.js';

const fmt = (n: number): string => (Number.isInteger(n) ? n.toLocaleString('en-US') : n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2));

/** The issue's targets for kchat serve, at the largest client count run. */
export function serveTargets(results: ServeResult[]): Target[] {
	const big = results.reduce<ServeResult | undefined>((a, r) => (!a || r.clients > a.clients ? r : a), undefined);
	if (!big) return [];
	return [
		{name: 'nothing lost, nothing twice (every run)', ok: results.every(r => r.lost === 0 && r.duplicates === 0 && r.failed === 0), detail: results.map(r => `${r.clients}: ${r.lost} lost, ${r.duplicates} twice`).join('; ')},
		{name: `p99 < 50 ms at ${fmt(big.clients)} clients`, ok: big.p99 < 50, detail: `${fmt(big.p99)} ms`},
		{name: 'gateway under one core', ok: results.every(r => r.gatewayCpuPercent < 100), detail: results.map(r => `${r.clients}: ${fmt(r.gatewayCpuPercent)}%`).join('; ')},
	];
}

/** What `kchat bench --serve` prints. */
export function formatServeReport(results: ServeResult[], notes: {quick: boolean; brokers: string; machine: string; seconds: number}): string {
	const pad = (s: string, n: number): string => s + ' '.repeat(Math.max(0, n - s.length));
	const lpad = (s: string, n: number): string => ' '.repeat(Math.max(0, n - s.length)) + s;
	const head = ['clients', 'msgs/s', 'sent', 'lost', 'twice', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'cpu %', 'RSS MB', 'peak MB', 'load cpu %', 'connect s'];
	const rows = results.map(r => [fmt(r.clients), fmt(r.rate), fmt(r.sent), fmt(r.lost), fmt(r.duplicates), fmt(r.p50), fmt(r.p95), fmt(r.p99), fmt(r.max), fmt(r.gatewayCpuPercent), fmt(r.gatewayRssMB), fmt(r.gatewayPeakRssMB), fmt(r.loadCpuPercent), fmt(r.connectMs / 1000)]);
	return [
		`kchat bench --serve${notes.quick ? ' --quick' : ''} · ${notes.brokers} · ${notes.machine} · ${fmt(notes.seconds)} s`,
		'',
		head.map(h => lpad(h, 11)).join(''),
		...rows.map(r => r.map(c => lpad(c, 11)).join('')),
		'',
		'  Latency: from just before the sender\'s send (acks all) to each client\'s socket; every client counts every message.',
		`  From the broker's append time (the record's LogAppendTime) to the socket, p50 / p99: ${results.map(r => `${fmt(r.clients)}: ${fmt(r.fromKafka.p50)} / ${fmt(r.fromKafka.p99)} ms`).join('; ')}.`,
		'  cpu % and RSS: the kchat serve process while the messages flowed (100 % is one core); load cpu %: the load generators together (' + (results[0]?.loadProcesses ?? 1) + ' processes, each with its share of the clients).',
		'',
		'targets',
		...serveTargets(results).map(t => `  ${t.ok ? '✓' : '✗'} ${pad(t.name, 44)} ${t.detail}`),
		'',
	].join('\n');
}
