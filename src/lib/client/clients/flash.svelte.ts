/**
 * A one-shot confirmation carried across a navigation ("Ana was added.", "Bob was deleted."): the
 * page that acts sets it, the page it lands on shows it once and clears it.
 */
class Flash {
	message = $state<string | null>(null);

	set(message: string): void {
		this.message = message;
	}

	/** The message, cleared for next time. */
	take(): string | null {
		const message = this.message;
		this.message = null;
		return message;
	}
}

export const clientFlash = new Flash();

/** The same for grant pages ("Access granted.", "Access revoked."). */
export const grantFlash = new Flash();
