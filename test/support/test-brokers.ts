import {inject} from 'vitest';

declare module 'vitest' {
	export interface ProvidedContext {
		/** Bootstrap servers of the run's broker: `host:port[,host:port...]`. */
		brokers: string;
	}
}

/** The Kafka bootstrap servers the tests use: the broker the set-up started, or `KCHAT_BROKERS`. */
export function testBrokers(): string[] {
	return inject('brokers')
		.split(',')
		.map(broker => broker.trim())
		.filter(Boolean);
}
