import type { SimClock } from "../clock";
import type { SimFaults } from "../common/faults";

export type { RecordedCall } from "../common/recordedCall";

/** Instance lifecycle statuses, as DescribeInstances reports them. */
export type EcsInstanceStatus = "Pending" | "Running" | "Starting" | "Stopping" | "Stopped";

/** Task statuses, as DescribeTasks reports them. */
export type EcsTaskStatus = "Processing" | "Finished" | "Failed";

/** System event lifecycle statuses (EventCycleStatus). */
export type EcsEventCycleStatus =
    "Scheduled" | "Inquiring" | "Executing" | "Executed" | "Avoided" | "Canceled" | "Failed";

/** A system event on an instance (CreateSimulatedSystemEvents-style when `simulated`). */
export interface EcsEventSeed {
    /** Default a generated "e-..." id. */
    eventId?: string;
    /** The event type, e.g. "SystemMaintenance.Reboot". */
    eventType: string;
    /** EventCycleStatus (default "Scheduled"): one of EcsEventCycleStatus. */
    status?: string;
    /**
     * NotBefore = now + this (default 3 days). When the clock passes NotBefore with the event still
     * Scheduled, the cloud executes it itself: Executing, then Executed (and the instance reboots,
     * or is redeployed for *.Redeploy events).
     */
    notBeforeSeconds?: number;
    /** Created by CreateSimulatedSystemEvents: RedeployInstance refuses to handle it. */
    simulated?: boolean;
}

/** An ECS instance the simulator knows about. */
export interface EcsInstanceSeed {
    /** "i-..." */
    instanceId: string;
    /** Default "cn-hangzhou". */
    regionId?: string;
    /** Default `${regionId}-i`. */
    zoneId?: string;
    /** Default "Running". */
    status?: "Running" | "Stopped";
    /** Default "ecs.g7.large". */
    instanceType?: string;
    /** On a dedicated host: RedeployInstance is refused. */
    dedicatedHostId?: string;
    /** OperationLocks [{LockReason: "security"}]: RedeployInstance answers InstanceLockedForSecurity. */
    securityLocked?: boolean;
    /** Expired subscription / overdue payment: RedeployInstance answers InstanceExpiredOrInArrears. */
    expired?: boolean;
    /** Number of local data disks (category "local_ssd_pro"), default 0. */
    localDisks?: number;
    events?: EcsEventSeed[];
}

/**
 * How redeploys of an instance behave (timings in simulator-clock seconds). An instance's own
 * scenario (setScenario) is merged over the simulator-wide default (option `scenario`).
 */
export interface EcsScenario {
    /** Stopping -> Stopped (default 5). */
    stopSeconds?: number;
    /** Stopped -> Starting while data migrates to the new host (default 10). */
    migrateSeconds?: number;
    /** Starting -> Running (default 5). */
    startSeconds?: number;
    /**
     * The redeploy fails when the migration ends: the task ends Failed with this code and
     * message, and the instance returns to its original host and original status.
     */
    failWith?: { code: string; message: string };
    /** RedeployInstance answers 403 DiskError. */
    diskError?: boolean;
    /**
     * The message of RedeployInstance's refusal (403 InvalidOperation.RedeployInstance, "%s" in
     * seed 000) of an instance whose open events are all simulated. ECS words it as it likes:
     * default the simulator's own, naming the simulated events.
     */
    simulatedRefusalMessage?: string;
}

/** Global request faults (throttling answers 400 Throttling.User, 500 InternalError, 503 ServiceUnavailable). */
export type EcsFaults = SimFaults;

/** Options of an EcsSimulator. */
export interface EcsSimulatorOptions {
    /** Accepted key pairs (default the sandbox pair, the same as the ESS simulator's). */
    credentials?: { accessKeyId: string; accessKeySecret: string }[];
    /** The world's clock (default the wall clock; not with `timeScale`). */
    clock?: SimClock;
    /**
     * Runs the world this many times faster than real time (1 to 1000) from the moment the
     * simulator is made: listen()'s `stackEndpoint` then carries the pace a stack's provider
     * needs to keep the same time.
     */
    timeScale?: number;
    instances?: EcsInstanceSeed[];
    /** Default scenario for all instances. */
    scenario?: EcsScenario;
    /**
     * Allowed skew, in minutes, between a request's timestamp and the simulator clock (default
     * 15). Infinity turns the check off (e.g. with a ManualClock far from the wall clock).
     */
    signatureWindowMinutes?: number;
    /** Receives one human-readable line per call. */
    log?: (line: string) => void;
    /** The account (userId in notifications, resourceId ARNs); default SANDBOX_ACCOUNT_ID. */
    accountId?: string;
}

/** A local disk of an instance. */
export interface SimLocalDisk {
    diskId: string;
    /** "local_ssd_pro". */
    category: string;
    /** Re-initialized by a redeploy (the data on it is gone). */
    dataErased: boolean;
}

/** A snapshot of one instance. */
export interface SimInstance {
    instanceId: string;
    regionId: string;
    zoneId: string;
    status: EcsInstanceStatus;
    instanceType: string;
    /** The physical server; changes after a successful redeploy (a DDH instance: the host id). */
    hostId: string;
    dedicatedHostId?: string;
    securityLocked: boolean;
    expired: boolean;
    /** The system disk (cloud_essd). */
    systemDiskId: string;
    localDisks: SimLocalDisk[];
    /** Successful redeploys. */
    redeployCount: number;
    /** The redeploy task in progress, if any. */
    redeployTaskId?: string;
    /** How the last redeploy stopped the instance (undefined until a redeploy stopped it). */
    lastStop?: "graceful" | "forced";
}

/** A snapshot of one RedeployInstance task: the DescribeTasks fields plus sandbox extras. */
export interface SimTask {
    TaskId: string;
    TaskAction: "RedeployInstance";
    TaskStatus: EcsTaskStatus;
    /** The instance id. */
    ResourceId: string;
    RegionId: string;
    SupportCancel: "false";
    /** ECS's minute format, e.g. "2024-08-22T01:09Z" (UTC). */
    CreationTime: string;
    FinishedTime?: string;
    /** Why a Failed task failed (also in DescribeTaskAttribute's OperationProgressSet). */
    error?: { code: string; message: string };
    /** RedeployInstance was called with ForceStop=true. */
    forceStop: boolean;
    /** The instance's status when the redeploy started. */
    originalStatus: "Running" | "Stopped";
    originalHostId: string;
    /** The host it moved to (successful redeploys). */
    newHostId?: string;
    /** Simulator-clock ms of creation / end. */
    createdAt: number;
    finishedAt?: number;
}

/** A snapshot of one system event (times in UTC, second precision). */
export interface SimEvent {
    EventId: string;
    InstanceId: string;
    RegionId: string;
    EventType: string;
    EventCycleStatus: EcsEventCycleStatus;
    EventPublishTime: string;
    NotBefore: string;
    ExecuteStartTime?: string;
    ExecuteFinishTime?: string;
    EventFinishTime?: string;
    simulated: boolean;
}

/** An event notification, in the envelope ECS sends (seed 002). */
export interface EcsNotification {
    ver: "1.0";
    id: string;
    product: "ECS";
    /** "acs:ecs:<region>:<uid>:instance/<id>". */
    resourceId: string;
    /** "CRITICAL" for system events, "INFO" for Instance:StateChange. */
    level: string;
    /** e.g. "Instance:SystemMaintenance.Reboot:Avoided", "Instance:StateChange". */
    name: string;
    userId: string;
    /** e.g. "20190409T121826.922+0800". */
    eventTime: string;
    regionId: string;
    content: Record<string, string>;
}
