import {brokerLogFile, followBrokerLog, readBrokerLog} from '../broker/index.js';

/** `kchat broker logs`: the end of a broker's (or a cluster node's) log, and with `follow` what it logs next. */
export async function printBrokerLog(dir: string, lines: number, follow: boolean, hint: string): Promise<number> {
	const text = readBrokerLog(dir, lines);
	if (text === undefined && !follow) {
		process.stderr.write(`kchat broker: no broker log at ${brokerLogFile(dir)} (${hint})\n`);
		return 1;
	}
	if (text && text.length > 0) process.stdout.write(text.join('\n') + '\n');
	if (!follow) return 0;
	const stop = new AbortController();
	const onSignal = () => stop.abort();
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	process.stdout.once('error', onSignal); // the reader went away (| head)
	try {
		await followBrokerLog(dir, chunk => process.stdout.write(chunk), stop.signal);
	} finally {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	}
	return 0;
}
