import fs from 'node:fs';
import path from 'node:path';
import {stateDir} from '../config/paths.js';
import {brokerPaths, defaultDataDir} from './broker-paths.js';
import {readState} from './broker-state.js';

// `kchat broker status|stop|logs --port N`: which data directory is the broker of that port? The
// brokers kchat knows are the default data directory, those it started before (remembered in a small
// list in kchat's state directory) and any running `kafka.Kafka` whose command line names a data
// directory's server.properties (started by anyone, e.g. the test set-up).

const listFile = (): string => path.join(stateDir(), 'known-brokers.json');

function remembered(): string[] {
	try {
		const list = JSON.parse(fs.readFileSync(listFile(), 'utf8')) as unknown;
		return Array.isArray(list) ? list.filter((d): d is string => typeof d === 'string') : [];
	} catch {
		return [];
	}
}

/** Adds a data directory to the list (best effort: an unwritable state directory only loses the hint). */
export function rememberBroker(dataDir: string): void {
	const dir = brokerPaths(dataDir).dataDir;
	const list = remembered().filter(d => d !== dir && fs.existsSync(d));
	try {
		fs.mkdirSync(path.dirname(listFile()), {recursive: true});
		fs.writeFileSync(listFile(), JSON.stringify([dir, ...list].slice(0, 50)) + '\n');
	} catch {
		// only a hint for --port
	}
}

/** Data directories of running brokers, from their command lines (Linux /proc). */
function running(): string[] {
	let pids: string[];
	try {
		pids = fs.readdirSync('/proc').filter(name => /^\d+$/.test(name));
	} catch {
		return [];
	}
	const dirs: string[] = [];
	for (const pid of pids) {
		let args: string[];
		try {
			args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
		} catch {
			continue;
		}
		const main = args.indexOf('kafka.Kafka');
		const properties = main >= 0 ? args[main + 1] : undefined;
		if (properties?.endsWith('/server.properties')) dirs.push(path.dirname(properties));
	}
	return dirs;
}

export type PortLookup = {dataDir: string} | {dataDir?: undefined; known: {dataDir: string; port: number}[]};

/**
 * The data directory whose broker uses `port` (from its kchat-broker.json), or the brokers kchat
 * knows with their ports when none does, so the caller can say which `--data-dir` to name.
 */
export function findBrokerByPort(port: number): PortLookup {
	const known: {dataDir: string; port: number}[] = [];
	for (const dir of new Set([...running(), defaultDataDir(), ...remembered()].map(d => brokerPaths(d).dataDir))) {
		const state = readState(brokerPaths(dir));
		if (!state) continue;
		if (state.port === port) return {dataDir: dir};
		known.push({dataDir: dir, port: state.port});
	}
	return {known};
}
