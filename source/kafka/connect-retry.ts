import {backoffDelay} from '../chat/backoff.js';
import {tcpProblem} from '../config/reachable.js';
import {describeKafkaError, isAuthenticationError, tlsPreflight, TlsRefusedError, type SecuritySettings} from './kafka-client.js';
import type {Logger} from './log-file.js';

export type LinkState = 'connecting' | 'online' | 'reconnecting' | 'offline';

export type RetryOptions = SecuritySettings & {
	brokers: string[];
	logger: Logger;
	stopped: () => boolean;
	/** Where the state and its reason are shown (the app's status line, the gateway's pages). */
	setState: (state: LinkState, reason?: string) => void;
};

/** The cluster refused the login or the certificate: retrying will not help (see isRefusal). */
export class ConnectRefusedError extends Error {
	readonly refusal = true;
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms));

/**
 * Runs `connectOnce` until it succeeds, retrying with backoff while the cluster is unreachable and
 * saying why through setState, so a UI can open before Kafka answers. Wrong credentials or a refused
 * certificate do not get better by retrying: it says so and rejects. Rejects too when stopped first.
 */
export async function connectWithRetry(options: RetryOptions, connectOnce: () => Promise<void>): Promise<void> {
	const {setState} = options;
	for (let attempt = 0; ; attempt++) {
		if (options.stopped()) throw new Error('stopped before connecting');
		try {
			setState(attempt === 0 ? 'connecting' : 'reconnecting', attempt === 0 ? undefined : 'retrying');
			// kafkajs retries a dead address for ~15 s before it says so; a TCP check tells in a second.
			const problems = await Promise.all(options.brokers.map(b => tcpProblem(b, 2000)));
			if (problems.every(p => p !== undefined)) throw new Error(`cannot connect: ${problems.join(', ')}`);
			await tlsPreflight(options);
			await connectOnce();
			setState('online');
			return;
		} catch (error) {
			const wait = backoffDelay(attempt, {base: 500, max: 10_000});
			const reason = `${options.brokers.join(',')}: ${describeKafkaError(error, options)}`;
			options.logger.warn('connect failed', {reason});
			if (isAuthenticationError(error) || error instanceof TlsRefusedError) {
				setState('offline', reason);
				throw new ConnectRefusedError(reason);
			}
			setState('offline', `${reason}; retrying in ${Math.ceil(wait / 1000)} s`);
			await sleep(wait);
		}
	}
}
