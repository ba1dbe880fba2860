import type { EssScalingGroup, EssScalingInstance } from "../../clouds/alicloud/ess";
import type { DesiredConfiguration } from "./types";

/**
 * What the StartInstanceRefresh reference says a group must be, checked read-only on what
 * DescribeScalingGroups reports before a start: "available only for ECS scaling groups that use
 * the Priority scale-out policy" (MultiAZPolicy PRIORITY), "not supported ... for scaling groups
 * whose instance reclaim mode is set to Stop-billing or Force Stop-billing" (ScalingPolicy recycle
 * or forcerecycle), and DesiredConfiguration.ImageId "cannot be set if the active configuration of
 * the scaling group comes from a launch template". A field the group does not report is not held
 * against it. A group sized by vCPUs (no field shows it) is left to ESS's own refusal. Returns why
 * the start would be refused, or undefined.
 */
export function refusalBeforeStart(
    group: EssScalingGroup,
    desired: DesiredConfiguration | undefined,
): string | undefined {
    const policy = group.multiAZPolicy;
    if (policy !== undefined && policy.toUpperCase() !== "PRIORITY") {
        return (
            `scaling group ${group.scalingGroupId} uses the ${policy} scale-out policy (MultiAZPolicy); ` +
            "ESS refreshes only groups that use the Priority policy (PRIORITY)"
        );
    }
    const reclaim = group.scalingPolicy?.toLowerCase();
    if (reclaim === "recycle" || reclaim === "forcerecycle") {
        const mode = reclaim === "recycle" ? "Stop-billing" : "Force Stop-billing";
        return (
            `scaling group ${group.scalingGroupId} reclaims instances in ${mode} mode (ScalingPolicy ` +
            `${group.scalingPolicy}); ESS does not refresh such groups`
        );
    }
    if (desired?.imageId !== undefined && group.launchTemplateId !== undefined) {
        return (
            `scaling group ${group.scalingGroupId}'s active configuration comes from launch template ` +
            `${group.launchTemplateId}, and ESS does not take desiredConfiguration.imageId then: give ` +
            "desiredConfiguration.launchTemplateId (and launchTemplateVersion) instead"
        );
    }
    return undefined;
}

/**
 * Whether the group already is where a refresh of `desired` would take it, from what ESS reports:
 * the group's active configuration is the desired scaling configuration or launch template
 * version (a refresh would make it so; without a desired configuration, the active one), and every
 * instance a refresh replaces (InService, created by the group, not added by hand) was created
 * from it, as SkipMatching matches them, by id. Says so in words, or undefined when a refresh
 * would change something, or when ESS's answers cannot tell: an image or containers (ESS reports
 * neither per instance), launch-template overrides, SkipMatching off, a group ESS does not
 * describe, instances still Pending or Removing, none to replace, or fewer listed than the group
 * counts.
 */
export function alreadyOnDesired(
    group: EssScalingGroup | undefined,
    instances: readonly EssScalingInstance[],
    desired: DesiredConfiguration | undefined,
    skipMatching: boolean,
): string | undefined {
    if (!group || !skipMatching || desired?.imageId || desired?.containers) {
        return undefined;
    }
    if (desired?.launchTemplateOverrides?.length) {
        return undefined;
    }
    const target = targetOf(group, desired);
    if (!target) {
        return undefined;
    }
    // A refresh would make the target the group's active configuration: not there yet, it has
    // something to do even when every instance already runs the target.
    const active =
        "scalingConfigurationId" in target
            ? group.launchTemplateId === undefined &&
              group.activeScalingConfigurationId === target.scalingConfigurationId
            : group.launchTemplateId === target.launchTemplateId &&
              (group.launchTemplateVersion ?? "Default") === target.launchTemplateVersion;
    if (!active) {
        return undefined;
    }
    const settling = instances.some((i) => /^(Pending|Removing)/.test(i.lifecycleState ?? ""));
    if (settling || (group.totalCapacity !== undefined && instances.length < group.totalCapacity)) {
        return undefined;
    }
    const replaceable = instances.filter(
        (i) => i.lifecycleState === "InService" && i.creationType !== "Attached",
    );
    const on = (i: EssScalingInstance): boolean => runsTarget(i, target);
    if (replaceable.length === 0 || !replaceable.every(on)) {
        return undefined;
    }
    const what = targetName(target);
    return (
        `each of the group's ${replaceable.length} instances a refresh would replace already runs ` +
        `${what} (DescribeScalingInstances)`
    );
}

/**
 * After ESS answered a start with "nothing to refresh": what the group reports against that, in
 * words (instances a refresh would replace), or undefined when it agrees or cannot tell (an image,
 * containers or overrides, which no instance reports).
 */
export function groupContradictsNothing(
    group: EssScalingGroup | undefined,
    instances: readonly EssScalingInstance[],
    desired: DesiredConfiguration | undefined,
    skipMatching: boolean,
): string | undefined {
    if (!group) {
        return undefined;
    }
    const replaceable = instances.filter(
        (i) => i.lifecycleState === "InService" && i.creationType !== "Attached",
    );
    if (!skipMatching) {
        return replaceable.length > 0
            ? `the group has ${replaceable.length} instances in service, which a refresh without ` +
                  `skipMatching replaces (DescribeScalingInstances)`
            : undefined;
    }
    const target = targetOf(group, desired);
    // A moving launch template version (Default, Latest, or none reported) may be listed per
    // instance as the number it resolved to: such a target cannot be told apart, so no verdict.
    const comparable =
        target !== undefined &&
        ("scalingConfigurationId" in target || /^\d+$/.test(target.launchTemplateVersion));
    const off = comparable ? replaceable.filter((i) => !runsTarget(i, target)) : [];
    return comparable && off.length > 0
        ? `${off.length} of the group's instances in service do not run ${targetName(target)} ` +
              `(DescribeScalingInstances: ${off
                  .slice(0, 5)
                  .map((i) => i.instanceId)
                  .join(", ")}${off.length > 5 ? ", ..." : ""})`
        : undefined;
}

/** What a refresh moves instances to, as DescribeScalingInstances can tell it per instance. */
export type EssTarget =
    | { scalingConfigurationId: string }
    | { launchTemplateId: string; launchTemplateVersion: string };

/**
 * The configuration a refresh of `desired` moves instances to, as SkipMatching matches them: the
 * desired scaling configuration or launch template version, else the group's active one.
 * Undefined when no such per-instance fact exists (an image, containers, a group that reports
 * neither).
 */
export function targetOf(
    group: EssScalingGroup,
    desired: DesiredConfiguration | undefined,
): EssTarget | undefined {
    if (desired?.imageId || desired?.containers || desired?.launchTemplateOverrides?.length) {
        return undefined;
    }
    return desired?.scalingConfigurationId
        ? { scalingConfigurationId: desired.scalingConfigurationId }
        : desired?.launchTemplateId
          ? {
                launchTemplateId: desired.launchTemplateId,
                launchTemplateVersion: desired.launchTemplateVersion ?? "Default",
            }
          : group.launchTemplateId
            ? {
                  launchTemplateId: group.launchTemplateId,
                  launchTemplateVersion: group.launchTemplateVersion ?? "Default",
              }
            : group.activeScalingConfigurationId
              ? { scalingConfigurationId: group.activeScalingConfigurationId }
              : undefined;
}

/** Whether an instance was created from `target`. */
export function runsTarget(i: EssScalingInstance, target: EssTarget): boolean {
    return "scalingConfigurationId" in target
        ? i.scalingConfigurationId === target.scalingConfigurationId
        : i.launchTemplateId === target.launchTemplateId &&
              i.launchTemplateVersion === target.launchTemplateVersion;
}

/** The target in words. */
export function targetName(target: EssTarget): string {
    return "scalingConfigurationId" in target
        ? `scaling configuration ${target.scalingConfigurationId}`
        : `launch template ${target.launchTemplateId} version ${target.launchTemplateVersion}`;
}
