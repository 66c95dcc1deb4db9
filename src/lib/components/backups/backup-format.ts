import { translate, type Locale } from '$lib/shared/i18n';

// Sizes of backup files in the user's language: 1,000-based units, one decimal below 10.

const UNITS = [
	['gb', 1e9],
	['mb', 1e6],
	['kb', 1e3]
] as const;

export function sizeWords(locale: Locale, bytes: number): string {
	for (const [unit, scale] of UNITS) {
		if (bytes >= scale) {
			const value = bytes / scale;
			const n = new Intl.NumberFormat(locale, {
				maximumFractionDigits: value < 10 ? 1 : 0
			}).format(value);
			return translate(locale, `backups.size.${unit}`, { n });
		}
	}
	return translate(locale, 'backups.size.bytes', { n: bytes });
}
