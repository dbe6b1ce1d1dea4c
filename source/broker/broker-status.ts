import fs from 'node:fs';
import {brokerPaths, defaultDataDir} from './broker-paths.js';
import {readState, runningPid} from './broker-state.js';
import {DEFAULT_HOST, clientProtocol, saslListener, type SaslListener} from './broker-config.js';
import {tlsPaths} from './certificates.js';
import {isAnswering} from './ports.js';

export type BrokerStatus =
	| {
			running: true;
			pid: number;
			port: number;
			bootstrap: string;
			version: string;
			dataDir: string;
			logFile: string;
			/** Accepts connections on its port (false while starting or shutting down). */
			answering: boolean;
			/** PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL. */
			protocol: string;
			/** Set when the client port is a SASL/SCRAM listener. */
			sasl?: SaslListener;
			/** Set for a TLS listener: the CA file clients need. */
			tls?: {caFile: string; clientAuth: boolean};
	  }
	| {running: false; dataDir: string; logFile?: string; stalePid?: number};

/** Whether the broker of a data directory runs (its pid file names a live `kafka.Kafka` of that directory). */
export async function brokerStatus(dataDir: string = defaultDataDir()): Promise<BrokerStatus> {
	const paths = brokerPaths(dataDir);
	const logFile = fs.existsSync(paths.serverLog) ? {logFile: paths.serverLog} : {};
	if (!fs.existsSync(paths.dataDir)) return {running: false, dataDir: paths.dataDir};
	const {pid, stalePid} = runningPid(paths);
	const state = readState(paths);
	if (pid === undefined || !state) return {running: false, dataDir: paths.dataDir, ...logFile, ...(stalePid ? {stalePid} : {})};
	const protocol = clientProtocol({saslScram: state.sasl, tls: state.tls});
	return {
		protocol,
		running: true,
		pid,
		port: state.port,
		bootstrap: `${DEFAULT_HOST}:${state.port}`,
		version: state.version,
		dataDir: paths.dataDir,
		logFile: paths.serverLog,
		answering: await isAnswering(state.port),
		...(state.sasl ? {sasl: saslListener(protocol, state.sasl.users)} : {}),
		...(state.tls ? {tls: {caFile: tlsPaths(paths.dataDir).caCert, clientAuth: state.tls.clientAuth}} : {}),
	};
}
