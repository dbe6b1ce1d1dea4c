// The `java` command lines kchat runs. Pure, unit-tested.

export type JavaRun = {
	classpath: string;
	log4jConfig: string;
	logsDir: string;
};

/** System properties both the broker and its tools get: our log4j2 config, logs in the data dir. */
function common(run: JavaRun): string[] {
	return [`-Dlog4j2.configurationFile=${run.log4jConfig}`, `-Dkafka.logs.dir=${run.logsDir}`, '-Djava.awt.headless=true'];
}

/** `kafka.Kafka server.properties` with the heap fixed and the JVM flags of Kafka's own start script. */
export function brokerArgs(run: JavaRun & {heap: string; serverProperties: string}): string[] {
	return [
		`-Xmx${run.heap}`,
		`-Xms${run.heap}`,
		'-XX:+UseG1GC',
		'-XX:MaxGCPauseMillis=20',
		'-XX:InitiatingHeapOccupancyPercent=35',
		'-XX:+ExplicitGCInvokesConcurrent',
		`-XX:ErrorFile=${run.logsDir}/hs_err_pid%p.log`,
		...common(run),
		'-cp',
		run.classpath,
		'kafka.Kafka',
		run.serverProperties,
	];
}

/**
 * Formats the storage once, as a dynamic quorum (KIP-853: no `controller.quorum.voters`): one node is
 * its own single voter (`--standalone`); each node of a cluster gets the same `--initial-controllers`
 * list of all voters (`id@host:port:directory-id`).
 */
export function formatArgs(run: JavaRun & {clusterId: string; serverProperties: string; addScram?: readonly string[]; initialControllers?: string}): string[] {
	return [
		...common(run),
		'-cp',
		run.classpath,
		'kafka.tools.StorageTool',
		'format',
		'--cluster-id',
		run.clusterId,
		'--config',
		run.serverProperties,
		...(run.initialControllers ? ['--initial-controllers', run.initialControllers] : ['--standalone']),
		...(run.addScram ?? []).flatMap(credential => ['--add-scram', credential]),
	];
}

/**
 * A java `@argfile` holding these arguments (the whole command line: JVM options, main class, its
 * arguments), so that nothing secret shows in `ps` or /proc/PID/cmdline. Each argument is quoted;
 * inside quotes the launcher takes a backslash as an escape.
 */
export function argFileText(args: readonly string[]): string {
	return args.map(arg => `"${arg.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`).join('\n') + '\n';
}

/** `512m`, `1g`, `1536M`: what -Xmx takes (bytes with a k/m/g suffix). */
export const isHeapSize = (heap: string): boolean => /^[1-9]\d*[kKmMgG]$/.test(heap);
