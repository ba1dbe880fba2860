/**
 * Building blocks of the simulators' unsigned JSON admin APIs under /_sandbox/: reading and
 * validating JSON bodies, and answering errors as `{ "error": message }`.
 */
import { clockState, type SimClock } from "../clock";
import type { SimFaults } from "./faults";

/** An admin answer: HTTP status and JSON body. */
export interface AdminResponse {
    status: number;
    body: unknown;
}

/** Raised for a bad admin request (answered as `{ "error": message }`). */
export class AdminError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
    }
}

/** Parses a JSON object body (an empty body is `{}`); 400 otherwise. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
    let parsed: unknown;
    try {
        parsed = JSON.parse(body.length === 0 ? "{}" : body.toString("utf8"));
    } catch {
        throw new AdminError(400, "the body must be a JSON object");
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
        throw new AdminError(400, "the body must be a JSON object");
    }
    return parsed as Record<string, unknown>;
}

/** An optional finite number >= 0. */
export function optionalNumber(o: Record<string, unknown>, key: string): number | undefined {
    const v = o[key];
    if (v === undefined) {
        return undefined;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new AdminError(400, `${key} must be a number >= 0`);
    }
    return v;
}

/** An optional finite number (of either sign). */
export function optionalFiniteNumber(o: Record<string, unknown>, key: string): number | undefined {
    const v = o[key];
    if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v))) {
        throw new AdminError(400, `${key} must be a finite number`);
    }
    return v;
}

/** An optional string. */
export function optionalString(o: Record<string, unknown>, key: string): string | undefined {
    const v = o[key];
    if (v !== undefined && typeof v !== "string") {
        throw new AdminError(400, `${key} must be a string`);
    }
    return v;
}

/** An optional boolean. */
export function optionalBoolean(o: Record<string, unknown>, key: string): boolean | undefined {
    const v = o[key];
    if (v !== undefined && typeof v !== "boolean") {
        throw new AdminError(400, `${key} must be a boolean`);
    }
    return v;
}

/** An optional array of strings. */
export function optionalStrings(o: Record<string, unknown>, key: string): string[] | undefined {
    const v = o[key];
    if (v !== undefined && (!Array.isArray(v) || v.some((a) => typeof a !== "string"))) {
        throw new AdminError(400, `${key} must be an array of strings`);
    }
    return v as string[] | undefined;
}

/** Copies the defined values of `values` onto `out`. */
export function copyDefined<T extends object>(out: T, values: Partial<T>): T {
    for (const [k, v] of Object.entries(values)) {
        if (v !== undefined) {
            (out as Record<string, unknown>)[k] = v;
        }
    }
    return out;
}

/** Reads SimFaults (plus the simulator's own extra counters) from JSON. */
export function parseFaultsJson<T extends SimFaults>(
    o: Record<string, unknown>,
    extraCounters: readonly string[] = [],
): T {
    const out = copyDefined<SimFaults>(
        {},
        {
            throttleNext: optionalNumber(o, "throttleNext"),
            internalErrorNext: optionalNumber(o, "internalErrorNext"),
            serviceUnavailableNext: optionalNumber(o, "serviceUnavailableNext"),
            resetNext: optionalNumber(o, "resetNext"),
            latencyMs: optionalNumber(o, "latencyMs"),
            clockSkewSeconds: optionalFiniteNumber(o, "clockSkewSeconds"),
            actions: optionalStrings(o, "actions"),
        },
    ) as Record<string, unknown>;
    for (const key of extraCounters) {
        const v = optionalNumber(o, key);
        if (v !== undefined) {
            out[key] = v;
        }
    }
    return out as T;
}

/** Runs an admin route, turning thrown errors into `{ error }` answers (400 unless AdminError). */
export function answerAdmin(route: () => AdminResponse): AdminResponse {
    try {
        return route();
    } catch (e) {
        const status = e instanceof AdminError ? e.status : 400;
        return { status, body: { error: e instanceof Error ? e.message : String(e) } };
    }
}

/** A simulator's own admin routes: method, the path after /_sandbox/, query and body. */
export type AdminHandler = (
    method: string,
    route: string,
    query: URLSearchParams,
    body: Buffer,
) => AdminResponse;

/** The admin path prefix every simulator answers. */
export const ADMIN_PREFIX = "/_sandbox/";

/**
 * The answer to a request under /_sandbox/ (undefined for any other path): `GET /_sandbox/clock`
 * gives the simulator's clock, every other route goes to the simulator's own admin handler.
 */
export function sandboxAnswer(
    clock: SimClock,
    req: { method?: string; path: string; query: string; body: Buffer | undefined },
    handler: AdminHandler,
): AdminResponse | undefined {
    if (!req.path.startsWith(ADMIN_PREFIX)) {
        return undefined;
    }
    if (req.path === `${ADMIN_PREFIX}clock`) {
        return { status: 200, body: clockState(clock) };
    }
    return handler(
        req.method ?? "GET",
        req.path.slice(ADMIN_PREFIX.length),
        new URLSearchParams(req.query),
        req.body ?? Buffer.alloc(0),
    );
}
