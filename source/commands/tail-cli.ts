// `kchat tail` as a bundle of its own (dist/tail.js, see scripts/bundle.mjs): one file of everything it
// uses. Node's ES module loader costs about a millisecond per module file, and through the shared chunks
// of the main bundle `kchat tail` loaded 22 of them on the way to its first line (issue 12, item 8).
import process from 'node:process';
import {runCommand} from './run-command.js';
import {run} from './tail.js';

runCommand(async () => run, process.argv.slice(3));
