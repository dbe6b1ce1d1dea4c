import {execFileSync} from 'node:child_process';
import fs from 'node:fs';

/** CPU time and memory of another process, from /proc (Linux); undefined elsewhere or when it is gone. */
export type ProcessUsage = {cpuMs: number; rssMB: number; peakRssMB: number};

let ticksPerSecond: number | undefined;

function clockTicks(): number {
	if (ticksPerSecond === undefined) {
		try {
			ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).trim()) || 100;
		} catch {
			ticksPerSecond = 100;
		}
	}
	return ticksPerSecond;
}

export function processUsage(pid: number): ProcessUsage | undefined {
	try {
		// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
		const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
		const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const kb = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
		return {cpuMs: (ticks / clockTicks()) * 1000, rssMB: kb('VmRSS') / 1024, peakRssMB: kb('VmHWM') / 1024};
	} catch {
		return undefined;
	}
}
