import {Box, Text} from 'ink';
import TextInput from 'ink-text-input';
import {useStore} from 'zustand';
import type {ChatStore} from '../store/chat-store.js';

export type SearchPromptProps = {store: ChatStore; width: number; onSubmit: (query: string) => void};

/** Where the input box was while a search's query is typed (Ctrl+R): Enter or Ctrl+R searches, Esc cancels. */
export function SearchPrompt({store, width, onSubmit}: SearchPromptProps) {
	const query = useStore(store, s => s.view.search?.query ?? '');
	const change = (next: string): void => {
		const search = store.getState().view.search;
		// Ctrl+R, handled by the app, already started the search: ink-text-input would type its `r`.
		if (search?.phase === 'prompt') store.getState().actions.setSearch({...search, query: next});
	};
	return (
		<Box width={width} height={1}>
			<Text color="yellow" bold>
				{'search: '}
			</Text>
			<TextInput value={query} onChange={change} onSubmit={onSubmit} />
		</Box>
	);
}
