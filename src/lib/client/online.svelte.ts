import { browser } from '$app/environment';

class OnlineState {
	/** What the browser believes about the network; a failed call may still mean the server is down. */
	online = $state(browser ? navigator.onLine : true);

	constructor() {
		if (!browser) return;
		window.addEventListener('online', () => (this.online = true));
		window.addEventListener('offline', () => (this.online = false));
	}
}

export const network = new OnlineState();
