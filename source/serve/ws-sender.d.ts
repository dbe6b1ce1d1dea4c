// `ws` exports its frame builder (`Sender`, lib/sender.js), which @types/ws does not describe.
import 'ws';

declare module 'ws' {
	export const Sender: {
		/** The frame's header and payload (RFC 6455 5.2), as ws writes them to a socket. */
		frame(data: Buffer, options: {fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean}): Buffer[];
	};
}
