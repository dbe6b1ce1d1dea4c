import os from 'node:os';
import path from 'node:path';

/** XDG-style directories; `KCHAT_HOME` moves all of them (tests use it for a throw-away home). */
function base(xdgVar: string, fallback: string): string {
	const home = process.env['KCHAT_HOME'];
	if (home) return path.join(home, path.basename(fallback));
	const xdg = process.env[xdgVar];
	return path.join(xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), fallback), 'kchat');
}

/** Logs, broker data, outbox: things that should survive a restart but are not configuration. */
export const stateDir = (): string => base('XDG_STATE_HOME', '.local/state');
/** The config file (`config.json`). */
export const configDir = (): string => base('XDG_CONFIG_HOME', '.config');
/** Re-creatable downloads: the Kafka jars. `KCHAT_CACHE_DIR` moves it alone (tests share the jars across throw-away homes). */
export const cacheDir = (): string => process.env['KCHAT_CACHE_DIR'] || base('XDG_CACHE_HOME', '.cache');

export const configFile = (): string => path.join(configDir(), 'config.json');
export const defaultLogFile = (): string => path.join(stateDir(), 'kchat.log');
