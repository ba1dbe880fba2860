/**
 * The unsigned JSON admin API under /_sandbox/, so an out-of-process simulator can be driven:
 * GET calls | refreshes[?autoScalingGroupName=] | groups | launch-templates |
 * lifecycle-hooks[?autoScalingGroupName=] |
 * lifecycle-actions[?autoScalingGroupName=&instanceId=&lifecycleHookName=];
 * POST groups (AsgGroupSeed, with lifecycleHooks) | launch-templates (LaunchTemplateSeed) |
 * launch-template-versions ({launchTemplate: id or name} -> {versionNumber}) |
 * lifecycle-hooks ({autoScalingGroupName, ...AsgLifecycleHookSeed}: 201 new, 200 replaced) |
 * scenario ({autoScalingGroupName, ...AsgScenario}, including the bootstrap fields) |
 * faults (AsgFaults) | reset | quota ({requestsPerSecond, burst?}: an account-wide quota per
 * access key; {} removes it); GET quota (its settings and admitted / throttled counts).
 */
import {
    AdminError,
    type AdminResponse,
    answerAdmin,
    copyDefined,
    optionalBoolean,
    optionalNumber,
    optionalString,
    optionalStrings,
    parseFaultsJson,
    parseJsonObject,
} from "../common/admin";
import { parseQuotaJson, type SimQuota, type SimQuotaState } from "../common/quota";
import type {
    AsgFaults,
    AsgGroupSeed,
    AsgLifecycleActionResult,
    AsgLifecycleHookSeed,
    AsgLifecycleTransition,
    AsgScenario,
    LaunchTemplateRef,
    LaunchTemplateSeed,
    RecordedAwsCall,
    SimAsgGroup,
    SimAsgRefresh,
    SimLaunchTemplate,
    SimLifecycleAction,
    SimLifecycleHook,
} from "./types";

/** What the admin API drives (an AutoScalingSimulator). */
export interface AsgAdminTarget {
    readonly calls: RecordedAwsCall[];
    refreshes(groupName?: string): SimAsgRefresh[];
    groups(): SimAsgGroup[];
    launchTemplates(): SimLaunchTemplate[];
    addGroup(seed: AsgGroupSeed): void;
    addLaunchTemplate(seed: LaunchTemplateSeed): void;
    addLaunchTemplateVersion(idOrName: string): number;
    setScenario(groupName: string, scenario: AsgScenario): void;
    addLifecycleHook(groupName: string, seed: AsgLifecycleHookSeed): boolean;
    lifecycleHooks(groupName?: string): SimLifecycleHook[];
    lifecycleActions(filter?: {
        autoScalingGroupName?: string;
        instanceId?: string;
        lifecycleHookName?: string;
    }): SimLifecycleAction[];
    setFaults(faults: AsgFaults): void;
    setQuota(quota: SimQuota | undefined): void;
    quotaState(): SimQuotaState;
    reset(): void;
}

function requiredInteger(o: Record<string, unknown>, key: string): number {
    const v = optionalNumber(o, key);
    if (v === undefined || !Number.isInteger(v)) {
        throw new AdminError(400, `${key} (integer) is required`);
    }
    return v;
}

function requiredString(o: Record<string, unknown>, key: string): string {
    const v = optionalString(o, key);
    if (!v) {
        throw new AdminError(400, `${key} (string) is required`);
    }
    return v;
}

/** Reads an AsgGroupSeed from JSON. */
export function parseGroupSeed(o: Record<string, unknown>): AsgGroupSeed {
    const seed: AsgGroupSeed = {
        autoScalingGroupName: requiredString(o, "autoScalingGroupName"),
        capacity: requiredInteger(o, "capacity"),
    };
    const lt = o["launchTemplate"];
    if (lt !== undefined) {
        if (typeof lt !== "object" || lt === null || Array.isArray(lt)) {
            throw new AdminError(400, "launchTemplate must be an object");
        }
        const ref = lt as Record<string, unknown>;
        seed.launchTemplate = copyDefined<LaunchTemplateRef>(
            { version: requiredString(ref, "version") },
            {
                launchTemplateId: optionalString(ref, "launchTemplateId"),
                launchTemplateName: optionalString(ref, "launchTemplateName"),
            },
        );
        if (!seed.launchTemplate.launchTemplateId && !seed.launchTemplate.launchTemplateName) {
            throw new AdminError(
                400,
                "launchTemplate needs launchTemplateId or launchTemplateName",
            );
        }
    }
    const hooks = o["lifecycleHooks"];
    if (hooks !== undefined) {
        if (!Array.isArray(hooks)) {
            throw new AdminError(400, "lifecycleHooks must be an array of objects");
        }
        seed.lifecycleHooks = hooks.map((h: unknown) => {
            if (typeof h !== "object" || h === null || Array.isArray(h)) {
                throw new AdminError(400, "lifecycleHooks must be an array of objects");
            }
            return parseLifecycleHookSeed(h as Record<string, unknown>);
        });
    }
    const other = o["otherVersion"];
    if (other !== undefined) {
        if (typeof other !== "object" || other === null || Array.isArray(other)) {
            throw new AdminError(400, "otherVersion must be an object {count, version}");
        }
        const count = optionalNumber(other as Record<string, unknown>, "count");
        const version = optionalNumber(other as Record<string, unknown>, "version");
        if (count === undefined || version === undefined) {
            throw new AdminError(400, "otherVersion needs count and version (numbers)");
        }
        seed.otherVersion = { count, version };
    }
    return copyDefined(seed, {
        availabilityZones: optionalStrings(o, "availabilityZones"),
        healthCheckGracePeriod: optionalNumber(o, "healthCheckGracePeriod"),
        standbyInstances: optionalNumber(o, "standbyInstances"),
        protectedInstances: optionalNumber(o, "protectedInstances"),
    });
}

/** Reads an AsgLifecycleHookSeed from JSON (ranges are checked when the hook is added). */
export function parseLifecycleHookSeed(o: Record<string, unknown>): AsgLifecycleHookSeed {
    return copyDefined<AsgLifecycleHookSeed>(
        {
            lifecycleHookName: requiredString(o, "lifecycleHookName"),
            lifecycleTransition: requiredString(o, "lifecycleTransition") as AsgLifecycleTransition,
        },
        {
            heartbeatTimeout: optionalNumber(o, "heartbeatTimeout"),
            defaultResult: optionalString(o, "defaultResult") as
                AsgLifecycleActionResult | undefined,
            notificationMetadata: optionalString(o, "notificationMetadata"),
            notificationTargetARN: optionalString(o, "notificationTargetARN"),
            roleARN: optionalString(o, "roleARN"),
        },
    );
}

/** A number >= 0 or null (null kept: "never"). */
function secondsOrNull(o: Record<string, unknown>, key: string): number | null | undefined {
    return o[key] === null ? null : optionalNumber(o, key);
}

/** Reads a LaunchTemplateSeed from JSON. */
export function parseLaunchTemplateSeed(o: Record<string, unknown>): LaunchTemplateSeed {
    return copyDefined<LaunchTemplateSeed>(
        {
            launchTemplateId: requiredString(o, "launchTemplateId"),
            launchTemplateName: requiredString(o, "launchTemplateName"),
            versions: requiredInteger(o, "versions"),
        },
        { defaultVersion: optionalNumber(o, "defaultVersion") },
    );
}

/** Reads an AsgScenario from JSON. */
export function parseScenario(o: Record<string, unknown>): AsgScenario {
    return copyDefined<AsgScenario>(
        {},
        {
            pendingSeconds: optionalNumber(o, "pendingSeconds"),
            batchSeconds: optionalNumber(o, "batchSeconds"),
            failAtPercent: optionalNumber(o, "failAtPercent"),
            failReason: optionalString(o, "failReason"),
            rollbackFails: optionalBoolean(o, "rollbackFails"),
            foreignRefresh: optionalBoolean(o, "foreignRefresh"),
            busyCode: optionalString(o, "busyCode"),
            bootstrapSeconds: secondsOrNull(o, "bootstrapSeconds"),
            bootstrapSecondsPerInstance: bootstrapList(o),
            bootstrapResult: optionalString(o, "bootstrapResult") as
                AsgLifecycleActionResult | undefined,
            proceedSeconds: optionalNumber(o, "proceedSeconds"),
        },
    );
}

function bootstrapList(o: Record<string, unknown>): (number | null)[] | undefined {
    const v = o["bootstrapSecondsPerInstance"];
    if (v === undefined) {
        return undefined;
    }
    const ok = (x: unknown): boolean =>
        x === null || (typeof x === "number" && Number.isFinite(x) && x >= 0);
    if (!Array.isArray(v) || !v.every(ok)) {
        throw new AdminError(
            400,
            "bootstrapSecondsPerInstance must be an array of numbers >= 0 or nulls",
        );
    }
    return v as (number | null)[];
}

/** Reads AsgFaults from JSON. */
export function parseFaults(o: Record<string, unknown>): AsgFaults {
    return parseFaultsJson<AsgFaults>(o, ["resourceContentionNext", "limitExceededNext"]);
}

function route(
    target: AsgAdminTarget,
    method: string,
    name: string,
    query: URLSearchParams,
    body: Buffer,
): AdminResponse {
    const hasGroup = (n: string): boolean =>
        target.groups().some((g) => g.autoScalingGroupName === n);
    switch (`${method} ${name}`) {
        case "GET calls":
            return { status: 200, body: target.calls };
        case "GET refreshes":
            return {
                status: 200,
                body: target.refreshes(query.get("autoScalingGroupName") ?? undefined),
            };
        case "GET groups":
            return { status: 200, body: target.groups() };
        case "GET launch-templates":
            return { status: 200, body: target.launchTemplates() };
        case "POST groups": {
            const seed = parseGroupSeed(parseJsonObject(body));
            if (hasGroup(seed.autoScalingGroupName)) {
                throw new AdminError(409, `group ${seed.autoScalingGroupName} already exists`);
            }
            target.addGroup(seed);
            return { status: 201, body: { ok: true } };
        }
        case "POST launch-templates": {
            const seed = parseLaunchTemplateSeed(parseJsonObject(body));
            const taken = target
                .launchTemplates()
                .some(
                    (t) =>
                        t.launchTemplateId === seed.launchTemplateId ||
                        t.launchTemplateName === seed.launchTemplateName,
                );
            if (taken) {
                throw new AdminError(
                    409,
                    `launch template ${seed.launchTemplateId} already exists`,
                );
            }
            target.addLaunchTemplate(seed);
            return { status: 201, body: { ok: true } };
        }
        case "POST launch-template-versions": {
            const ref = requiredString(parseJsonObject(body), "launchTemplate");
            const known = target
                .launchTemplates()
                .some((t) => t.launchTemplateId === ref || t.launchTemplateName === ref);
            if (!known) {
                throw new AdminError(404, `unknown launch template ${ref}`);
            }
            return { status: 200, body: { versionNumber: target.addLaunchTemplateVersion(ref) } };
        }
        case "POST scenario": {
            const o = parseJsonObject(body);
            const groupName = requiredString(o, "autoScalingGroupName");
            if (!hasGroup(groupName)) {
                throw new AdminError(404, `unknown Auto Scaling group ${groupName}`);
            }
            target.setScenario(groupName, parseScenario(o));
            return { status: 200, body: { ok: true } };
        }
        case "GET lifecycle-hooks": {
            const groupName = query.get("autoScalingGroupName") ?? undefined;
            if (groupName !== undefined && !hasGroup(groupName)) {
                throw new AdminError(404, `unknown Auto Scaling group ${groupName}`);
            }
            return { status: 200, body: target.lifecycleHooks(groupName) };
        }
        case "POST lifecycle-hooks": {
            const o = parseJsonObject(body);
            const groupName = requiredString(o, "autoScalingGroupName");
            if (!hasGroup(groupName)) {
                throw new AdminError(404, `unknown Auto Scaling group ${groupName}`);
            }
            const created = target.addLifecycleHook(groupName, parseLifecycleHookSeed(o));
            return { status: created ? 201 : 200, body: { ok: true, created } };
        }
        case "GET lifecycle-actions":
            return {
                status: 200,
                body: target.lifecycleActions(
                    copyDefined(
                        {},
                        {
                            autoScalingGroupName: query.get("autoScalingGroupName") ?? undefined,
                            instanceId: query.get("instanceId") ?? undefined,
                            lifecycleHookName: query.get("lifecycleHookName") ?? undefined,
                        },
                    ),
                ),
            };
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
export function handleAsgAdmin(
    target: AsgAdminTarget,
    method: string,
    name: string,
    query: URLSearchParams,
    body: Buffer,
): AdminResponse {
    return answerAdmin(() =>
        route(target, method.toUpperCase(), name.replace(/\/+$/, ""), query, body),
    );
}
