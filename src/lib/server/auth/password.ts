import { hash, verify } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes); @node-rs/argon2 defaults to argon2id.
const options = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

// Verifying against a real hash when the account does not exist keeps response times alike,
// so timing does not reveal which emails have accounts.
const decoy = hashPassword('decoy-password-for-timing');

export async function verifyPassword(
	storedHash: string | null,
	password: string
): Promise<boolean> {
	try {
		return await verify(storedHash ?? (await decoy), password);
	} catch {
		return false;
	}
}
