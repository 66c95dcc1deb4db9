// Renders the PineGate mark to the PNG icons of the web app manifest, with the system Chromium.
// Run: node scripts/make-icons.js   (writes static/favicon.svg and static/icons/*.png; commit them)
import { mkdirSync, writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const BG = '#14532d';
const GATE = '#bbf7d0';
const TREE = '#f0fdf4';

/** The mark on a 64-unit grid: a pine tree standing in a gate. */
const mark = `
	<path d="M14 52V24a18 18 0 0 1 36 0v28" fill="none" stroke="${GATE}" stroke-width="4" stroke-linecap="round"/>
	<path d="M32 14 22 28h5l-7 9h6l-6 8h24l-6-8h6l-7-9h5Z" fill="${TREE}"/>
	<rect x="29.5" y="45" width="5" height="7" rx="1" fill="${TREE}"/>`;

/** "any": a rounded tile. */
const anySvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
	<rect width="64" height="64" rx="14" fill="${BG}"/>${mark}
</svg>
`;

/** "maskable": full-bleed background, the mark shrunk into the central safe zone (80 % circle). */
const maskableSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
	<rect width="64" height="64" fill="${BG}"/>
	<g transform="translate(32 33) scale(0.72) translate(-32 -33)">${mark}</g>
</svg>
`;

const outputs = [
	{ file: 'static/icons/icon-192.png', svg: anySvg, size: 192 },
	{ file: 'static/icons/icon-512.png', svg: anySvg, size: 512 },
	{ file: 'static/icons/icon-maskable-512.png', svg: maskableSvg, size: 512 }
];

mkdirSync('static/icons', { recursive: true });
writeFileSync('static/favicon.svg', anySvg);

const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--no-sandbox', '--headless']
});
try {
	for (const { file, svg, size } of outputs) {
		const page = await browser.newPage({ viewport: { width: size, height: size } });
		await page.setContent(
			`<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`
		);
		writeFileSync(file, await page.screenshot({ omitBackground: true, type: 'png' }));
		await page.close();
		console.log(`wrote ${file}`);
	}
} finally {
	await browser.close();
}
