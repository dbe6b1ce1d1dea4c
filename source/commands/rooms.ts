import {connectionFlags, connectionHelp, parseArgs, usageError} from './parse-args.js';
import {securitySettings} from './session.js';
import {resolveBrokers} from '../config/brokers.js';
import {defaultLogFile} from '../config/paths.js';
import {validateRoomName} from '../chat/names.js';
import {sanitizeRoomName, sanitizeText} from '../chat/sanitize.js';
import {ClusterAdmin} from '../kafka/cluster-admin.js';
import {describeKafkaError} from '../kafka/kafka-client.js';
import {openLogFile} from '../kafka/log-file.js';

const help = `
  Usage
    $ kchat rooms [--json]                       list rooms with partitions and message counts
    $ kchat rooms create ROOM [--partitions N]   create a room (default 3 partitions)
    $ kchat rooms delete ROOM --yes              delete a room and all its messages

  Options
    --json            one JSON array: name, partitions, messages
    --partitions N    partitions for a new room
    --yes             confirm a delete
${connectionHelp}
`;

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs(argv, help, {
		...connectionFlags,
		json: {type: 'boolean', default: false},
		partitions: {type: 'string', default: '3'},
		yes: {type: 'boolean', default: false},
	});
	const [action, room, ...extra] = cli.input;
	if (extra.length > 0) return usageError('rooms', `unexpected argument "${sanitizeText(extra[0]!)}"`);
	if (action !== undefined && action !== 'create' && action !== 'delete') return usageError('rooms', `unknown action "${sanitizeText(action)}": use create or delete`);
	if (action && !room) return usageError('rooms', `missing ROOM: kchat rooms ${action} ROOM`);
	if (room) {
		const problem = validateRoomName(room);
		if (problem) return usageError('rooms', problem);
	}
	const partitions = Number(cli.flags.partitions);
	if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1000) return usageError('rooms', `--partitions must be a whole number from 1 to 1000, not "${cli.flags.partitions}"`);
	if (action === 'delete' && !cli.flags.yes) return usageError('rooms', `deleting ${room} removes all its messages: add --yes to confirm`);

	const {brokers} = resolveBrokers(cli.flags.brokers);
	const logger = openLogFile(cli.flags.logFile ?? defaultLogFile(), cli.flags.verbose ?? false);
	const security = securitySettings();
	const admin = new ClusterAdmin({brokers, logger, verbose: cli.flags.verbose ?? false, ...security});
	try {
		await admin.connect();
		if (action === 'create') {
			const created = await admin.create(room!, partitions);
			process.stdout.write(created ? `created ${room} with ${partitions} partitions\n` : `${room} already exists\n`);
		} else if (action === 'delete') {
			await admin.delete(room!);
			process.stdout.write(`deleted ${room}\n`);
		} else {
			const rooms = await admin.rooms();
			if (cli.flags.json) {
				process.stdout.write(JSON.stringify(rooms.map(r => ({...r, name: sanitizeRoomName(r.name)}))) + '\n');
			} else if (rooms.length === 0) {
				process.stdout.write('no rooms yet: kchat rooms create ROOM, or join one in kchat\n');
			} else {
				const width = Math.max(4, ...rooms.map(r => sanitizeRoomName(r.name).length));
				process.stdout.write(`${'ROOM'.padEnd(width)}  PARTITIONS  MESSAGES\n`);
				for (const r of rooms) process.stdout.write(`${sanitizeRoomName(r.name).padEnd(width)}  ${String(r.partitions).padStart(10)}  ${String(r.messages).padStart(8)}\n`);
			}
		}
		return 0;
	} catch (error) {
		process.stderr.write(`kchat rooms: ${sanitizeText(describeKafkaError(error, security))} (brokers ${brokers.join(',')})\n`);
		return 1;
	} finally {
		await admin.disconnect().catch(() => undefined);
		logger.close();
	}
}
