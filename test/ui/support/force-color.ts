import {afterAll} from 'vitest';

// Colours on for the test file that imports this first, before Ink and chalk load (they read
// FORCE_COLOR once, when loaded); the variable is put back when the file is done.
const saved = process.env['FORCE_COLOR'];
process.env['FORCE_COLOR'] = '1';

afterAll(() => {
	if (saved === undefined) delete process.env['FORCE_COLOR'];
	else process.env['FORCE_COLOR'] = saved;
});
