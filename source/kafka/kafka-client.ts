import kafkajs, {type Kafka, type KafkaConfig, type SASLOptions} from 'kafkajs';

// kafkajs is CommonJS: take its values from the default export under Node's ESM loader.
const {Kafka: KafkaClient, logLevel} = kafkajs;
import {readCaFile} from '../config/config-file.js';
import {addSecret, kafkaLogCreator, redactSecrets, type Logger} from './log-file.js';

/** The SASL mechanisms kchat speaks, as written in the config file and `KCHAT_SASL_MECHANISM` (any case). */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export type SecuritySettings = {
	/**
	 * TLS. `ca`: a PEM file of the CA(s) to trust instead of the system's. `rejectUnauthorized: false`
	 * (certificates not verified) only comes from the loudly named `insecureSkipVerify` setting.
	 */
	ssl?: {ca?: string; rejectUnauthorized?: boolean};
	sasl?: {mechanism: SaslMechanism; username: string; password: string};
};

export type ClientOptions = SecuritySettings & {
	brokers: string[];
	clientId: string;
	logger: Logger;
	verbose?: boolean;
};

/** The one place a kafkajs client is made: logs to our file, short timeouts so an outage is seen quickly. */
export function createKafka(options: ClientOptions): Kafka {
	const config: KafkaConfig = {
		clientId: options.clientId,
		brokers: options.brokers,
		logLevel: options.verbose ? logLevel.DEBUG : logLevel.INFO,
		logCreator: kafkaLogCreator(options.logger),
		connectionTimeout: 3000,
		requestTimeout: 10_000,
		// Short waits between retries: after an outage, sending and fetching resume within ~2 s of the broker.
		retry: {initialRetryTime: 100, maxRetryTime: 2000, retries: 10},
	};
	if (options.ssl) {
		config.ssl = {
			// Verified unless explicitly turned off (insecureSkipVerify, with a warning at start).
			rejectUnauthorized: options.ssl.rejectUnauthorized !== false,
			...(options.ssl.ca ? {ca: [readCaFile(options.ssl.ca)]} : {}),
		};
	}
	if (options.sasl) {
		// Whatever kafkajs or we write into the log later, this string is replaced before it reaches the file.
		addSecret(options.sasl.password);
		config.sasl = {mechanism: options.sasl.mechanism, username: options.sasl.username, password: options.sasl.password} as SASLOptions;
	}
	return new KafkaClient(config);
}

/** The kafkajs errors we explain, by name (an error's class does not survive every kafkajs wrapper). */
type KafkaErrorish = {name?: string; message?: string; type?: string; cause?: unknown; originalError?: unknown};

/** The error and what caused it (kafkajs wraps errors in `cause` / `originalError` when it gives up retrying). */
function errorChain(error: unknown): KafkaErrorish[] {
	const chain: KafkaErrorish[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 5 && !chain.includes(current as KafkaErrorish)) {
		const e = current as KafkaErrorish;
		chain.push(e);
		current = e.cause ?? e.originalError;
	}
	return chain;
}

/** True for a failed SASL login (wrong user or password, or a mechanism the broker does not offer): retrying will not help. */
export function isAuthenticationError(error: unknown): boolean {
	return errorChain(error).some(e => e.name === 'KafkaJSSASLAuthenticationError' || e.type === 'SASL_AUTHENTICATION_FAILED' || e.type === 'UNSUPPORTED_SASL_MECHANISM');
}

/**
 * What to tell the user about an error from kafkajs: a failed login says whose and how, a connection
 * the broker closed or a certificate it did not like says which setting to look at. Never contains the
 * password (kafkajs's messages do not, and any registered secret is cut out anyway).
 */
export function describeKafkaError(error: unknown, security: SecuritySettings = {}): string {
	const chain = errorChain(error);
	const raw = error instanceof Error ? error.message : typeof error === 'object' && error !== null && 'message' in error ? String((error as KafkaErrorish).message) : String(error);
	const sasl = security.sasl;
	const mechanism = sasl ? sasl.mechanism.toUpperCase() : undefined;
	const text = redactSecrets(raw);
	if (chain.some(e => e.type === 'UNSUPPORTED_SASL_MECHANISM' || /mechanism is not supported by the server/.test(e.message ?? ''))) {
		return `the broker does not offer SASL ${mechanism ?? 'with this mechanism'}: check KCHAT_SASL_MECHANISM or the config file`;
	}
	if (sasl && chain.some(e => e.type === 'ILLEGAL_SASL_STATE')) {
		return `the broker does not take a SASL login on this port (${text}): check the port, or remove the SASL settings (KCHAT_SASL_* or the config file)`;
	}
	if (isAuthenticationError(error)) {
		return sasl
			? `authentication failed for user ${sasl.username} (${mechanism}): check KCHAT_SASL_USERNAME/PASSWORD or the config file`
			: `authentication failed: ${text}`;
	}
	if (!sasl && chain.some(e => e.name === 'KafkaJSConnectionClosedError' || e.type === 'ILLEGAL_SASL_STATE')) {
		return `the broker closed the connection (${text}): if it requires SASL or TLS, set KCHAT_SASL_MECHANISM/USERNAME/PASSWORD or KCHAT_SSL (or the config file)`;
	}
	if (security.ssl && /certificate|self[- ]signed|unable to (verify|get)|CERT_|ERR_TLS/i.test(raw)) {
		return `${text}: the broker's TLS certificate is not trusted; for a private CA set ssl.ca in the config file or KCHAT_SSL_CA`;
	}
	return text;
}
