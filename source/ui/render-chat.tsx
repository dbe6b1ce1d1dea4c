import {render, type Instance, type RenderOptions} from 'ink';
import {App, type AppProps} from './app.js';
import {FrameWriter} from './frame-writer.js';

export type ChatRenderOptions = Pick<RenderOptions, 'stdin' | 'stderr' | 'patchConsole' | 'onRender'> & {
	stdout: NodeJS.WriteStream;
	/** Drawn on the alternate screen: only changed cells are written (see FrameWriter). */
	altScreen: boolean;
};

export type ChatInstance = Instance & {writer?: FrameWriter};

/**
 * The App under Ink, as `kchat` and its benchmarks draw it. Ink's own frame rate limit is off: the App
 * decides when to draw (a frame per key at once, arriving messages at most every FRAME_MS).
 */
export function renderChat(props: AppProps, {stdout, altScreen, ...options}: ChatRenderOptions): ChatInstance {
	const writer = altScreen ? new FrameWriter(stdout) : undefined;
	const instance = render(<App {...props} />, {
		...options,
		stdout: (writer as unknown as NodeJS.WriteStream | undefined) ?? stdout,
		exitOnCtrlC: false,
		maxFps: 1000,
	});
	if (!writer) return instance;
	return {
		...instance,
		writer,
		unmount: (...args: Parameters<Instance['unmount']>) => {
			instance.unmount(...args);
			writer.dispose();
		},
	};
}
