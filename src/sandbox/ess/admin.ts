/**
 * The unsigned JSON admin API under /_sandbox/, so an out-of-process simulator can be driven:
 * GET calls | refreshes[?scalingGroupId=] | groups; POST groups (EssGroupSeed) |
 * scenario ({scalingGroupId, ...EssScenario}) | faults (EssFaults) | reset.
 */
import {
    AdminError,
    type AdminResponse,
    answerAdmin,
    copyDefined,
    optionalBoolean,
    optionalNumber,
    optionalString,
    parseFaultsJson,
    parseJsonObject,
} from "../common/admin";
import type { EssFaults, EssGroupSeed, EssScenario, RecordedCall, SimRefresh } from "./types";

export type { AdminResponse } from "../common/admin";

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
    return parseFaultsJson<EssFaults>(o);
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
    return answerAdmin(() =>
        route(target, method.toUpperCase(), name.replace(/\/+$/, ""), query, body),
    );
}
