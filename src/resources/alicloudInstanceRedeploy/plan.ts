/**
 * Which instances one `pulumi up` of alicloud.InstanceRedeploy acts on, and why: a pure function
 * of what ECS reported and what state recorded, shared by `diff` (what preview shows) and the run.
 */
import type { EcsInstance, EcsSystemEvent, EcsTask } from "../../clouds/alicloud/ecs";
import { redeployHandles } from "../../clouds/alicloud/events";
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
        if (p.inputs.when === "always") {
            if (prev?.outcome === "redeployed") {
                return {
                    instanceId,
                    action: "skip",
                    reason: `already redeployed (task ${prev.taskId ?? "unknown"}) for these triggers`,
                    eventIds: [],
                    taskId: prev.taskId ?? undefined,
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
        const handledBefore = new Set(prev?.outcome === "redeployed" ? prev.eventIds : []);
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
                    `${done?.taskId ?? prev?.taskId ?? ""}; ECS has not closed the event yet`.replace(
                        "  ",
                        " ",
                    ),
                eventIds: events.map((e) => e.eventId),
                taskId: done?.taskId ?? prev?.taskId ?? undefined,
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
