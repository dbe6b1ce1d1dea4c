import kafkajs, {type Kafka, type KafkaConfig, type SASLOptions} from 'kafkajs';
import './request-queue-timer.js';
import {trackClusters} from './kafka-clusters.js';
import {socketFactory} from './socket-factory.js';

// kafkajs is CommonJS: take its values from the default export under Node's ESM loader.
const {Kafka: KafkaClient, logLevel} = kafkajs;
import {readCaFile, readCertFile, readKeyFile} from '../config/config-file.js';
import {addSecret, kafkaLogCreator, redactSecrets, type Logger} from './log-file.js';

/** The SASL mechanisms kchat speaks, as written in the config file and `KCHAT_SASL_MECHANISM` (any case). */
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

export type SecuritySettings = {
	/**
	 * TLS. `ca`: a PEM file of the CA(s) to trust instead of the system's. `rejectUnauthorized: false`
	 * (certificates not verified) only comes from the loudly named `insecureSkipVerify` setting.
	 * `cert` and `key`: PEM files of a client certificate for brokers that ask for one (mutual TLS).
	 */
	ssl?: {ca?: string; rejectUnauthorized?: boolean; cert?: string; key?: string; keyPassword?: string};
	sasl?: {mechanism: SaslMechanism; username: string; password: string};
};

export type ClientOptions = SecuritySettings & {
	brokers: string[];
	clientId: string;
	logger: Logger;
	verbose?: boolean;
	/** How often kafkajs retries a request or connection (10 unless said). */
	retries?: number;
};

/** The one place a kafkajs client is made: logs to our file, short timeouts so an outage is seen quickly. */
export function createKafka(options: ClientOptions): Kafka {
	const config: KafkaConfig = {
		clientId: options.clientId,
		brokers: options.brokers,
		socketFactory,
		logLevel: options.verbose ? logLevel.DEBUG : logLevel.INFO,
		logCreator: kafkaLogCreator(options.logger),
		connectionTimeout: 3000,
		requestTimeout: 10_000,
		// Short waits between retries: after an outage, sending and fetching resume within ~2 s of the broker.
		retry: {initialRetryTime: 100, maxRetryTime: 2000, retries: options.retries ?? 10},
	};
	if (options.ssl) {
		config.ssl = {
			// Verified unless explicitly turned off (insecureSkipVerify, with a warning at start).
			rejectUnauthorized: options.ssl.rejectUnauthorized !== false,
			...(options.ssl.ca ? {ca: [readCaFile(options.ssl.ca)]} : {}),
			...(options.ssl.cert && options.ssl.key ? {cert: readCertFile(options.ssl.cert), key: readKeyFile(options.ssl.key)} : {}),
			...(options.ssl.keyPassword ? {passphrase: options.ssl.keyPassword} : {}),
		};
	}
	if (options.sasl) {
		// Whatever kafkajs or we write into the log later, this string is replaced before it reaches the file.
		addSecret(options.sasl.password);
		config.sasl = {mechanism: options.sasl.mechanism, username: options.sasl.username, password: options.sasl.password} as SASLOptions;
	}
	const kafka = new KafkaClient(config);
	trackClusters(kafka);
	return kafka;
}

/** The kafkajs errors we explain, by name (an error's class does not survive every kafkajs wrapper). */
type KafkaErrorish = {name?: string; message?: string; type?: string; retriable?: boolean; refusal?: boolean; cause?: unknown; originalError?: unknown; errors?: unknown};

/**
 * The error and what caused it (kafkajs wraps errors in `cause` / `originalError` when it gives up
 * retrying, and puts the per-topic errors of one request in `errors`).
 */
function errorChain(error: unknown): KafkaErrorish[] {
	const chain: KafkaErrorish[] = [];
	const visit = (current: unknown): void => {
		if (!current || typeof current !== 'object' || chain.length >= 10 || chain.includes(current as KafkaErrorish)) return;
		const e = current as KafkaErrorish;
		chain.push(e);
		if (Array.isArray(e.errors)) for (const inner of e.errors) visit(inner);
		visit(e.cause ?? e.originalError);
	};
	visit(error);
	return chain;
}

/** Kafka error codes in the chain (the broker answered), each as `message (CODE)`. */
const brokerAnswers = (chain: KafkaErrorish[]): KafkaErrorish[] => chain.filter(e => typeof e.type === 'string' && e.type !== 'UNKNOWN');

/**
 * True when the broker answered and said no (a Kafka error code that is not retriable: a topic name
 * that collides, no permission, a policy), or a login or certificate was refused: asking again will
 * get the same answer. Not for a broker that does not answer.
 */
export function isRefusal(error: unknown): boolean {
	const chain = errorChain(error);
	return isAuthenticationError(error) || chain.some(e => e instanceof TlsRefusedError || e.refusal === true) || brokerAnswers(chain).some(e => e.retriable === false);
}

/** A TLS handshake the broker or kchat refused over a certificate: retrying will not help. */
export class TlsRefusedError extends Error {}

const TLS_REFUSAL = /certificate|self[- ]signed|unable to (verify|get)|CERT_|ERR_TLS|alert number|handshake failure|unknown ca/i;

/**
 * With TLS, one connection without retries before the real clients connect: kafkajs retries a refused
 * handshake for ~15 s, and a certificate problem does not go away by retrying. Any other failure (the
 * broker is starting, it answers but is not Kafka) is left to the normal connection and its retries.
 */
export async function tlsPreflight(options: Omit<ClientOptions, 'clientId'>): Promise<void> {
	if (!options.ssl) return;
	const admin = createKafka({...options, clientId: 'kchat-tls-check', retries: 0}).admin({retry: {retries: 0}});
	try {
		await admin.connect();
	} catch (error) {
		if (errorChain(error).some(e => TLS_REFUSAL.test(e.message ?? ''))) throw new TlsRefusedError(errorChain(error).map(e => e.message).find(m => m && TLS_REFUSAL.test(m)) ?? String(error));
	} finally {
		await admin.disconnect().catch(() => undefined);
	}
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
	const text = redactSecrets(raw).trim(); // OpenSSL's messages end in a newline
	// Already described where it was refused (a room name Kafka will not take, a login or certificate).
	const refusal = chain.find(e => e.refusal === true);
	if (refusal) return redactSecrets(refusal.message ?? text);
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
	// TLS 1.3 alert 116 (1.2: a handshake failure): the broker wants a client certificate and got none it accepts;
	// Kafka (Java) answers a certificate from a CA it does not trust with alert 46, certificate unknown.
	if (security.ssl && /certificate required|alert number 116|bad certificate|alert number 42|unknown ca|alert number 48|certificate unknown|alert number 46/i.test(raw)) {
		return security.ssl.cert
			? `${text}: the broker did not accept kchat's client certificate (ssl.cert in the config file or KCHAT_SSL_CERT); is it signed by a CA the broker trusts?`
			: `${text}: the broker asks for a client certificate (mutual TLS): set ssl.cert and ssl.key in the config file, or KCHAT_SSL_CERT and KCHAT_SSL_KEY`;
	}
	if (security.ssl && /certificate|self[- ]signed|unable to (verify|get)|CERT_|ERR_TLS/i.test(raw)) {
		return `${text}: the broker's TLS certificate is not trusted; for a private CA set ssl.ca in the config file or KCHAT_SSL_CA`;
	}
	// The broker answered with an error code: say that code and its meaning, not kafkajs's summary.
	const answers = brokerAnswers(chain);
	if (answers.length > 0) {
		const codes = [...new Set(answers.map(e => `${e.message ?? ''} (${e.type})`))];
		return redactSecrets(`the broker answered: ${codes.join('; ')}`);
	}
	return text;
}
