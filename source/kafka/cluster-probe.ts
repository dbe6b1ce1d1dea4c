import kafkajs, {type SASLOptions} from 'kafkajs';
import './request-queue-timer.js';

const {Kafka, logLevel} = kafkajs;

export type ClusterProbe = {answer(): Promise<number>; close(): Promise<void>};

/** A SCRAM login for a broker with a SASL listener (the broker's own user). */
export type ProbeLogin = {mechanism: 'scram-sha-256' | 'scram-sha-512'; username: string; password: string};

/**
 * One metadata request per `answer()`, no retries and no logging: for waiting until a broker that is
 * starting up answers. Resolves with the number of brokers in the metadata; rejects while it does not answer.
 */
export function clusterProbe(bootstrap: string, sasl?: ProbeLogin): ClusterProbe {
	const kafka = new Kafka({
		clientId: 'kchat-broker-check',
		brokers: [bootstrap],
		connectionTimeout: 1000,
		requestTimeout: 5000,
		retry: {retries: 0},
		logLevel: logLevel.NOTHING,
		logCreator: () => () => {},
		...(sasl ? {sasl: {...sasl} as SASLOptions} : {}),
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
