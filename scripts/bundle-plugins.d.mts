// Types for the tests that check a rewrite (scripts/bundle-plugins.mjs is plain JavaScript, run by Node).
import type {Plugin} from 'esbuild';

export const lazyMeowDependencies: Plugin;
export const yogaWithoutFetch: Plugin;
export const inkOutputCaches: Plugin;
export const stringWidthWithoutRgiRegex: Plugin;
/** string-width's source with its RGI emoji test skipped where no emoji can be, or undefined when its shape changed. */
export function rewriteStringWidth(contents: string): string | undefined;
/** Ink's output.js with caches that outlive a frame, or undefined when its shape changed. */
export function rewriteInkOutput(contents: string): string | undefined;
