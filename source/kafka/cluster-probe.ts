import kafkajs, {type SASLOptions} from 'kafkajs';

const {Kafka, logLevel} = kafkajs;

export type ClusterProbe = {answer(): Promise<number>; close(): Promise<void>};

/** A SCRAM login for a broker with a SASL listener (the broker's own user). */
export type ProbeLogin = {mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string};

/** PEM text for a TLS listener: the CA, and a client certificate with its key where the broker asks for one. */
export type ProbeTls = {ca: string; cert?: string; key?: string};

/**
 * One metadata request per `answer()`, no retries and no logging: for waiting until a broker that is
 * starting up answers. Resolves with the number of brokers in the metadata; rejects while it does not answer.
 * `kchat broker` hands it to the launcher (which speaks no Kafka itself).
 */
export function clusterProbe(target: {bootstrap: string; sasl?: ProbeLogin; tls?: ProbeTls}): ClusterProbe {
	const {tls, sasl} = target;
	const kafka = new Kafka({
		clientId: 'kchat-broker-check',
		brokers: [target.bootstrap],
		connectionTimeout: 1000,
		requestTimeout: 5000,
		retry: {retries: 0},
		logLevel: logLevel.NOTHING,
		logCreator: () => () => {},
		...(sasl ? {sasl: {...sasl} as SASLOptions} : {}),
		...(tls ? {ssl: {ca: [tls.ca], ...(tls.cert && tls.key ? {cert: tls.cert, key: tls.key} : {})}} : {}),
	});
	const admin = kafka.admin({retry: {retries: 0}});
	return {
		answer: async () => {
			await admin.connect();
			return (await admin.describeCluster()).brokers.length;
		},
		close: () => admin.disconnect().catch(() => undefined),
	};
}
