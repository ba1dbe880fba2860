/**
 * Which instances one `pulumi up` of alicloud.InstanceRedeploy acts on, and why: a pure function
 * of what ECS reported and what state recorded, shared by `diff` (what preview shows) and the run.
 */
import {
    EcsDisk,
    EcsInstance,
    EcsSystemEvent,
    EcsTask,
    isLocalDiskCategory,
} from "../../clouds/alicloud/ecs";
import { REDEPLOY_REMEDIES, redeployHandles } from "../../clouds/alicloud/events";
import type { InstanceRedeployInputs, InstanceResult } from "./types";

/** Event statuses of a system event that has not ended. */
export const OPEN_EVENT_STATUSES = ["Scheduled", "Inquiring", "Executing"] as const;

/** What to do with one instance. */
export type InstancePlan =
    | { instanceId: string; action: "redeploy"; events: EcsSystemEvent[] }
    /** A redeploy of it is already running (or finished without the instance being seen back). */
    | { instanceId: string; action: "adopt"; taskId: string; events: EcsSystemEvent[] }
    | { instanceId: string; action: "skip"; reason: string; eventIds: string[]; taskId?: string }
    | { instanceId: string; action: "fail"; reason: string; errorCode: string | null };

/** What the plan is made from. */
export interface PlanInput {
    inputs: InstanceRedeployInputs;
    /** DescribeInstances of inputs.instanceIds. */
    instances: readonly EcsInstance[];
    /** Open system events of those instances (with when = "systemEvent"). */
    events: readonly EcsSystemEvent[];
    /** RedeployInstance tasks of those instances. */
    tasks: readonly EcsTask[];
    /** Results recorded by the previous `pulumi up` for the same generation (by instance id). */
    previous: ReadonlyMap<string, InstanceResult>;
    region: string;
}

/** The system events of `instanceId` that the inputs call for a redeploy of. */
export function eventsCallingForRedeploy(
    inputs: InstanceRedeployInputs,
    events: readonly EcsSystemEvent[],
    instanceId: string,
): EcsSystemEvent[] {
    return events.filter(
        (e) =>
            e.instanceId === instanceId &&
            redeployHandles(e.eventType, e.status, { eventTypes: inputs.eventTypes }),
    );
}

const time = (s: string | undefined): number => (s ? Date.parse(s) : NaN);

/**
 * The redeploy an earlier `pulumi up` of the same generation already did for an instance: recorded
 * as "redeployed", and carried forward by every later run as "skipped" with the same task and
 * events, so that no later run forgets it and redeploys again.
 */
export function priorRedeploy(
    prev: InstanceResult | undefined,
): { taskId: string | null; eventIds: string[] } | undefined {
    if (!prev) {
        return undefined;
    }
    if (prev.outcome === "redeployed" || (prev.outcome === "skipped" && prev.taskId)) {
        return { taskId: prev.taskId, eventIds: Array.isArray(prev.eventIds) ? prev.eventIds : [] };
    }
    return undefined;
}

/**
 * Plans every instance: not found fails; a redeploy already running is waited on, never started
 * again; with when = "always", an instance already redeployed for these triggers is skipped; with
 * when = "systemEvent", an instance without an open event that calls for a redeploy is skipped,
 * and so is one whose events a redeploy has already handled (recorded in state, or a RedeployInstance
 * task created after the event was published), so that no event is ever handled twice.
 */
export function planRedeploy(p: PlanInput): InstancePlan[] {
    const byId = new Map(p.instances.map((i) => [i.instanceId, i]));
    return p.inputs.instanceIds.map((instanceId): InstancePlan => {
        if (!byId.has(instanceId)) {
            return {
                instanceId,
                action: "fail",
                reason: `ECS has no instance ${instanceId} in region ${p.region} (DescribeInstances found none)`,
                errorCode: "InvalidInstanceId.NotFound",
            };
        }
        const tasks = p.tasks.filter((t) => t.resourceId === instanceId);
        const running = tasks.find((t) => t.status === "Processing");
        const events =
            p.inputs.when === "systemEvent"
                ? eventsCallingForRedeploy(p.inputs, p.events, instanceId)
                : [];
        if (running) {
            return { instanceId, action: "adopt", taskId: running.taskId, events };
        }
        const prev = p.previous.get(instanceId);
        if (prev?.outcome === "inProgress" && prev.taskId) {
            const task = tasks.find((t) => t.taskId === prev.taskId);
            if (task?.status === "Finished") {
                // Finished since: only the instance's return is left to see.
                return { instanceId, action: "adopt", taskId: task.taskId, events };
            }
        }
        const prior = priorRedeploy(prev);
        if (p.inputs.when === "always") {
            if (prior) {
                return {
                    instanceId,
                    action: "skip",
                    reason: `already redeployed (task ${prior.taskId ?? "unknown"}) for these triggers`,
                    eventIds: prior.eventIds,
                    taskId: prior.taskId ?? undefined,
                };
            }
            return { instanceId, action: "redeploy", events: [] };
        }
        if (events.length === 0) {
            return {
                instanceId,
                action: "skip",
                reason: "no open system event that calls for a redeploy",
                eventIds: [],
            };
        }
        const handledBefore = new Set(prior?.eventIds ?? []);
        const open = events.filter((e) => {
            if (handledBefore.has(e.eventId)) {
                return false;
            }
            // ECS reports task times to the minute: compare at that precision.
            const published = Math.floor(time(e.publishTime) / 60_000) * 60_000;
            return !tasks.some(
                (t) =>
                    t.status === "Finished" &&
                    Number.isFinite(published) &&
                    time(t.creationTime) >= published,
            );
        });
        if (open.length === 0) {
            const done = tasks.find((t) => t.status === "Finished");
            return {
                instanceId,
                action: "skip",
                reason:
                    `${describeEvents(events)} already handled by redeploy ` +
                    `${done?.taskId ?? prior?.taskId ?? ""}; ECS has not closed the event yet`.replace(
                        "  ",
                        " ",
                    ),
                eventIds: events.map((e) => e.eventId),
                taskId: done?.taskId ?? prior?.taskId ?? undefined,
            };
        }
        return { instanceId, action: "redeploy", events: open };
    });
}

/** e.g. `SystemMaintenance.Reboot e-123 (Scheduled, not before 2026-11-25T01:00:00Z)`. */
export function describeEvents(events: readonly EcsSystemEvent[]): string {
    return events
        .map((e) => {
            const when = e.notBefore ? `, not before ${e.notBefore}` : "";
            return `${e.eventType} ${e.eventId} (${e.status}${when})`;
        })
        .join(", ");
}

/** What the documented preconditions say of redeploying one instance for these events. */
export type Assessment =
    | { verdict: "go"; events: EcsSystemEvent[] }
    /** A precondition refuses it: RedeployInstance must not be called. */
    | { verdict: "refuse"; reason: string; errorCode: string | null }
    /** Nothing to do after all (its event calls for a redeploy only on other instances). */
    | { verdict: "skip"; reason: string };

/**
 * The preconditions RedeployInstance documents, for an instance and its disks (DescribeDisks):
 * events that a redeploy remedies on this kind of instance (none left: nothing to do, whatever
 * else holds), not on a dedicated host, not locked for security, and no local disks unless
 * `allowLocalDiskDataLoss`. Pure: shared by preview and up.
 */
export function assessInstance(
    inputs: Pick<InstanceRedeployInputs, "when" | "allowLocalDiskDataLoss">,
    instance: EcsInstance,
    disks: readonly EcsDisk[],
    events: readonly EcsSystemEvent[],
): Assessment {
    let remedied = [...events];
    if (inputs.when === "systemEvent") {
        // Some events are remedied by a redeploy only on instances that use only local disks
        // (every data disk local; the system disk is a cloud disk).
        const dataDisks = disks.filter((d) => d.type !== "system");
        const onlyLocal =
            dataDisks.length > 0 && dataDisks.every((d) => isLocalDiskCategory(d.category));
        remedied = remedied.filter(
            (e) => !REDEPLOY_REMEDIES[e.eventType]?.onlyLocalDisks || onlyLocal,
        );
        if (remedied.length === 0) {
            return {
                verdict: "skip",
                reason:
                    `${describeEvents(events)} calls for a redeploy only on instances that use ` +
                    "only local disks, and it does not",
            };
        }
    }
    if (instance.dedicatedHostId) {
        return {
            verdict: "refuse",
            errorCode: "InvalidOperation.RedeployInstance",
            reason:
                `it runs on dedicated host ${instance.dedicatedHostId}, and RedeployInstance cannot ` +
                "redeploy instances on a dedicated host; move it with ModifyInstanceDeployment " +
                "instead (RedeployInstance was not called)",
        };
    }
    if (instance.lockReasons.includes("security")) {
        return {
            verdict: "refuse",
            errorCode: "InstanceLockedForSecurity",
            reason:
                "it is locked for security reasons (OperationLocks: security), and a locked " +
                "instance cannot be redeployed until the lock is lifted (RedeployInstance was not called)",
        };
    }
    const localDisks = disks.filter((d) => isLocalDiskCategory(d.category));
    if (localDisks.length > 0 && !inputs.allowLocalDiskDataLoss) {
        const list = localDisks.map((d) => `${d.diskId} (${d.category})`).join(", ");
        return {
            verdict: "refuse",
            errorCode: null,
            reason:
                `it has local disks ${list}: a redeploy re-initializes local disks and ERASES their ` +
                "data. Back the data up, then set allowLocalDiskDataLoss: true to accept the loss; " +
                "RedeployInstance was not called",
        };
    }
    return { verdict: "go", events: remedied };
}
