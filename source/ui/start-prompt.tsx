import React, {useState} from 'react';
import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import {useBurstSubmit} from './use-burst-submit.js';

export type StartPromptProps = {
	/** The question, e.g. `Nick:` (said by kchat itself, so trusted text). */
	question: string;
	/** Why an answer cannot be taken (asked again), or undefined when it can. */
	check?: (answer: string) => string | undefined;
	onAnswer: (answer: string) => void;
};

/**
 * A one-line question asked before the chat opens (start a local broker? which nick?), inside Ink so
 * the keyboard goes on working afterwards. Enter takes the answer; Ctrl+C (Ink's) quits.
 */
export function StartPrompt({question, check, onAnswer}: StartPromptProps) {
	const [value, setValue] = useState('');
	const [problem, setProblem] = useState<string | undefined>();
	const submit = (answer: string): void => {
		const trimmed = answer.trim();
		const why = check?.(trimmed);
		if (why) {
			setProblem(why);
			return;
		}
		onAnswer(trimmed);
	};
	const {isLineBurst} = useBurstSubmit(() => value, submit);
	const change = (next: string): void => {
		if (!isLineBurst(next)) setValue(next);
	};
	return (
		<Box flexDirection="column">
			{problem ? <Text color="red">{problem}</Text> : null}
			<Box>
				<Box marginRight={1}>
					<Text>{question}</Text>
				</Box>
				<TextInput value={value} onChange={change} onSubmit={submit} />
			</Box>
		</Box>
	);
}
