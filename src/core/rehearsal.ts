import { type Clock } from "./clock";
import { checkEndpointUrl, isLoopbackHost } from "./endpoints";

/**
 * A rehearsal's pace: the sandbox's world runs `timeScale` times faster than the wall clock,
 * counted from `timeOrigin` (ms since the epoch), so that at wall time t its clock reads
 * `timeOrigin + (t - timeOrigin) * timeScale`. A sandbox endpoint carries it as
 * `?timeScale=K&timeOrigin=ISO-8601`; a cloud's endpoint never does.
 */
export interface RehearsalPace {
    timeScale: number;
    timeOrigin: number;
    /** The sandbox the pace is of (scheme, host and port), whose `/_sandbox/clock` confirms it. */
    sandboxUrl?: string;
}

/** The fastest pace a rehearsal may run at: about 17 minutes of the sandbox's time per second. */
export const MAX_TIME_SCALE = 1000;

/** The query parameters of a rehearsal endpoint. */
const PACE_PARAMS = ["timeScale", "timeOrigin"] as const;

/**
 * Splits a rehearsal pace off an endpoint: `endpoint` without its query, and the pace when the
 * query gives one. Throws an error naming `property` for any other query, a pace on an endpoint
 * that is not this machine's, or a pace out of range. `hostOf` finds the host of the part before
 * the query (for endpoints that are not full URLs).
 */
export function splitRehearsalPace(
    raw: string,
    property: string,
    hostOf: (endpoint: string) => string | undefined,
): { endpoint: string; pace?: RehearsalPace } {
    const at = raw.indexOf("?");
    if (at < 0) {
        return { endpoint: raw };
    }
    const endpoint = raw.slice(0, at);
    const query = new URLSearchParams(raw.slice(at + 1));
    const unknown = [...query.keys()].filter(
        (k) => !(PACE_PARAMS as readonly string[]).includes(k),
    );
    if (unknown.length > 0) {
        throw new Error(
            `${property} takes no query but a sandbox's timeScale and timeOrigin; got ${unknown
                .map((k) => JSON.stringify(k))
                .join(", ")}`,
        );
    }
    // A malformed endpoint is left to the caller's own check, which names the form it wants.
    const host = hostOf(endpoint);
    if (host !== undefined && !isLoopbackHost(host)) {
        throw new Error(
            `${property} carries timeScale and timeOrigin, which only a sandbox on this machine ` +
                "(127.0.0.1, ::1 or localhost) takes: a cloud's time runs at its own pace",
        );
    }
    const scaleText = query.get("timeScale");
    const originText = query.get("timeOrigin");
    if (scaleText === null || originText === null) {
        throw new Error(
            `${property} must give both timeScale and timeOrigin (as pulumi-rollout-sandbox ` +
                "--time-scale prints them), or neither",
        );
    }
    const timeScale = Number(scaleText);
    if (
        scaleText.trim() === "" ||
        !Number.isFinite(timeScale) ||
        timeScale < 1 ||
        timeScale > MAX_TIME_SCALE
    ) {
        throw new Error(
            `${property} has timeScale ${JSON.stringify(scaleText)}: it must be a number from 1 to ${MAX_TIME_SCALE}`,
        );
    }
    const timeOrigin = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,3})?)?Z$/.test(originText)
        ? Date.parse(originText)
        : NaN;
    if (!Number.isFinite(timeOrigin)) {
        throw new Error(
            `${property} has timeOrigin ${JSON.stringify(originText)}: it must be a UTC time such as 2026-12-07T17:40:00.000Z`,
        );
    }
    return { endpoint, pace: { timeScale, timeOrigin } };
}

/**
 * Checks an endpoint URL as {@link checkEndpointUrl} does, after splitting off a sandbox's pace:
 * the URL to call (without the pace) and the pace, if any.
 */
export function checkRehearsableUrl(
    raw: string,
    property = "endpoint",
): { endpoint: string; pace?: RehearsalPace } {
    const split = splitRehearsalPace(raw, property, (e) => {
        try {
            return new URL(e).hostname;
        } catch {
            return undefined;
        }
    });
    checkEndpointUrl(split.endpoint, property);
    if (split.pace) {
        split.pace.sandboxUrl = new URL(split.endpoint).origin;
    }
    return split;
}

/**
 * The clock a wait keeps when it rehearses against a sandbox at `pace`: it reads the sandbox's
 * time and its sleeps pass `timeScale` times faster, so every delay, deadline and heartbeat
 * schedule keeps its meaning in the sandbox's time. Without a pace, `base` itself.
 */
export function rehearsalClock(base: Clock, pace: RehearsalPace | undefined): Clock {
    if (!pace || pace.timeScale === 1) {
        return base;
    }
    const { timeScale, timeOrigin } = pace;
    return {
        now: () => timeOrigin + (base.now() - timeOrigin) * timeScale,
        // Never shorter than REHEARSAL_MIN_SLEEP_MS of real time (unless asked for less of the
        // sandbox's): at a high pace the poller's shortest delay would otherwise be a busy loop.
        sleep: (ms, signal) =>
            base.sleep(Math.max(ms / timeScale, Math.min(ms, REHEARSAL_MIN_SLEEP_MS)), signal),
    };
}

/**
 * The clock the waits of one deployment keep on `base`: with a pace, the sandbox's, once the
 * sandbox has confirmed it runs at that pace from that origin (`GET /_sandbox/clock`); a pace a
 * sandbox restarted since no longer matches, and a wait on it would misjudge every deadline. Logs
 * the rehearsal notice. Without a pace, `base`.
 */
export async function pacedClock(
    base: Clock,
    pace: RehearsalPace | undefined,
    log: (line: string) => void,
): Promise<Clock> {
    if (!pace) {
        return base;
    }
    const where = `${pace.sandboxUrl ?? "the sandbox"}/_sandbox/clock`;
    let state: { timeScale?: unknown; timeOrigin?: unknown };
    try {
        const answer = await fetch(where, { signal: AbortSignal.timeout(10_000) });
        if (!answer.ok) {
            throw new Error(`HTTP ${answer.status}`);
        }
        state = (await answer.json()) as typeof state;
    } catch (err) {
        throw new Error(
            `the endpoint carries a rehearsal pace (timeScale ${pace.timeScale}), but ${where} did not ` +
                `say the sandbox's (${(err as Error).message}): a pace is for a pulumi-rollout sandbox`,
            { cause: err },
        );
    }
    const origin = typeof state.timeOrigin === "string" ? Date.parse(state.timeOrigin) : NaN;
    if (state.timeScale !== pace.timeScale || origin !== pace.timeOrigin) {
        throw new Error(
            `the endpoint says the sandbox runs ${pace.timeScale}x from ` +
                `${new Date(pace.timeOrigin).toISOString()}, but ${where} says ` +
                `${String(state.timeScale)}x from ${String(state.timeOrigin)}: was it restarted? ` +
                "Give the stack the endpoint the sandbox printed, pace included",
        );
    }
    log(rehearsalNotice(pace));
    return rehearsalClock(base, pace);
}

/** The shortest real-time sleep of a rehearsal's waits, ms. */
export const REHEARSAL_MIN_SLEEP_MS = 20;

/** The line a rehearsing provider logs first, so nobody takes its times for real ones. */
export function rehearsalNotice(pace: RehearsalPace): string {
    return (
        `rehearsal: the sandbox's clock runs ${pace.timeScale}x real time (timeScale in the ` +
        "endpoint); times and timeouts below are the sandbox's"
    );
}
