// SCRAM users of a SASL broker: added to the metadata log when the storage is formatted (KIP-900,
// `kafka-storage format --add-scram`), plus the broker's own user for inter-broker traffic.
import {pbkdf2Sync, randomBytes} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import {BrokerError} from './broker-error.js';
import {SCRAM_MECHANISMS, type ScramMechanism} from './broker-config.js';

/** The broker's own SCRAM user (inter-broker traffic, and kchat's readiness probe). */
export const INTER_BROKER_USER = 'kchat-broker';

/** Kafka's default and minimum for SCRAM-SHA-256/512. */
const ITERATIONS = 4096;

export type ScramUser = {name: string; password: string};

/** Names we can put into `--add-scram` and a SCRAM exchange without escaping: `a-z A-Z 0-9 . _ -`, 1-64. */
export function validateScramUserName(name: string): string | undefined {
	if (!/^[A-Za-z0-9._-]{1,64}$/.test(name)) return `SASL user name "${name.replace(/[^\x20-\x7e]/g, '?').slice(0, 70)}" is not valid: use 1-64 of a-z A-Z 0-9 . _ -`;
	if (name === INTER_BROKER_USER) return `SASL user name "${name}" is reserved for the broker itself`;
	return undefined;
}

/**
 * One `--add-scram` value per user and mechanism. The password never goes to Kafka's tool: we salt and
 * hash it here (what Kafka's ScramFormatter does: PBKDF2 with the mechanism's HMAC, UTF-8 password) and
 * pass `salt`, `iterations` and `saltedpassword`, so also no password can break the tool's `a=b,c=d` syntax.
 */
export function addScramArguments(users: readonly ScramUser[]): string[] {
	const args: string[] = [];
	for (const user of users) {
		for (const mechanism of SCRAM_MECHANISMS) {
			const {salt, saltedPassword} = saltPassword(mechanism, user.password);
			args.push(`${mechanism}=[name=${user.name},salt=${salt},iterations=${ITERATIONS},saltedpassword=${saltedPassword}]`);
		}
	}
	return args;
}

/** Salt (base64) and SaltedPassword := Hi(password, salt, i) of RFC 5802 (base64). */
export function saltPassword(mechanism: ScramMechanism, password: string, salt: Buffer = randomBytes(24), iterations = ITERATIONS): {salt: string; saltedPassword: string} {
	const digest = mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
	const length = mechanism === 'SCRAM-SHA-256' ? 32 : 64;
	return {salt: salt.toString('base64'), saltedPassword: pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, length, digest).toString('base64')};
}

/**
 * The broker's own password: made once per data directory and kept beside its data, readable only by
 * its owner (server.properties, which holds it too, is written the same way).
 */
export function interBrokerPassword(file: string, create: boolean): string {
	try {
		const password = fs.readFileSync(file, 'utf8').trim();
		if (password) {
			fs.chmodSync(file, 0o600);
			return password;
		}
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new BrokerError('start-failed', `cannot read ${file}: ${(error as Error).message}`);
	}
	if (!create) throw new BrokerError('start-failed', `${file} is missing: the SASL broker of ${path.dirname(file)} cannot log in to itself without it (start with a fresh --data-dir)`);
	const password = randomBytes(24).toString('base64url');
	fs.writeFileSync(file, password + '\n', {mode: 0o600});
	fs.chmodSync(file, 0o600);
	return password;
}
