import os from 'node:os';
import {resolveBrokers} from '../config/brokers.js';
import {ConfigError, readCaFile, readConfigFile, resolvePath} from '../config/config-file.js';
import {configFile, defaultLogFile} from '../config/paths.js';
import {validateNick} from '../chat/names.js';
import {ChatService, type ChatServiceOptions} from '../kafka/chat-service.js';
import {SASL_MECHANISMS, type SaslMechanism, type SecuritySettings} from '../kafka/kafka-client.js';
import {addSecret, openLogFile, type Logger} from '../kafka/log-file.js';
import {createChatStore, type ChatStore} from '../store/chat-store.js';

export type SessionFlags = {brokers?: string; logFile?: string; verbose?: boolean; user?: string};

export type Session = {service: ChatService; store: ChatStore; logger: Logger; brokers: string[]; close(): Promise<void>};

/** Says each warning once per process, on stderr (before Ink draws, so it stays readable). */
const warned = new Set<string>();
function warnOnce(text: string): void {
	if (warned.has(text)) return;
	warned.add(text);
	process.stderr.write(`kchat: WARNING: ${text}\n`);
}

/** `1`/`true`/`yes`/`on` or `0`/`false`/`no`/`off` (any case); undefined when unset or empty. */
function envFlag(name: string): boolean | undefined {
	const value = process.env[name]?.trim().toLowerCase();
	if (!value) return undefined;
	if (['1', 'true', 'yes', 'on'].includes(value)) return true;
	if (['0', 'false', 'no', 'off'].includes(value)) return false;
	throw new ConfigError(`${name} must be 1 or 0, not "${value.replace(/[^\x20-\x7e]/g, '?').slice(0, 20)}"`);
}

/** A non-empty environment variable, else undefined. */
const envText = (name: string): string | undefined => (process.env[name] ? process.env[name] : undefined);

/**
 * TLS and SASL from the config file, overridden by the environment; never from flags, so secrets stay
 * out of `ps` and shell history. Checked here, before anything connects: an unknown mechanism, half a
 * login or a CA file that cannot be read is a ConfigError naming the setting. Warns on stderr when
 * certificates are not verified (`insecureSkipVerify`) or a PLAIN password would cross the network in clear.
 */
export function securitySettings(): SecuritySettings {
	const file = configFile();
	const config = readConfigFile(file);
	const settings: SecuritySettings = {};

	const fileSsl = config.ssl === true ? {} : config.ssl;
	const envCa = envText('KCHAT_SSL_CA');
	const envInsecure = envFlag('KCHAT_SSL_INSECURE_SKIP_VERIFY');
	const enabled = envFlag('KCHAT_SSL') ?? (fileSsl !== undefined || envCa !== undefined || envInsecure === true);
	if (enabled) {
		const ca = envCa !== undefined ? {file: resolvePath(envCa, process.cwd()), source: 'KCHAT_SSL_CA'} : fileSsl?.ca ? {file: fileSsl.ca, source: `ssl.ca in ${file}`} : undefined;
		if (ca) readCaFile(ca.file, ca.source); // a clear error now, not a stack trace when connecting
		const insecure = envInsecure ?? fileSsl?.insecureSkipVerify ?? false;
		settings.ssl = {...(ca ? {ca: ca.file} : {}), rejectUnauthorized: !insecure};
		if (insecure) {
			warnOnce(
				`TLS certificate verification is OFF (${envInsecure ? 'KCHAT_SSL_INSECURE_SKIP_VERIFY' : `ssl.insecureSkipVerify in ${file}`}): ` +
					'kchat cannot tell the real broker from an impostor, who could read the messages and the password',
			);
		}
	}

	const mechanism = envText('KCHAT_SASL_MECHANISM') ?? config.sasl?.mechanism;
	const username = envText('KCHAT_SASL_USERNAME') ?? config.sasl?.username;
	const password = envText('KCHAT_SASL_PASSWORD') ?? config.sasl?.password;
	addSecret(password); // before any message could mention it
	if (mechanism || username || password) {
		const missing = [
			mechanism ? undefined : `the mechanism (KCHAT_SASL_MECHANISM or sasl.mechanism: one of ${ALLOWED})`,
			username ? undefined : 'the user name (KCHAT_SASL_USERNAME or sasl.username)',
			password ? undefined : 'the password (KCHAT_SASL_PASSWORD or sasl.password)',
		].filter(Boolean);
		if (missing.length > 0) throw new ConfigError(`SASL is set up only in part: missing ${missing.join(', ')}; in the environment or ${file}`);
		const lower = mechanism!.trim().toLowerCase();
		if (!isMechanism(lower)) {
			const source = envText('KCHAT_SASL_MECHANISM') ? 'KCHAT_SASL_MECHANISM' : `sasl.mechanism in ${file}`;
			throw new ConfigError(`unknown SASL mechanism "${mechanism!.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)}" (${source}): use one of ${ALLOWED}`);
		}
		settings.sasl = {mechanism: lower, username: username!, password: password!};
		if (lower === 'plain' && !settings.ssl) warnOnce('SASL PLAIN without TLS: the password crosses the network in clear text (use SCRAM, or TLS with KCHAT_SSL=1)');
	}
	return settings;
}

const ALLOWED = SASL_MECHANISMS.map(m => m.toUpperCase()).join(', ');
const isMechanism = (name: string): name is SaslMechanism => (SASL_MECHANISMS as readonly string[]).includes(name);

/** The nick: the flag, else the config file, else $USER when it is a valid nick. */
export function defaultNick(flag?: string): string | undefined {
	if (flag) return flag;
	const fromFile = readConfigFile().user;
	if (fromFile) return fromFile;
	const user = process.env['USER'] ?? os.userInfo().username;
	return user && !validateNick(user) ? user : undefined;
}

/** One chat service over one store, with logs in the log file: what every command that chats uses. */
export function openSession(flags: SessionFlags & {nick: string}, extra: Partial<ChatServiceOptions> = {}): Session {
	const {brokers} = resolveBrokers(flags.brokers);
	const logger = openLogFile(flags.logFile ?? defaultLogFile(), flags.verbose ?? false);
	const store = createChatStore({nick: flags.nick, brokers});
	const service = new ChatService({brokers, nick: flags.nick, store, logger, verbose: flags.verbose ?? false, ...securitySettings(), ...extra});
	return {
		service,
		store,
		logger,
		brokers,
		close: async () => {
			await service.stop();
			logger.close();
		},
	};
}
