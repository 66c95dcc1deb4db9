import { DAY_MS, ID_STREAMS, YEAR_MS } from './clients';
import { INDICATOR_DESCRIPTIONS, INDICATOR_NAMES, RELEASE_NOTES } from './names';
import { Random, idStream } from './random';
import type { IndicatorRecord, IndicatorStatus, IndicatorVersionRecord } from './types';

export interface IndicatorFactoryOptions {
	seed: string | number;
	count: number;
	now: Date;
}

export interface IndicatorCatalog {
	indicators: IndicatorRecord[];
	versions: IndicatorVersionRecord[];
}

/**
 * Statuses by position: with 2+ indicators at least one is retired (about 1 in 10), with 4+ at
 * least one is in development; the rest are in production.
 */
function statusesFor(count: number, random: Random): IndicatorStatus[] {
	const retired = count >= 2 ? Math.max(1, Math.round(count * 0.1)) : 0;
	const development = count >= 4 ? Math.max(1, Math.round(count * 0.1)) : 0;
	const statuses: IndicatorStatus[] = [
		...Array<IndicatorStatus>(retired).fill('retired'),
		...Array<IndicatorStatus>(development).fill('development'),
		...Array<IndicatorStatus>(count - retired - development).fill('production')
	];
	// Shuffle (Fisher–Yates) so the retired one is not always first.
	for (let i = statuses.length - 1; i > 0; i--) {
		const j = random.int(i + 1);
		[statuses[i], statuses[j]] = [statuses[j] as IndicatorStatus, statuses[i] as IndicatorStatus];
	}
	return statuses;
}

function nextVersion(random: Random, previous: [number, number, number]): [number, number, number] {
	const [major, minor, patch] = previous;
	return random.weighted<[number, number, number]>([
		[[major, minor, patch + 1], 50],
		[[major, minor + 1, 0], 35],
		[[major + 1, 0, 0], 15]
	]);
}

/**
 * Indicators with unique names and PUB IDs (`PUB;` + 32 letters/digits), their releases
 * (`indicator_versions`, oldest first) and the current release on the indicator. A retired
 * indicator's `updatedAt` is when it was retired; grants to it all start before that.
 */
export function makeIndicators(options: IndicatorFactoryOptions): IndicatorCatalog {
	const random = new Random(options.seed, 'indicators');
	const nextId = idStream(options.seed, ID_STREAMS.indicators);
	const nextVersionId = idStream(options.seed, ID_STREAMS.indicatorVersions);
	const nowMs = options.now.getTime();
	const statuses = statusesFor(options.count, random);
	const pubIds = new Set<string>();
	const indicators: IndicatorRecord[] = [];
	const versions: IndicatorVersionRecord[] = [];

	for (let i = 0; i < options.count; i++) {
		const status = statuses[i] ?? 'production';
		let name = INDICATOR_NAMES[i % INDICATOR_NAMES.length] ?? 'Indicator';
		if (i >= INDICATOR_NAMES.length) name = `${name} ${Math.floor(i / INDICATOR_NAMES.length) + 1}`;
		let pubId: string;
		do pubId = `PUB;${random.alphanumeric(32)}`;
		while (pubIds.has(pubId));
		pubIds.add(pubId);

		const createdMs =
			status === 'development'
				? nowMs - random.between(10, 120) * DAY_MS
				: nowMs - Math.floor((1.2 + random.next() * 2.8) * YEAR_MS);
		const retiredMs =
			status === 'retired' ? nowMs - random.between(30, 300) * DAY_MS - random.int(DAY_MS) : null;
		const id = nextId();

		// Releases between creation and retirement (or now), oldest first.
		const releaseCount =
			status === 'development'
				? random.between(0, 2)
				: status === 'retired'
					? random.between(2, 5)
					: random.between(2, 8);
		const lastMs = retiredMs ?? nowMs;
		const times = Array.from(
			{ length: releaseCount },
			() => createdMs + Math.floor(random.next() * (lastMs - createdMs))
		).sort((a, b) => a - b);
		let semver: [number, number, number] = status === 'development' ? [0, 1, 0] : [1, 0, 0];
		let current: string | null = null;
		for (let r = 0; r < times.length; r++) {
			if (r > 0) semver = nextVersion(random, semver);
			current = semver.join('.');
			versions.push({
				id: nextVersionId(),
				indicatorId: id,
				releaseVersion: current,
				releasedAt: new Date(times[r] as number),
				notes: r === 0 ? 'First release.' : random.pick(RELEASE_NOTES),
				deletedAt: null
			});
		}
		const lastRelease = times.length > 0 ? (times[times.length - 1] as number) : null;
		indicators.push({
			id,
			name,
			pubId,
			pubIdState: 'unverified',
			releaseVersion: current,
			lastUpdatedAt: lastRelease === null ? null : new Date(lastRelease),
			status,
			description: random.pick(INDICATOR_DESCRIPTIONS),
			createdAt: new Date(createdMs),
			updatedAt: new Date(retiredMs ?? lastRelease ?? createdMs),
			deletedAt: null
		});
	}
	return { indicators, versions };
}
