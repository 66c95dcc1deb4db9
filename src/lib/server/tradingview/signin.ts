/**
 * Password login (optional; pasting browser cookies is the recommended path). One request per call
 * and never a retry: repeated automated logins get TradingView accounts blocked for a day.
 */
import { TradingViewError } from './errors';
import { cookiesFromSetCookie, exchange, type Reply, type Transport } from './http';
import { parseAnswer, signInAnswer } from './schemas';

export interface SignedIn {
	sessionid: string;
	sessionidSign: string;
	user: { id: number; username: string };
}

function outcome(path: string, reply: Reply): SignedIn {
	const answer = parseAnswer(signInAnswer, reply.body, path);
	const cookies = cookiesFromSetCookie(reply.setCookies);
	if ('error' in answer) {
		const details = { status: reply.status, code: answer.code, detail: answer.error, path };
		if (answer.code === 'recaptcha_required') {
			throw new TradingViewError(
				'captcha',
				'TradingView asks for a captcha: sign in with a browser and paste the cookies',
				details
			);
		}
		if (answer.error === '2FA_required' || answer.code === '2FA_required') {
			// The temporary cookies carry this login to the TOTP step; they are not a session.
			const tempCookies = [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');
			throw new TradingViewError('two_factor_required', 'TradingView asks for the 2FA code', {
				...details,
				tempCookies
			});
		}
		if (answer.code === 'rate_limit') {
			throw new TradingViewError(
				'rate_limited',
				'TradingView refuses logins for now; try later, once',
				details
			);
		}
		throw new TradingViewError(
			'invalid_credentials',
			`TradingView refused the login: ${answer.error}`,
			details
		);
	}
	const sessionid = cookies.get('sessionid');
	const sessionidSign = cookies.get('sessionid_sign');
	if (!sessionid || !sessionidSign) {
		throw new TradingViewError(
			'bad_request',
			'TradingView accepted the login but set no session cookies',
			{ path }
		);
	}
	return { sessionid, sessionidSign, user: { id: answer.user.id, username: answer.user.username } };
}

export async function signIn(
	transport: Transport,
	username: string,
	password: string
): Promise<SignedIn> {
	const path = '/accounts/signin/';
	const reply = await exchange(transport, {
		method: 'POST',
		path,
		form: { username, password, remember: 'on' }
	});
	return outcome(path, reply);
}

export async function signInTwoFactor(
	transport: Transport,
	code: string,
	tempCookies: string
): Promise<SignedIn> {
	const path = '/accounts/two-factor/signin/totp/';
	const reply = await exchange(transport, {
		method: 'POST',
		path,
		form: { code: code.replace(/\s+/g, '') },
		cookie: tempCookies
	});
	return outcome(path, reply);
}
