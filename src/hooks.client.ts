import type { ClientInit } from '@sveltejs/kit';
import { z } from 'zod';

export const init: ClientInit = () => {
	// zod probes `new Function` once to decide whether to compile its parsers. The CSP forbids eval
	// (script-src 'self', docs/security.md): the probe fails quietly but the browser still reports
	// a violation. Parsing without compiled code is fast enough for forms and synced rows.
	z.config({ jitless: true });
};
