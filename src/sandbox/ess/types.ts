import type { EssRefreshStatus } from "../../clouds/alicloud/ess";
import type { SimClock } from "../clock";
import type { SimFaults } from "../common/faults";
import type { SimQuota } from "../common/quota";

/** A scaling group the simulator knows about. */
export interface EssGroupSeed {
    scalingGroupId: string;
    /** Default "cn-hangzhou". */
    regionId?: string;
    scalingGroupName?: string;
    /** Number of instances in the group (all on the active configuration). */
    capacity: number;
    /** Default "asc-" + the group id's suffix (none when the group uses a launch template). */
    activeScalingConfigurationId?: string;
    /** The image of the active scaling configuration (default "m-" + the id's suffix + "-v1"). */
    imageId?: string;
    /** The active configuration comes from this launch template (then ImageId is refused). */
    launchTemplateId?: string;
    /** Its version (default "Default"). */
    launchTemplateVersion?: string;
    /** MultiAZPolicy: PRIORITY (default), COST_OPTIMIZED, BALANCE or COMPOSABLE; refresh needs PRIORITY. */
    multiAZPolicy?: "PRIORITY" | "COST_OPTIMIZED" | "BALANCE" | "COMPOSABLE";
    /**
     * ScalingPolicy, the reclaim mode: release (default), forceRelease, recycle (Stop-billing) or
     * forceRecycle (Force Stop-billing); ESS's pages spell them in either case.
     */
    scalingPolicy?: string;
    /** The group calculates its capacity by vCPUs (no API field shows it; refresh refuses it). */
    capacityInVcpus?: boolean;
    /** Of `capacity`, instances in Standby, then Protected, then manually added (Attached): a refresh skips them. */
    standbyInstances?: number;
    protectedInstances?: number;
    attachedInstances?: number;
    /** Lifecycle hooks of the group (see EssLifecycleHookSeed; scalingGroupId is implied). */
    lifecycleHooks?: Omit<EssLifecycleHookSeed, "scalingGroupId">[];
    /**
     * The last `count` instances in service were created from another configuration than the
     * active one: a scaling configuration (with its image, default "m-of-" + its id), or a version
     * of the group's launch template. As after a scale-out on a configuration a refresh has not
     * moved the group to yet.
     */
    otherConfiguration?: {
        count: number;
        scalingConfigurationId?: string;
        imageId?: string;
        launchTemplateVersion?: string;
    };
}

/** The scaling activity types a lifecycle hook applies to. */
export type LifecycleTransition = "SCALE_OUT" | "SCALE_IN";

/** What happens when a lifecycle action ends: on a scale-out, ABANDON and ROLLBACK release. */
export type LifecycleActionResult = "CONTINUE" | "ABANDON" | "ROLLBACK";

/** Lifecycle action statuses, as DescribeLifecycleActions reports them. */
export type LifecycleActionStatus = "Pending" | "Timeout" | "Completed";

/** A lifecycle hook the simulator knows about (ESS's CreateLifecycleHook fields). */
export interface EssLifecycleHookSeed {
    scalingGroupId: string;
    /** Default "ash-" + 20 hex digits. */
    lifecycleHookId?: string;
    /** Default the hook id. */
    lifecycleHookName?: string;
    /** Default "SCALE_OUT". Only SCALE_OUT hooks fire (when a refresh launches instances). */
    lifecycleTransition?: LifecycleTransition;
    /** Result when the Pending window expires (default "CONTINUE"). */
    defaultResult?: LifecycleActionResult;
    /** The Pending window in seconds, 30 to 21600 (default 600). */
    heartbeatTimeout?: number;
    /** Default "Active"; an "InActive" hook does not fire. */
    lifecycleHookStatus?: "Active" | "InActive";
    notificationArn?: string;
    notificationMetadata?: string;
}

/** How refreshes in a group behave (timings are in simulator-clock time). */
export interface EssScenario {
    /** Pending -> InProgress (default 1). */
    pendingSeconds?: number;
    /** Time to replace one batch (default 10). */
    batchSeconds?: number;
    /** The refresh goes Failed once Finished/TotalNeed*100 >= this. */
    failAtPercent?: number;
    /** Detail of that failure (default: an ESS-like message about instances failing to start). */
    failDetail?: string;
    /** A rollback ends RollbackFailed instead of RollbackSuccessful. */
    rollbackFails?: boolean;
    /** Simulator-clock ms one checkpoint-pause minute lasts (default 60000). */
    checkpointMinuteMs?: number;
    /** The group already has a running refresh started by someone else (no ClientToken of ours). */
    foreignRefresh?: boolean;
    /**
     * The error code StartInstanceRefresh answers on a group with a running refresh. ESS
     * documents none; default "InstanceRefreshInProgress" (this project's guess). Another code
     * ("OperationDenied", or one no client knows) proves a client decides from the group's
     * refreshes, not from the code.
     */
    busyCode?: string;
    /**
     * StartInstanceRefresh when no instance needs a refresh. ESS documents nothing: default, the
     * code "InvalidInstance.NoInstanceNeedBeRefreshed" (seen handled by Terraform's provider);
     * another code; or "accept": a task that is Successful at once with nothing to update.
     */
    nothingToRefreshCode?: string;
    /**
     * The code StartInstanceRefresh refuses a group it does not support with (not the Priority
     * scale-out policy, capacity by vCPUs, a Stop-billing reclaim mode). ESS documents none;
     * default "OperationDenied".
     */
    unsupportedCode?: string;
    /**
     * Seconds after launch at which new instances finish their bootstrap and complete their
     * pending lifecycle actions themselves with CONTINUE (a CompleteLifecycleAction from the
     * instance). Unset: instances never do, so each action waits for its window to expire.
     */
    bootstrapSeconds?: number;
    /**
     * Per-batch bootstrap seconds of a refresh, in batch order (the last repeats); overrides
     * bootstrapSeconds. A negative entry means "never completes" for that batch.
     */
    bootstrapSecondsByBatch?: number[];
}

/** Global request faults (throttling answers 400 Throttling.User, 500 InternalError, 503 ServiceUnavailable). */
export type EssFaults = SimFaults;

/** One request the simulator received, whatever its outcome. */
export type { RecordedCall } from "../common/recordedCall";

/** Options of an EssSimulator. */
export interface EssSimulatorOptions {
    /** Accepted key pairs (default the sandbox pair). */
    credentials?: { accessKeyId: string; accessKeySecret: string }[];
    /** The world's clock (default the wall clock; not with `timeScale`). */
    clock?: SimClock;
    /**
     * Runs the world this many times faster than real time (1 to 1000) from the moment the
     * simulator is made: listen()'s `stackEndpoint` then carries the pace a stack's provider
     * needs to keep the same time.
     */
    timeScale?: number;
    groups?: EssGroupSeed[];
    /** Default scenario for all groups. */
    scenario?: EssScenario;
    /**
     * Allowed skew, in minutes, between a request's timestamp and the simulator clock (default
     * 15). Infinity turns the check off (e.g. with a ManualClock far from the wall clock).
     */
    signatureWindowMinutes?: number;
    /** Receives one human-readable line per call. */
    log?: (line: string) => void;
    /** An account-wide request quota per access key (Throttling.User beyond it); default none. */
    quota?: SimQuota;
}

/** A lifecycle hook: the DescribeLifecycleHooks fields. */
export interface SimLifecycleHook {
    ScalingGroupId: string;
    LifecycleHookId: string;
    LifecycleHookName: string;
    LifecycleTransition: LifecycleTransition;
    DefaultResult: LifecycleActionResult;
    HeartbeatTimeout: number;
    LifecycleHookStatus: "Active" | "InActive";
    NotificationArn: string;
    NotificationMetadata?: string;
}

/** One heartbeat a lifecycle action received. */
export interface SimHeartbeat {
    /** Simulator-clock time of the call (ms since epoch). */
    at: number;
    /** The heartbeatTimeout it asked for, seconds. */
    heartbeatTimeout: number;
    /** The new end of the Pending window (ms since epoch): at + heartbeatTimeout s. */
    deadline: number;
}

/** A lifecycle action: the DescribeLifecycleActions fields plus sandbox extras. */
export interface SimLifecycleAction {
    LifecycleHookId: string;
    LifecycleActionToken: string;
    LifecycleActionStatus: LifecycleActionStatus;
    /** While Pending: the hook's DefaultResult (what the window's expiry would do). */
    LifecycleActionResult: LifecycleActionResult;
    InstanceIds: string[];
    scalingActivityId: string;
    scalingGroupId: string;
    instanceRefreshTaskId?: string;
    /** When the instances entered Pending (ms). */
    pendingSince: number;
    /** The current end of the Pending window (ms). */
    deadline: number;
    /** When the instances finish their bootstrap and complete the action (ms), if they do. */
    bootstrapAt?: number;
    /** When the action ended (ms), and how. */
    endedAt?: number;
    endedBy?: "bootstrap" | "timeout" | "CompleteLifecycleAction";
    /** Every accepted RecordLifecycleActionHeartbeat, in order. */
    heartbeats: SimHeartbeat[];
}

/** Scaling activity statuses the simulator produces. */
export type ScalingActivityStatus = "InProgress" | "Successful" | "Failed";

/** A scaling activity: the DescribeScalingActivities fields plus sandbox extras. */
export interface SimScalingActivity {
    ScalingActivityId: string;
    ScalingGroupId: string;
    Description: string;
    Cause: string;
    /** ESS minute format, e.g. "2024-08-22T01:09Z". */
    StartTime: string;
    EndTime?: string;
    Progress: number;
    StatusCode: ScalingActivityStatus;
    StatusMessage: string;
    TotalCapacity: string;
    AttachedCapacity: string;
    AutoCreatedCapacity: string;
    ScalingInstanceNumber: number;
    CreatedCapacity: number;
    CreatedInstances: string[];
    DestroyedCapacity: number;
    DestroyedInstances: string[];
    ErrorMessage?: string;
    LifecycleHookContext: { DisableLifecycleHook: boolean; IgnoredLifecycleHookIds: string[] };
    /** The refresh task that started it. */
    instanceRefreshTaskId?: string;
    /** Simulator-clock start time (ms). */
    startedAt: number;
}

/** An instance of a group, with the DescribeScalingInstances fields the simulator models. */
export interface SimScalingInstance {
    InstanceId: string;
    ScalingGroupId: string;
    /** InService, Standby or Protected (the refresh skips all but InService). */
    LifecycleState: "InService" | "Standby" | "Protected";
    /** AutoCreated, or Attached (added by hand: the refresh skips it). */
    CreationType: "AutoCreated" | "Attached";
    HealthStatus: "Healthy";
    WeightedCapacity: number;
    CreationTime: string;
    /** What the instance was created from: a scaling configuration, or a launch template. */
    ScalingConfigurationId?: string;
    LaunchTemplateId?: string;
    LaunchTemplateVersion?: string;
}

/** Instance refresh task statuses, as ESS reports them (one list, shared with the client). */
export type RefreshStatus = EssRefreshStatus;

/** A container of a desired configuration (ECI scaling groups). */
export interface DesiredContainer {
    Name?: string;
    Image?: string;
    Commands?: string[];
    Args?: string[];
    EnvironmentVars?: { Key?: string; Value?: string; FieldRefFieldPath?: string }[];
}

/** The DesiredConfiguration of a refresh, shaped like DescribeInstanceRefreshes returns it. */
export interface DesiredConfiguration {
    ImageId?: string;
    ScalingConfigurationId?: string;
    LaunchTemplateId?: string;
    LaunchTemplateVersion?: string;
    LaunchTemplateOverrides?: { InstanceType?: string }[];
    Containers?: DesiredContainer[];
}

/** A snapshot of one refresh task: the DescribeInstanceRefreshes fields plus sandbox extras. */
export interface SimRefresh {
    InstanceRefreshTaskId: string;
    ScalingGroupId: string;
    RegionId: string;
    Status: RefreshStatus;
    Detail?: string;
    /** ESS time format, e.g. "2024-08-22T01:09:00Z". */
    StartTime: string;
    EndTime?: string;
    TotalNeedUpdateCapacity: number;
    FinishedUpdateCapacity: number;
    MinHealthyPercentage: number;
    MaxHealthyPercentage: number;
    SkipMatching: boolean;
    Strategy: string;
    CheckpointPauseTime: number;
    Checkpoints: { Percentage: number }[];
    DesiredConfiguration: DesiredConfiguration;
    /** The ClientToken it was started with, if any. */
    clientToken?: string;
    /** Started by "someone else" (scenario.foreignRefresh). */
    foreign: boolean;
}
