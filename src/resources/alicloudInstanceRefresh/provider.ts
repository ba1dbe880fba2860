import { systemClock } from "../../core/clock";
import type { RehearsalPace } from "../../core/rehearsal";
import { deriveIdempotencyToken } from "../../core/tokens";
import { userAgentFor } from "../../core/userAgent";
import { AlicloudEndpoint, resolveEndpoint, resolveRegion } from "../../clouds/alicloud/connection";
import {
    createEssClient,
    EssApi,
    EssLifecycleApi,
    type EssScalingGroup,
    type EssScalingInstance,
} from "../../clouds/alicloud/ess";
import { essHookPort, withLifecycleCalls } from "../heartbeatPolicy/ports";
import {
    ESS_NOT_FOUND_CODES,
    ESS_NOTHING_TO_REFRESH_CODES,
    ESS_START_REFUSED_FOR_OTHER_REASONS,
} from "../../clouds/alicloud/essErrors";
import { mayHideARunningRefresh } from "../common/taskPhases";
import {
    cloudCodeIn,
    RefreshProvider,
    RefreshProviderDeps,
    RefreshSpec,
    StackConfig,
    stringOr,
} from "../common/refreshProvider";
import { RefreshNotStartedError } from "../../core/refreshRunner";
import { ESS_DIFF_RULES, refreshDefining } from "./diff";
import type { HeartbeatPolicyValue } from "../heartbeatPolicy/types";
import { planEssRefresh } from "./plan";
import { alreadyOnDesired, groupContradictsNothing, refusalBeforeStart } from "./preconditions";
import { essTaskApi, EssTaskSnapshot, snapshotOf } from "./taskApi";
import {
    ESS_EMPTY_OUTPUTS,
    INSTANCE_REFRESH_TYPE,
    InstanceRefreshInputs,
    toEssDesiredConfiguration,
} from "./types";
import { validateInstanceRefresh } from "./validate";

export { INSTANCE_REFRESH_TYPE };

/** Where an ESS client is pointed. */
export interface EssTarget {
    region: string;
    endpoint: AlicloudEndpoint;
}

/** What the provider needs from the outside world; tests replace any of it. */
export interface ProviderDeps extends RefreshProviderDeps {
    /** Builds the ESS client (default: the real one with the default credential chain). */
    ess: (target: EssTarget) => EssApi;
}

/** The default dependencies: real clients, real time, stdout, process.env. */
export function defaultDeps(): ProviderDeps {
    return {
        ess: (t) =>
            createEssClient({
                regionId: t.region,
                endpoint: t.endpoint,
                userAgent: userAgentFor("alicloud.InstanceRefresh"),
            }),
        clock: systemClock,
        log: (line) => console.log(line),
        env: process.env,
    };
}

type Props = Record<string, unknown>;

/** An ESS client for one resource's region and endpoint. */
interface EssContext {
    ess: EssApi;
    region: string;
    /** A sandbox's pace, when the endpoint gives one. */
    pace?: RehearsalPace;
}

/** Everything ESS-specific about alicloud.InstanceRefresh. */
export function essRefreshSpec(
    makeClient: (target: EssTarget) => EssApi,
): RefreshSpec<EssTaskSnapshot, EssContext> {
    return {
        label: "alicloud.InstanceRefresh",
        taskIdKey: "instanceRefreshTaskId",
        configKeys: ["alicloud:region"],
        diffRules: ESS_DIFF_RULES,
        runningStatuses: new Set(["Pending", "InProgress", "Paused", "CheckpointPause"]),
        validate: (news) => {
            const { inputs, violations } = validateInstanceRefresh(news);
            return { inputs: inputs as unknown as Props, violations };
        },
        connect(inputs: Props, config: StackConfig, env: NodeJS.ProcessEnv): EssContext {
            const src = {
                region: stringOr(inputs.region),
                endpoint: stringOr(inputs.endpoint),
                configRegion: config["alicloud:region"],
                env,
            };
            const region = resolveRegion(src);
            const endpoint = resolveEndpoint(src, "ess", "ALIBABA_CLOUD_ESS_ENDPOINT", region);
            return { ess: makeClient({ region, endpoint }), region, pace: endpoint.pace };
        },
        paceOf: (ctx) => ctx.pace,
        heartbeatPort: ({ ess }) =>
            essHookPort(
                withLifecycleCalls<EssLifecycleApi>(ess, [
                    "describeScalingActivities",
                    "describeLifecycleActions",
                    "recordLifecycleActionHeartbeat",
                ]),
            ),
        async preflight({ ess, region }, inputs, log) {
            const scalingGroupId = String(inputs.scalingGroupId);
            const groups = await ess.describeScalingGroups({ scalingGroupIds: [scalingGroupId] });
            const group = groups.find((g) => g.scalingGroupId === scalingGroupId);
            if (!group) {
                throw new Error(
                    `ESS has no scaling group ${scalingGroupId} in region ${region} ` +
                        "(DescribeScalingGroups found none); check scalingGroupId and region",
                );
            }
            const name = group.scalingGroupName ? ` (${group.scalingGroupName})` : "";
            const size =
                group.totalCapacity !== undefined ? `, ${group.totalCapacity} instances` : "";
            log(
                `scaling group ${scalingGroupId}${name}${size}, ${group.lifecycleState ?? "state unknown"}`,
            );
            const refusal = refusalBeforeStart(
                group,
                (inputs as unknown as InstanceRefreshInputs).desiredConfiguration,
            );
            if (refusal) {
                throw new RefreshNotStartedError(
                    `${refusal} (StartInstanceRefresh reference); nothing was started`,
                );
            }
            const skipped = [
                group.standbyCapacity ? `${group.standbyCapacity} in Standby` : "",
                group.protectedCapacity ? `${group.protectedCapacity} protected` : "",
            ].filter(Boolean);
            if (skipped.length > 0) {
                log(
                    `instances ${skipped.join(" and ")} are not refreshed (ESS ignores them, and ` +
                        "instances added to the group by hand)",
                );
            }
        },
        planKeys: [
            "scalingGroupId",
            "region",
            "endpoint",
            "desiredConfiguration",
            "minHealthyPercentage",
            "maxHealthyPercentage",
            "skipMatching",
            "checkpoints",
            "checkpointPauseMinutes",
            "timeoutMinutes",
            "onConflict",
            "heartbeatPolicies",
        ],
        async plan({ ess, region }, props, ownTaskId, shared) {
            const inputs = props as unknown as InstanceRefreshInputs & {
                heartbeatPolicies?: HeartbeatPolicyValue[];
            };
            const id = inputs.scalingGroupId;
            const at = `ess:${region}:${stringOr(inputs.endpoint) ?? ""}:${id}:`;
            const lifecycle = withLifecycleCalls<EssLifecycleApi>(ess, ["describeLifecycleHooks"]);
            // The group first: when it cannot be read, nothing else is asked.
            await shared(`${at}group`, () => ess.describeScalingGroups({ scalingGroupIds: [id] }));
            const [groups, instances, refreshes, hooks] = await Promise.all([
                shared(`${at}group`, () => ess.describeScalingGroups({ scalingGroupIds: [id] })),
                shared(`${at}instances`, () =>
                    ess.describeScalingInstances({ scalingGroupId: id }),
                ),
                shared(`${at}refreshes`, () =>
                    ess.describeInstanceRefreshes({ scalingGroupId: id, maxResults: 20 }),
                ),
                shared(`${at}hooks`, () => lifecycle.describeLifecycleHooks(id)),
            ]);
            const group = groups.find((g) => g.scalingGroupId === id);
            if (!group) {
                throw new Error(
                    `ESS has no scaling group ${id} in region ${region} (DescribeScalingGroups found none)`,
                );
            }
            return planEssRefresh(
                { region, group, instances, tasks: refreshes.tasks, hooks },
                inputs,
                ownTaskId,
            );
        },
        taskApi({ ess, region }, props, previousTaskId) {
            const inputs = props as unknown as InstanceRefreshInputs;
            return essTaskApi(ess, {
                scalingGroupId: inputs.scalingGroupId,
                clientToken: clientTokenFor(region, props, previousTaskId),
                desiredConfiguration: inputs.desiredConfiguration
                    ? toEssDesiredConfiguration(inputs.desiredConfiguration)
                    : undefined,
                minHealthyPercentage: inputs.minHealthyPercentage,
                maxHealthyPercentage: inputs.maxHealthyPercentage,
                skipMatching: inputs.skipMatching,
                checkpoints: inputs.checkpoints,
                checkpointPauseTime: inputs.checkpoints ? inputs.checkpointPauseMinutes : undefined,
            });
        },
        async nothingToReplace({ ess }, props, err) {
            // Only a refusal of a kind ESS does not document (it may mean "nothing to refresh").
            if (!mayHideARunningRefresh(err, ESS_START_REFUSED_FOR_OTHER_REASONS)) {
                return undefined;
            }
            const inputs = props as unknown as InstanceRefreshInputs;
            const { group, instances } = await groupAndInstances(ess, inputs.scalingGroupId);
            return alreadyOnDesired(
                group,
                instances,
                inputs.desiredConfiguration,
                inputs.skipMatching,
            );
        },
        async findTask({ ess }, inputs, taskId) {
            try {
                const { tasks } = await ess.describeInstanceRefreshes({
                    scalingGroupId: String(inputs.scalingGroupId),
                    instanceRefreshTaskIds: [taskId],
                });
                const task = tasks.find((t) => t.instanceRefreshTaskId === taskId);
                return task ? snapshotOf(task) : undefined;
            } catch (err) {
                if (cloudCodeIn(err, ESS_NOT_FOUND_CODES)) {
                    return undefined;
                }
                throw err;
            }
        },
        nothingToRefresh: (err) => {
            const e = cloudCodeIn(err, ESS_NOTHING_TO_REFRESH_CODES);
            return e ? `${e.code}: ${e.cloudMessage}` : undefined;
        },
        async contradictsNothing({ ess }, props) {
            const inputs = props as unknown as InstanceRefreshInputs;
            const { group, instances } = await groupAndInstances(ess, inputs.scalingGroupId);
            return groupContradictsNothing(
                group,
                instances,
                inputs.desiredConfiguration,
                inputs.skipMatching,
            );
        },
        outputsOf: (s) => {
            const t = s.task;
            return {
                instanceRefreshTaskId: t.instanceRefreshTaskId,
                status: t.status,
                detail: t.detail ?? "",
                totalNeedUpdateCapacity: t.totalNeedUpdateCapacity ?? null,
                finishedUpdateCapacity: t.finishedUpdateCapacity ?? null,
                startTime: t.startTime ?? "",
                endTime: t.endTime ?? "",
            };
        },
        emptyOutputs: ESS_EMPTY_OUTPUTS,
    };
}

/** The group and its instances as ESS describes them now (read-only). */
async function groupAndInstances(
    ess: EssApi,
    scalingGroupId: string,
): Promise<{ group: EssScalingGroup | undefined; instances: EssScalingInstance[] }> {
    const [group] = await ess.describeScalingGroups({ scalingGroupIds: [scalingGroupId] });
    const instances = await ess.describeScalingInstances({ scalingGroupId });
    return { group, instances };
}

/** The dynamic provider of alicloud.InstanceRefresh. */
export class InstanceRefreshProvider extends RefreshProvider<EssTaskSnapshot, EssContext> {
    constructor(deps: ProviderDeps = defaultDeps()) {
        super(essRefreshSpec(deps.ess), deps);
    }
}

/** The ClientToken of a refresh: the same intended refresh always gets the same one. */
export function clientTokenFor(
    region: string,
    inputs: Props,
    previousTaskId: string | undefined,
): string {
    const defining = refreshDefining(inputs);
    defining.region = region;
    return deriveIdempotencyToken(
        { type: INSTANCE_REFRESH_TYPE, defining, previousTaskId: previousTaskId ?? null },
        "pr-",
    );
}
