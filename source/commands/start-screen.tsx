import React from 'react';
import {Box, render, type Instance} from 'ink';
import type {Progress} from '../broker/progress.js';
import {StartProgress} from '../ui/start-progress.js';
import {StartPrompt} from '../ui/start-prompt.js';

/**
 * What happens before the chat opens, drawn by Ink: questions (start a local broker? which nick?)
 * and the broker's start-up progress. A readline prompt here left stdin paused, and Ink then read no
 * key at all; one Ink instance after another hands the terminal over cleanly.
 */
export type StartScreen = {
	/** The answer, trimmed; undefined when the user pressed Ctrl+C instead. */
	ask(question: string, check?: (answer: string) => string | undefined): Promise<string | undefined>;
	/** The broker launcher's progress, shown line by line. */
	progress: Progress;
	/** Settles when the user presses Ctrl+C (the screen is then gone). */
	cancelled: Promise<void>;
	/** Takes the screen away (what was said stays above the chat). */
	close(): Promise<void>;
};

export function openStartScreen(): StartScreen {
	const lines: string[] = [];
	let transient: string | undefined;
	let prompt: {question: string; check?: (answer: string) => string | undefined; resolve: (answer: string | undefined) => void} | undefined;

	const view = (): React.JSX.Element => (
		<Box flexDirection="column">
			<StartProgress lines={lines} transient={transient} />
			{prompt ? <StartPrompt key={prompt.question} question={prompt.question} check={prompt.check} onAnswer={prompt.resolve} /> : null}
		</Box>
	);
	// Ctrl+C here quits kchat: Ink's own handling unmounts and restores the terminal.
	const instance: Instance = render(view(), {exitOnCtrlC: true, patchConsole: false});
	let closing = false;
	const cancelled = instance.waitUntilExit().then(
		() => undefined,
		() => undefined,
	);
	void cancelled.then(() => {
		if (!closing) prompt?.resolve(undefined);
	});
	const redraw = (): void => {
		if (!closing) instance.rerender(view());
	};

	return {
		ask(question, check) {
			return new Promise(resolve => {
				prompt = {
					question,
					...(check ? {check} : {}),
					resolve: answer => {
						prompt = undefined;
						if (answer !== undefined) lines.push(`${question} ${answer}`);
						redraw();
						resolve(answer);
					},
				};
				redraw();
			});
		},
		progress(line, options) {
			if (options?.transient) transient = line;
			else {
				transient = undefined;
				lines.push(line);
			}
			redraw();
		},
		cancelled: cancelled.then(() => {
			if (!closing) return;
			return new Promise<void>(() => {}); // closed by us, not cancelled: never settles
		}),
		async close() {
			if (!closing) {
				closing = true;
				instance.unmount();
			}
			await cancelled;
		},
	};
}
