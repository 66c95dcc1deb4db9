import { describe, expect, it } from 'vitest';
import { dashboardFigures } from './dashboard';

const NOW = new Date('2026-03-10T12:00:00.000Z');
const END_OF_TOMORROW = new Date('2026-03-12T00:00:00.000Z');
const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000).toISOString();

const client = (
	id: string,
	status: 'active' | 'inactive' = 'active',
	deletedAt: string | null = null
) => ({ id, status, deletedAt });
const grant = (
	clientId: string,
	endsAt: string | null,
	extra: Partial<{
		revokedAt: string | null;
		deletedAt: string | null;
		tvState: 'pending' | 'verified' | 'failed' | 'paused' | 'not_applicable';
		accessType: 'trial' | 'paid' | 'complimentary';
	}> = {}
) => ({
	clientId,
	endsAt,
	revokedAt: null,
	deletedAt: null,
	tvState: 'verified' as const,
	accessType: 'paid' as const,
	...extra
});
const paid = (
	clientId: string,
	amount: number,
	occurredAt: string,
	extra: Partial<{
		currency: string;
		status: 'pending' | 'paid' | 'failed' | 'refunded';
		deletedAt: string | null;
	}> = {}
) => ({
	clientId,
	amount,
	currency: 'USD',
	status: 'paid' as const,
	occurredAt,
	deletedAt: null,
	...extra
});

describe('dashboard figures (hand-computed fixture)', () => {
	// a: active, grant ends in 20 h (tomorrow, this week) + a lifetime grant; paid 50 then 30 USD
	// b: active, grant ends in 3 days (this week), trial; paid 99 USD (not at risk: trial)
	// c: inactive, grant ends in 30 days, TradingView failed
	// d: active, grant expired yesterday, TradingView paused; e: active, grant revoked
	// f: active, paid grant ends in 6 days, paid 20 EUR and a refunded 500 EUR
	// g: deleted client; its grant is deleted too
	const clients = [
		client('a'),
		client('b'),
		client('c', 'inactive'),
		client('d'),
		client('e'),
		client('f'),
		client('g', 'active', day(-1))
	];
	const accesses = [
		grant('a', new Date(NOW.getTime() + 20 * 3_600_000).toISOString()),
		grant('a', null),
		grant('b', day(3), { accessType: 'trial' }),
		grant('c', day(30), { tvState: 'failed' }),
		grant('d', day(-1), { tvState: 'paused' }),
		grant('e', day(10), { revokedAt: day(-2) }),
		grant('f', day(6)),
		grant('g', day(5), { deletedAt: day(-1), tvState: 'failed' })
	];
	const transactions = [
		paid('a', 5000, day(-60)),
		paid('a', 3000, day(-30)),
		paid('b', 9900, day(-5)),
		paid('f', 2000, day(-20), { currency: 'EUR' }),
		paid('f', 50000, day(-1), { currency: 'EUR', status: 'refunded' })
	];

	it('counts each KPI as defined', () => {
		const figures = dashboardFigures({ clients, accesses, transactions }, NOW, END_OF_TOMORROW);
		expect(figures).toEqual({
			totalClients: 6,
			activeClients: 3, // a, b, f (c inactive, d expired, e revoked)
			openGrants: 5, // a ×2, b, c, f
			expiringIn7Days: 3, // a (20 h), b (3 d), f (6 d)
			expiringTomorrow: 1, // a
			tradingViewFailing: 2, // c failed, d paused (g deleted)
			revenueAtRisk: [
				{ currency: 'USD', amount: 3000, clients: 1 }, // a's last payment; b is a trial
				{ currency: 'EUR', amount: 2000, clients: 1 } // f's last *paid* payment
			]
		});
	});

	it('is zero everywhere with no data', () => {
		expect(
			dashboardFigures({ clients: [], accesses: [], transactions: [] }, NOW, END_OF_TOMORROW)
		).toEqual({
			totalClients: 0,
			activeClients: 0,
			openGrants: 0,
			expiringIn7Days: 0,
			expiringTomorrow: 0,
			tradingViewFailing: 0,
			revenueAtRisk: []
		});
	});
});
