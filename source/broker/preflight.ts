import {spawnSync} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {BrokerError} from './broker-error.js';

export const MIN_JAVA = 17;

const alternative = 'Or run Kafka in Docker instead: `docker compose up -d` in the kchat folder.';

export type Java = {command: string; major: number; versionLine: string};

/** `$JAVA_HOME/bin/java` when that exists, else `java` on PATH; must be Java 17 or newer. */
export function findJava(): Java {
	const home = process.env['JAVA_HOME'];
	const fromHome = home ? path.join(home, 'bin', process.platform === 'win32' ? 'java.exe' : 'java') : undefined;
	const command = fromHome && fs.existsSync(fromHome) ? fromHome : 'java';
	const run = spawnSync(command, ['-version'], {encoding: 'utf8', timeout: 30_000});
	if (run.error) {
		throw new BrokerError('missing-prerequisite', [
			`Java ${MIN_JAVA} or newer is needed to run a local Kafka broker, and \`${command}\` was not found.`,
			`Install it, e.g. \`sudo apt-get install openjdk-17-jre-headless maven\` (Debian 12, Ubuntu; \`default-jre-headless\` on newer Debian) or \`brew install openjdk@17 maven\` (macOS).`,
			alternative,
		].join('\n'));
	}
	const output = `${run.stderr}${run.stdout}`;
	const versionLine = output.split('\n').find(line => /version "/.test(line))?.trim() ?? output.trim().split('\n')[0] ?? '';
	const major = javaMajor(output);
	if (major === undefined || major < MIN_JAVA) {
		throw new BrokerError('missing-prerequisite', [
			`Apache Kafka 4 needs Java ${MIN_JAVA} or newer; \`${command}\` is ${major === undefined ? 'of an unknown version' : `Java ${major}`} (${versionLine}).`,
			`Install a newer one, e.g. \`sudo apt-get install openjdk-17-jre-headless\`, and put it first on PATH or set JAVA_HOME.`,
			alternative,
		].join('\n'));
	}
	return {command, major, versionLine};
}

/** The major version in `java -version` output: `"17.0.15"` -> 17, `"1.8.0_202"` -> 8. */
export function javaMajor(versionOutput: string): number | undefined {
	const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
	if (!m) return undefined;
	const first = Number(m[1]);
	return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/** `mvn` on PATH; only needed while the Kafka jars are not cached yet. */
export function findMaven(): string {
	const command = process.platform === 'win32' ? 'mvn.cmd' : 'mvn';
	const run = spawnSync(command, ['-v'], {encoding: 'utf8', timeout: 60_000});
	if (run.error || run.status !== 0) {
		throw new BrokerError('missing-prerequisite', [
			'Maven (`mvn`) is needed once, to fetch Apache Kafka from Maven Central, and it was not found.',
			'Install it, e.g. `sudo apt-get install maven` (Debian, Ubuntu) or `brew install maven` (macOS).',
			alternative,
		].join('\n'));
	}
	return command;
}
