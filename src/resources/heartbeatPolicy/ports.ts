/**
 * The lifecycle-hook calls a heartbeat policy makes, per cloud, behind one small interface: what
 * the hook is, which of its actions are pending, and a heartbeat for one of them.
 */
import type {
    CloudHeartbeatCaps,
    HeartbeatTarget,
    PendingLifecycleAction,
} from "../../core/heartbeats";
import type { EssLifecycleApi } from "../../clouds/alicloud/ess";
import type { AutoScalingLifecycleApi } from "../../clouds/aws/autoscaling";
import {
    AWS_MAX_GLOBAL_TIMEOUT_SECONDS,
    ESS_MAX_HEARTBEATS,
    ESS_MAX_PENDING_SECONDS,
    HookDescription,
} from "./types";

/** `client` with the lifecycle calls `methods`, or an error saying this client has none. */
export function withLifecycleCalls<T>(client: unknown, methods: readonly string[]): T {
    const c = client as Record<string, unknown>;
    const missing = methods.filter((m) => typeof c[m] !== "function");
    if (missing.length > 0) {
        throw new Error(
            `heartbeatPolicies need the lifecycle calls ${missing.join(", ")}, which this client lacks`,
        );
    }
    return client as T;
}

/** One cloud's lifecycle-hook calls. */
export interface LifecycleHookPort {
    /** The hook on the group, or undefined when the group has no such hook. */
    describeHook(group: string, hook: string): Promise<HookDescription | undefined>;
    /**
     * The hook's actions pending now: all of the group's, or (ESS) only those of one instance
     * refresh's scaling activities.
     */
    target(group: string, hook: HookDescription, refreshTaskId?: string): HeartbeatTarget;
    /** What the cloud allows the heartbeats of one action of this hook. */
    caps(hook: HookDescription): CloudHeartbeatCaps;
}

/** ESS: DescribeLifecycleHooks, DescribeScalingActivities, DescribeLifecycleActions, RecordLifecycleActionHeartbeat. */
export function essHookPort(ess: EssLifecycleApi): LifecycleHookPort {
    return {
        async describeHook(group, hookId) {
            const hooks = await ess.describeLifecycleHooks(group, { ids: [hookId] });
            // With LifecycleHookIds, ESS ignores ScalingGroupId: the hook's own group must match.
            const h = hooks.find(
                (x) =>
                    x.lifecycleHookId === hookId &&
                    (x.scalingGroupId === undefined || x.scalingGroupId === group),
            );
            return h
                ? {
                      id: h.lifecycleHookId,
                      name: h.lifecycleHookName ?? h.lifecycleHookId,
                      transition: h.lifecycleTransition ?? "SCALE_OUT",
                      defaultResult: h.defaultResult ?? "CONTINUE",
                      timeoutSeconds: h.heartbeatTimeoutSeconds ?? 600,
                      status: h.lifecycleHookStatus,
                  }
                : undefined;
        },
        target(group, hook, refreshTaskId) {
            return {
                async pending(): Promise<PendingLifecycleAction[]> {
                    const activities = await ess.describeScalingActivities({
                        scalingGroupId: group,
                        instanceRefreshTaskId: refreshTaskId,
                    });
                    const out: PendingLifecycleAction[] = [];
                    for (const a of activities.filter((x) => x.statusCode === "InProgress")) {
                        const actions = await ess.describeLifecycleActions(
                            a.scalingActivityId,
                            "Pending",
                        );
                        const since = a.startTime ? Date.parse(a.startTime) : NaN;
                        for (const act of actions.filter((x) => x.lifecycleHookId === hook.id)) {
                            out.push({
                                instanceId:
                                    act.instanceIds.length > 0
                                        ? act.instanceIds.join(", ")
                                        : `activity ${a.scalingActivityId}`,
                                token: act.lifecycleActionToken,
                                pendingSince: Number.isFinite(since) ? since : undefined,
                            });
                        }
                    }
                    return out;
                },
                record(action, windowSeconds) {
                    return ess.recordLifecycleActionHeartbeat(
                        hook.id,
                        action.token ?? "",
                        windowSeconds,
                    );
                },
            };
        },
        caps: () => ({
            cloud: "ESS",
            choosesWindow: true,
            minWindowSeconds: 30,
            maxHeartbeats: ESS_MAX_HEARTBEATS,
            maxPendingSeconds: ESS_MAX_PENDING_SECONDS,
        }),
    };
}

/** The wait state of an instance held by a hook of this transition. */
function waitStateOf(transition: string): string {
    return /TERMINATING/i.test(transition) ? "Terminating:Wait" : "Pending:Wait";
}

/** AWS: DescribeLifecycleHooks, DescribeAutoScalingGroups, RecordLifecycleActionHeartbeat. */
export function awsHookPort(asg: AutoScalingLifecycleApi): LifecycleHookPort {
    return {
        async describeHook(group, name) {
            const hooks = await asg.describeLifecycleHooks(group, [name]);
            const h = hooks.find((x) => x.lifecycleHookName === name);
            return h
                ? {
                      id: h.lifecycleHookName,
                      name: h.lifecycleHookName,
                      transition: h.lifecycleTransition,
                      defaultResult: h.defaultResult,
                      timeoutSeconds: h.heartbeatTimeoutSeconds,
                  }
                : undefined;
        },
        target(group, hook) {
            const state = waitStateOf(hook.transition);
            return {
                async pending(): Promise<PendingLifecycleAction[]> {
                    const instances = (await asg.describeGroupInstances(group)) ?? [];
                    return instances
                        .filter((i) => i.lifecycleState === state)
                        .map((i) => ({ instanceId: i.instanceId }));
                },
                record(action) {
                    return asg.recordLifecycleActionHeartbeat({
                        groupName: group,
                        hookName: hook.id,
                        instanceId: action.instanceId,
                    });
                },
            };
        },
        caps: (hook) => ({
            cloud: "Auto Scaling",
            choosesWindow: false,
            minWindowSeconds: 30,
            maxHeartbeats: Infinity,
            maxPendingSeconds: Math.min(AWS_MAX_GLOBAL_TIMEOUT_SECONDS, 100 * hook.timeoutSeconds),
        }),
    };
}
