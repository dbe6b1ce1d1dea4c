import kafkajs, {type Kafka, type KafkaConfig, type SASLOptions} from 'kafkajs';
import fs from 'node:fs';

// kafkajs is CommonJS: take its values from the default export under Node's ESM loader.
const {Kafka: KafkaClient, logLevel} = kafkajs;
import {kafkaLogCreator, type Logger} from './log-file.js';

export type SecuritySettings = {
	ssl?: {ca?: string; rejectUnauthorized?: boolean};
	sasl?: {mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string};
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
			rejectUnauthorized: options.ssl.rejectUnauthorized ?? true,
			...(options.ssl.ca ? {ca: [fs.readFileSync(options.ssl.ca, 'utf8')]} : {}),
		};
	}
	if (options.sasl) config.sasl = options.sasl as SASLOptions;
	return new KafkaClient(config);
}
