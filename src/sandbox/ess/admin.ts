/**
 * The unsigned JSON admin API under /_sandbox/, so an out-of-process simulator can be driven:
 * GET calls | refreshes[?scalingGroupId=] | groups | hooks[?scalingGroupId=] |
 * lifecycle-actions[?scalingGroupId=&instanceRefreshTaskId=&scalingActivityId=&status=] |
 * activities[?scalingGroupId=&instanceRefreshTaskId=];
 * POST groups (EssGroupSeed, hooks in lifecycleHooks) | hooks (EssLifecycleHookSeed) |
 * scenario ({scalingGroupId, ...EssScenario}, e.g. bootstrapSeconds) | faults (EssFaults) | reset |
 * quota ({requestsPerSecond, burst?}: an account-wide quota per access key; {} removes it);
 * GET quota (its settings and admitted / throttled counts).
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
import { parseQuotaJson, type SimQuota, type SimQuotaState } from "../common/quota";
import { isLifecycleStatus } from "./lifecycle";
import type { ActivityFilter, LifecycleActionFilter } from "./refreshEngine";
import type {
    EssFaults,
    EssGroupSeed,
    EssLifecycleHookSeed,
    EssScenario,
    LifecycleActionResult,
    RecordedCall,
    SimLifecycleAction,
    SimLifecycleHook,
    SimRefresh,
    SimScalingActivity,
} from "./types";

export type { AdminResponse } from "../common/admin";

/** What the admin API drives (an EssSimulator). */
export interface AdminTarget {
    readonly calls: RecordedCall[];
    refreshes(scalingGroupId?: string): SimRefresh[];
    groupSummaries(): Record<string, unknown>[];
    addGroup(seed: EssGroupSeed): void;
    setScenario(scalingGroupId: string, scenario: EssScenario): void;
    setFaults(faults: EssFaults): void;
    setQuota(quota: SimQuota | undefined): void;
    quotaState(): SimQuotaState;
    reset(): void;
    addLifecycleHook(seed: EssLifecycleHookSeed): SimLifecycleHook;
    lifecycleHooks(scalingGroupId?: string): SimLifecycleHook[];
    lifecycleActions(filter?: LifecycleActionFilter): SimLifecycleAction[];
    scalingActivities(filter?: ActivityFilter): SimScalingActivity[];
}

/** Reads an EssLifecycleHookSeed from JSON (scalingGroupId may come from the enclosing group). */
export function parseHookSeed(
    o: Record<string, unknown>,
    scalingGroupId?: string,
): EssLifecycleHookSeed {
    const groupId = scalingGroupId ?? optionalString(o, "scalingGroupId");
    if (!groupId) {
        throw new AdminError(400, "scalingGroupId is required");
    }
    const transition = optionalString(o, "lifecycleTransition");
    if (transition !== undefined && transition !== "SCALE_OUT" && transition !== "SCALE_IN") {
        throw new AdminError(400, "lifecycleTransition must be SCALE_OUT or SCALE_IN");
    }
    const result = optionalString(o, "defaultResult");
    if (result !== undefined && !["CONTINUE", "ABANDON", "ROLLBACK"].includes(result)) {
        throw new AdminError(400, "defaultResult must be CONTINUE, ABANDON or ROLLBACK");
    }
    const status = optionalString(o, "lifecycleHookStatus");
    if (status !== undefined && status !== "Active" && status !== "InActive") {
        throw new AdminError(400, "lifecycleHookStatus must be Active or InActive");
    }
    return copyDefined<EssLifecycleHookSeed>(
        { scalingGroupId: groupId },
        {
            lifecycleHookId: optionalString(o, "lifecycleHookId"),
            lifecycleHookName: optionalString(o, "lifecycleHookName"),
            lifecycleTransition: transition,
            defaultResult: result as LifecycleActionResult | undefined,
            heartbeatTimeout: optionalNumber(o, "heartbeatTimeout"),
            lifecycleHookStatus: status,
            notificationArn: optionalString(o, "notificationArn"),
            notificationMetadata: optionalString(o, "notificationMetadata"),
        },
    );
}

function objects(o: Record<string, unknown>, key: string): Record<string, unknown>[] | undefined {
    const v = o[key];
    if (v === undefined) {
        return undefined;
    }
    if (
        !Array.isArray(v) ||
        v.some((e) => typeof e !== "object" || e === null || Array.isArray(e))
    ) {
        throw new AdminError(400, `${key} must be an array of objects`);
    }
    return v as Record<string, unknown>[];
}

function numbers(o: Record<string, unknown>, key: string): number[] | undefined {
    const v = o[key];
    if (v === undefined) {
        return undefined;
    }
    if (!Array.isArray(v) || v.some((e) => typeof e !== "number" || !Number.isFinite(e))) {
        throw new AdminError(400, `${key} must be an array of numbers`);
    }
    return v as number[];
}

/** Reads an EssGroupSeed from JSON. */
export function parseGroupSeed(o: Record<string, unknown>): EssGroupSeed {
    const scalingGroupId = optionalString(o, "scalingGroupId");
    const capacity = optionalNumber(o, "capacity");
    if (!scalingGroupId || capacity === undefined || !Number.isInteger(capacity)) {
        throw new AdminError(400, "scalingGroupId (string) and capacity (integer) are required");
    }
    const hooks = objects(o, "lifecycleHooks")?.map((h) => {
        const { scalingGroupId: _group, ...hook } = parseHookSeed(h, scalingGroupId);
        return hook;
    });
    return copyDefined<EssGroupSeed>(
        { scalingGroupId, capacity },
        {
            regionId: optionalString(o, "regionId"),
            scalingGroupName: optionalString(o, "scalingGroupName"),
            activeScalingConfigurationId: optionalString(o, "activeScalingConfigurationId"),
            imageId: optionalString(o, "imageId"),
            launchTemplateId: optionalString(o, "launchTemplateId"),
            launchTemplateVersion: optionalString(o, "launchTemplateVersion"),
            multiAZPolicy: optionalString(o, "multiAZPolicy") as EssGroupSeed["multiAZPolicy"],
            scalingPolicy: optionalString(o, "scalingPolicy"),
            capacityInVcpus: optionalBoolean(o, "capacityInVcpus"),
            standbyInstances: optionalNumber(o, "standbyInstances"),
            protectedInstances: optionalNumber(o, "protectedInstances"),
            attachedInstances: optionalNumber(o, "attachedInstances"),
            lifecycleHooks: hooks,
            otherConfiguration: otherConfigurationOf(o),
        },
    );
}

/** EssGroupSeed.otherConfiguration from JSON. */
function otherConfigurationOf(o: Record<string, unknown>): EssGroupSeed["otherConfiguration"] {
    const v = o.otherConfiguration;
    if (v === undefined) {
        return undefined;
    }
    if (typeof v !== "object" || v === null || Array.isArray(v)) {
        throw new AdminError(400, "otherConfiguration must be an object");
    }
    const c = v as Record<string, unknown>;
    const count = optionalNumber(c, "count");
    if (count === undefined || !Number.isInteger(count)) {
        throw new AdminError(400, "otherConfiguration.count (integer) is required");
    }
    return copyDefined<NonNullable<EssGroupSeed["otherConfiguration"]>>(
        { count },
        {
            scalingConfigurationId: optionalString(c, "scalingConfigurationId"),
            imageId: optionalString(c, "imageId"),
            launchTemplateVersion: optionalString(c, "launchTemplateVersion"),
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
            busyCode: optionalString(o, "busyCode"),
            nothingToRefreshCode: optionalString(o, "nothingToRefreshCode"),
            unsupportedCode: optionalString(o, "unsupportedCode"),
            bootstrapSeconds: optionalNumber(o, "bootstrapSeconds"),
            bootstrapSecondsByBatch: numbers(o, "bootstrapSecondsByBatch"),
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
        case "GET hooks":
            return {
                status: 200,
                body: target.lifecycleHooks(query.get("scalingGroupId") ?? undefined),
            };
        case "POST hooks": {
            const seed = parseHookSeed(parseJsonObject(body));
            if (!target.groupSummaries().some((g) => g["ScalingGroupId"] === seed.scalingGroupId)) {
                throw new AdminError(404, `unknown scaling group ${seed.scalingGroupId}`);
            }
            return { status: 201, body: target.addLifecycleHook(seed) };
        }
        case "GET lifecycle-actions": {
            const status = query.get("status") ?? undefined;
            if (status !== undefined && !isLifecycleStatus(status)) {
                throw new AdminError(400, "status must be Pending, Timeout or Completed");
            }
            const filter = copyDefined<LifecycleActionFilter>(
                {},
                {
                    scalingGroupId: query.get("scalingGroupId") ?? undefined,
                    instanceRefreshTaskId: query.get("instanceRefreshTaskId") ?? undefined,
                    scalingActivityId: query.get("scalingActivityId") ?? undefined,
                    status,
                },
            );
            return { status: 200, body: target.lifecycleActions(filter) };
        }
        case "GET activities": {
            const filter = copyDefined<ActivityFilter>(
                {},
                {
                    scalingGroupId: query.get("scalingGroupId") ?? undefined,
                    instanceRefreshTaskId: query.get("instanceRefreshTaskId") ?? undefined,
                },
            );
            return { status: 200, body: target.scalingActivities(filter) };
        }
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
        case "GET quota":
            return { status: 200, body: target.quotaState() };
        case "POST quota":
            target.setQuota(parseQuotaJson(parseJsonObject(body)));
            return { status: 200, body: target.quotaState() };
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
