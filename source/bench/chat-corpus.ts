import type {Random} from './random.js';

// What simulated users say: a small corpus of chat phrases with slots, combined at random, so a room
// reads like people talking (questions, replies, mentions, /me actions, now and then emoji, CJK and
// other scripts) rather than "message 1234".

const NAMES = [
	'alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'olivia', 'peggy',
	'rupert', 'sybil', 'trent', 'victor', 'walter', 'yuki', 'zoe', 'amir', 'bea', 'chen', 'dmitri', 'elif', 'fatima', 'goran',
	'hana', 'ines', 'jonas', 'kai', 'lena', 'mateo', 'nadia', 'oskar', 'priya', 'quinn', 'rosa', 'sven', 'tariq', 'uma', 'vera',
	'wei', 'ximena', 'yusuf', 'zara', 'anya', 'bruno', 'chloe', 'diego', 'emma', 'felix', 'gita', 'hugo', 'ida', 'jin', 'kofi',
	'leo', 'mina', 'noor', 'omar', 'pia', 'raj', 'sana', 'theo', 'ugo', 'vik', 'wren', 'xander', 'yara', 'zeno',
];

/**
 * Simulated users are never mistaken for people: every nick they get starts with this (`sim-bob`),
 * and their presence says so (the member list marks them).
 */
export const SIMULATED_NICK_PREFIX = 'sim-';

/** `count` distinct nicks like `sim-bob`: names first, then the names again with a number. */
export function simulatedNicks(count: number, random: Random): string[] {
	const names = random.shuffle([...NAMES]);
	const nicks: string[] = [];
	for (let i = 0; nicks.length < count; i++) {
		const name = names[i % names.length]!;
		const round = Math.floor(i / names.length);
		nicks.push(`${SIMULATED_NICK_PREFIX}${name}${round === 0 ? '' : round + 1}`);
	}
	return nicks;
}

const TOPICS = [
	'the consumer lag', 'the rebalance', 'partition count', 'the new broker', 'lunch', 'the deploy', 'the flaky test', 'Kafka 4.3',
	'KRaft', 'log compaction', 'the on-call rotation', 'the coffee machine', 'retention settings', 'the standup', 'the release notes',
	'the TLS certs', 'the dashboard', 'the migration', 'the outage yesterday', 'exactly-once', 'the schema change', 'the load test',
	'the design review', 'idempotent producers', 'the staging cluster', 'the retro', 'the new laptop', 'the CI pipeline',
];
const THINGS = ['PR', 'ticket', 'doc', 'patch', 'branch', 'runbook', 'config', 'dashboard', 'draft', 'script'];
const TIMES = ['in 5 min', 'after lunch', 'tomorrow', 'this afternoon', 'later today', 'right now', 'before the standup', 'next week', 'on Monday'];
const EMOJI = ['👍', '🎉', '😂', '🙏', '🔥', '👀', '☕', '🚀', '😅', '✅', '🤔', '💯', '🙌', '😬', '🍕'];

const GREETINGS = ['morning all', 'hey folks', 'hi everyone 👋', 'hello hello', 'afternoon!', 'back from lunch', 'o/', 'hey {nick}', 'good morning {nick}'];
const QUESTIONS = [
	'anyone know what happened to {topic}?', 'is {topic} still on for {time}?', 'who owns {topic} these days?',
	'did someone already look at {topic}?', 'quick question: can I merge my {thing} {time}?', 'what do we do about {topic}?',
	'has anyone tried bumping the partitions for {topic}?', 'should I open a {thing} for {topic}?', 'is the staging cluster down again?',
	'how long does {topic} usually take?', 'where is the {thing} for {topic}?', 'can someone review my {thing}?',
];
const STATEMENTS = [
	'I think {topic} is fine now', 'pushed a {thing} for {topic}', 'looking into {topic}', '{topic} is green again',
	'restarted the consumer, lag is going down', 'meeting about {topic} {time}', 'wrote up some notes on {topic}',
	"I'll pick up {topic} {time}", 'the {thing} for {topic} is merged', 'heads up: {topic} is moved, now {time}',
	'p99 went from {num} ms to {num} ms after the fix', 'we have {num} partitions on that topic now', 'CI took {num} minutes, again',
	"can't reproduce {topic} locally", 'rolled back the deploy, investigating', 'the broker logs look clean to me',
];
const REPLIES = [
	'yeah', '+1', 'agreed', 'lol', 'haha true', 'makes sense', 'nice!', 'ok', 'on it', 'thanks!', 'same here', 'not sure tbh',
	'👍', 'sounds good', 'ha', 'ugh', 'wait what', 'yes please', 'no idea', 'done', 'ack', 'sgtm', 'brb', 'ty', 'np',
];
const MENTIONS = [
	'@{nick} what do you think about {topic}?', '{nick}: thanks!', 'thanks {nick}', '{nick}: can you take a look at my {thing}?',
	'ping @{nick}', '{nick} knows more about {topic} than me', 'cc {nick}', '@{nick} are you around?', 'nice one {nick} 🎉',
	'{nick}: {topic} is yours now 😅',
];
const ACTIONS = [
	'grabs a coffee ☕', 'waves', 'is reading the Kafka docs', 'stretches', 'is back', 'is in a meeting', 'high-fives {nick}',
	'looks at {topic}', 'goes to lunch 🍕', 'restarts the broker', 'nods', 'facepalms', 'is deploying {topic}', 'hands {nick} a cookie',
];
const WORLD = [
	'お疲れ様です！', '今天的部署顺利吗？', '좋은 아침이에요 ☀️', 'ça marche 👍', 'danke, {nick}!', '¿alguien vio {topic}?', 'спасибо 🙏',
	'مرحبا بالجميع', 'नमस्ते सब लोग', 'ありがとう {nick}', '这个问题我来看看', 'saúde! 🎉', 'tack så mycket', 'kiitos 😊',
];
const CODE = [
	'try `kafka-topics --describe --topic {room}`', 'run `kchat tail --room {room} --last 20`', '`acks=all` and `linger.ms=5` did it',
	'set `group.initial.rebalance.delay.ms=0` on dev', 'see `max.message.bytes` on the topic', '`git pull --rebase` fixed it for me',
];

export type LineContext = {room: string; nick: string; others: readonly string[]};
export type Line = {type: 'message' | 'action'; text: string};

function fill(template: string, ctx: LineContext, random: Random): string {
	return template.replace(/\{(\w+)\}/g, (_match, slot: string) => {
		switch (slot) {
			case 'nick':
				return ctx.others.length > 0 ? random.pick(ctx.others) : 'everyone';
			case 'topic':
				return random.pick(TOPICS);
			case 'thing':
				return random.pick(THINGS);
			case 'time':
				return random.pick(TIMES);
			case 'num':
				return String(2 + random.int(400));
			case 'room':
				return ctx.room;
			default:
				return slot;
		}
	});
}

/** One chat line from `ctx.nick` in `ctx.room`; `others` are the nicks it may mention. */
export function chatLine(ctx: LineContext, random: Random): Line {
	const x = random.next();
	let text: string;
	if (x < 0.08) return {type: 'action', text: fill(random.pick(ACTIONS), ctx, random)};
	if (x < 0.14) text = random.pick(GREETINGS);
	else if (x < 0.3) text = random.pick(QUESTIONS);
	else if (x < 0.52) text = random.pick(STATEMENTS);
	else if (x < 0.74) text = random.pick(REPLIES);
	else if (x < 0.87) text = ctx.others.length > 0 ? random.pick(MENTIONS) : random.pick(REPLIES);
	else if (x < 0.92) text = random.pick(WORLD);
	else if (x < 0.95) text = random.pick(CODE);
	else text = [random.pick(STATEMENTS), random.pick(STATEMENTS), random.pick(QUESTIONS)].join('. ');
	text = fill(text, ctx, random);
	if (random.chance(0.08)) text += ' ' + random.pick(EMOJI);
	return {type: 'message', text};
}

/** Chat lines joined until the text has at least `bytes` bytes of UTF-8: realistic text of a given size. */
export function chatTextOfSize(ctx: LineContext, bytes: number, random: Random): Line {
	const first = chatLine(ctx, random);
	let text = first.text;
	while (Buffer.byteLength(text) < bytes) text += ' ' + chatLine(ctx, random).text;
	return {type: first.type, text};
}
