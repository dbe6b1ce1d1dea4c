import {chromium, type Browser, type Page} from 'playwright-core';

// Debian's Chromium (apt-get install chromium; .ci/run does it), driven by playwright-core: no browser
// download at install. Without the background-networking flags it tries to reach Google's services.
export const CHROMIUM = process.env['KCHAT_CHROMIUM'] ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** One headless browser (a fresh profile: playwright makes a temporary user-data-dir). */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({executablePath: CHROMIUM, headless: true, args: ARGS});
}

export type ChatLine = {nick: string; text: string; state: string};

/** A kchat page in its own browser context (own storage: another tab of another person). */
export class ChatPage {
	readonly errors: string[] = [];
	private constructor(readonly page: Page) {
		page.on('pageerror', error => this.errors.push(error.message));
	}

	static async open(browser: Browser, url: string): Promise<ChatPage> {
		const context = await browser.newContext({viewport: {width: 1200, height: 760}});
		const chat = new ChatPage(await context.newPage());
		await chat.page.goto(url);
		return chat;
	}

	/** Types a line and presses Enter, as a person would. */
	async say(text: string): Promise<void> {
		const input = this.page.getByLabel('message');
		await input.fill(text);
		await input.press('Enter');
	}

	/** The chat lines of the current room, top to bottom (messages and actions). */
	lines(): Promise<ChatLine[]> {
		return this.page.$$eval('.messages .line.message, .messages .line.action', nodes =>
			nodes.map(n => ({
				nick: n.querySelector('.nick')?.textContent ?? '',
				text: (n.classList.contains('action') ? n.querySelector('.text')?.textContent?.replace(/^\* \S+ /, '') : n.querySelector(':scope > .text')?.textContent) ?? '',
				state: n.classList.contains('pending') ? 'pending' : n.classList.contains('failed') ? 'failed' : 'delivered',
			})),
		);
	}

	/** Waits until `test` holds for the lines (checked whenever the message pane changes). */
	async waitForLines(test: (lines: ChatLine[]) => boolean, what: string, ms = 30_000): Promise<ChatLine[]> {
		const deadline = Date.now() + ms;
		let lines: ChatLine[] = [];
		while (Date.now() < deadline) {
			lines = await this.lines();
			if (test(lines)) return lines;
			await this.nextChange();
		}
		throw new Error(`timed out waiting for ${what}; lines: ${JSON.stringify(lines.slice(-8))}`);
	}

	/** Resolves on the next change of the page's content (a MutationObserver), or after a second. */
	nextChange(): Promise<void> {
		return this.page.evaluate(
			() =>
				new Promise<void>(resolve => {
					const observer = new MutationObserver(() => {
						observer.disconnect();
						resolve();
					});
					observer.observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
					setTimeout(() => {
						observer.disconnect();
						resolve();
					}, 1000);
				}),
		);
	}

	/** Waits for the status line to say online (the gateway and Kafka both answer). */
	async online(ms = 30_000): Promise<void> {
		await this.page.waitForSelector('.connection.online', {timeout: ms});
	}

	members(): Promise<string[]> {
		return this.page.$$eval('.members .member-nick', nodes => nodes.map(n => n.textContent ?? ''));
	}

	close(): Promise<void> {
		return this.page.context().close();
	}
}
