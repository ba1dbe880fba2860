/**
 * The rollout plan of aws.InstanceRefresh, from what Auto Scaling reports (read-only): the group
 * and its instances, its recent refreshes and its lifecycle hooks. Pure: the reads are the caller's.
 */
import type {
    AsgGroup,
    AsgInstance,
    AsgLifecycleHook,
    AsgRefresh,
    LaunchTemplateSpec,
} from "../../clouds/aws/autoscaling";
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
import type { AwsInstanceRefreshInputs } from "./types";

/** What the plan reads from Auto Scaling (and EC2, for a "$Latest" or "$Default" version). */
export interface AwsPlanFacts {
    region: string;
    group: AsgGroup;
    instances: readonly AsgInstance[];
    /** The group's refreshes, newest first (one page). */
    refreshes: readonly AsgRefresh[];
    hooks: readonly AsgLifecycleHook[];
    /** The version number the target's "$Latest" / "$Default" stands for, when it has one. */
    targetVersion?: string;
}

/** AWS's minimum healthy percentage when neither the refresh nor the group sets one. */
const AWS_MIN_HEALTHY = 90;

/**
 * Why AWS cannot roll back a refresh of this group, when rollback is asked for: a group on
 * launch template version "$Latest" or "$Default" (preflight refuses it before a start).
 */
export function rollbackRefusal(
    group: AsgGroup,
    inputs: Pick<AwsInstanceRefreshInputs, "onFailure" | "onTimeout">,
): string | undefined {
    const lt = group.launchTemplate;
    const version = lt?.version ?? "$Default";
    const wantsRollback = inputs.onFailure === "rollback" || inputs.onTimeout === "rollback";
    if (wantsRollback && lt && (version === "$Latest" || version === "$Default")) {
        return (
            `the group ${group.autoScalingGroupName} runs launch template version ${version}, from which AWS ` +
            'cannot roll back: point the group at a version number, or use onFailure "fail" ' +
            'and an onTimeout other than "rollback"'
        );
    }
    return undefined;
}

/** The launch template a refresh of `inputs` moves the group's instances to. */
export function targetTemplate(
    group: AsgGroup,
    inputs: Pick<AwsInstanceRefreshInputs, "desiredConfiguration">,
): LaunchTemplateSpec | undefined {
    const d = inputs.desiredConfiguration;
    return (
        d?.launchTemplate ??
        d?.mixedInstancesPolicy?.launchTemplate?.launchTemplateSpecification ??
        group.launchTemplate
    );
}

const sameTemplate = (a: LaunchTemplateSpec | undefined, b: LaunchTemplateSpec): boolean =>
    a !== undefined &&
    ((b.launchTemplateId !== undefined && a.launchTemplateId === b.launchTemplateId) ||
        (b.launchTemplateName !== undefined && a.launchTemplateName === b.launchTemplateName));

/** The plan of a refresh of `inputs` on the group Auto Scaling describes in `facts`. */
export function planAwsRefresh(
    facts: AwsPlanFacts,
    inputs: AwsInstanceRefreshInputs & { heartbeatPolicies?: HeartbeatPolicyValue[] },
    ownRefreshId: string | undefined,
): RolloutPlan {
    const { group, instances } = facts;
    const prefs = inputs.preferences;
    const protectedChoice = prefs.scaleInProtectedInstances ?? "Wait";
    const standbyChoice = prefs.standbyInstances ?? "Wait";
    const skipped: SkippedInstance[] = [];
    const candidates: AsgInstance[] = [];
    const waitingOn: string[] = [];
    let terminated = 0;
    for (const i of instances) {
        if (/Standby/.test(i.lifecycleState)) {
            if (standbyChoice === "Terminate") {
                terminated++;
                candidates.push(i);
                continue;
            }
            skipped.push({
                instanceId: i.instanceId,
                reason: `in Standby: StandbyInstances ${standbyChoice}`,
            });
            if (standbyChoice === "Wait") {
                waitingOn.push(`${i.instanceId} in Standby`);
            }
        } else if (i.lifecycleState !== "InService") {
            skipped.push({
                instanceId: i.instanceId,
                reason: `${i.lifecycleState}: not in service now`,
            });
        } else if (i.protectedFromScaleIn && protectedChoice !== "Refresh") {
            skipped.push({
                instanceId: i.instanceId,
                reason: `protected from scale-in: ScaleInProtectedInstances ${protectedChoice}`,
            });
            if (protectedChoice === "Wait") {
                waitingOn.push(`${i.instanceId} protected from scale-in`);
            }
        } else {
            candidates.push(i);
        }
    }
    const template = targetTemplate(group, inputs);
    const version =
        facts.targetVersion ??
        (template?.version && !template.version.startsWith("$") ? template.version : undefined);
    let replace = candidates;
    let alreadyDesired = 0;
    let atMost = false;
    let replaceRule: string;
    if (!prefs.skipMatching) {
        replaceRule = "skipMatching is not set: every instance in service";
    } else if (template && version) {
        replace = candidates.filter(
            (i) =>
                !(
                    sameTemplate(i.launchTemplate, template) &&
                    i.launchTemplate?.version === version
                ),
        );
        alreadyDesired = candidates.length - replace.length;
        const name = template.launchTemplateId ?? template.launchTemplateName;
        replaceRule = `in service and not launched from launch template ${name} version ${version}`;
    } else if (!template && group.launchConfigurationName) {
        replace = candidates.filter(
            (i) => i.launchConfigurationName !== group.launchConfigurationName,
        );
        alreadyDesired = candidates.length - replace.length;
        replaceRule = `in service and not launched from launch configuration ${group.launchConfigurationName}`;
    } else {
        atMost = candidates.length > 0;
        replaceRule = "which instances already match the desired configuration could not be told";
    }
    const checkpointList = prefs.checkpointPercentages ?? [];
    const last = checkpointList[checkpointList.length - 1];
    const capacity = group.desiredCapacity ?? instances.length;
    const policy = group.instanceMaintenancePolicy;
    const minHealthy =
        prefs.minHealthyPercentage ?? policy?.minHealthyPercentage ?? AWS_MIN_HEALTHY;
    const maxHealthy = prefs.maxHealthyPercentage ?? policy?.maxHealthyPercentage ?? 100;
    const source = (given: number | undefined, fromGroup: number | undefined): string =>
        given !== undefined
            ? ""
            : fromGroup !== undefined
              ? " (the group's instance maintenance policy)"
              : " (AWS's default)";
    const batchSize = batchSizeOf(capacity, minHealthy, maxHealthy);
    const delay = prefs.checkpointDelaySeconds ?? 3600;
    const checkpoints: PlannedCheckpoint[] = checkpointList.map((percentage) => ({
        percentage,
        pauseSeconds: percentage < 100 ? delay : 0,
    }));
    const schedule = scheduleOf(replace.length, batchSize, checkpointList, true);
    if (last !== undefined && last < 100) {
        replaceRule += `; the last checkpoint is ${last}%: the refresh ends there, after ${schedule.replaced}`;
    }
    const batches = schedule.batches;
    const warmup =
        prefs.instanceWarmupSeconds ??
        group.defaultInstanceWarmupSeconds ??
        group.healthCheckGracePeriodSeconds;
    const warmupSource =
        prefs.instanceWarmupSeconds !== undefined
            ? "instanceWarmupSeconds"
            : group.defaultInstanceWarmupSeconds !== undefined
              ? "the group's DefaultInstanceWarmup"
              : "the group's HealthCheckGracePeriod";
    const past = pastRefreshes(facts.refreshes, (r) => {
        const cps = r.preferences?.checkpointPercentages ?? [];
        return {
            id: r.instanceRefreshId,
            // At most: a delay at each checkpoint below 100%, and the bake time.
            pauseSeconds:
                cps.filter((c) => c < 100).length *
                    (r.preferences?.checkpointDelaySeconds ?? (cps.length > 0 ? 3600 : 0)) +
                (r.preferences?.bakeTimeSeconds ?? 0),
        };
    });
    const estimate = estimateOf({
        toReplace: schedule.replaced,
        batches,
        past,
        pauseSeconds: schedule.pauses * delay + (prefs.bakeTimeSeconds ?? 0),
        warmupSeconds: warmup,
        warmupSource,
    });
    const decision = decide({
        refusal: rollbackRefusal(group, inputs),
        running: runningOf(facts.refreshes, (r) => ({
            id: r.instanceRefreshId,
            status: r.status,
            phase: phaseOf(r.status),
            progress:
                r.percentageComplete !== undefined
                    ? `${r.percentageComplete}% complete`
                    : undefined,
        })),
        ownTaskId: ownRefreshId,
        onConflict: inputs.onConflict,
        timeoutMinutes: inputs.timeoutMinutes,
        toReplace: schedule.replaced,
        atMost,
        nothing: {
            verdict: "start",
            upWill: "start a refresh that finds nothing to replace (AWS accepts it), and wait for it to end",
        },
    });
    const inTheWay = [...decision.inTheWay];
    let upWill = decision.upWill;
    if (terminated > 0) {
        inTheWay.push(
            `${terminated} instance${terminated === 1 ? "" : "s"} in Standby ${terminated === 1 ? "is" : "are"} terminated and replaced (StandbyInstances Terminate)`,
        );
    }
    if (waitingOn.length > 0) {
        inTheWay.push(
            `${waitingOn.join(", ")}: AWS waits up to an hour for ${waitingOn.length === 1 ? "it" : "them"} ` +
                "(the Wait preference), then fails the refresh",
        );
        if (decision.verdict !== "fail") {
            upWill +=
                inputs.timeoutMinutes < 60
                    ? `; AWS then holds it for the instances above, and timeoutMinutes ${inputs.timeoutMinutes} ends the wait first (onTimeout "${inputs.onTimeout}")`
                    : "; AWS then holds it up to an hour for the instances above and fails it";
        }
    }
    const covered = new Set((inputs.heartbeatPolicies ?? []).map((p) => p.hook));
    inTheWay.push(
        ...hookWarnings(
            facts.hooks
                .filter((h) => h.lifecycleTransition === "autoscaling:EC2_INSTANCE_LAUNCHING")
                .map((h) => ({
                    name: h.lifecycleHookName,
                    timeoutSeconds: h.heartbeatTimeoutSeconds,
                    defaultResult: h.defaultResult,
                    covered: covered.has(h.lifecycleHookName),
                })),
            " without a heartbeat",
        ),
    );
    const { verdict } = decision;
    return {
        group: group.autoScalingGroupName,
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
        batchRule:
            `minHealthyPercentage ${minHealthy}${source(prefs.minHealthyPercentage, policy?.minHealthyPercentage)}, ` +
            `maxHealthyPercentage ${maxHealthy}${source(prefs.maxHealthyPercentage, policy?.maxHealthyPercentage)} of capacity ${capacity}`,
        batches,
        checkpoints,
        pauses: schedule.pauses,
        estimate,
        noEstimate: estimate
            ? undefined
            : "the group has no successful refresh to learn from, and no warm-up time is set",
        inTheWay,
        verdict,
        upWill,
    };
}
