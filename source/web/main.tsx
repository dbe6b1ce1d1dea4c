import {createRoot} from 'react-dom/client';
import {validateNick} from '../chat/names.js';
import {createChatStore} from '../store/chat-store.js';
import {Root} from './root.js';
import {startClient} from './start-client.js';
import './page.css';

// The page's entry: what the address asks for (`?room=ROOM&nick=NICK`, `#token=…`), then the app.
// The token is taken out of the address at once, kept for this tab only, and sent only on the WebSocket.

const params = new URLSearchParams(location.search);
const fragment = new URLSearchParams(location.hash.slice(1));
const fromFragment = fragment.get('token');
if (fromFragment !== null) {
	sessionStorage.setItem('kchat.token', fromFragment);
	history.replaceState(null, '', location.pathname + location.search);
}
const token = sessionStorage.getItem('kchat.token') ?? undefined;
const wantedNick = params.get('nick') ?? localStorage.getItem('kchat.nick') ?? '';
const nick = validateNick(wantedNick) ? '' : wantedNick;
const room = params.get('room') ?? undefined;

const store = createChatStore({nick, brokers: []});
const root = createRoot(document.getElementById('root')!);
root.render(<Root store={store} initialNick={nick} start={chosen => startClient({store, nick: chosen, ...(room ? {room} : {}), ...(token ? {token} : {})})} />);
