import { trpc } from './trpc';

const KEY = 'pinegate.staff';

function read(): Record<string, string> {
	try {
		const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
		return value && typeof value === 'object' ? (value as Record<string, string>) : {};
	} catch {
		return {};
	}
}

/**
 * Staff names by user id, for "renewed by Ana" in histories. Kept on the device so histories
 * still name people offline; refreshed from the server when a page that shows history opens.
 */
class StaffDirectory {
	names = $state<Record<string, string>>(typeof localStorage === 'undefined' ? {} : read());
	#refreshing: Promise<void> | null = null;

	refresh(): Promise<void> {
		this.#refreshing ??= (async () => {
			try {
				const list = await trpc.users.directory.query();
				this.names = Object.fromEntries(list.map((u) => [u.id, u.name]));
				localStorage.setItem(KEY, JSON.stringify(this.names));
			} catch {
				// Offline or signed out: the names this device last saw still serve.
			} finally {
				this.#refreshing = null;
			}
		})();
		return this.#refreshing;
	}

	name(id: string): string | undefined {
		return this.names[id];
	}
}

export const staff = new StaffDirectory();
