import fs from 'node:fs';
import path from 'node:path';
import {cacheDir, stateDir} from '../config/paths.js';
import {KAFKA_VERSION} from './kafka-version.js';

/** `~/.local/state/kchat/kafka` (or under `KCHAT_HOME` / `XDG_STATE_HOME`). */
export const defaultDataDir = (): string => path.join(stateDir(), 'kafka');

/** `~/.local/state/kchat/kafka-cluster`: where `kchat broker start --nodes 3` keeps its nodes unless told. */
export const defaultClusterDir = (): string => path.join(stateDir(), 'kafka-cluster');

/** Where Maven copies the Kafka jars: `<cache>/kafka-<version>`, outside the repository. */
export const artifactsDir = (): string => path.resolve(cacheDir(), `kafka-${KAFKA_VERSION}`);

/** Everything kchat keeps in one broker's data directory. */
export type BrokerPaths = {
	dataDir: string;
	/** kchat's own record: ports, cluster id, version (`kchat-broker.json`). */
	stateFile: string;
	/** The running broker's process id. */
	pidFile: string;
	/** Held while a kchat process starts or stops this broker. */
	lockFile: string;
	serverProperties: string;
	log4jConfig: string;
	/** Kafka's `log.dirs`: the metadata log and the topics' partitions. */
	kafkaData: string;
	logsDir: string;
	/** What the broker logs, through our log4j2 configuration. */
	serverLog: string;
	/** The JVM's stdout and stderr, for crashes before logging starts. */
	consoleLog: string;
	/** A SASL broker's own SCRAM password (mode 0600). */
	interBrokerSecret: string;
};

/** The layout of a data directory, by its real path (the broker's command line names it; see isOurBroker). */
export function brokerPaths(dataDir: string): BrokerPaths {
	const dir = realPath(path.resolve(dataDir));
	const logsDir = path.join(dir, 'logs');
	return {
		dataDir: dir,
		stateFile: path.join(dir, 'kchat-broker.json'),
		pidFile: path.join(dir, 'broker.pid'),
		lockFile: path.join(dir, 'kchat-broker.lock'),
		serverProperties: path.join(dir, 'server.properties'),
		log4jConfig: path.join(dir, 'log4j2.properties'),
		kafkaData: path.join(dir, 'data'),
		logsDir,
		serverLog: path.join(logsDir, 'server.log'),
		consoleLog: path.join(logsDir, 'kafka.out'),
		interBrokerSecret: path.join(dir, 'sasl-broker-password'),
	};
}

function realPath(dir: string): string {
	try {
		return fs.realpathSync(dir);
	} catch {
		return dir;
	}
}
