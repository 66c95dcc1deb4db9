import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

// Secrets at rest (TradingView session cookies, an optional password): AES-256-GCM, so a changed or
// truncated value fails to open instead of decrypting to garbage. The key comes from SECRET_KEY, or
// from a key file generated once in DATA_DIR (mode 0600). Several instances on one PostgreSQL must
// share SECRET_KEY: each would otherwise generate its own key file and could not read the others'.

const VERSION = 'v1';
const KEY_FILE = 'secret.key';

export interface SecretBox {
	seal(plain: string): string;
	/** The plain text, or throws when the value was sealed with another key or altered. */
	open(sealed: string): string;
}

export class SecretError extends Error {
	override name = 'SecretError';
}

export function secretBox(key: Buffer): SecretBox {
	if (key.length !== 32) throw new SecretError('a secret key has 32 bytes');
	return {
		seal(plain) {
			const iv = randomBytes(12);
			const cipher = createCipheriv('aes-256-gcm', key, iv);
			const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
			return [VERSION, iv, cipher.getAuthTag(), body]
				.map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
				.join('.');
		},
		open(sealed) {
			const [version, iv, tag, body] = sealed.split('.');
			if (version !== VERSION || !iv || !tag || body === undefined)
				throw new SecretError('not a sealed secret');
			try {
				const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
				decipher.setAuthTag(Buffer.from(tag, 'base64url'));
				return Buffer.concat([
					decipher.update(Buffer.from(body, 'base64url')),
					decipher.final()
				]).toString('utf8');
			} catch {
				throw new SecretError('the secret cannot be opened with this key (SECRET_KEY changed?)');
			}
		}
	};
}

/**
 * The server's key: SHA-256 of SECRET_KEY when set; otherwise the key file in `dataDir`, created
 * with 32 random bytes and mode 0600 on first use.
 */
export function loadSecretKey(options: {
	secretKey?: string | undefined;
	dataDir: string;
}): Buffer {
	if (options.secretKey) return createHash('sha256').update(options.secretKey, 'utf8').digest();
	const file = path.join(options.dataDir, KEY_FILE);
	if (!existsSync(file)) {
		mkdirSync(options.dataDir, { recursive: true });
		// `wx`: never overwrite a key another process just wrote.
		try {
			writeFileSync(file, randomBytes(32).toString('base64'), { mode: 0o600, flag: 'wx' });
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		}
	}
	chmodSync(file, 0o600);
	const key = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
	if (key.length !== 32) throw new SecretError(`${file} does not hold a 32-byte key`);
	return key;
}
