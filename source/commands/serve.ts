import {print} from './output.js';
import {connectionFlags, connectionHelp, parseArgs, quoteArg, usageError, wholeNumber} from './parse-args.js';
import {securitySettings} from './session.js';
import {resolveBrokers} from '../config/brokers.js';
import {ConfigError} from '../config/config-file.js';
import {defaultLogFile} from '../config/paths.js';
import {sanitizeText} from '../chat/sanitize.js';
import {openLogFile} from '../kafka/log-file.js';
import {isLoopback, policyProblem} from '../serve/access.js';

const help = `
  Usage
    $ kchat serve [--port 8080] [--host 127.0.0.1]

  Serves kchat's rooms to web browsers: a page and its WebSocket. Web users are ordinary kchat users
  (same records, presence and read marks as the terminal app). One Kafka consumer for the whole
  server, however many pages are open. Prints the address on standard output; Ctrl+C stops.
  Open http://HOST:PORT/?room=ROOM&nick=NICK to land in a room as a nick.

  Options
    --port N           port to listen on (default 8080; 0 picks a free one)
    --host ADDRESS     address to listen on (default 127.0.0.1, this machine only)
    --partitions N     partitions of rooms created from the page (default 3)
    --history N        lines a page shows when it opens a room (default 50)
    --send-queue KIB   how far (KiB) a page may fall behind before it is disconnected and resumes (default 4096)
${connectionHelp}

  Security
    On 127.0.0.1 only this machine can connect, and only the page itself (Host and Origin are checked).
    Any other --host needs a token in the environment, never a flag:
      KCHAT_SERVE_TOKEN=$(openssl rand -hex 16) kchat serve --host 0.0.0.0
    and people open http://HOST:PORT/#token=THE-TOKEN (the part after # never leaves the browser).
    Kafka credentials (config file, KCHAT_SASL_*, KCHAT_SSL_*) stay in this process.
`;

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs('serve', argv, help, {
		...connectionFlags,
		port: {type: 'string', default: '8080'},
		host: {type: 'string', default: '127.0.0.1'},
		partitions: {type: 'string', default: '3'},
		history: {type: 'string', default: '50'},
		sendQueue: {type: 'string', default: '4096'},
	});
	if (typeof cli === 'number') return cli;
	if (cli.input.length > 0) return usageError('serve', `unexpected argument "${quoteArg(cli.input[0]!)}"`);
	const port = wholeNumber('serve', '--port', cli.flags.port, 0, 65_535, 'a TCP port,')!;
	const partitions = wholeNumber('serve', '--partitions', cli.flags.partitions, 1, 1000)!;
	const history = wholeNumber('serve', '--history', cli.flags.history, 0, 1000)!;
	const sendQueue = wholeNumber('serve', '--send-queue', cli.flags.sendQueue, 16, 1_048_576, 'KiB,')!;
	const host = cli.flags.host;
	const token = process.env['KCHAT_SERVE_TOKEN'] || undefined;
	const problem = policyProblem({host, port, ...(token !== undefined ? {token} : {})});
	if (problem) return usageError('serve', problem);

	let security;
	try {
		security = securitySettings();
	} catch (error) {
		if (error instanceof ConfigError) {
			process.stderr.write(`kchat serve: ${error.message}\n`);
			return 2;
		}
		throw error;
	}
	const {brokers} = resolveBrokers(cli.flags.brokers);
	const logger = openLogFile(cli.flags.logFile ?? defaultLogFile(), cli.flags.verbose);
	const [{startServe}, {page}] = await Promise.all([import('../serve/start-serve.js'), import('kchat:page')]);
	let lastHealth = '';
	let serving;
	try {
		serving = await startServe({
			...security,
			brokers,
			logger,
			verbose: cli.flags.verbose,
			host,
			port,
			...(token !== undefined ? {token} : {}),
			page,
			partitions,
			history,
			sendQueueBytes: sendQueue * 1024,
			onHealth: (state, reason) => {
				// Each problem once (not every retry), and when it is over.
				if (state === 'connecting' || (state === 'reconnecting' && reason === 'retrying')) return;
				const line = state === 'online' ? `connected to Kafka at ${brokers.join(',')}` : `Kafka ${state}${reason ? `: ${sanitizeText(reason.replace(/; retrying in \d+ s$/, ''))}` : ''}`;
				if (line !== lastHealth) process.stderr.write(`kchat serve: ${line}${state === 'online' ? '' : ' (retrying)'}\n`);
				lastHealth = line;
			},
		});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		const reason =
			code === 'EADDRINUSE'
				? `port ${port} is already in use on ${host}: pass --port N (0 picks a free one)`
				: code === 'EADDRNOTAVAIL'
					? `${host} is not an address of this machine`
					: code === 'EACCES'
						? `not allowed to listen on port ${port} (ports below 1024 need privileges)`
						: (error as Error).message;
		process.stderr.write(`kchat serve: ${sanitizeText(reason)}\n`);
		logger.close();
		return 1;
	}
	print(`${serving.url}\n`);
	process.stderr.write(
		token !== undefined
			? `kchat serve: open ${serving.url}#token=… (the value of KCHAT_SERVE_TOKEN) in a browser${isLoopback(host) ? '' : ', from any machine that reaches this address'}; Ctrl+C stops\n`
			: `kchat serve: open ${serving.url}?room=lobby&nick=YOU in a browser; Ctrl+C stops\n`,
	);

	await new Promise<void>(resolve => {
		const onSignal = (): void => {
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			// A second Ctrl+C while stopping ends at once.
			process.once('SIGINT', () => process.exit(130));
			resolve();
		};
		process.on('SIGINT', onSignal);
		process.on('SIGTERM', onSignal);
	});
	process.stderr.write('kchat serve: stopping (pages are told, presence says offline)…\n');
	await serving.stop();
	logger.close();
	return 0;
}
