import {execFile, execFileSync} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const quote = (word: string): string => `'${word.replace(/'/g, `'\\''`)}'`;

/**
 * A shell command line that runs argv with exactly this environment (`env -i`): a tmux pane would
 * otherwise inherit the tmux server's, which is the developer's (KCHAT_SSL*, KCHAT_SASL*, HOME...).
 */
export function shellCommand(env: NodeJS.ProcessEnv, argv: string[]): string {
	const vars = Object.entries(env).flatMap(([key, value]) => (value === undefined ? [] : [quote(`${key}=${value}`)]));
	return ['env', '-i', ...vars, ...argv.map(quote)].join(' ');
}

/** A tmux server of our own (its own socket), so tests never touch a user's sessions. */
export class Tmux {
	readonly socket = `kchat-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

	private tmux(args: string[]): string {
		return execFileSync('tmux', ['-L', this.socket, ...args], {encoding: 'utf8'});
	}

	private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-tmux-'));

	/**
	 * Starts `command` in a new session of the given size. When it exits, its status goes to a file and
	 * a tmux channel is signalled (see waitExit); the shell then keeps the pane so its screen can be read.
	 */
	start(name: string, command: string, columns = 120, rows = 32): void {
		const status = path.join(this.dir, `${name}.status`);
		const wrapped = `${command}; echo $? > ${status}; tmux -L ${this.socket} wait-for -S ${name}-exit; exec sleep 600`;
		this.tmux(['new-session', '-d', '-s', name, '-x', String(columns), '-y', String(rows), wrapped]);
	}

	/** Resolves with the command's exit status when it exits (a tmux channel: an event, not polling). */
	waitExit(name: string, timeoutMs = 15_000): Promise<number> {
		return new Promise((resolve, reject) => {
			execFile('tmux', ['-L', this.socket, 'wait-for', `${name}-exit`], {timeout: timeoutMs}, error => {
				if (error) reject(new Error(`${name} did not exit within ${timeoutMs} ms:\n${this.screen(name)}`));
				else resolve(Number(fs.readFileSync(path.join(this.dir, `${name}.status`), 'utf8')));
			});
		});
	}

	screen(name: string): string {
		return this.tmux(['capture-pane', '-p', '-t', name]);
	}

	/** The process the pane's shell started (the command itself: `env` execs it). */
	commandPid(name: string): number {
		const shell = this.tmux(['display-message', '-p', '-t', name, '#{pane_pid}']).trim();
		return Number(execFileSync('pgrep', ['-P', shell], {encoding: 'utf8'}).trim().split('\n')[0]);
	}

	/** Literal text, as typed. */
	type(name: string, text: string): void {
		this.tmux(['send-keys', '-t', name, '-l', text]);
	}

	/** Bytes written to the terminal at once, as keys typed while the app was busy arrive in one read. */
	burst(name: string, bytes: string): void {
		this.tmux(['send-keys', '-t', name, '-H', ...[...Buffer.from(bytes, 'utf8')].map(b => b.toString(16).padStart(2, '0'))]);
	}

	/** Named keys: Enter, C-n, C-c, PageUp... */
	keys(name: string, ...keys: string[]): void {
		this.tmux(['send-keys', '-t', name, ...keys]);
	}

	/** Polls the screen until `test` holds: the terminal gives no event to wait on. */
	async waitFor(name: string, test: (screen: string) => boolean, what: string, timeoutMs = 20_000): Promise<string> {
		const deadline = Date.now() + timeoutMs;
		let screen = '';
		while (Date.now() < deadline) {
			screen = this.screen(name);
			if (test(screen)) return screen;
			await new Promise(resolve => setTimeout(resolve, 100));
		}
		throw new Error(`timed out waiting for ${what} on ${name}'s screen:\n${screen}`);
	}

	kill(): void {
		try {
			this.tmux(['kill-server']);
		} catch {
			// already gone
		}
		fs.rmSync(this.dir, {recursive: true, force: true});
	}
}
