import fs from 'node:fs';
import {configFile} from './paths.js';

/** What `config.json` in the config directory may hold. Secrets live here or in the environment, never in flags. */
export type ConfigFile = {
	brokers?: string;
	user?: string;
	ssl?: {ca?: string; rejectUnauthorized?: boolean};
	sasl?: {mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512'; username: string; password: string};
};

export class ConfigError extends Error {}

/** Reads the config file; a missing file is an empty config, a broken one is an error naming the file. */
export function readConfigFile(file = configFile()): ConfigFile {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
		throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
	}
	try {
		const parsed: unknown = JSON.parse(text);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('expected a JSON object');
		return parsed as ConfigFile;
	} catch (error) {
		throw new ConfigError(`${file} is not valid: ${(error as Error).message}`);
	}
}
