import type { SimClock } from "../clock";
import type { SimFaults } from "../common/faults";

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
    clock?: SimClock;
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

/** One instance of a group, as the sandbox reports it. */
export interface SimAsgInstance {
    instanceId: string;
    availabilityZone: string;
    lifecycleState: string;
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
