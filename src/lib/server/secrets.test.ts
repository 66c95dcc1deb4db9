import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadSecretKey, secretBox, SecretError } from './secrets';

const dirs: string[] = [];
const tempDir = () => {
	const dir = mkdtempSync(path.join(os.tmpdir(), 'pinegate-secrets-'));
	dirs.push(dir);
	return dir;
};
afterEach(() => {
	for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('secrets at rest', () => {
	it('seal and open round-trip; the sealed text shows nothing of the secret', () => {
		const box = secretBox(loadSecretKey({ secretKey: 'x'.repeat(40), dataDir: tempDir() }));
		const sealed = box.seal('sessionid=abc123; ñ');
		expect(sealed).not.toContain('abc123');
		expect(box.seal('sessionid=abc123; ñ')).not.toBe(sealed); // a fresh IV each time
		expect(box.open(sealed)).toBe('sessionid=abc123; ñ');
	});

	it('refuses a value sealed with another key, or altered', () => {
		const dir = tempDir();
		const one = secretBox(loadSecretKey({ secretKey: 'a'.repeat(40), dataDir: dir }));
		const other = secretBox(loadSecretKey({ secretKey: 'b'.repeat(40), dataDir: dir }));
		const sealed = one.seal('secret');
		expect(() => other.open(sealed)).toThrow(SecretError);
		const parts = sealed.split('.');
		const body = parts[3] ?? '';
		parts[3] = (body[0] === 'A' ? 'B' : 'A') + body.slice(1);
		expect(() => one.open(parts.join('.'))).toThrow(SecretError);
		expect(() => one.open('plain text')).toThrow(SecretError);
	});

	it('without SECRET_KEY, generates one key file with mode 0600 and keeps using it', () => {
		const dir = tempDir();
		const first = loadSecretKey({ dataDir: dir });
		const file = path.join(dir, 'secret.key');
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(loadSecretKey({ dataDir: dir }).equals(first)).toBe(true);
		const sealed = secretBox(first).seal('kept');
		expect(secretBox(loadSecretKey({ dataDir: dir })).open(sealed)).toBe('kept');
	});

	it('a damaged key file stops with a clear error', () => {
		const dir = tempDir();
		writeFileSync(path.join(dir, 'secret.key'), 'short');
		expect(() => loadSecretKey({ dataDir: dir })).toThrow(/32-byte key/);
	});
});
