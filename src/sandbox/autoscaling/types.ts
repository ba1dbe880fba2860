import type { SimClock } from "../clock";
import type { SimFaults } from "../common/faults";
import type { SimQuota } from "../common/quota";

/** Which launch template (and version) a group, an instance or a refresh uses. */
export interface LaunchTemplateRef {
    /** One of launchTemplateId / launchTemplateName is required. */
    launchTemplateId?: string;
    launchTemplateName?: string;
    /** A version number, "$Latest" or "$Default". */
    version: string;
}

/** An Auto Scaling group the simulator knows about. */
export interface AsgGroupSeed {
    autoScalingGroupName: string;
    /** Desired capacity: this many instances, all InService and Healthy. */
    capacity: number;
    /**
     * The group's launch template. A template not seeded yet is created on the fly (with as
     * many versions as a numeric `version` needs). Without one, the group uses a launch
     * configuration (so a rollback of its refreshes is impossible, as on AWS).
     */
    launchTemplate?: LaunchTemplateRef;
    /** Default ["us-east-1a", "us-east-1b", "us-east-1c"]. */
    availabilityZones?: string[];
    /** The group's HealthCheckGracePeriod, the default InstanceWarmup of a refresh (default 0). */
    healthCheckGracePeriod?: number;
    /** The group's lifecycle hooks (default none: instances go straight to InService). */
    lifecycleHooks?: AsgLifecycleHookSeed[];
    /**
     * Of `capacity`, the first N instances are in Standby. A refresh's StandbyInstances decides:
     * Terminate replaces them, Ignore skips them, Wait (AWS's default) skips them and then waits
     * up to an hour for them to return to service before it fails.
     */
    standbyInstances?: number;
    /**
     * The next N instances are protected from scale-in. ScaleInProtectedInstances decides:
     * Refresh replaces them, Ignore skips them, Wait (the default) as for Standby.
     */
    protectedInstances?: number;
    /** The last `count` instances were launched from another version of the group's launch template. */
    otherVersion?: { count: number; version: number };
}

/** The two lifecycle transitions a hook can watch. */
export type AsgLifecycleTransition =
    "autoscaling:EC2_INSTANCE_LAUNCHING" | "autoscaling:EC2_INSTANCE_TERMINATING";

/** A lifecycle action's result: what CompleteLifecycleAction sends, or a hook's DefaultResult. */
export type AsgLifecycleActionResult = "CONTINUE" | "ABANDON";

/**
 * A lifecycle hook of a group (PutLifecycleHook's fields, camelCase). GlobalTimeout is not set
 * but derived, as on AWS: min(172800, 100 x heartbeatTimeout) seconds.
 */
export interface AsgLifecycleHookSeed {
    /** 1-255 characters of [A-Za-z0-9-_/]. */
    lifecycleHookName: string;
    lifecycleTransition: AsgLifecycleTransition;
    /** Seconds a lifecycle action may go without a heartbeat: 30-7200 (default 3600). */
    heartbeatTimeout?: number;
    /** What happens when the action times out (default ABANDON, as on AWS). */
    defaultResult?: AsgLifecycleActionResult;
    /** Echoed by DescribeLifecycleHooks (no notification is sent). */
    notificationMetadata?: string;
    /** Echoed by DescribeLifecycleHooks (no notification is sent). */
    notificationTargetARN?: string;
    /** Echoed by DescribeLifecycleHooks. */
    roleARN?: string;
}

/** A lifecycle hook as the sandbox reports it (DescribeLifecycleHooks' fields, camelCase). */
export interface SimLifecycleHook {
    autoScalingGroupName: string;
    lifecycleHookName: string;
    lifecycleTransition: AsgLifecycleTransition;
    /** Seconds. */
    heartbeatTimeout: number;
    /** Seconds: min(172800, 100 x heartbeatTimeout). */
    globalTimeout: number;
    defaultResult: AsgLifecycleActionResult;
    notificationMetadata?: string;
    notificationTargetARN?: string;
    roleARN?: string;
}

/** How a lifecycle action ended. */
export type AsgLifecycleActionEnd =
    /** A CompleteLifecycleAction request (over the API). */
    | "CompleteLifecycleAction"
    /** The simulated instance finished its bootstrap and completed the action itself. */
    | "Bootstrap"
    /** No heartbeat within HeartbeatTimeout: the hook's DefaultResult was applied. */
    | "HeartbeatTimeout"
    /** GlobalTimeout since the action began: the hook's DefaultResult was applied. */
    | "GlobalTimeout"
    /** The instance went away first (another hook abandoned it, or a rollback replaced it). */
    | "InstanceTerminated";

/** One RecordLifecycleActionHeartbeat the simulator accepted. */
export interface SimLifecycleHeartbeat {
    /** Simulator-clock time of the heartbeat (ms since epoch). */
    at: number;
    /** The same, AWS format. */
    time: string;
    /** How the request named the action. */
    by: "LifecycleActionToken" | "InstanceId";
    /** The heartbeat deadline it set (min(at + HeartbeatTimeout, the global deadline)). */
    timeoutAt: string;
}

/** A lifecycle action (one instance x one hook) with its history, as the sandbox reports it. */
export interface SimLifecycleAction {
    lifecycleActionToken: string;
    autoScalingGroupName: string;
    lifecycleHookName: string;
    lifecycleTransition: AsgLifecycleTransition;
    instanceId: string;
    /** The refresh whose batch (or rollback) launched the instance. */
    instanceRefreshId?: string;
    /** InProgress while the instance waits on it (Pending:Wait); Completed afterwards. */
    status: "InProgress" | "Completed";
    /** The result it ended with (none when the instance went away first). */
    result?: AsgLifecycleActionResult;
    endedBy?: AsgLifecycleActionEnd;
    /** AWS format; also `startedAt` in ms. */
    startTime: string;
    startedAt: number;
    endTime?: string;
    /** The hook's settings when the action began (seconds). */
    heartbeatTimeout: number;
    globalTimeout: number;
    defaultResult: AsgLifecycleActionResult;
    /** The current heartbeat deadline (AWS format). */
    timeoutAt: string;
    /** startTime + globalTimeout (AWS format): no heartbeat extends the action past it. */
    globalTimeoutAt: string;
    /** When the simulated instance completes the action itself (none: it never does). */
    bootstrapAt?: string;
    /** Accepted heartbeats, oldest first. */
    heartbeats: SimLifecycleHeartbeat[];
}

/** An EC2 launch template with versions 1..versions. */
export interface LaunchTemplateSeed {
    /** e.g. "lt-0abcd1234ef567890". */
    launchTemplateId: string;
    launchTemplateName: string;
    /** Number of versions (1..N, at least 1). */
    versions: number;
    /** Default 1. */
    defaultVersion?: number;
}

/** How refreshes in a group behave (timings are in simulator-clock time). */
export interface AsgScenario {
    /** Pending -> InProgress (default 1). */
    pendingSeconds?: number;
    /** Time to replace one batch, before its InstanceWarmup (default 10). */
    batchSeconds?: number;
    /** The refresh fails (or, with AutoRollback, rolls back) once PercentageComplete >= this. */
    failAtPercent?: number;
    /** StatusReason of that failure (default: an AWS-like message about failed launches). */
    failReason?: string;
    /** A rollback ends RollbackFailed instead of RollbackSuccessful. */
    rollbackFails?: boolean;
    /** The group gets a refresh started by someone else (no desired configuration). */
    foreignRefresh?: boolean;
    /**
     * The error code StartInstanceRefresh answers on a group with a running refresh: default
     * AWS's documented "InstanceRefreshInProgress". Another code (one no client knows) proves a
     * client decides from the group's refreshes, not from the code alone.
     */
    busyCode?: string;
    /**
     * With a launching lifecycle hook: seconds from an instance's launch until it finishes its
     * bootstrap and itself calls CompleteLifecycleAction for each launching hook (default 30;
     * null: it never does, so only a heartbeat timeout or an API call ends its actions).
     */
    bootstrapSeconds?: number | null;
    /**
     * Per instance, overriding bootstrapSeconds: the k-th instance (0-based) a refresh launches,
     * counting its rollback's launches after its own, takes bootstrapSecondsPerInstance[k]
     * seconds (null: never completes). Beyond the list, bootstrapSeconds applies.
     */
    bootstrapSecondsPerInstance?: (number | null)[];
    /** The LifecycleActionResult the instance sends at the end of its bootstrap (default CONTINUE). */
    bootstrapResult?: AsgLifecycleActionResult;
    /**
     * Seconds an instance spends in Pending:Proceed before InService, or in Terminating after
     * its launch was abandoned (default 1).
     */
    proceedSeconds?: number;
}

/**
 * Request faults. Throttling answers 400 Throttling "Rate exceeded" (EC2: 503
 * RequestLimitExceeded), internal errors 500 InternalFailure (EC2: InternalError),
 * unavailability 503 ServiceUnavailable (EC2: Unavailable).
 */
export interface AsgFaults extends SimFaults {
    /** The next N Auto Scaling requests answer 500 ResourceContention. */
    resourceContentionNext?: number;
    /** The next N Auto Scaling requests answer 400 LimitExceeded. */
    limitExceededNext?: number;
}

/** An accepted key pair (a sessionToken, when set, must be sent as x-amz-security-token). */
export interface AwsCredentialPair {
    accessKeyId: string;
    secretAccessKey: string;
    sessionToken?: string;
}

/** The two services the simulator speaks. */
export type AwsService = "autoscaling" | "ec2";

/** One request the simulator received, whatever its outcome. */
export interface RecordedAwsCall {
    service: AwsService;
    action: string;
    /** Flattened form params as received, without Action and Version. */
    params: Record<string, string>;
    httpStatus: number;
    errorCode?: string;
    requestId: string;
    accessKeyId?: string;
    /** The region of the SigV4 credential scope, when the request had one. */
    region?: string;
    /** Simulator-clock time the request arrived (ms since epoch). */
    receivedAt: number;
    /** The request's User-Agent and x-amz-user-agent headers. */
    userAgent?: string;
}

/** Options of an AutoScalingSimulator. */
export interface AutoScalingSimulatorOptions {
    /** Accepted key pairs (default the sandbox pair). */
    credentials?: AwsCredentialPair[];
    /** The world's clock (default the wall clock; not with `timeScale`). */
    clock?: SimClock;
    /**
     * Runs the world this many times faster than real time (1 to 1000) from the moment the
     * simulator is made: listen()'s `stackEndpoint` then carries the pace a stack's provider
     * needs to keep the same time.
     */
    timeScale?: number;
    groups?: AsgGroupSeed[];
    launchTemplates?: LaunchTemplateSeed[];
    /** Default scenario for all groups. */
    scenario?: AsgScenario;
    /**
     * Allowed skew, in minutes, between x-amz-date and the simulator clock (default 15).
     * Infinity turns the check off (e.g. with a ManualClock far from the wall clock).
     */
    signatureWindowMinutes?: number;
    /** When set, a credential scope naming another region is refused (default: any region). */
    region?: string;
    /** Receives one human-readable line per call. */
    log?: (line: string) => void;
    /** An account-wide request quota per access key (Throttling beyond it); default none. */
    quota?: SimQuota;
}

/** Instance refresh statuses, as DescribeInstanceRefreshes reports them. */
export type AsgRefreshStatus =
    | "Pending"
    | "InProgress"
    | "Successful"
    | "Failed"
    | "Cancelling"
    | "Cancelled"
    | "RollbackInProgress"
    | "RollbackFailed"
    | "RollbackSuccessful"
    | "Baking";

/** A launch template specification on the wire (Auto Scaling's PascalCase). */
export interface WireLaunchTemplateSpecification {
    LaunchTemplateId?: string;
    LaunchTemplateName?: string;
    Version?: string;
}

/** DesiredConfiguration as StartInstanceRefresh takes it and DescribeInstanceRefreshes echoes it. */
export interface WireDesiredConfiguration {
    LaunchTemplate?: WireLaunchTemplateSpecification;
    MixedInstancesPolicy?: {
        LaunchTemplate?: {
            LaunchTemplateSpecification?: WireLaunchTemplateSpecification;
            Overrides?: { InstanceType?: string; WeightedCapacity?: string }[];
        };
        InstancesDistribution?: Record<string, string>;
    };
}

/** RefreshPreferences as DescribeInstanceRefreshes echoes them. */
export interface WireRefreshPreferences {
    MinHealthyPercentage?: number;
    MaxHealthyPercentage?: number;
    InstanceWarmup?: number;
    CheckpointPercentages?: number[];
    CheckpointDelay?: number;
    SkipMatching?: boolean;
    AutoRollback?: boolean;
    ScaleInProtectedInstances?: string;
    StandbyInstances?: string;
    AlarmSpecification?: { Alarms?: string[] };
    BakeTime?: number;
}

/** Live-pool progress of a refresh (or of its rollback). */
export interface WireProgressDetails {
    LivePoolProgress: { PercentageComplete: number; InstancesToUpdate: number };
}

/** A snapshot of one refresh: the DescribeInstanceRefreshes fields plus sandbox extras. */
export interface SimAsgRefresh {
    InstanceRefreshId: string;
    AutoScalingGroupName: string;
    Status: AsgRefreshStatus;
    StatusReason?: string;
    /** AWS format, e.g. "2024-08-22T01:09:00Z". */
    StartTime: string;
    EndTime?: string;
    PercentageComplete: number;
    /** Instances still to replace. */
    InstancesToUpdate: number;
    ProgressDetails: WireProgressDetails;
    Preferences: WireRefreshPreferences;
    DesiredConfiguration?: WireDesiredConfiguration;
    RollbackDetails?: {
        RollbackReason: string;
        RollbackStartTime: string;
        PercentageCompleteOnRollback: number;
        InstancesToUpdateOnRollback: number;
        ProgressDetailsOnRollback: WireProgressDetails;
    };
    Strategy: "Rolling";
    /** Started by "someone else" (scenario.foreignRefresh). */
    foreign: boolean;
}

/** The lifecycle states the simulator's instances go through. */
export type AsgInstanceLifecycleState =
    "Pending:Wait" | "Pending:Proceed" | "InService" | "Terminating" | "Standby";

/** One instance of a group, as the sandbox reports it. */
export interface SimAsgInstance {
    instanceId: string;
    availabilityZone: string;
    lifecycleState: AsgInstanceLifecycleState;
    healthStatus: string;
    protectedFromScaleIn: boolean;
    /** The template the instance was launched from (the version is always a number). */
    launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
    launchConfigurationName?: string;
}

/** A group's current configuration and instances. */
export interface SimAsgGroup {
    autoScalingGroupName: string;
    capacity: number;
    /** As configured on the group: the version may be "$Latest" / "$Default". */
    launchTemplate?: { launchTemplateId: string; launchTemplateName: string; version: string };
    launchConfigurationName?: string;
    instances: SimAsgInstance[];
}

/** A launch template as the sandbox reports it. */
export interface SimLaunchTemplate {
    launchTemplateId: string;
    launchTemplateName: string;
    defaultVersionNumber: number;
    latestVersionNumber: number;
}
