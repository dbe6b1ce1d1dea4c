import {spawn} from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import {BrokerError} from './broker-error.js';
import {artifactsDir} from './broker-paths.js';
import {KAFKA_SCALA_VERSION, KAFKA_VERSION, LOG4J_VERSION, MAVEN_DEPENDENCY_PLUGIN_VERSION} from './kafka-version.js';
import {isAlive} from './broker-state.js';
import {tailLines} from './log-tail.js';
import {findMaven} from './preflight.js';
import {silentProgress, type Progress} from './progress.js';

/** The Kafka jars on this machine. */
export type Artifacts = {
	version: string;
	libsDir: string;
	/** For `java -cp`: `<libs>/*` (Java expands the wildcard itself). */
	classpath: string;
	jarCount: number;
};

/** Written into the jar folder last, so a half-finished download is never taken for a whole one. */
const MARKER = '.kchat-complete';

/** The Kafka jars, resolved with Maven into the cache the first time (with progress), then reused. */
export async function ensureArtifacts(progress: Progress = silentProgress): Promise<Artifacts> {
	const dir = artifactsDir();
	const libsDir = path.join(dir, 'libs');
	const cached = readArtifacts(libsDir);
	if (cached) return cached;

	const mvn = findMaven();
	fs.mkdirSync(dir, {recursive: true});
	const pom = path.join(dir, 'pom.xml');
	fs.writeFileSync(pom, kafkaPom());
	removeAbandonedCopies(dir);
	const outputDir = path.join(dir, `libs.tmp-${process.pid}`);
	fs.rmSync(outputDir, {recursive: true, force: true});
	const logFile = path.join(dir, 'mvn.log');
	const started = Date.now();
	progress(`resolving Apache Kafka ${KAFKA_VERSION} with Maven into ${dir}…`);

	const args = ['-B', '-Dstyle.color=never', '-f', pom, 'dependency:copy-dependencies', `-DoutputDirectory=${outputDir}`];
	const m2 = process.env['KCHAT_M2_REPO']; // hidden: a separate local repository, to measure a cold download
	if (m2) args.push(`-Dmaven.repo.local=${path.resolve(m2)}`);
	let downloaded = 0;
	let shown = 0;
	const code = await runMaven(mvn, args, dir, logFile, counts => {
		downloaded = counts.downloaded;
		if (Date.now() - shown < 250) return; // a few updates a second, even for a caller that prints every line
		shown = Date.now();
		const what = counts.copied > 0 ? plural(counts.copied, 'jar') + ' copied' : plural(counts.downloaded, 'file') + ' downloaded';
		progress(`resolving Apache Kafka ${KAFKA_VERSION} with Maven… ${what}`, {transient: true});
	});

	const jars = listJars(outputDir);
	if (code !== 0 || !jars.includes(`kafka_${KAFKA_SCALA_VERSION}-${KAFKA_VERSION}.jar`)) {
		fs.rmSync(outputDir, {recursive: true, force: true});
		const tail = tailLines(logFile, 20).map(line => `  ${line}`).join('\n');
		throw new BrokerError('resolve-failed', `Maven could not resolve Apache Kafka ${KAFKA_VERSION} (${code === 0 ? 'no Kafka jar was copied' : `exit code ${code}`}). Last lines of ${logFile}:\n${tail}`);
	}
	fs.writeFileSync(path.join(outputDir, MARKER), JSON.stringify({version: KAFKA_VERSION, jars: jars.length, resolvedAt: new Date().toISOString()}) + '\n');
	fs.rmSync(libsDir, {recursive: true, force: true}); // an unfinished copy from before
	try {
		fs.renameSync(outputDir, libsDir);
	} catch (error) {
		fs.rmSync(outputDir, {recursive: true, force: true});
		if (!readArtifacts(libsDir)) throw error; // else another kchat finished first: use its copy
	}
	const bytes = jars.reduce((sum, jar) => sum + fileBytes(path.join(libsDir, jar)), 0);
	const fetched = downloaded > 0 ? `, ${plural(downloaded, 'file')} downloaded` : ', all from the local Maven repository';
	progress(`resolved Apache Kafka ${KAFKA_VERSION}: ${jars.length} jars (${Math.round(bytes / 1e6)} MB${fetched}) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
	const artifacts = readArtifacts(libsDir);
	if (!artifacts) throw new BrokerError('resolve-failed', `the Kafka jars vanished from ${libsDir}`);
	return artifacts;
}

function readArtifacts(libsDir: string): Artifacts | undefined {
	if (!fs.existsSync(path.join(libsDir, MARKER))) return undefined;
	return {version: KAFKA_VERSION, libsDir, classpath: path.join(libsDir, '*'), jarCount: listJars(libsDir).length};
}

/** The throw-away project Maven resolves: the broker, the tools (StorageTool) and a logging binding. */
export function kafkaPom(): string {
	const dependency = (groupId: string, artifactId: string, version: string) =>
		`    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version></dependency>`;
	return [
		'<?xml version="1.0" encoding="UTF-8"?>',
		'<!-- Written by kchat broker: the Apache Kafka runtime, resolved with `mvn dependency:copy-dependencies`. -->',
		'<project xmlns="http://maven.apache.org/POM/4.0.0">',
		'  <modelVersion>4.0.0</modelVersion>',
		`  <groupId>kchat</groupId><artifactId>kafka-runtime</artifactId><version>${KAFKA_VERSION}</version><packaging>pom</packaging>`,
		'  <dependencies>',
		dependency('org.apache.kafka', `kafka_${KAFKA_SCALA_VERSION}`, KAFKA_VERSION),
		dependency('org.apache.kafka', 'kafka-tools', KAFKA_VERSION),
		dependency('org.apache.logging.log4j', 'log4j-slf4j-impl', LOG4J_VERSION),
		'  </dependencies>',
		'  <build><pluginManagement><plugins>',
		`    <plugin><groupId>org.apache.maven.plugins</groupId><artifactId>maven-dependency-plugin</artifactId><version>${MAVEN_DEPENDENCY_PLUGIN_VERSION}</version></plugin>`,
		'  </plugins></pluginManagement></build>',
		'</project>',
		'',
	].join('\n');
}

export type MavenCounts = {downloaded: number; copied: number};

/** Counts Maven's `Downloaded from` and `Copying` lines (batch mode, one per file). */
export function countMavenLine(line: string, counts: MavenCounts): boolean {
	if (/^\[INFO\] Downloaded from /.test(line)) counts.downloaded++;
	else if (/^\[INFO\] Copying /.test(line)) counts.copied++;
	else return false;
	return true;
}

function runMaven(mvn: string, args: string[], cwd: string, logFile: string, onCount: (counts: MavenCounts) => void): Promise<number> {
	return new Promise((resolve, reject) => {
		const log = fs.createWriteStream(logFile);
		log.write(`$ ${mvn} ${args.join(' ')}\n`);
		const child = spawn(mvn, args, {cwd, stdio: ['ignore', 'pipe', 'pipe']});
		const counts: MavenCounts = {downloaded: 0, copied: 0};
		onCount(counts);
		const lines = readline.createInterface({input: child.stdout});
		lines.on('line', line => {
			log.write(line + '\n');
			if (countMavenLine(line, counts)) onCount(counts);
		});
		child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
		let ended = false;
		const end = (then: () => void) => {
			if (ended) return;
			ended = true;
			log.end(then);
		};
		child.once('error', error => end(() => reject(new BrokerError('missing-prerequisite', `could not run Maven (${mvn}): ${error.message}`))));
		child.once('close', code => end(() => resolve(code ?? 1)));
	});
}

function listJars(dir: string): string[] {
	try {
		return fs.readdirSync(dir).filter(name => name.endsWith('.jar')).sort();
	} catch {
		return [];
	}
}

function fileBytes(file: string): number {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `libs.tmp-<pid>` folders of kchat processes that were interrupted while Maven ran. */
function removeAbandonedCopies(dir: string): void {
	for (const name of fs.readdirSync(dir)) {
		const m = /^libs\.tmp-(\d+)$/.exec(name);
		if (m && (Number(m[1]) === process.pid || !isAlive(Number(m[1])))) fs.rmSync(path.join(dir, name), {recursive: true, force: true});
	}
}
