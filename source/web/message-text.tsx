import {memo} from 'react';
import {splitLinks} from '../chat/links.js';

/**
 * Untrusted text as text: React puts it in text nodes, never parsed as HTML. Only plain http(s) URLs,
 * written out in full, become links (splitLinks decides), and they open in a new tab without a referrer.
 */
export const MessageText = memo(function MessageText({text}: {text: string}) {
	return (
		<>
			{splitLinks(text).map((part, i) =>
				part.kind === 'link' ? (
					<a key={i} href={part.href} target="_blank" rel="noopener noreferrer nofollow">
						{part.text}
					</a>
				) : (
					<span key={i}>{part.text}</span>
				),
			)}
		</>
	);
});
