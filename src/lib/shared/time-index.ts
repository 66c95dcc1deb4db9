import { DAY_MS } from './grants';

// Times bucketed by UTC day: the analytics count "how many of these times fall before t" for a few
// dozen period boundaries t per report, over up to half a million times. Sorting them would cost
// ~100 ns a time; a counting sort by day costs a few, and a count then reads one day's bucket.

/** Days from 1900 to 2200 get a bucket each; earlier and later times share one bucket per side. */
const MIN_MS = Date.UTC(1900, 0, 1);
const MAX_MS = Date.UTC(2200, 0, 1);

/**
 * A multiset of times (NaN left out), grouped by UTC day, each time with the item it belongs to.
 * Build it once, then count and visit times by value: exact, whatever the times' precision.
 */
export class TimeIndex {
	/** The day of bucket 1 (bucket 0 holds the times before MIN_MS and −∞). */
	private readonly firstDay: number;
	/** Bucket b's times are times[starts[b]] … times[starts[b + 1] − 1]. */
	private readonly starts: Int32Array;
	readonly times: Float64Array;
	/** The item of each time in `times`. */
	readonly items: Int32Array;

	/** Items `items[0 … count)`, item i at time `timeOf[i]`. */
	constructor(items: Int32Array, count: number, timeOf: Float64Array) {
		let min = Infinity;
		let max = -Infinity;
		for (let j = 0; j < count; j++) {
			const t = timeOf[items[j] as number] as number;
			if (t >= MIN_MS && t < MAX_MS) {
				if (t < min) min = t;
				if (t > max) max = t;
			}
		}
		this.firstDay = min === Infinity ? 0 : Math.floor(min / DAY_MS);
		const days = min === Infinity ? 0 : Math.floor(max / DAY_MS) - this.firstDay + 1;
		// Buckets: 0 early, 1 … days, days + 1 late; starts has one more entry, the end.
		const bucketOf = new Int32Array(count);
		const starts = new Int32Array(days + 3);
		for (let j = 0; j < count; j++) {
			const t = timeOf[items[j] as number] as number;
			const b = t === t ? this.bucket(t, days) : -1; // NaN: left out
			bucketOf[j] = b;
			if (b >= 0) starts[b + 1] = (starts[b + 1] as number) + 1;
		}
		for (let b = 1; b < starts.length; b++)
			starts[b] = (starts[b] as number) + (starts[b - 1] as number);
		const size = starts[starts.length - 1] as number;
		this.times = new Float64Array(size);
		this.items = new Int32Array(size);
		const fill = starts.slice(0, -1);
		for (let j = 0; j < count; j++) {
			const b = bucketOf[j] as number;
			if (b < 0) continue;
			const at = fill[b] as number;
			fill[b] = at + 1;
			this.items[at] = items[j] as number;
			this.times[at] = timeOf[items[j] as number] as number;
		}
		this.starts = starts;
	}

	private bucket(t: number, days = this.starts.length - 3): number {
		if (t < MIN_MS) return 0;
		if (t >= MAX_MS) return days + 1;
		return Math.min(Math.max(Math.floor(t / DAY_MS) - this.firstDay + 1, 0), days + 1);
	}

	/** How many times are < x. */
	countBefore(x: number): number {
		if (x !== x) return 0; // NaN
		const b = this.bucket(x);
		let count = this.starts[b] as number;
		for (let j = count; j < (this.starts[b + 1] as number); j++)
			if ((this.times[j] as number) < x) count++;
		return count;
	}

	/** How many times are ≤ x. */
	countAtOrBefore(x: number): number {
		if (x !== x) return 0; // NaN
		const b = this.bucket(x);
		let count = this.starts[b] as number;
		for (let j = count; j < (this.starts[b + 1] as number); j++)
			if ((this.times[j] as number) <= x) count++;
		return count;
	}

	/** How many times t have from ≤ t < to. */
	countIn(from: number, to: number): number {
		return Math.max(0, this.countBefore(to) - this.countBefore(from));
	}

	/** Calls visit(item) for each time t with from ≤ t ≤ to (in no particular order). */
	forEachBetween(from: number, to: number, visit: (item: number) => void): void {
		if (from !== from || to !== to) return; // NaN
		const end = this.starts[this.bucket(to) + 1] as number;
		for (let j = this.starts[this.bucket(from)] as number; j < end; j++) {
			const t = this.times[j] as number;
			if (t >= from && t <= to) visit(this.items[j] as number);
		}
	}

	/** Calls visit(item) for each time t > x (in no particular order). */
	forEachAfter(x: number, visit: (item: number) => void): void {
		if (x !== x) return; // NaN
		for (let j = this.starts[this.bucket(x)] as number; j < this.times.length; j++)
			if ((this.times[j] as number) > x) visit(this.items[j] as number);
	}
}

/** A TimeIndex of the items 0 … n − 1 for which `keep` holds. */
export function timeIndex(
	timeOf: Float64Array,
	n: number,
	keep: (item: number) => boolean
): TimeIndex {
	const items = new Int32Array(n);
	let count = 0;
	for (let i = 0; i < n; i++) if (keep(i)) items[count++] = i;
	return new TimeIndex(items, count, timeOf);
}
