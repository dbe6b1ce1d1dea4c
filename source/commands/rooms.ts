import {print} from './output.js';
import {connectionFlags, connectionHelp, parseArgs, quoteArg, usageError, wholeNumber} from './parse-args.js';
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

const createHelp = `
  Usage
    $ kchat rooms create ROOM [--partitions N]

  Creates the room (a Kafka topic of that name) with N partitions (default 3, 1-1000) and
  message.timestamp.type=LogAppendTime; says so when it exists already.
${connectionHelp}
`;

const deleteHelp = `
  Usage
    $ kchat rooms delete ROOM --yes

  Deletes the room's topic and every message in it. Without --yes it only says what it would do.
${connectionHelp}
`;

const helpFor = (words: string[]): string => (words[0] === 'create' ? createHelp : words[0] === 'delete' ? deleteHelp : help);

export async function run(argv: string[]): Promise<number> {
	const cli = parseArgs('rooms', argv, helpFor, {
		...connectionFlags,
		json: {type: 'boolean', default: false},
		partitions: {type: 'string', default: '3'},
		yes: {type: 'boolean', default: false},
	});
	if (typeof cli === 'number') return cli;
	const [action, room, ...extra] = cli.input;
	if (extra.length > 0) return usageError('rooms', `unexpected argument "${quoteArg(extra[0]!)}"`);
	if (action !== undefined && action !== 'create' && action !== 'delete') return usageError('rooms', `unknown action "${quoteArg(action)}": use create or delete`);
	if (action && !room) return usageError('rooms', `missing ROOM: kchat rooms ${action} ROOM`);
	if (room) {
		const problem = validateRoomName(room);
		if (problem) return usageError('rooms', problem);
	}
	const partitions = wholeNumber('rooms', '--partitions', cli.flags.partitions, 1, 1000)!;
	if (action === 'delete' && !cli.flags.yes) return usageError('rooms', `deleting ${room} removes all its messages: add --yes to confirm`);

	const {brokers} = resolveBrokers(cli.flags.brokers);
	const logger = openLogFile(cli.flags.logFile ?? defaultLogFile(), cli.flags.verbose ?? false);
	const security = securitySettings();
	const admin = new ClusterAdmin({brokers, logger, verbose: cli.flags.verbose ?? false, ...security});
	try {
		await admin.connect();
		if (action === 'create') {
			const created = await admin.create(room!, partitions);
			print(created ? `created ${room} with ${partitions} partitions\n` : `${room} already exists\n`);
		} else if (action === 'delete') {
			await admin.delete(room!);
			print(`deleted ${room}\n`);
		} else {
			const rooms = await admin.rooms();
			if (cli.flags.json) {
				print(JSON.stringify(rooms.map(r => ({...r, name: sanitizeRoomName(r.name)}))) + '\n');
			} else if (rooms.length === 0) {
				print('no rooms yet: kchat rooms create ROOM, or join one in kchat\n');
			} else {
				const width = Math.max(4, ...rooms.map(r => sanitizeRoomName(r.name).length));
				print(`${'ROOM'.padEnd(width)}  PARTITIONS  MESSAGES\n`);
				for (const r of rooms) print(`${sanitizeRoomName(r.name).padEnd(width)}  ${String(r.partitions).padStart(10)}  ${String(r.messages).padStart(8)}\n`);
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
