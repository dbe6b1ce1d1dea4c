// The page as built by scripts/bundle.mjs (esbuild) into kchat's own bundle: `kchat serve` needs no files
// beside dist/cli.js and no build step on the user's side. Only the bundle resolves this module.
declare module 'kchat:page' {
	export const page: {html: string; js: string; css: string};
}
