// Builds dist/cli.js as one bundle (esbuild), split at kchat's dynamic imports so `kchat --help`
// still loads almost nothing. Why a bundle: Node resolves and compiles every file of every package it
// imports, and Ink alone pulls in ~600 files (416 of them es-toolkit/compat, for one `throttle`);
// bundled and tree-shaken, the chat's first frame comes ~0.3 s sooner. tsc still type-checks (npm test).
//
// It first builds the web page of `kchat serve` (source/web: React, for the browser) and puts it into
// the CLI bundle as the module `kchat:page`, so the server needs no files beside it and a user no
// build step: `npm install` runs this script (prepare).
import {readFile, rm} from 'node:fs/promises';
import {build} from 'esbuild';
import {inkOutputCaches, lazyMeowDependencies, stringWidthWithoutRgiRegex, yogaWithoutFetch} from './bundle-plugins.mjs';

await rm('dist', {recursive: true, force: true});

const web = await build({
	entryPoints: {app: 'source/web/main.tsx'},
	outdir: 'dist/web',
	write: false,
	bundle: true,
	format: 'iife',
	platform: 'browser',
	target: ['chrome110', 'firefox115', 'safari16'],
	jsx: 'automatic',
	minify: true,
	define: {'process.env.NODE_ENV': '"production"'},
	logLevel: 'warning',
});
const output = ext => web.outputFiles.find(f => f.path.endsWith(ext))?.text ?? '';
const page = {html: await readFile('source/web/index.html', 'utf8'), js: output('.js'), css: output('.css')};
const pagePlugin = {
	name: 'kchat-page',
	setup(b) {
		b.onResolve({filter: /^kchat:page$/}, () => ({path: 'page', namespace: 'kchat-page'}));
		b.onLoad({filter: /.*/, namespace: 'kchat-page'}, () => ({contents: `export const page = ${JSON.stringify(page)};`, loader: 'js'}));
	},
};

// What both bundles share: ES modules for Node 20+, production React, kafkajs's require() of Node's modules.
const common = {
	bundle: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	jsx: 'automatic',
	sourcemap: 'linked',
	// React ships a development and a production build chosen at run time; kchat runs the production one.
	define: {'process.env.NODE_ENV': '"production"'},
	// Only loaded by Ink when DEV=true (React DevTools), and not installed.
	external: ['react-devtools-core'],
	// kafkajs and other CommonJS packages call require() for Node's own modules; an ES module has none.
	banner: {js: "import {createRequire as __kchatCreateRequire} from 'node:module';\nconst require = __kchatCreateRequire(import.meta.url);"},
	logLevel: 'warning',
};

await build({
	...common,
	entryPoints: {cli: 'cli.tsx'},
	outdir: 'dist',
	chunkNames: 'chunks/[name]-[hash]',
	splitting: true,
	plugins: [pagePlugin, lazyMeowDependencies, yogaWithoutFetch, inkOutputCaches, stringWidthWithoutRgiRegex],
});

// `kchat tail` in one file of its own (cli.js hands it over): Node's ES module loader costs about a
// millisecond per module file, and through the shared chunks above tail loaded 22 of them before its
// first line (issue 12, item 8). Measured here: its modules load in 78-107 ms as one file, 106-148 ms
// as chunks. Nothing is shared with the chunks: a process runs one or the other.
await build({
	...common,
	entryPoints: {tail: 'source/commands/tail-cli.ts'},
	outdir: 'dist',
	plugins: [lazyMeowDependencies, stringWidthWithoutRgiRegex],
});
