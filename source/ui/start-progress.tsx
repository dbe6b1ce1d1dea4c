import React from 'react';
import {Box, Text} from 'ink';

export type StartProgressProps = {
	/** Lines said so far (trusted: kchat's own words, e.g. the broker launcher's progress). */
	lines: readonly string[];
	/** A status the next line replaces (a download counter), shown dim under the others. */
	transient?: string;
};

/** What kchat is doing before the chat opens (starting the local broker), line by line. */
export function StartProgress({lines, transient}: StartProgressProps) {
	return (
		<Box flexDirection="column">
			{lines.map((line, index) => (
				<Text key={index}>{line}</Text>
			))}
			{transient ? (
				<Text dimColor wrap="truncate">
					{transient}
				</Text>
			) : null}
		</Box>
	);
}
