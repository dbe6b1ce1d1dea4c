import {spawn} from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {afterEach, describe, expect, it} from 'vitest';
import {brokerPaths} from '../../source/broker/broker-paths.js';
import {acquireLock, isAlive, isOurBroker, readPid, readState, runningPid, writePid, writeState} from '../../source/broker/broker-state.js';

const dirs: string[] = [];
const tempPaths = () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kchat-state-'));
	dirs.push(dir);
	return brokerPaths(dir);
};

afterEach(() => {
	for (const dir of dirs.splice(0)) fs.rmSync(dir, {recursive: true, force: true});
});

/** A pid that is certainly not running: a child that has exited and been reaped. */
async function deadPid(): Promise<number> {
	const child = spawn(process.execPath, ['-e', '']);
	await new Promise(resolve => child.once('exit', resolve));
	return child.pid ?? 999_999;
}

describe('broker state', () => {
	it('round-trips the state file and ignores a broken one', () => {
		const paths = tempPaths();
		expect(readState(paths)).toBeUndefined();
		const state = {version: '4.3.1', clusterId: 'abcdefghijklmnopqrstuv', port: 19092, controllerPort: 41000, heap: '512m', initialRebalanceDelayMs: 0};
		writeState(paths, state);
		expect(readState(paths)).toEqual(state);
		fs.writeFileSync(paths.stateFile, '{"port": "x"');
		expect(readState(paths)).toBeUndefined();
	});

	it('never takes a process that is not this data dir\'s kafka.Kafka for the broker', async () => {
		const paths = tempPaths();
		expect(isAlive(process.pid)).toBe(true);
		expect(isOurBroker(process.pid, paths)).toBe(false);
		writePid(paths, process.pid);
		expect(runningPid(paths)).toEqual({stalePid: process.pid});
		expect(readPid(paths)).toBeUndefined(); // the stale pid file is gone
		const dead = await deadPid();
		expect(isAlive(dead)).toBe(false);
	});
});

describe('acquireLock', () => {
	it('is held by this process until released', async () => {
		const paths = tempPaths();
		const release = await acquireLock(paths);
		expect(fs.readFileSync(paths.lockFile, 'utf8').trim()).toBe(String(process.pid));
		release();
		expect(fs.existsSync(paths.lockFile)).toBe(false);
	});

	it('takes over the lock of a process that died', async () => {
		const paths = tempPaths();
		fs.writeFileSync(paths.lockFile, `${await deadPid()}\n`);
		const release = await acquireLock(paths);
		release();
	});

	it('waits for a live holder, then gives up with a message', async () => {
		const paths = tempPaths();
		const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
		try {
			fs.writeFileSync(paths.lockFile, `${holder.pid}\n`);
			const waited: number[] = [];
			await expect(acquireLock(paths, pid => waited.push(pid), 500)).rejects.toThrow(/another kchat/);
			expect(waited).toEqual([holder.pid]);
		} finally {
			holder.kill();
		}
	});
});
