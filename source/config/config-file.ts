import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {validateNick} from '../chat/names.js';
import {configFile} from './paths.js';

/**
 * What `config.json` in the config directory may hold. Secrets live here or in the environment, never
 * in flags. `ssl: true` is TLS with the system's CAs.
 */
export type ConfigFile = {
	brokers?: string;
	user?: string;
	ssl?: true | SslSection;
	sasl?: SaslSection;
	/**
	 * With SASL, the nick is the login's user name; these are the other nicks a login may use, e.g.
	 * `{"alice": ["alice-phone"]}`. A guard against posing as someone by typing their nick, not proof
	 * to readers: only Kafka's ACLs decide who may write a room (see the README).
	 */
	nicks?: Record<string, string[]>;
};

export type SslSection = {
	/** A PEM file with the CA(s) to trust (a private CA); relative to the config directory. */
	ca?: string;
	/** A client certificate (PEM) and its private key, for brokers that ask for one (mutual TLS). */
	cert?: string;
	key?: string;
	/** The passphrase of an encrypted private key. A secret, like the SASL password. */
	keyPassword?: string;
	/** Do not verify the broker's certificate at all. Insecure; kchat warns on every start. */
	insecureSkipVerify?: boolean;
};

/** Checked for the allowed mechanisms once merged with the environment (which overrides it). */
export type SaslSection = {mechanism?: string; username?: string; password?: string};

export class ConfigError extends Error {}

/** Reads the config file; a missing file is an empty config, a broken one is an error naming the file. */
export function readConfigFile(file = configFile()): ConfigFile {
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		// ENOTDIR: a file where a folder of the path should be, so no config file there either.
		const code = (error as NodeJS.ErrnoException).code;
		if (code === 'ENOENT' || code === 'ENOTDIR') return {};
		throw new ConfigError(`cannot read ${file}: ${describeFsError(error)}`);
	}
	let parsed: unknown;
	try {
		parsed = JSON.parse(text);
	} catch (error) {
		// Not the parser's message: V8 quotes the text around the error, and that may be the password.
		throw new ConfigError(`${file} is not valid JSON${jsonErrorPlace(text, error)}`);
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`${file} is not valid: expected a JSON object`);
	return validate(parsed as Record<string, unknown>, file);
}

/** ` (line 3, column 14)` from V8's "at position N", or nothing. */
function jsonErrorPlace(text: string, error: unknown): string {
	const position = /position (\d+)/.exec(error instanceof Error ? error.message : '')?.[1];
	if (position === undefined) return '';
	const before = text.slice(0, Number(position)).split('\n');
	return ` (line ${before.length}, column ${(before[before.length - 1]?.length ?? 0) + 1})`;
}

/** Known keys with the right types; in `ssl` and `sasl` nothing unknown, so a misspelt setting is not silently ignored. */
function validate(raw: Record<string, unknown>, file: string): ConfigFile {
	const problem = (what: string): ConfigError => new ConfigError(`${file} is not valid: ${what}`);
	const config: ConfigFile = {};
	for (const key of ['brokers', 'user'] as const) {
		const value = raw[key];
		if (value === undefined) continue;
		if (typeof value !== 'string') throw problem(`"${key}" must be a string`);
		config[key] = value;
	}
	const ssl = raw['ssl'];
	if (ssl === true) config.ssl = true;
	else if (ssl !== undefined && ssl !== false && ssl !== null) {
		if (typeof ssl !== 'object' || Array.isArray(ssl)) throw problem('"ssl" must be true or an object like {"ca": "/path/to/ca.pem"}');
		const section: SslSection = {};
		for (const [key, value] of Object.entries(ssl)) {
			if (key === 'ca' || key === 'cert' || key === 'key') {
				if (typeof value !== 'string' || value.trim() === '') throw problem(`"ssl.${key}" must be the path of a PEM file`);
				section[key] = resolvePath(value, path.dirname(file));
			} else if (key === 'keyPassword') {
				if (typeof value !== 'string') throw problem('"ssl.keyPassword" must be a string');
				section.keyPassword = value;
			} else if (key === 'insecureSkipVerify') {
				if (typeof value !== 'boolean') throw problem('"ssl.insecureSkipVerify" must be true or false');
				section.insecureSkipVerify = value;
			} else if (key === 'rejectUnauthorized') {
				if (value === true) continue; // what kchat does anyway
				throw problem('"ssl.rejectUnauthorized" is not a kchat setting: certificates are always verified; to turn that off (insecure), set "ssl.insecureSkipVerify": true');
			} else {
				throw problem(`unknown setting "ssl.${printable(key)}": use "ca", "cert", "key", "keyPassword" or "insecureSkipVerify"`);
			}
		}
		config.ssl = section;
	}
	const sasl = raw['sasl'];
	if (sasl !== undefined && sasl !== null) {
		if (typeof sasl !== 'object' || Array.isArray(sasl)) throw problem('"sasl" must be an object like {"mechanism": "scram-sha-512", "username": "…", "password": "…"}');
		const section: SaslSection = {};
		for (const [key, value] of Object.entries(sasl)) {
			if (key !== 'mechanism' && key !== 'username' && key !== 'password') throw problem(`unknown setting "sasl.${printable(key)}": use "mechanism", "username" and "password"`);
			if (typeof value !== 'string') throw problem(`"sasl.${key}" must be a string`);
			section[key] = value;
		}
		config.sasl = section;
	}
	const nicks = raw['nicks'];
	if (nicks !== undefined && nicks !== null) {
		const shape = '"nicks" must map SASL user names to lists of nicks, like {"alice": ["alice-phone"]}';
		if (typeof nicks !== 'object' || Array.isArray(nicks)) throw problem(shape);
		config.nicks = {};
		for (const [user, list] of Object.entries(nicks)) {
			if (!Array.isArray(list) || !list.every(n => typeof n === 'string')) throw problem(shape);
			for (const nick of list as string[]) {
				const invalid = validateNick(nick);
				if (invalid) throw problem(`"nicks.${printable(user)}": ${invalid}`);
			}
			config.nicks[user] = list as string[];
		}
	}
	return config;
}

/** `~/x` and paths relative to `base` (the config directory), made absolute. */
export function resolvePath(file: string, base: string): string {
	if (file === '~' || file.startsWith('~/')) return path.join(os.homedir(), file.slice(1));
	return path.resolve(base, file);
}

/**
 * The text of a CA file, checked to hold a PEM certificate. `source` says where the path came from
 * (the config file or `KCHAT_SSL_CA`), so the error points at the setting to fix.
 */
export function readCaFile(file: string, source?: string): string {
	return readPem(file, 'CA file', 'CERTIFICATE', source);
}

/** A client certificate (PEM), checked like a CA file. */
export function readCertFile(file: string, source?: string): string {
	return readPem(file, 'client certificate', 'CERTIFICATE', source);
}

/** A private key (PEM: PKCS#8, RSA or EC, encrypted or not). */
export function readKeyFile(file: string, source?: string): string {
	return readPem(file, 'private key', 'PRIVATE KEY', source);
}

function readPem(file: string, what: string, label: string, source?: string): string {
	const from = source ? ` (from ${source})` : '';
	let text: string;
	try {
		text = fs.readFileSync(file, 'utf8');
	} catch (error) {
		throw new ConfigError(`cannot read the ${what} ${file}${from}: ${describeFsError(error)}`);
	}
	// "BEGIN CERTIFICATE", or "BEGIN PRIVATE KEY", "BEGIN ENCRYPTED PRIVATE KEY", "BEGIN RSA PRIVATE KEY"...
	if (!new RegExp(`-----BEGIN [A-Z ]*${label}-----`).test(text)) throw new ConfigError(`the ${what} ${file}${from} holds no PEM ${label.toLowerCase()} (no "-----BEGIN … ${label}-----" line)`);
	return text;
}

function describeFsError(error: unknown): string {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT') return 'no such file';
	if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
	if (code === 'EISDIR') return 'it is a directory';
	return code ?? (error instanceof Error ? error.message : String(error));
}

const printable = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 40);
