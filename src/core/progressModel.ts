/**
 * When can an operation that reports its progress end? A pure model of the observations made so
 * far, used by the poller to aim its next look.
 *
 * The model: the operation moves at a steady rate, one step of progress at a time, so the level
 * `p` is reached at `s + p·D` (D its whole duration, s when it began to move) and the end comes
 * at `E = s + D`. Every observation is a constraint on (s, D):
 * - the level it shows was reached by the first observation that showed it;
 * - the next level (one step higher) was not reached by the last observation that showed it;
 * - the end had not come by the last observation.
 *
 * The constraints are linear in (s, D), so the ends they allow form an interval
 * [earliest, latest]: its bounds are found at the vertices of the feasible polygon. When the
 * operation leaves the model (a stall, a change of pace), the constraints contradict each other:
 * the oldest observations are dropped until they agree again.
 */

/** One observation: a level of progress in [0, 1] and when it was seen (ms on a clock). */
export interface ProgressObservation {
    at: number;
    progress: number;
}

/** The ends the observations allow, ms on the clock; `latest` is Infinity without a rate yet. */
export interface EndWindow {
    earliest: number;
    latest: number;
}

/** Options of {@link endWindow}. */
export interface EndWindowOptions {
    /**
     * How finely the cloud reports progress (0.01 for a whole percentage; 0, the default, for an
     * exact fraction such as finished/total instances): a reported level is within one of it.
     */
    resolution?: number;
    /** At most this many runs of one level are used, the most recent (default 40). */
    maxRuns?: number;
}

/** A run of observations at one level: first and last seen. */
interface Run {
    level: number;
    first: number;
    last: number;
}

/** a·s + b·D ≤ c (times relative to an origin, ms) */
interface Constraint {
    a: number;
    b: number;
    c: number;
}

/** A point (s, D) of the model's plane, times relative to the region's origin. */
interface Vertex {
    s: number;
    d: number;
}

/** The (s, D) the observations allow: a convex polygon, and what it was built from. */
export interface Region {
    /** Times in the polygon are relative to this, ms on the clock. */
    origin: number;
    vertices: Vertex[];
    /** The size of one step of progress (undefined: not known yet). */
    step?: number;
    /** How far a reported level may be from the true one (the resolution: rounded or floored). */
    eps: number;
    /** The level last seen, and when it was last seen (ms on the clock). */
    lastLevel: number;
    lastSeen: number;
}

/** Search box: 30 days either way, in ms; a vertex on it means unbounded. */
const BOX_MS = 30 * 24 * 3600_000;
/** The shortest whole duration the model considers, ms. */
const MIN_DURATION_MS = 1_000;

/** Runs of equal progress in time order; a level lower than the one before restarts them. */
function runsOf(observations: ProgressObservation[]): Run[] {
    let runs: Run[] = [];
    for (const o of observations) {
        const last = runs[runs.length - 1];
        if (last && o.progress === last.level) {
            last.last = o.at;
        } else if (last && o.progress < last.level) {
            runs = [{ level: o.progress, first: o.at, last: o.at }];
        } else {
            runs.push({ level: o.progress, first: o.at, last: o.at });
        }
    }
    return runs;
}

/** The size of one step of progress: the smallest gap between the levels seen (and 1). */
function stepOf(runs: Run[], resolution: number): number | undefined {
    const levels = [...new Set([...runs.map((r) => r.level), 1])].sort((x, y) => x - y);
    let step = Infinity;
    for (let i = 1; i < levels.length; i++) {
        step = Math.min(step, levels[i]! - levels[i - 1]!);
    }
    // A rounded (or floored) level may sit up to one resolution from the true one, so the
    // smallest gap seen may be short of a true step by up to the resolution.
    return Number.isFinite(step) && step > 0 ? step + resolution : undefined;
}

/** "Level `level` was reached by `at`": s + (level - eps)·D <= at. */
function reachedBy(level: number, at: number, eps: number): Constraint {
    return { a: 1, b: level - eps, c: at };
}

/** "Level `level` was not reached by `at`": s + (level + eps)·D >= at. */
function notReachedBy(level: number, at: number, eps: number): Constraint {
    return { a: -1, b: -Math.min(1, level + eps), c: -at };
}

function constraintsOf(runs: Run[], step: number | undefined, eps: number, origin: number) {
    const out: Constraint[] = [];
    for (const r of runs) {
        if (r.level > 0) {
            out.push(reachedBy(r.level, r.first - origin, eps));
        }
        if (r.level < 1 && step !== undefined) {
            out.push(notReachedBy(r.level + step, r.last - origin, eps));
        }
    }
    // not ended by the last observation: s + D >= last
    out.push(notReachedBy(1, runs[runs.length - 1]!.last - origin, 0));
    out.push({ a: 0, b: -1, c: -MIN_DURATION_MS });
    return out;
}

/** The part of a convex polygon where a·s + b·D <= c (Sutherland–Hodgman, one edge). */
function clip(poly: Vertex[], k: Constraint): Vertex[] {
    const slack = (v: Vertex): number => k.c - (k.a * v.s + k.b * v.d);
    const tol = 1e-9 * (1 + Math.abs(k.c));
    const out: Vertex[] = [];
    for (let i = 0; i < poly.length; i++) {
        const p = poly[i]!;
        const q = poly[(i + 1) % poly.length]!;
        const sp = slack(p);
        const sq = slack(q);
        if (sp >= -tol) {
            out.push(p);
        }
        if (sp >= -tol !== sq >= -tol && Math.abs(sp - sq) > 0) {
            const t = sp / (sp - sq);
            out.push({ s: p.s + t * (q.s - p.s), d: p.d + t * (q.d - p.d) });
        }
    }
    return out;
}

function boxAround(center: number): Vertex[] {
    return [
        { s: center - BOX_MS, d: 0 },
        { s: center + BOX_MS, d: 0 },
        { s: center + BOX_MS, d: BOX_MS },
        { s: center - BOX_MS, d: BOX_MS },
    ];
}

function onBox(v: Vertex, center: number): boolean {
    const edge = BOX_MS * (1 - 1e-9);
    return v.d >= edge || Math.abs(v.s - center) >= edge;
}

/**
 * The (s, D) the observations allow (all of them in time order, not only the changes), or
 * undefined when they do not constrain the end (no level above 0 yet, the last level is 1 already,
 * or none of them agree). See the module comment for the model.
 */
export function regionOf(
    observations: ProgressObservation[],
    opts: EndWindowOptions = {},
): Region | undefined {
    const resolution = opts.resolution ?? 0;
    // A level rounded to the nearest or down is within one resolution of the true level.
    const eps = resolution;
    let runs = runsOf(observations).slice(-(opts.maxRuns ?? 40));
    if ((runs[runs.length - 1]?.level ?? 1) >= 1) {
        return undefined; // all done but not ended: nothing to predict
    }
    while (runs.length > 0 && runs.some((r) => r.level > 0)) {
        const origin = runs[0]!.first;
        const last = runs[runs.length - 1]!;
        const step = stepOf(runs, resolution);
        let poly = boxAround(last.last - origin);
        for (const k of constraintsOf(runs, step, eps, origin)) {
            poly = clip(poly, k);
            if (poly.length === 0) {
                break;
            }
        }
        if (poly.length > 0) {
            return {
                origin,
                vertices: poly,
                step,
                eps,
                lastLevel: last.level,
                lastSeen: last.last,
            };
        }
        runs = runs.slice(1); // they disagree: the oldest go first
    }
    return undefined;
}

/** The window of ends a region allows (ms on the clock; latest Infinity when unbounded). */
export function windowOf(region: Region): EndWindow {
    const center = region.lastSeen - region.origin;
    let earliest = Infinity;
    let latest = -Infinity;
    let unbounded = false;
    for (const v of region.vertices) {
        const e = v.s + v.d;
        earliest = Math.min(earliest, e);
        if (e > latest) {
            latest = e;
        }
        if (onBox(v, center)) {
            unbounded = true;
        }
    }
    return {
        earliest: region.origin + earliest,
        latest: unbounded ? Infinity : region.origin + latest,
    };
}

/**
 * The window in which the operation can end, from its observations in time order, or undefined
 * when they do not place the end at all ({@link regionOf}).
 */
export function endWindow(
    observations: ProgressObservation[],
    opts: EndWindowOptions = {},
): EndWindow | undefined {
    const region = regionOf(observations, opts);
    return region && windowOf(region);
}

/**
 * How wide the window of ends would be, at worst, after one more observation at `at` (ms on the
 * clock) that does not show the end: for each level it could show, the region that answer leaves.
 */
export function widthAfterProbe(region: Region, at: number): number {
    const t = at - region.origin;
    const { step, eps, lastLevel } = region;
    if (step === undefined) {
        return Infinity;
    }
    // The levels the observation could show: lastLevel + k·step, below 1 (at most 50 of them:
    // a finer step is looked at in coarser strides, which only leaves the estimate looser).
    const stride = Math.max(step, (1 - lastLevel) / 50);
    let worst = 0;
    for (let level = lastLevel; level < 1 - 1e-9; level += stride) {
        let poly = clip(region.vertices, notReachedBy(Math.min(1, level + stride), t, eps));
        if (level > lastLevel) {
            poly = clip(poly, reachedBy(level, t, eps));
        }
        poly = clip(poly, notReachedBy(1, t, 0));
        if (poly.length === 0) {
            continue;
        }
        const w = windowOf({ ...region, vertices: poly });
        worst = Math.max(worst, w.latest - Math.max(w.earliest, at));
    }
    return worst;
}
