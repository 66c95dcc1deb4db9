/** English messages of Settings → TradingView. */
export const enTradingview = {
	title: 'TradingView',
	intro:
		'PineGate grants and removes access on TradingView with your account’s session. Log in to TradingView in your browser, then copy the two cookies named below from the browser’s developer tools (Application → Cookies → tradingview.com).',
	status: {
		none: 'Not connected.',
		settings: 'Connected with cookies saved on {date}.',
		env: 'Connected with the cookies in the server’s environment (TRADINGVIEW_SESSIONID).',
		unreadable: 'The saved cookies cannot be read with this server’s key. Paste them again.'
	},
	host: 'Calls go to {host}.',
	sessionid: 'sessionid',
	sessionidSign: 'sessionid_sign',
	cookieHint: 'Paste the value only; “sessionid=” and quotes are removed for you.',
	save: 'Save and test',
	saving: 'Saving…',
	test: 'Test connection',
	testing: 'Testing…',
	clear: 'Remove connection',
	importScripts: 'Import my scripts',
	importing: 'Importing…',
	imported: '{created} scripts added to Indicators; {existing} were there already.',
	cleared: 'The TradingView connection was removed.',
	saved: 'Cookies saved.',
	ok: 'Connected. Your account can manage {count} scripts:',
	okNone: 'Connected, but this account manages no invite-only scripts.',
	unnamed: 'Unnamed script',
	version: 'version {version}',
	passwordTitle: 'Or log in with your TradingView password',
	passwordIntro:
		'One attempt, never repeated by itself: TradingView blocks accounts that log in again and again. If it asks for a captcha, use the cookies instead.',
	username: 'TradingView username or email',
	password: 'TradingView password',
	logIn: 'Log in to TradingView',
	loggingIn: 'Logging in…',
	code: 'Authenticator code',
	codeHint: 'TradingView asks for the 6-digit code of your two-factor authentication.',
	verify: 'Verify code',
	connectedAs: 'Connected as {username}.',
	adminOnly: 'Only administrators can see and change the TradingView connection.'
};
