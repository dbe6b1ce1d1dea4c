import {readConfigFile} from './config-file.js';

export const DEFAULT_BROKERS = 'localhost:9092';

export type BrokerSetting = {brokers: string[]; source: 'flag' | 'env' | 'config' | 'default'};

/** `--brokers`, then `KCHAT_BROKERS`, then the config file, then localhost:9092. */
export function resolveBrokers(flag?: string): BrokerSetting {
	if (flag?.trim()) return {brokers: splitBrokers(flag), source: 'flag'};
	const env = process.env['KCHAT_BROKERS'];
	if (env?.trim()) return {brokers: splitBrokers(env), source: 'env'};
	const fromFile = readConfigFile().brokers;
	if (fromFile?.trim()) return {brokers: splitBrokers(fromFile), source: 'config'};
	return {brokers: [DEFAULT_BROKERS], source: 'default'};
}

export class BrokerListError extends Error {}

/** `host:port[,host:port...]`; each entry must have a port so a typo fails here, not as a hang. */
export function splitBrokers(list: string): string[] {
	const brokers = list.split(',').map(s => s.trim()).filter(Boolean);
	for (const b of brokers) {
		const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(b);
		if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
			throw new BrokerListError(`broker address "${b}" is not valid: expected host:port, e.g. localhost:9092`);
		}
	}
	if (brokers.length === 0) throw new BrokerListError('no broker address given: expected host:port, e.g. localhost:9092');
	return brokers;
}
