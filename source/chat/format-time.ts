// Fixed English formats built by hand: the same on every machine whatever its locale, and cheap per line.

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/** `HH:MM:SS`, local time; `--:--:--` for an invalid time. */
export function formatClock(ms: number): string {
	const d = new Date(ms);
	if (Number.isNaN(d.getTime())) return '--:--:--';
	return `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/** `Fri 27 Nov 2026`, local time; '' for an invalid time. */
export function formatDay(ms: number): string {
	const d = new Date(ms);
	if (Number.isNaN(d.getTime())) return '';
	return `${DAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`;
}

/** Whether two times fall on the same local calendar day. */
export function sameDay(a: number, b: number): boolean {
	const da = new Date(a);
	const db = new Date(b);
	return da.getFullYear() === db.getFullYear() && da.getMonth() === db.getMonth() && da.getDate() === db.getDate();
}
