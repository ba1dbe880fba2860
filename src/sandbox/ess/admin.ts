/**
 * The unsigned JSON admin API under /_sandbox/, so an out-of-process simulator can be driven:
 * GET calls | refreshes[?scalingGroupId=] | groups; POST groups (EssGroupSeed) |
 * scenario ({scalingGroupId, ...EssScenario}) | faults (EssFaults) | reset.
 */
import type { EssFaults, EssGroupSeed, EssScenario, RecordedCall, SimRefresh } from "./types";

/** What the admin API drives (an EssSimulator). */
export interface AdminTarget {
    readonly calls: RecordedCall[];
    refreshes(scalingGroupId?: string): SimRefresh[];
    groupSummaries(): Record<string, unknown>[];
    addGroup(seed: EssGroupSeed): void;
    setScenario(scalingGroupId: string, scenario: EssScenario): void;
    setFaults(faults: EssFaults): void;
    reset(): void;
}

/** An admin answer: HTTP status and JSON body. */
export interface AdminResponse {
    status: number;
    body: unknown;
}

/** Raised for a bad admin request (answered as `{ "error": message }`). */
class AdminError extends Error {
    constructor(
        readonly status: number,
        message: string,
    ) {
        super(message);
    }
}

function parseJsonObject(body: Buffer): Record<string, unknown> {
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

function optionalNumber(o: Record<string, unknown>, key: string): number | undefined {
    const v = o[key];
    if (v === undefined) {
        return undefined;
    }
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
        throw new AdminError(400, `${key} must be a number >= 0`);
    }
    return v;
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
    const v = o[key];
    if (v !== undefined && typeof v !== "string") {
        throw new AdminError(400, `${key} must be a string`);
    }
    return v;
}

function optionalBoolean(o: Record<string, unknown>, key: string): boolean | undefined {
    const v = o[key];
    if (v !== undefined && typeof v !== "boolean") {
        throw new AdminError(400, `${key} must be a boolean`);
    }
    return v;
}

function copyDefined<T extends object>(out: T, values: Partial<T>): T {
    for (const [k, v] of Object.entries(values)) {
        if (v !== undefined) {
            (out as Record<string, unknown>)[k] = v;
        }
    }
    return out;
}

/** Reads an EssGroupSeed from JSON. */
export function parseGroupSeed(o: Record<string, unknown>): EssGroupSeed {
    const scalingGroupId = optionalString(o, "scalingGroupId");
    const capacity = optionalNumber(o, "capacity");
    if (!scalingGroupId || capacity === undefined || !Number.isInteger(capacity)) {
        throw new AdminError(400, "scalingGroupId (string) and capacity (integer) are required");
    }
    return copyDefined<EssGroupSeed>(
        { scalingGroupId, capacity },
        {
            regionId: optionalString(o, "regionId"),
            scalingGroupName: optionalString(o, "scalingGroupName"),
            activeScalingConfigurationId: optionalString(o, "activeScalingConfigurationId"),
        },
    );
}

/** Reads an EssScenario from JSON. */
export function parseScenario(o: Record<string, unknown>): EssScenario {
    return copyDefined<EssScenario>(
        {},
        {
            pendingSeconds: optionalNumber(o, "pendingSeconds"),
            batchSeconds: optionalNumber(o, "batchSeconds"),
            failAtPercent: optionalNumber(o, "failAtPercent"),
            failDetail: optionalString(o, "failDetail"),
            rollbackFails: optionalBoolean(o, "rollbackFails"),
            checkpointMinuteMs: optionalNumber(o, "checkpointMinuteMs"),
            foreignRefresh: optionalBoolean(o, "foreignRefresh"),
        },
    );
}

/** Reads EssFaults from JSON. */
export function parseFaults(o: Record<string, unknown>): EssFaults {
    const actions = o["actions"];
    if (
        actions !== undefined &&
        (!Array.isArray(actions) || actions.some((a) => typeof a !== "string"))
    ) {
        throw new AdminError(400, "actions must be an array of strings");
    }
    return copyDefined<EssFaults>(
        {},
        {
            throttleNext: optionalNumber(o, "throttleNext"),
            internalErrorNext: optionalNumber(o, "internalErrorNext"),
            serviceUnavailableNext: optionalNumber(o, "serviceUnavailableNext"),
            latencyMs: optionalNumber(o, "latencyMs"),
            actions: actions as string[] | undefined,
        },
    );
}

function route(
    target: AdminTarget,
    method: string,
    name: string,
    query: URLSearchParams,
    body: Buffer,
): AdminResponse {
    const key = `${method} ${name}`;
    switch (key) {
        case "GET calls":
            return { status: 200, body: target.calls };
        case "GET refreshes": {
            const groupId = query.get("scalingGroupId") ?? undefined;
            return { status: 200, body: target.refreshes(groupId) };
        }
        case "GET groups":
            return { status: 200, body: target.groupSummaries() };
        case "POST groups": {
            const seed = parseGroupSeed(parseJsonObject(body));
            if (target.groupSummaries().some((g) => g["ScalingGroupId"] === seed.scalingGroupId)) {
                throw new AdminError(409, `scaling group ${seed.scalingGroupId} already exists`);
            }
            target.addGroup(seed);
            return { status: 201, body: { ok: true } };
        }
        case "POST scenario": {
            const o = parseJsonObject(body);
            const id = optionalString(o, "scalingGroupId");
            if (!id) {
                throw new AdminError(400, "scalingGroupId is required");
            }
            if (!target.groupSummaries().some((g) => g["ScalingGroupId"] === id)) {
                throw new AdminError(404, `unknown scaling group ${id}`);
            }
            target.setScenario(id, parseScenario(o));
            return { status: 200, body: { ok: true } };
        }
        case "POST faults":
            target.setFaults(parseFaults(parseJsonObject(body)));
            return { status: 200, body: { ok: true } };
        case "POST reset":
            target.reset();
            return { status: 200, body: { ok: true } };
        default:
            throw new AdminError(404, `no admin endpoint ${method} /_sandbox/${name}`);
    }
}

/** Answers one admin request (`name` is the path after "/_sandbox/"). */
export function handleAdmin(
    target: AdminTarget,
    method: string,
    name: string,
    query: URLSearchParams,
    body: Buffer,
): AdminResponse {
    try {
        return route(target, method.toUpperCase(), name.replace(/\/+$/, ""), query, body);
    } catch (e) {
        const status = e instanceof AdminError ? e.status : 400;
        return { status, body: { error: e instanceof Error ? e.message : String(e) } };
    }
}
