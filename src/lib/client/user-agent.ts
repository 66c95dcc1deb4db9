export interface DeviceDescription {
	browser: string;
	os: string;
}

const browsers: Array<[RegExp, string]> = [
	[/\bEdg(?:e|A|iOS)?\//, 'Edge'],
	[/\b(?:OPR|Opera)\//, 'Opera'],
	[/\bSamsungBrowser\//, 'Samsung Internet'],
	[/\b(?:Firefox|FxiOS)\//, 'Firefox'],
	[/\b(?:Chrome|CriOS|Chromium|HeadlessChrome)\//, 'Chrome'],
	[/\bVersion\/[\d.]+.*\bSafari\//, 'Safari']
];

const systems: Array<[RegExp, string]> = [
	[/\bWindows\b/, 'Windows'],
	[/\bAndroid\b/, 'Android'],
	[/\b(?:iPhone|iPad|iPod)\b/, 'iOS'],
	[/\bMac OS X\b|\bMacintosh\b/, 'macOS'],
	[/\bCrOS\b/, 'ChromeOS'],
	[/\bLinux\b/, 'Linux']
];

/** A short "browser on system" for a User-Agent header, or null when it is not recognised. */
export function describeUserAgent(userAgent: string | null | undefined): DeviceDescription | null {
	if (!userAgent) return null;
	const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
	const os = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
	return browser && os ? { browser, os } : null;
}
