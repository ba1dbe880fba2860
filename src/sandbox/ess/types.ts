import type { EssRefreshStatus } from "../../clouds/alicloud/ess";
import type { SimClock } from "../clock";
import type { SimFaults } from "../common/faults";

/** A scaling group the simulator knows about. */
export interface EssGroupSeed {
    scalingGroupId: string;
    /** Default "cn-hangzhou". */
    regionId?: string;
    scalingGroupName?: string;
    /** Number of instances in the group (all InService, all on the active configuration). */
    capacity: number;
    /** Default "asc-" + the group id's suffix. */
    activeScalingConfigurationId?: string;
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
}

/** Global request faults (throttling answers 400 Throttling.User, 500 InternalError, 503 ServiceUnavailable). */
export type EssFaults = SimFaults;

/** One request the simulator received, whatever its outcome. */
export type { RecordedCall } from "../common/recordedCall";

/** Options of an EssSimulator. */
export interface EssSimulatorOptions {
    /** Accepted key pairs (default the sandbox pair). */
    credentials?: { accessKeyId: string; accessKeySecret: string }[];
    clock?: SimClock;
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
