import type { EssScalingGroup } from "../../clouds/alicloud/ess";
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
