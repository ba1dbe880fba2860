import { systemClock } from "../../core/clock";
import type { RehearsalPace } from "../../core/rehearsal";
import { userAgentFor } from "../../core/userAgent";
import {
    AutoScalingApi,
    AutoScalingLifecycleApi,
    AwsTarget,
    createAutoScalingClient,
} from "../../clouds/aws/autoscaling";
import { awsHookPort, withLifecycleCalls } from "../heartbeatPolicy/ports";
import { awsTargetOf } from "../common/awsTarget";
import { UNSUCCESSFUL_STATUSES } from "../common/taskPhases";
import { diffRefresh, NOT_NEEDED, RefreshDiff, RefreshDiffRules } from "../common/refreshDiff";
import {
    cloudCodeIn,
    RefreshProvider,
    RefreshProviderDeps,
    RefreshSpec,
    StackConfig,
    stringOr,
} from "../common/refreshProvider";
import type { HeartbeatPolicyValue } from "../heartbeatPolicy/types";
import { planAwsRefresh, rollbackRefusal, targetTemplate } from "./plan";
import { asgSnapshotOf, asgTaskApi, AsgTaskSnapshot } from "./taskApi";
import {
    AWS_EMPTY_OUTPUTS,
    AWS_INSTANCE_REFRESH_TYPE,
    AWS_REFRESH_KEYS,
    AWS_WAIT_KEYS,
    AwsInstanceRefreshInputs,
} from "./types";
import { validateAwsInstanceRefresh } from "./validate";

export { AWS_INSTANCE_REFRESH_TYPE };

/** What the provider needs from the outside world; tests replace any of it. */
export interface AwsProviderDeps extends RefreshProviderDeps {
    /** Builds the Auto Scaling client (default: the AWS SDK with its default credential chain). */
    autoscaling: (target: AwsTarget) => AutoScalingApi;
}

/** The default dependencies: the AWS SDK, real time, stdout, process.env. */
export function defaultAwsDeps(): AwsProviderDeps {
    return {
        autoscaling: (t) =>
            createAutoScalingClient({ ...t, userAgent: userAgentFor("aws.InstanceRefresh") }),
        clock: systemClock,
        log: (line) => console.log(line),
        env: process.env,
    };
}

type Props = Record<string, unknown>;

/** How aws.InstanceRefresh reads its state. */
export const AWS_DIFF_RULES: RefreshDiffRules = {
    refreshKeys: AWS_REFRESH_KEYS,
    waitKeys: AWS_WAIT_KEYS,
    defining: (inputs) => Object.fromEntries(AWS_REFRESH_KEYS.map((k) => [k, inputs[k]])),
    taskIdKey: "instanceRefreshId",
    succeeded: new Set(["Successful", NOT_NEEDED]),
    unsuccessful: UNSUCCESSFUL_STATUSES,
};

/** What a change of inputs means for aws.InstanceRefresh (see diffRefresh). */
export function diffAwsInstanceRefresh(olds: Props, news: Props): RefreshDiff {
    return diffRefresh(AWS_DIFF_RULES, olds, news);
}

/** An Auto Scaling client for one resource's region, endpoint and profile. */
interface AwsContext {
    asg: AutoScalingApi;
    region: string;
    /** A sandbox's pace, when the endpoint gives one. */
    pace?: RehearsalPace;
}

/** Everything AWS-specific about aws.InstanceRefresh. */
export function awsRefreshSpec(
    makeClient: (target: AwsTarget) => AutoScalingApi,
    log: (line: string) => void,
): RefreshSpec<AsgTaskSnapshot, AwsContext> {
    const group = (inputs: Props): string => String(inputs.autoScalingGroupName);
    return {
        label: "aws.InstanceRefresh",
        taskIdKey: "instanceRefreshId",
        configKeys: ["aws:region", "aws:profile"],
        diffRules: AWS_DIFF_RULES,
        runningStatuses: new Set(["Pending", "InProgress", "Baking"]),
        validate: (news) => {
            const { inputs, violations } = validateAwsInstanceRefresh(news);
            return { inputs: inputs as unknown as Props, violations };
        },
        connect(inputs: Props, config: StackConfig, env: NodeJS.ProcessEnv): AwsContext {
            const { target, region, pace } = awsTargetOf(inputs, config, env);
            return { asg: makeClient(target), region, pace };
        },
        paceOf: (ctx) => ctx.pace,
        heartbeatPort: ({ asg }) =>
            awsHookPort(
                withLifecycleCalls<AutoScalingLifecycleApi>(asg, [
                    "describeGroupInstances",
                    "recordLifecycleActionHeartbeat",
                ]),
            ),
        async preflight({ asg, region }, inputs, log) {
            const g = await asg.describeAutoScalingGroup(group(inputs));
            if (!g) {
                throw new Error(
                    `Auto Scaling has no group ${group(inputs)} in region ${region} ` +
                        "(DescribeAutoScalingGroups found none); check autoScalingGroupName and region",
                );
            }
            const lt = g.launchTemplate;
            const template = lt
                ? `, launch template ${lt.launchTemplateId ?? lt.launchTemplateName} version ${lt.version ?? "$Default"}`
                : "";
            log(`group ${g.autoScalingGroupName}: ${g.instances} instances${template}`);
            const refusal = rollbackRefusal(g, inputs as unknown as AwsInstanceRefreshInputs);
            if (refusal) {
                throw new Error(refusal);
            }
        },
        planKeys: [
            "autoScalingGroupName",
            "region",
            "endpoint",
            "profile",
            "desiredConfiguration",
            "preferences",
            "timeoutMinutes",
            "onFailure",
            "onTimeout",
            "onConflict",
            "heartbeatPolicies",
        ],
        async plan({ asg, region }, props, ownRefreshId, shared) {
            const inputs = props as unknown as AwsInstanceRefreshInputs & {
                heartbeatPolicies?: HeartbeatPolicyValue[];
            };
            const name = inputs.autoScalingGroupName;
            const at = `aws:${region}:${stringOr(inputs.endpoint) ?? ""}:${stringOr(inputs.profile) ?? ""}:${name}:`;
            const lifecycle = withLifecycleCalls<AutoScalingLifecycleApi>(asg, [
                "describeLifecycleHooks",
            ]);
            // The group first: when it cannot be read, nothing else is asked.
            await shared(`${at}group`, () => asg.describeAutoScalingGroup(name));
            const [g, refreshes, hooks] = await Promise.all([
                shared(`${at}group`, () => asg.describeAutoScalingGroup(name)),
                shared(`${at}refreshes`, () =>
                    asg.describeInstanceRefreshes({ autoScalingGroupName: name, maxRecords: 20 }),
                ),
                shared(`${at}hooks`, () => lifecycle.describeLifecycleHooks(name)),
            ]);
            if (!g) {
                throw new Error(
                    `Auto Scaling has no group ${name} in region ${region} (DescribeAutoScalingGroups found none)`,
                );
            }
            const template = targetTemplate(g, inputs);
            const version = template?.version ?? "$Default";
            const targetVersion =
                template && version.startsWith("$")
                    ? await shared(`${at}version:${stableKey(template)}`, () =>
                          asg.resolveLaunchTemplateVersion({ ...template, version }),
                      )
                    : undefined;
            return planAwsRefresh(
                { region, group: g, instances: g.members ?? [], refreshes, hooks, targetVersion },
                inputs,
                ownRefreshId,
            );
        },
        taskApi({ asg }, props, _previousTaskId) {
            const inputs = props as unknown as AwsInstanceRefreshInputs;
            return asgTaskApi(
                asg,
                {
                    autoScalingGroupName: inputs.autoScalingGroupName,
                    strategy: inputs.strategy,
                    desiredConfiguration: inputs.desiredConfiguration,
                    // On AWS the rollback after a failure is the refresh's own AutoRollback.
                    preferences:
                        inputs.onFailure === "rollback"
                            ? { ...inputs.preferences, autoRollback: true }
                            : inputs.preferences,
                },
                (line) =>
                    log(
                        `aws.InstanceRefresh ${stringOr(props.__resourceName) ?? inputs.autoScalingGroupName}: ${line}`,
                    ),
            );
        },
        async findTask({ asg }, inputs, taskId) {
            try {
                const refreshes = await asg.describeInstanceRefreshes({
                    autoScalingGroupName: group(inputs),
                    instanceRefreshIds: [taskId],
                });
                const r = refreshes.find((x) => x.instanceRefreshId === taskId);
                return r ? asgSnapshotOf(r) : undefined;
            } catch (err) {
                // A group that no longer exists: AWS answers ValidationError "... not found".
                const e = cloudCodeIn(err, ["ValidationError"]);
                if (e && /not found/i.test(e.cloudMessage)) {
                    return undefined;
                }
                throw err;
            }
        },
        // On AWS the rollback after a failure is the refresh's own AutoRollback (set by validation
        // when onFailure is "rollback"): the runner only waits through RollbackInProgress.
        policyOf: (inputs) => {
            const i = inputs as unknown as AwsInstanceRefreshInputs;
            return {
                timeoutMinutes: i.timeoutMinutes,
                onFailure: "fail",
                onTimeout: i.onTimeout,
                onConflict: i.onConflict,
            };
        },
        outputsOf: (s) => {
            const r = s.refresh;
            return {
                instanceRefreshId: r.instanceRefreshId,
                status: r.status,
                statusReason: r.statusReason ?? "",
                percentageComplete: r.percentageComplete ?? null,
                instancesToUpdate: r.instancesToUpdate ?? null,
                startTime: r.startTime ?? "",
                endTime: r.endTime ?? "",
                rollbackDetails: r.rollbackDetails ?? null,
            };
        },
        emptyOutputs: AWS_EMPTY_OUTPUTS,
    };
}

const stableKey = (t: { launchTemplateId?: string; launchTemplateName?: string }): string =>
    `${t.launchTemplateId ?? ""}/${t.launchTemplateName ?? ""}`;

/** The dynamic provider of aws.InstanceRefresh. */
export class AwsInstanceRefreshProvider extends RefreshProvider<AsgTaskSnapshot, AwsContext> {
    constructor(deps: AwsProviderDeps = defaultAwsDeps()) {
        super(awsRefreshSpec(deps.autoscaling, deps.log), deps);
    }
}
