/**
 * The rollout plan of alicloud.InstanceRefresh, from what ESS reports (read-only): the group, its
 * instances, its recent refreshes and its lifecycle hooks. Pure: the reads are the caller's.
 */
import type {
    EssLifecycleHook,
    EssRefreshTask,
    EssScalingGroup,
    EssScalingInstance,
} from "../../clouds/alicloud/ess";
import {
    batchSizeOf,
    conflictVerdict,
    estimateOf,
    pauseSecondsOf,
    type PlannedCheckpoint,
    type PlanVerdict,
    type RolloutPlan,
    type SkippedInstance,
    newestFirst,
} from "../../core/rolloutPlan";
import type { HeartbeatPolicyValue } from "../heartbeatPolicy/types";
import { refusalBeforeStart, runsTarget, targetName, targetOf } from "./preconditions";
import type { InstanceRefreshInputs } from "./types";

/** What the plan reads from ESS. */
export interface EssPlanFacts {
    region: string;
    group: EssScalingGroup;
    instances: readonly EssScalingInstance[];
    /** The group's refreshes, newest first (one page). */
    tasks: readonly EssRefreshTask[];
    hooks: readonly EssLifecycleHook[];
}

/** Statuses of an ESS refresh that has not ended. */
const RUNNING = new Set(["Pending", "InProgress", "Paused", "CheckpointPause"]);

/** Why ESS leaves an instance alone (StartInstanceRefresh: "ignored by the instance refresh task"). */
function skipReason(i: EssScalingInstance): string | undefined {
    if (i.creationType === "Attached") {
        return "added to the group by hand (Attached): ESS does not refresh it";
    }
    switch (i.lifecycleState) {
        case "InService":
            return undefined;
        case "Standby":
            return "in Standby: ESS does not refresh it";
        case "Protected":
            return "protected: ESS does not refresh it";
        default:
            return `${i.lifecycleState ?? "in an unknown state"}: not in service now`;
    }
}

/** The plan of a refresh of `inputs` on the group ESS describes in `facts`. */
export function planEssRefresh(
    facts: EssPlanFacts,
    inputs: InstanceRefreshInputs & { heartbeatPolicies?: HeartbeatPolicyValue[] },
    ownTaskId: string | undefined,
): RolloutPlan {
    const { group, instances } = facts;
    const skipped: SkippedInstance[] = [];
    const candidates: EssScalingInstance[] = [];
    for (const i of instances) {
        const why = skipReason(i);
        if (why) {
            skipped.push({ instanceId: i.instanceId, reason: why });
        } else {
            candidates.push(i);
        }
    }
    const desired = inputs.desiredConfiguration;
    const target = targetOf(group, desired);
    let replace = candidates;
    let alreadyDesired = 0;
    let atMost = false;
    let replaceRule: string;
    if (!inputs.skipMatching) {
        replaceRule = "skipMatching is false: every instance in service, created by the group";
    } else if (target) {
        replace = candidates.filter((i) => !runsTarget(i, target));
        alreadyDesired = candidates.length - replace.length;
        replaceRule = `in service and not created from ${targetName(target)}`;
    } else {
        atMost = candidates.length > 0;
        replaceRule = desired?.imageId
            ? `ESS reports no image per instance: those already on image ${desired.imageId} are kept`
            : "ESS reports no image, container or instance type per instance: those already on the desired configuration are kept";
    }
    const capacity = group.totalCapacity ?? instances.length;
    const batchSize = batchSizeOf(
        capacity,
        inputs.minHealthyPercentage,
        inputs.maxHealthyPercentage,
    );
    const checkpoints: PlannedCheckpoint[] = (inputs.checkpoints ?? []).map((percentage) => ({
        percentage,
        pauseSeconds: percentage < 100 ? inputs.checkpointPauseMinutes * 60 : 0,
    }));
    const batches = Math.ceil(replace.length / batchSize);
    const past = newestFirst(facts.tasks)
        .filter((t) => t.status === "Successful" && t.startTime && t.endTime)
        .slice(0, 5)
        .map((t) => ({
            id: t.instanceRefreshTaskId,
            seconds: (Date.parse(t.endTime!) - Date.parse(t.startTime!)) / 1000,
            replaced: t.totalNeedUpdateCapacity,
        }))
        .filter((r) => Number.isFinite(r.seconds) && r.seconds >= 0);
    const estimate = estimateOf({
        toReplace: replace.length,
        batches,
        past,
        pauseSeconds: pauseSecondsOf(checkpoints),
    });

    const inTheWay: string[] = [];
    let verdict: PlanVerdict = "start";
    let upWill = `start a refresh replacing ${atMost ? "up to " : ""}${replace.length} instance${replace.length === 1 ? "" : "s"}, and wait for it to end (within timeoutMinutes ${inputs.timeoutMinutes})`;
    const refusal = refusalBeforeStart(group, desired);
    const running = newestFirst(facts.tasks).find((t) => RUNNING.has(t.status));
    if (refusal) {
        inTheWay.push(`ESS refuses the start: ${refusal}`);
        verdict = "fail";
        upWill = "fail without starting anything, for the reason above";
    } else if (running && running.instanceRefreshTaskId === ownTaskId) {
        inTheWay.push(
            `refresh ${running.instanceRefreshTaskId}, this resource's previous one, is still ${running.status}: this change supersedes it`,
        );
        verdict = "cancelThenStart";
        upWill = "cancel that refresh, wait for it to end, then start this one";
    } else if (running) {
        const progress =
            running.totalNeedUpdateCapacity !== undefined
                ? `${running.finishedUpdateCapacity ?? 0}/${running.totalNeedUpdateCapacity} instances`
                : undefined;
        const c = conflictVerdict(
            inputs.onConflict,
            { id: running.instanceRefreshTaskId, status: running.status, progress },
            inputs.timeoutMinutes,
        );
        inTheWay.push(c.inTheWay);
        verdict = c.verdict;
        upWill = c.upWill;
    } else if (replace.length === 0) {
        verdict = "nothing";
        upWill =
            "find nothing to replace: ESS refuses such a start (the resource then records status " +
            "NotNeeded and starts nothing), or accepts a refresh that replaces nothing";
    }
    const covered = new Set((inputs.heartbeatPolicies ?? []).map((p) => p.hook));
    for (const h of facts.hooks) {
        if (
            h.lifecycleTransition === "SCALE_OUT" &&
            h.lifecycleHookStatus !== "InActive" &&
            !covered.has(h.lifecycleHookId)
        ) {
            inTheWay.push(
                `lifecycle hook ${h.lifecycleHookName ?? h.lifecycleHookId} holds each new instance ` +
                    `at most ${h.heartbeatTimeoutSeconds ?? "?"} s, then ${h.defaultResult ?? "CONTINUE"}: ` +
                    "a longer bootstrap needs heartbeatPolicies",
            );
        }
    }
    return {
        group: group.scalingGroupId,
        region: facts.region,
        capacity,
        instances: instances.length,
        toReplace: replace.length,
        toReplaceAtMost: atMost,
        replaceIds: replace.map((i) => i.instanceId),
        replaceRule,
        alreadyDesired,
        skipped,
        batchSize,
        batchRule: `minHealthyPercentage ${inputs.minHealthyPercentage}, maxHealthyPercentage ${inputs.maxHealthyPercentage} of capacity ${capacity}`,
        batches,
        checkpoints,
        estimate,
        noEstimate: estimate
            ? undefined
            : "the group has no successful refresh to learn from, and ESS takes no warm-up time",
        inTheWay,
        verdict,
        upWill,
    };
}
