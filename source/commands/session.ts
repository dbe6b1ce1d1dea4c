import os from 'node:os';
import {resolveBrokers} from '../config/brokers.js';
import {readConfigFile} from '../config/config-file.js';
import {defaultLogFile} from '../config/paths.js';
import {validateNick} from '../chat/names.js';
import {ChatService, type ChatServiceOptions} from '../kafka/chat-service.js';
import type {SecuritySettings} from '../kafka/kafka-client.js';
import {openLogFile, type Logger} from '../kafka/log-file.js';
import {createChatStore, type ChatStore} from '../store/chat-store.js';

export type SessionFlags = {brokers?: string; logFile?: string; verbose?: boolean; user?: string};

export type Session = {service: ChatService; store: ChatStore; logger: Logger; brokers: string[]; close(): Promise<void>};

/** TLS and SASL from the config file, overridden by the environment; never from flags, so secrets stay out of `ps`. */
export function securitySettings(): SecuritySettings {
	const file = readConfigFile();
	const env = process.env;
	const settings: SecuritySettings = {};
	if (file.ssl || env['KCHAT_SSL'] === '1' || env['KCHAT_SSL_CA']) {
		settings.ssl = {...file.ssl, ...(env['KCHAT_SSL_CA'] ? {ca: env['KCHAT_SSL_CA']} : {})};
	}
	const mechanism = env['KCHAT_SASL_MECHANISM'] ?? file.sasl?.mechanism;
	const username = env['KCHAT_SASL_USERNAME'] ?? file.sasl?.username;
	const password = env['KCHAT_SASL_PASSWORD'] ?? file.sasl?.password;
	if (mechanism && username && password) {
		settings.sasl = {mechanism: mechanism.toLowerCase() as NonNullable<SecuritySettings['sasl']>['mechanism'], username, password};
	}
	return settings;
}

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
