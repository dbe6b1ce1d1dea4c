import {createRequire} from 'node:module';
import os from 'node:os';
import type tlsModule from 'node:tls';
import {resolveBrokers} from '../config/brokers.js';
import {ConfigError, readCaFile, readCertFile, readConfigFile, readKeyFile, resolvePath} from '../config/config-file.js';
import {configFile, defaultLogFile} from '../config/paths.js';
import {loginNick, validateNick, type Login} from '../chat/names.js';
import {ChatService, type ChatServiceOptions} from '../kafka/chat-service.js';
import {SASL_MECHANISMS, type SaslMechanism, type SecuritySettings} from '../kafka/kafka-client.js';
import {addSecret, openLogFile, redactSecrets, type Logger} from '../kafka/log-file.js';
import {createChatStore, type ChatStore} from '../store/chat-store.js';

export type SessionFlags = {brokers?: string; logFile?: string; verbose?: boolean; user?: string};

export type Session = {service: ChatService; store: ChatStore; logger: Logger; brokers: string[]; security: SecuritySettings; close(): Promise<void>};

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

type PemSetting = {file: string; source: string};

/**
 * A client certificate and its key, both or neither, read and tried together now: a missing half, a key
 * that is not the certificate's or a wrong passphrase is a ConfigError naming the settings.
 */
function clientCertificate(cert: PemSetting | undefined, key: PemSetting | undefined, keyPassword: string | undefined, file: string): {cert?: string; key?: string; keyPassword?: string} {
	if (!cert && !key) return {};
	if (!cert || !key) {
		throw new ConfigError(`a client certificate needs its private key and the key its certificate: set both KCHAT_SSL_CERT and KCHAT_SSL_KEY, or ssl.cert and ssl.key in ${file}`);
	}
	const certText = readCertFile(cert.file, cert.source);
	const keyText = readKeyFile(key.file, key.source);
	try {
		// Loaded here, not at start: a command run without TLS never needs it (~5 ms of every start).
		const tls = createRequire(import.meta.url)('node:tls') as typeof tlsModule;
		tls.createSecureContext({cert: certText, key: keyText, ...(keyPassword ? {passphrase: keyPassword} : {})});
	} catch (error) {
		const reason = (error as Error).message;
		if (/bad decrypt|passphrase|decrypt/i.test(reason)) {
			throw new ConfigError(`cannot decrypt the private key ${key.file} (from ${key.source}): ${keyPassword ? 'wrong' : 'no'} passphrase (KCHAT_SSL_KEY_PASSWORD or ssl.keyPassword)`);
		}
		if (/mismatch/i.test(reason)) throw new ConfigError(`the private key ${key.file} (from ${key.source}) is not the key of the certificate ${cert.file} (from ${cert.source})`);
		throw new ConfigError(`cannot use the client certificate ${cert.file} with the key ${key.file}: ${redactSecrets(reason)}`);
	}
	return {cert: cert.file, key: key.file, ...(keyPassword ? {keyPassword} : {})};
}

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
	const envCert = envText('KCHAT_SSL_CERT');
	const envKey = envText('KCHAT_SSL_KEY');
	const keyPassword = envText('KCHAT_SSL_KEY_PASSWORD') ?? fileSsl?.keyPassword;
	addSecret(keyPassword);
	const enabled = envFlag('KCHAT_SSL') ?? (fileSsl !== undefined || envCa !== undefined || envInsecure === true || envCert !== undefined || envKey !== undefined);
	if (enabled) {
		const setting = (env: string | undefined, envName: string, fromFile: string | undefined, fileName: string): PemSetting | undefined =>
			env !== undefined ? {file: resolvePath(env, process.cwd()), source: envName} : fromFile ? {file: fromFile, source: `${fileName} in ${file}`} : undefined;
		const ca = setting(envCa, 'KCHAT_SSL_CA', fileSsl?.ca, 'ssl.ca');
		if (ca) readCaFile(ca.file, ca.source); // a clear error now, not a stack trace when connecting
		const client = clientCertificate(setting(envCert, 'KCHAT_SSL_CERT', fileSsl?.cert, 'ssl.cert'), setting(envKey, 'KCHAT_SSL_KEY', fileSsl?.key, 'ssl.key'), keyPassword, file);
		const insecure = envInsecure ?? fileSsl?.insecureSkipVerify ?? false;
		settings.ssl = {...(ca ? {ca: ca.file} : {}), ...client, rejectUnauthorized: !insecure};
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

/**
 * The SASL login from the environment or the config file, with the nicks the config file maps to it;
 * undefined without SASL. (securitySettings checks the rest of the login.)
 */
export function saslLogin(): Login | undefined {
	const config = readConfigFile();
	const user = envText('KCHAT_SASL_USERNAME') ?? config.sasl?.username;
	return user ? {user, nicks: config.nicks?.[user] ?? []} : undefined;
}

/** The nick: the flag, else the config file, else the SASL login's, else $USER when it is a valid nick. */
export function defaultNick(flag?: string): string | undefined {
	if (flag) return flag;
	const fromFile = readConfigFile().user;
	if (fromFile) return fromFile;
	const login = saslLogin();
	if (login) return loginNick(login);
	const user = process.env['USER'] ?? os.userInfo().username;
	return user && !validateNick(user) ? user : undefined;
}

/** One chat service over one store, with logs in the log file: what every command that chats uses. */
export function openSession(flags: SessionFlags & {nick: string}, extra: Partial<ChatServiceOptions> = {}): Session {
	const {brokers} = resolveBrokers(flags.brokers);
	const logger = openLogFile(flags.logFile ?? defaultLogFile(), flags.verbose ?? false);
	const store = createChatStore({nick: flags.nick, brokers});
	const security = securitySettings();
	const login = security.sasl ? saslLogin() : undefined;
	const service = new ChatService({brokers, nick: flags.nick, store, logger, verbose: flags.verbose ?? false, ...security, ...(login ? {login} : {}), ...extra});
	return {
		service,
		store,
		logger,
		brokers,
		security,
		close: async () => {
			await service.stop();
			logger.close();
		},
	};
}
