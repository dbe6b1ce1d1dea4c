import {clusterProbe, type ProbeLogin} from '../kafka/cluster-probe.js';

export type WaitReadyOptions = {
	bootstrap: string;
	/** The broker's own SCRAM login, for a SASL listener. */
	sasl?: ProbeLogin;
	timeoutMs: number;
	/** Checked between attempts: stop waiting as soon as the broker's process is gone. */
	hasExited: () => boolean;
	intervalMs?: number;
};

export type WaitResult = {ok: true; ms: number} | {ok: false; reason: 'exited' | 'timeout'; ms: number; lastError?: string};

/** Until the broker answers a metadata request with itself in it (kafkajs admin `describeCluster`). */
export async function waitReady(options: WaitReadyOptions): Promise<WaitResult> {
	const started = Date.now();
	const probe = clusterProbe(options.bootstrap, options.sasl);
	let lastError: string | undefined;
	try {
		for (;;) {
			if (options.hasExited()) return {ok: false, reason: 'exited', ms: Date.now() - started, ...(lastError ? {lastError} : {})};
			try {
				if ((await probe.answer()) > 0) return {ok: true, ms: Date.now() - started};
				lastError = 'no broker in the metadata yet';
			} catch (error) {
				lastError = error instanceof Error ? error.message : String(error);
			}
			if (Date.now() - started > options.timeoutMs) return {ok: false, reason: 'timeout', ms: Date.now() - started, lastError};
			await new Promise(resolve => setTimeout(resolve, options.intervalMs ?? 200));
		}
	} finally {
		await probe.close();
	}
}
