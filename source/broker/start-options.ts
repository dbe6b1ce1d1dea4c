// Checks of `broker start` options that a single broker and a cluster share, and the SASL plan of a start.
import {BrokerError} from './broker-error.js';
import {isHeapSize} from './java-command.js';
import {interBrokerPassword, validateScramUserName, type ScramUser} from './scram-users.js';

/** SASL/SCRAM asked for at start: the users to create when the storage is formatted. */
export type SaslRequest = {users?: ScramUser[]};

export function validate(port: number | undefined, heap: string, delay: number): void {
	if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
		throw new BrokerError('invalid-option', `port ${port} is not a TCP port (1-65535)`);
	}
	if (!isHeapSize(heap)) throw new BrokerError('invalid-option', `heap size "${heap}" is not valid: expected a number with k, m or g, e.g. 512m`);
	if (!(Number.isInteger(delay) && delay >= 0)) throw new BrokerError('invalid-option', `initial rebalance delay ${delay} is not a whole number of milliseconds`);
}

export function validateUsers(users: readonly ScramUser[]): void {
	const seen = new Set<string>();
	for (const user of users) {
		const problem = validateScramUserName(user.name);
		if (problem) throw new BrokerError('invalid-option', problem);
		if (seen.has(user.name)) throw new BrokerError('invalid-option', `SASL user ${user.name} is given twice`);
		seen.add(user.name);
		if (user.password.length === 0) throw new BrokerError('invalid-option', `the SASL password of ${user.name} is empty`);
	}
}

/** SASL asked for on a data directory that is formatted already: fine if it is SASL and has those users. */
export function checkSaslRequest(dataDir: string, known: string[] | undefined, requested: SaslRequest): void {
	if (!known) throw new BrokerError('invalid-option', `${dataDir} was formatted without SASL: SCRAM users can only be added when the storage is formatted, so use a fresh --data-dir for a SASL broker`);
	const unknown = (requested.users ?? []).filter(u => !known.includes(u.name)).map(u => u.name);
	if (unknown.length > 0) {
		throw new BrokerError('invalid-option', `SASL user ${unknown.join(', ')} cannot be added to ${dataDir}: SCRAM users are added only when the storage is formatted (this one has ${known.join(', ')}); use a fresh --data-dir`);
	}
}

/** A SASL broker's users (names), those to add when formatting (with passwords), and its own password. */
export type SaslPlan = {names: string[]; newUsers: ScramUser[]; password: string};

/**
 * Whether this start is a SASL broker, and with which users and broker password. SCRAM users can only be
 * added when the storage is formatted (there is no admin API for them in kchat), so a formatted data
 * directory keeps what it was formatted with.
 */
export function saslPlan(paths: {dataDir: string; interBrokerSecret: string}, formatted: boolean, known: string[] | undefined, requested: SaslRequest | undefined): SaslPlan | undefined {
	const requestedUsers = requested?.users ?? [];
	if (formatted) {
		if (requested) checkSaslRequest(paths.dataDir, known, requested);
		if (!known) return undefined;
		return {names: [...known], newUsers: [], password: interBrokerPassword(paths.interBrokerSecret, false)};
	}
	if (!requested) return undefined;
	if (requestedUsers.length === 0) throw new BrokerError('invalid-option', 'a SASL broker needs at least one user when its storage is formatted (--sasl-user NAME, the password in KCHAT_BROKER_SASL_PASSWORD)');
	return {names: requestedUsers.map(u => u.name), newUsers: [...requestedUsers], password: interBrokerPassword(paths.interBrokerSecret, true)};
}

