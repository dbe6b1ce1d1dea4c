import React from 'react';
import {cleanup, render} from 'ink-testing-library';
import {afterEach, describe, expect, it} from 'vitest';
import {keySequence} from '../../source/chat/key-decoder.js';
import {StartPrompt} from '../../source/ui/start-prompt.js';
import {joinRooms, line} from './support/messages.js';
import {renderApp} from './support/render-app.js';
import {flushInput, waitFor} from './support/wait-for.js';

afterEach(() => cleanup());

// Text and Enter that arrive in one read (typed fast, pasted, sent by a script) reach Ink as one input
// event, which ink-text-input alone would insert as text with the line break in it.

describe('one-line prompts take text and Enter in one read as an answer', () => {
	it('the start-up question', async () => {
		const answers: string[] = [];
		const {stdin, lastFrame} = render(<StartPrompt question="Nick:" onAnswer={a => answers.push(a)} />);
		await flushInput();
		stdin.write('alice\r');
		await waitFor(() => expect(answers).toEqual(['alice']));
		expect(lastFrame()).not.toContain('\r');
	});

	it('the start-up question checks such an answer like any other', async () => {
		const answers: string[] = [];
		const {stdin, lastFrame} = render(<StartPrompt question="Nick:" check={a => (a.includes(' ') ? 'no spaces' : undefined)} onAnswer={a => answers.push(a)} />);
		await flushInput();
		stdin.write('john doe\r');
		await waitFor(() => expect(lastFrame()).toContain('no spaces'));
		expect(answers).toEqual([]);
	});

	it('the search prompt (Ctrl+R)', async () => {
		const app = await renderApp({rows: 16, setup: s => {
			joinRooms(s, 'a');
			s.getState().actions.receive(Array.from({length: 20}, (_, i) => line('a', 'alice', `line ${i}`)));
		}});
		await app.press(keySequence('ctrl+r'));
		await flushInput();
		await app.press('line 7\r');
		await waitFor(() => expect(app.store.getState().view.search).toMatchObject({query: 'line 7', phase: 'results'}));
	});
});
