import type {CSSProperties} from 'react';
import {nickColor} from '../chat/nick-color.js';

// The terminal's nick colours (the same hash picks the same palette entry for a nick everywhere), as
// shades that read well on the page's light background.
const SHADES: Record<string, string> = {
	red: '#c92a2a',
	green: '#2b8a3e',
	yellow: '#a86a00',
	blue: '#1c5bd9',
	magenta: '#a61e9c',
	cyan: '#0b7285',
	redBright: '#e8590c',
	greenBright: '#5c940d',
	yellowBright: '#b07d00',
	blueBright: '#3b5bdb',
	magentaBright: '#ae3ec9',
	cyanBright: '#1098ad',
};

export function nickStyle(nick: string): CSSProperties {
	return {color: SHADES[nickColor(nick)] ?? '#495057'};
}
