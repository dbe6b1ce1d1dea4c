import meow, {type AnyFlags, type Result} from 'meow';

/** Flags every command that talks to Kafka takes. */
export const connectionFlags = {
	brokers: {type: 'string'},
	logFile: {type: 'string'},
	verbose: {type: 'boolean', default: false},
} as const;

export const connectionHelp = `
  Connection
    --brokers HOST:PORT[,...]  Kafka bootstrap servers (else $KCHAT_BROKERS, the config file, localhost:9092)
    --log-file FILE            where kchat and kafkajs log (default: ~/.local/state/kchat/kchat.log)
    --verbose                  debug logging into the log file
  TLS (also client certificates) and SASL: the config file or KCHAT_SSL_* and KCHAT_SASL_*, never flags (see the README).`;

/**
 * meow for one subcommand: its own help, unknown flags refused with exit 2.
 * `importMeta` must be the CLI entry's, so meow finds kchat's package.json for --version.
 */
export function parseArgs<F extends AnyFlags>(argv: string[], help: string, flags: F): Result<F> {
	return meow(help, {
		importMeta: import.meta,
		argv,
		flags,
		allowUnknownFlags: false,
		inferType: false,
		booleanDefault: undefined,
	});
}

/** A usage error: said on stderr with a pointer to --help, exit code 2. */
export function usageError(command: string, message: string): number {
	process.stderr.write(`kchat${command ? ' ' + command : ''}: ${message}\nRun 'kchat${command ? ' ' + command : ''} --help' for usage.\n`);
	return 2;
}
