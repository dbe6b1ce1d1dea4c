// Waiting until a starting broker answers. The launcher speaks no Kafka protocol itself: the caller (a
// command, the test set-up) hands in a probe made with its Kafka client, so this folder never imports one.

/** The broker's own SCRAM login, for a SASL listener. */
export type ProbeLogin = {mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string};

/** PEM text (not file names) for a TLS listener: the CA to trust and, where the broker asks for one, a client certificate. */
export type ProbeTls = {ca: string; cert?: string; key?: string};

/** Where and how to reach one node. */
export type ProbeTarget = {bootstrap: string; sasl?: ProbeLogin; tls?: ProbeTls};

/** One metadata request per `answer()`, resolving with the number of brokers in it; rejects while the node does not answer. */
export type ReadyProbe = {answer(): Promise<number>; close(): Promise<void>};

export type ProbeFactory = (target: ProbeTarget) => ReadyProbe;

export type WaitReadyOptions = {
	target: ProbeTarget;
	probe: ProbeFactory;
	/** Ready once the metadata lists this many brokers (a cluster waits for all its nodes). Default 1. */
	brokers?: number;
	timeoutMs: number;
	/** Checked between attempts: stop waiting as soon as the broker's process is gone. */
	hasExited: () => boolean;
	intervalMs?: number;
};

export type WaitResult = {ok: true; ms: number} | {ok: false; reason: 'exited' | 'timeout'; ms: number; lastError?: string};

/** Until the broker answers a metadata request with (enough) brokers in it. */
export async function waitReady(options: WaitReadyOptions): Promise<WaitResult> {
	const started = Date.now();
	const wanted = options.brokers ?? 1;
	const probe = options.probe(options.target);
	let lastError: string | undefined;
	try {
		for (;;) {
			if (options.hasExited()) return {ok: false, reason: 'exited', ms: Date.now() - started, ...(lastError ? {lastError} : {})};
			try {
				const brokers = await probe.answer();
				if (brokers >= wanted) return {ok: true, ms: Date.now() - started};
				lastError = brokers === 0 ? 'no broker in the metadata yet' : `${brokers} of ${wanted} brokers in the metadata`;
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
