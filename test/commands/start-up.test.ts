import fs from 'node:fs';
import {isBuiltin} from 'node:module';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {CLI, runCli} from '../support/run-cli.js';
import {testBrokers} from '../support/test-brokers.js';

// What loading a command costs before it does anything: the first Intl.Segmenter of a process costs
// ~16 ms (ICU loads its data), a tenth of `kchat tail`'s way to its first line. A command that prints
// ASCII never needs one; it is made for the first text that is not. And Node's ES module loader costs
// about a millisecond per file: `kchat tail` is one file of its own. Node's TLS and child_process modules
// are ~10 ms between them: a command that connects without TLS loads neither.

/** Counts the Intl.Segmenters the process makes, and says how many on stderr as it exits. */
const countSegmenters = `
const Original = Intl.Segmenter;
let made = 0;
Intl.Segmenter = class extends Original { constructor(...args) { super(...args); made++; } };
process.on('exit', () => process.stderr.write('segmenters made: ' + made + '\\n'));
`;

const withCounter = {NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(countSegmenters)}`};

/** Says on stderr, as the process exits, which of Node's own modules it loaded. */
const listModules = `process.on('exit', () => process.stderr.write('modules: ' + process.moduleLoadList.join(',') + '\\n'));`;

describe('start-up', () => {
	it('loading kchat tail and send makes no Intl.Segmenter', async () => {
		for (const command of ['tail', 'send']) {
			const {code, stderr} = await runCli([command, '--help'], {env: withCounter});
			expect(code, stderr).toBe(0);
			expect(stderr, command).toContain('segmenters made: 0\n');
		}
	});

	it('kchat tail is one file: dist/tail.js imports only Node\'s own modules', () => {
		const bundle = fs.readFileSync(path.join(path.dirname(CLI), 'tail.js'), 'utf8');
		const imported = [...bundle.matchAll(/^import\s[^;]*?from\s*["']([^"']+)["'];/gm)].map(m => m[1]!);
		expect(imported.length).toBeGreaterThan(0);
		expect(imported.filter(name => !isBuiltin(name))).toEqual([]);
		expect(bundle).not.toMatch(/import\(["']\.\/chunks\//);
	});

	it('kchat tail on a broker without TLS loads neither Node\'s tls nor its child_process', async () => {
		const {code, stderr} = await runCli(['tail', '--room', `start-up-${Date.now()}`, '--exit-at-end', '--brokers', testBrokers().join(',')], {
			env: {NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(listModules)}`},
		});
		expect(code, stderr).toBe(0);
		const loaded = /modules: (.*)/.exec(stderr)?.[1]?.split(',') ?? [];
		expect(loaded, stderr).toContain('NativeModule net');
		expect(loaded).not.toContain('NativeModule tls');
		expect(loaded).not.toContain('NativeModule child_process');
	});
});
