import { translate, type Locale } from '$lib/shared/i18n';
import type { Rate } from '$lib/shared/metrics';

/** A date as the user's language writes it ("27 Nov 2025"), or "—" when there is none. */
export function formatDate(iso: string | null | undefined, locale: Locale, timeZone?: string) {
	if (!iso) return translate(locale, 'indicators.none');
	return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone }).format(new Date(iso));
}

/** A whole number in the user's format ("1,234" / "1234"). */
export function formatCount(value: number, locale: Locale): string {
	return new Intl.NumberFormat(locale).format(value);
}

/**
 * The renewal rate as a percentage ("67%", "67 %" in Spanish), or "—" while no term has ended:
 * 0% would claim that nobody renewed.
 */
export function formatRenewalRate(rate: Pick<Rate, 'rate'>, locale: Locale): string {
	if (rate.rate === null) return translate(locale, 'indicators.none');
	return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(
		rate.rate
	);
}

/** The sentence under the renewal rate: what it was computed from. */
export function renewalRateDetail(rate: Rate, locale: Locale): string {
	return rate.rate === null
		? translate(locale, 'indicators.page.renewalRateNone')
		: translate(locale, 'indicators.page.renewalRateDetail', {
				renewed: formatCount(rate.renewed, locale),
				total: formatCount(rate.total, locale)
			});
}
