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
    decide,
    estimateOf,
    hookWarnings,
    pastRefreshes,
    type PlannedCheckpoint,
    type RolloutPlan,
    runningOf,
    scheduleOf,
    type SkippedInstance,
} from "../../core/rolloutPlan";
import { phaseOf } from "../common/taskPhases";
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
    const cps = inputs.checkpoints ?? [];
    const pauseEach = inputs.checkpointPauseMinutes * 60;
    const checkpoints: PlannedCheckpoint[] = cps.map((percentage) => ({
        percentage,
        pauseSeconds: percentage < 100 ? pauseEach : 0,
    }));
    const schedule = scheduleOf(replace.length, batchSize, cps, false);
    const batches = schedule.batches;
    const past = pastRefreshes(facts.tasks, (t) => ({
        id: t.instanceRefreshTaskId,
        replaced: t.totalNeedUpdateCapacity,
        // At most: a pause at each checkpoint below 100%.
        pauseSeconds:
            (t.checkpoints ?? []).filter((c) => c < 100).length * (t.checkpointPauseTime ?? 0) * 60,
    }));
    const estimate = estimateOf({
        toReplace: replace.length,
        batches,
        past,
        pauseSeconds: schedule.pauses * pauseEach,
    });
    const refusal = refusalBeforeStart(group, desired);
    const decision = decide({
        refusal: refusal && `ESS refuses the start: ${refusal}`,
        running: runningOf(facts.tasks, (t) => ({
            id: t.instanceRefreshTaskId,
            status: t.status,
            phase: phaseOf(t.status),
            progress:
                t.totalNeedUpdateCapacity !== undefined
                    ? `${t.finishedUpdateCapacity ?? 0}/${t.totalNeedUpdateCapacity} instances`
                    : undefined,
        })),
        ownTaskId,
        onConflict: inputs.onConflict,
        timeoutMinutes: inputs.timeoutMinutes,
        toReplace: replace.length,
        atMost,
        nothing: {
            verdict: "nothing",
            upWill:
                "find nothing to replace: ESS refuses such a start (the resource then records " +
                "status NotNeeded and starts nothing), or accepts a refresh that replaces nothing",
        },
    });
    const covered = new Set((inputs.heartbeatPolicies ?? []).map((p) => p.hook));
    const inTheWay = [
        ...decision.inTheWay,
        ...hookWarnings(
            facts.hooks
                .filter(
                    (h) =>
                        h.lifecycleTransition === "SCALE_OUT" &&
                        h.lifecycleHookStatus !== "InActive",
                )
                .map((h) => ({
                    name: h.lifecycleHookName ?? h.lifecycleHookId,
                    timeoutSeconds: h.heartbeatTimeoutSeconds,
                    defaultResult: h.defaultResult,
                    covered: covered.has(h.lifecycleHookId),
                })),
            "",
        ),
    ];
    const { verdict, upWill } = decision;
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
        pauses: schedule.pauses,
        estimate,
        noEstimate: estimate
            ? undefined
            : "the group has no successful refresh to learn from, and ESS takes no warm-up time",
        inTheWay,
        verdict,
        upWill,
    };
}
