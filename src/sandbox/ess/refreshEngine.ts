/**
 * The instance-refresh state machine. Pure: no I/O and no clock of its own; every method takes
 * `now` (ms since epoch) and first brings all tasks up to that time, so state is computed lazily
 * and transitions carry their exact times (an EndTime is when the last batch finished, not when
 * someone looked).
 *
 * Each batch is a scaling activity that launches the batch's new instances. Without Active
 * SCALE_OUT lifecycle hooks a batch lasts batchSeconds, as it always did. With them, the new
 * instances first wait in Pending, one lifecycle action per hook (see ./lifecycle.ts), and the
 * batch's batchSeconds only start once every action has ended with CONTINUE; an action ending with
 * ABANDON or ROLLBACK releases the instances and fails the refresh (a rollback: RollbackFailed)
 * with a Detail naming the hook. The actions are lazily timed too: their window's end and the
 * instances' bootstrap are known times, so the task's next transition is the earliest of them.
 */
import {
    idempotentParameterMismatch,
    incorrectRefreshStatus,
    invalidParameter,
    lifecycleRecordTimesExceeded,
    lifecycleTimeExceeded,
    lifecycleTokenInvalid,
    nothingToRefresh,
    operationDenied,
    refreshInProgress,
    refreshUnsupported,
    refreshTaskNotFound,
    scalingGroupNotFound,
} from "./errors";
import { formatEssTime } from "./format";
import {
    type Action,
    type Activity,
    abandonReason,
    actionSnapshot,
    activitySnapshot,
    closeActivity,
    endAction,
    type Hook,
    hookFromSeed,
    hookSnapshot,
    MAX_HEARTBEATS_PER_PENDING,
    MAX_PENDING_MS,
    naturalEnd,
    newAction,
    pendingActions,
    randomId,
    releasingAction,
    settleAction,
} from "./lifecycle";
import type {
    DesiredConfiguration,
    EssGroupSeed,
    EssLifecycleHookSeed,
    LifecycleActionResult,
    LifecycleActionStatus,
    LifecycleTransition,
    RefreshStatus,
    EssScenario,
    SimLifecycleAction,
    SimLifecycleHook,
    SimRefresh,
    SimScalingInstance,
    SimScalingActivity,
} from "./types";

/** Region used when a seed names none. */
export const DEFAULT_REGION = "cn-hangzhou";

/** The default Detail of a refresh that fails (scenario.failAtPercent). */
export const DEFAULT_FAIL_DETAIL =
    "The instance refresh task failed because new instances with the desired configuration " +
    "failed to start: The specified instance type is out of stock in the zone. " +
    "(OperationDenied.NoStock)";

/** The Detail of a rollback that fails (scenario.rollbackFails). */
export const ROLLBACK_FAIL_DETAIL =
    "The rollback of the instance refresh task failed because instances with the original " +
    "configuration failed to start.";

const TERMINAL: ReadonlySet<RefreshStatus> = new Set<RefreshStatus>([
    "Failed",
    "Successful",
    "Cancelled",
    "RollbackSuccessful",
    "RollbackFailed",
]);

/** Whether a status is final (anything else counts as the group's running refresh). */
export function isTerminal(status: RefreshStatus): boolean {
    return TERMINAL.has(status);
}

/** A validated StartInstanceRefresh request. */
export interface StartRefreshInput {
    scalingGroupId: string;
    regionId: string;
    minHealthyPercentage: number;
    maxHealthyPercentage: number;
    skipMatching: boolean;
    checkpointPauseTime: number;
    /** Ascending checkpoint percentages, last = 100 (may be empty). */
    checkpoints: number[];
    desired: DesiredConfiguration;
    clientToken?: string;
    /** Identifies the request's parameters, for ClientToken idempotency. */
    fingerprint?: string;
}

/** A scaling group's state as the engine keeps it. */
export interface SimGroup {
    scalingGroupId: string;
    regionId: string;
    scalingGroupName: string;
    capacity: number;
    /** The active scaling configuration (undefined when it comes from a launch template). */
    activeScalingConfigurationId?: string;
    /** The image of the active scaling configuration. */
    activeImageId: string;
    /** The launch template the active configuration comes from, if it does. */
    launchTemplateId?: string;
    launchTemplateVersion?: string;
    /** The configuration key of each instance (see activeKey and desiredTarget). */
    instanceKeys: string[];
    /** Each instance's id (a replaced instance gets the id its batch's activity created). */
    instanceIds: string[];
    /** Each instance's LifecycleState and CreationType (DescribeScalingInstances' words). */
    instanceStates: {
        lifecycleState: "InService" | "Standby" | "Protected";
        creationType: "AutoCreated" | "Attached";
    }[];
    multiAZPolicy: NonNullable<EssGroupSeed["multiAZPolicy"]>;
    scalingPolicy: NonNullable<EssGroupSeed["scalingPolicy"]>;
    capacityInVcpus: boolean;
    createdAt: number;
}

/** The batch a task is replacing (or restoring, in a rollback): one scaling activity. */
interface Batch {
    activity: Activity;
    direction: "forward" | "rollback";
    /** Its instances are Pending: the batch waits for its lifecycle actions to end. */
    waiting: boolean;
}

interface Task {
    seq: number;
    id: string;
    group: SimGroup;
    status: RefreshStatus;
    detail?: string;
    startTime: number;
    endTime?: number;
    finished: number;
    input: StartRefreshInput;
    /** The key its new instances get. */
    desiredKey: string;
    /** Indices (into group.instanceKeys) to replace, in replacement order. */
    targets: number[];
    /** The key each target had before the refresh. */
    oldKeys: string[];
    batchSize: number;
    /** Index of the next checkpoint not yet paused at. */
    nextCheckpoint: number;
    /** When the next timed transition happens (undefined: none scheduled). */
    nextAt?: number;
    foreign: boolean;
    /** The batch in flight, once begun (its activity launched the batch's new instances). */
    batch?: Batch;
    /** Batches begun so far, rollback batches included (for scenario.bootstrapSecondsByBatch). */
    batchesBegun: number;
}

/** The key of an instance created from a scaling configuration with an image. */
function scKey(scalingConfigurationId: string, imageId: string): string {
    return `sc:${scalingConfigurationId}|image:${imageId}`;
}

/** The key of an instance on the group's active configuration now. */
export function activeKey(group: SimGroup): string {
    return group.launchTemplateId !== undefined
        ? `lt:${group.launchTemplateId}:${group.launchTemplateVersion ?? "Default"}:`
        : scKey(group.activeScalingConfigurationId ?? "", group.activeImageId);
}

/**
 * Why StartInstanceRefresh refuses a group, per the page's Description: "available only for ECS
 * scaling groups that use the Priority scale-out policy", "not supported for scaling groups that
 * calculate their capacity based on the number of vCPUs, or for scaling groups whose instance
 * reclaim mode is set to Stop-billing or Force Stop-billing". Undefined: supported.
 */
export function unsupportedBecause(group: SimGroup): string | undefined {
    if (group.multiAZPolicy !== "PRIORITY") {
        return `the scaling group's MultiAZPolicy is ${group.multiAZPolicy}; only groups that use the Priority scale-out policy (PRIORITY) are supported.`;
    }
    if (group.capacityInVcpus) {
        return "the scaling group calculates its capacity based on the number of vCPUs.";
    }
    const reclaim = group.scalingPolicy.toLowerCase();
    if (reclaim === "recycle" || reclaim === "forcerecycle") {
        return `the scaling group's instance reclaim mode (ScalingPolicy ${group.scalingPolicy}) is Stop-billing or Force Stop-billing.`;
    }
    return undefined;
}

/** What a refresh moves instances to: the key of its new instances, and which ones match it. */
export interface DesiredTarget {
    key: string;
    matches(key: string): boolean;
}

/**
 * The target of a desired configuration on `group`. Without one, the group's active
 * configuration. ImageId (with or without ScalingConfigurationId) is that image on that (or the
 * active) scaling configuration; ScalingConfigurationId alone matches instances by its ID only
 * ("The system does not compare specific configuration items"). Throws the InvalidParameter
 * refusal for ImageId on a group whose active configuration comes from a launch template.
 */
export function desiredTarget(group: SimGroup, d: DesiredConfiguration): DesiredTarget {
    const exact = (key: string): DesiredTarget => ({ key, matches: (k) => k === key });
    if (d.ImageId !== undefined) {
        if (group.launchTemplateId !== undefined) {
            throw invalidParameter(
                "DesiredConfiguration.ImageId",
                "You cannot set this parameter if the active configuration of the scaling group " +
                    "comes from a launch template.",
            );
        }
        return exact(
            scKey(d.ScalingConfigurationId ?? group.activeScalingConfigurationId ?? "", d.ImageId),
        );
    }
    if (d.ScalingConfigurationId !== undefined) {
        const sc = d.ScalingConfigurationId;
        const image =
            sc === group.activeScalingConfigurationId ? group.activeImageId : `m-of-${sc}`;
        return { key: scKey(sc, image), matches: (k) => k.startsWith(`sc:${sc}|`) };
    }
    if (d.LaunchTemplateId !== undefined) {
        const types = (d.LaunchTemplateOverrides ?? []).map((o) => o.InstanceType ?? "");
        const version = d.LaunchTemplateVersion ?? "Default";
        return exact(`lt:${d.LaunchTemplateId}:${version}:${types.join(",")}`);
    }
    if (d.Containers !== undefined) {
        const images = d.Containers.map((c) => `${c.Name ?? ""}=${c.Image ?? ""}`);
        return exact(`containers:${images.join(",")}`);
    }
    // Without one, the active configuration, matched as SkipMatching matches: by the scaling
    // configuration's id (or the launch template's version).
    const key = activeKey(group);
    if (group.launchTemplateId !== undefined) {
        return exact(key);
    }
    const sc = group.activeScalingConfigurationId ?? "";
    return { key, matches: (k) => k.startsWith(`sc:${sc}|`) };
}

/** Instances replaced per batch: floor(cap*(100-min)/100) + floor(cap*(max-100)/100), >= 1. */
export function batchSizeFor(capacity: number, minHealthy: number, maxHealthy: number): number {
    const below = Math.floor((capacity * (100 - minHealthy)) / 100);
    const above = Math.floor((capacity * (maxHealthy - 100)) / 100);
    return Math.max(1, below + above);
}

function checkScenario(s: EssScenario): void {
    const nonNegative: (keyof EssScenario)[] = [
        "pendingSeconds",
        "batchSeconds",
        "failAtPercent",
        "checkpointMinuteMs",
        "bootstrapSeconds",
    ];
    for (const key of nonNegative) {
        const v = s[key];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
            throw new RangeError(`scenario.${key} must be a finite number >= 0, got ${String(v)}`);
        }
    }
    const byBatch = s.bootstrapSecondsByBatch;
    if (
        byBatch !== undefined &&
        (!Array.isArray(byBatch) ||
            byBatch.some((v) => typeof v !== "number" || !Number.isFinite(v)))
    ) {
        throw new RangeError("scenario.bootstrapSecondsByBatch must be an array of finite numbers");
    }
}

/** The Detail of a refresh whose new instances a lifecycle hook released (ABANDON/ROLLBACK). */
export function lifecycleFailDetail(direction: "forward" | "rollback", reason: string): string {
    return direction === "forward"
        ? `The instance refresh task failed because new instances did not pass a lifecycle hook. ${reason}`
        : "The rollback of the instance refresh task failed because instances with the original " +
              `configuration did not pass a lifecycle hook. ${reason}`;
}

/** Filters of RefreshEngine.scalingActivities. */
export interface ActivityFilter {
    scalingGroupId?: string;
    regionId?: string;
    scalingActivityIds?: string[];
    instanceRefreshTaskId?: string;
    /** A DescribeScalingActivities StatusCode (see ScalingActivityStatus). */
    statusCode?: string;
}

/** Filters of RefreshEngine.lifecycleActions. */
export interface LifecycleActionFilter {
    scalingActivityId?: string;
    scalingGroupId?: string;
    instanceRefreshTaskId?: string;
    regionId?: string;
    status?: LifecycleActionStatus;
}

/** A lifecycle action named by a request: hook id, token and (optionally) region. */
export interface LifecycleActionRef {
    lifecycleHookId: string;
    lifecycleActionToken: string;
    regionId?: string;
}

/** Options of a RefreshEngine. */
export interface RefreshEngineOptions {
    /** Scenario every group starts from (a group's own scenario is merged over it). */
    defaultScenario?: EssScenario;
    /** Generates refresh task ids (default "ir-" + 20 hex digits). */
    newTaskId?: () => string;
}

/** Scaling groups and their refresh tasks, advanced lazily to the `now` each call is given. */
export class RefreshEngine {
    private readonly groupsById = new Map<string, SimGroup>();
    private readonly groupScenarios = new Map<string, EssScenario>();
    private readonly tasks: Task[] = [];
    private readonly byToken = new Map<string, Task>();
    private readonly defaultScenario: EssScenario;
    private readonly newTaskId: () => string;
    private seq = 0;
    private readonly hooksById = new Map<string, Hook>();
    private readonly activityList: Activity[] = [];
    private readonly actionsByToken = new Map<string, Action>();
    private activitySeq = 0;

    constructor(opts: RefreshEngineOptions = {}) {
        this.defaultScenario = { ...(opts.defaultScenario ?? {}) };
        checkScenario(this.defaultScenario);
        this.newTaskId = opts.newTaskId ?? (() => randomId("ir-"));
    }

    /** Adds a group (all instances on its active configuration); throws if the id exists. */
    addGroup(seed: EssGroupSeed, now: number): SimGroup {
        this.advance(now);
        if (typeof seed.scalingGroupId !== "string" || seed.scalingGroupId === "") {
            throw new TypeError("EssGroupSeed.scalingGroupId must be a non-empty string");
        }
        if (!Number.isInteger(seed.capacity) || seed.capacity < 0) {
            throw new RangeError(`EssGroupSeed.capacity must be an integer >= 0: ${seed.capacity}`);
        }
        if (this.groupsById.has(seed.scalingGroupId)) {
            throw new Error(`scaling group ${seed.scalingGroupId} already exists`);
        }
        const hooks = (seed.lifecycleHooks ?? []).map((h) =>
            hookFromSeed(
                { ...h, scalingGroupId: seed.scalingGroupId },
                seed.regionId ?? DEFAULT_REGION,
            ),
        );
        hooks.forEach((h, i) => this.checkNewHook(h, hooks.slice(0, i)));
        const suffix = seed.scalingGroupId.replace(/^asg-/, "");
        if (
            seed.multiAZPolicy !== undefined &&
            !["PRIORITY", "COST_OPTIMIZED", "BALANCE", "COMPOSABLE"].includes(seed.multiAZPolicy)
        ) {
            throw new RangeError(
                `EssGroupSeed.multiAZPolicy must be PRIORITY, COST_OPTIMIZED, BALANCE or COMPOSABLE: ${seed.multiAZPolicy}`,
            );
        }
        if (
            seed.scalingPolicy !== undefined &&
            !["release", "forcerelease", "recycle", "forcerecycle"].includes(
                seed.scalingPolicy.toLowerCase(),
            )
        ) {
            throw new RangeError(
                `EssGroupSeed.scalingPolicy must be release, forceRelease, recycle or forceRecycle: ${seed.scalingPolicy}`,
            );
        }
        const fromTemplate = seed.launchTemplateId !== undefined;
        const group: SimGroup = {
            scalingGroupId: seed.scalingGroupId,
            regionId: seed.regionId ?? DEFAULT_REGION,
            scalingGroupName: seed.scalingGroupName ?? seed.scalingGroupId,
            capacity: seed.capacity,
            activeScalingConfigurationId: fromTemplate
                ? undefined
                : (seed.activeScalingConfigurationId ?? `asc-${suffix}`),
            activeImageId: seed.imageId ?? `m-${suffix}-v1`,
            launchTemplateId: seed.launchTemplateId,
            launchTemplateVersion: fromTemplate
                ? (seed.launchTemplateVersion ?? "Default")
                : undefined,
            instanceKeys: [],
            instanceIds: [],
            instanceStates: [],
            multiAZPolicy: seed.multiAZPolicy ?? "PRIORITY",
            scalingPolicy: seed.scalingPolicy ?? "release",
            capacityInVcpus: seed.capacityInVcpus ?? false,
            createdAt: now,
        };
        group.instanceKeys = new Array<string>(seed.capacity).fill(activeKey(group));
        group.instanceIds = group.instanceKeys.map(() => randomId("i-"));
        const standby = seed.standbyInstances ?? 0;
        const protectedCount = seed.protectedInstances ?? 0;
        const attached = seed.attachedInstances ?? 0;
        for (const [name, n] of Object.entries({ standby, protectedCount, attached })) {
            if (!Number.isInteger(n) || n < 0) {
                throw new RangeError(`EssGroupSeed ${name} must be an integer >= 0: ${n}`);
            }
        }
        if (standby + protectedCount + attached > seed.capacity) {
            throw new RangeError(
                "EssGroupSeed: standby, protected and attached instances exceed capacity",
            );
        }
        group.instanceStates = group.instanceKeys.map((_, i) => ({
            lifecycleState:
                i < standby ? "Standby" : i < standby + protectedCount ? "Protected" : "InService",
            creationType:
                i >= standby + protectedCount && i < standby + protectedCount + attached
                    ? "Attached"
                    : "AutoCreated",
        }));
        const other = seed.otherConfiguration;
        if (other) {
            const free = seed.capacity - standby - protectedCount - attached;
            if (!Number.isInteger(other.count) || other.count < 0 || other.count > free) {
                throw new RangeError(
                    `EssGroupSeed.otherConfiguration.count must be an integer from 0 to ${free} (the instances in service): ${other.count}`,
                );
            }
            const key = other.scalingConfigurationId
                ? scKey(
                      other.scalingConfigurationId,
                      other.imageId ?? `m-of-${other.scalingConfigurationId}`,
                  )
                : group.launchTemplateId !== undefined && other.launchTemplateVersion
                  ? `lt:${group.launchTemplateId}:${other.launchTemplateVersion}:`
                  : undefined;
            if (key === undefined) {
                throw new RangeError(
                    "EssGroupSeed.otherConfiguration needs a scalingConfigurationId, or a launchTemplateVersion on a launch-template group",
                );
            }
            for (let i = seed.capacity - other.count; i < seed.capacity; i++) {
                group.instanceKeys[i] = key;
            }
        }
        this.groupsById.set(group.scalingGroupId, group);
        for (const hook of hooks) {
            this.hooksById.set(hook.id, hook);
        }
        if (this.scenarioOf(group).foreignRefresh) {
            this.startForeign(group, now);
        }
        return group;
    }

    /** Sets a group's scenario (merged over the default); may start a foreign refresh. */
    setScenario(scalingGroupId: string, scenario: EssScenario, now: number): void {
        this.advance(now);
        const group = this.groupsById.get(scalingGroupId);
        if (!group) {
            throw new Error(`unknown scaling group ${scalingGroupId}`);
        }
        checkScenario(scenario);
        this.groupScenarios.set(scalingGroupId, { ...scenario });
        if (scenario.foreignRefresh) {
            this.startForeign(group, now);
        }
    }

    /** The effective scenario of a group. */
    scenarioOf(group: SimGroup): EssScenario {
        const own = this.groupScenarios.get(group.scalingGroupId) ?? {};
        return { ...this.defaultScenario, ...own };
    }

    /** A group by id (and region, when given). */
    group(scalingGroupId: string, regionId?: string): SimGroup | undefined {
        const g = this.groupsById.get(scalingGroupId);
        return g && (regionId === undefined || g.regionId === regionId) ? g : undefined;
    }

    /** All groups, in insertion order. */
    groups(): SimGroup[] {
        return [...this.groupsById.values()];
    }

    /** A group's instances at `now`, as DescribeScalingInstances lists them (group order). */
    instances(group: SimGroup, now: number): SimScalingInstance[] {
        this.advance(now);
        return group.instanceKeys.map((key, i) => {
            const state = group.instanceStates[i];
            const out: SimScalingInstance = {
                InstanceId: group.instanceIds[i] ?? "",
                ScalingGroupId: group.scalingGroupId,
                LifecycleState: state?.lifecycleState ?? "InService",
                CreationType: state?.creationType ?? "AutoCreated",
                HealthStatus: "Healthy",
                WeightedCapacity: 1,
                CreationTime: formatEssTime(group.createdAt),
            };
            const sc = /^sc:([^|]*)\|/.exec(key);
            const lt = /^lt:([^:]*):([^:]*):/.exec(key);
            if (sc?.[1]) {
                out.ScalingConfigurationId = sc[1];
            } else if (lt?.[1]) {
                out.LaunchTemplateId = lt[1];
                out.LaunchTemplateVersion = lt[2];
            }
            return out;
        });
    }

    /** Brings every task up to `now`. */
    advance(now: number): void {
        for (const task of this.tasks) {
            while (task.nextAt !== undefined && task.nextAt <= now) {
                this.step(task, task.nextAt);
            }
        }
        // Actions no running batch waits on (paused, cancelled, ...) still end on their own.
        for (const activity of this.activityList) {
            for (const action of activity.actions) {
                settleAction(action, now);
            }
        }
    }

    /** Adds a lifecycle hook to a group; throws if the group is unknown or the id/name taken. */
    addLifecycleHook(seed: EssLifecycleHookSeed, now: number): SimLifecycleHook {
        this.advance(now);
        const group = this.groupsById.get(seed.scalingGroupId);
        if (!group) {
            throw new Error(`unknown scaling group ${seed.scalingGroupId}`);
        }
        const hook = hookFromSeed(seed, group.regionId);
        this.checkNewHook(hook, []);
        this.hooksById.set(hook.id, hook);
        return hookSnapshot(hook);
    }

    /** Lifecycle hooks (DescribeLifecycleHooks), in creation order. */
    lifecycleHooks(
        filter: { scalingGroupId?: string; regionId?: string; ids?: string[]; name?: string } = {},
    ): SimLifecycleHook[] {
        return [...this.hooksById.values()]
            .filter((h) => !filter.scalingGroupId || h.scalingGroupId === filter.scalingGroupId)
            .filter((h) => !filter.regionId || h.regionId === filter.regionId)
            .filter((h) => !filter.ids?.length || filter.ids.includes(h.id))
            .filter((h) => !filter.name || h.name === filter.name)
            .map(hookSnapshot);
    }

    /** Scaling activities (DescribeScalingActivities), newest first (call advance first). */
    scalingActivities(filter: ActivityFilter = {}): SimScalingActivity[] {
        const regionOf = (a: Activity): string | undefined =>
            this.groupsById.get(a.scalingGroupId)?.regionId;
        return this.activityList
            .filter((a) => !filter.scalingGroupId || a.scalingGroupId === filter.scalingGroupId)
            .filter((a) => !filter.regionId || regionOf(a) === filter.regionId)
            .filter(
                (a) =>
                    !filter.scalingActivityIds?.length || filter.scalingActivityIds.includes(a.id),
            )
            .filter(
                (a) => !filter.instanceRefreshTaskId || a.taskId === filter.instanceRefreshTaskId,
            )
            .filter((a) => !filter.statusCode || a.status === filter.statusCode)
            .sort((a, b) => b.seq - a.seq)
            .map(activitySnapshot);
    }

    /** Lifecycle actions (DescribeLifecycleActions), oldest first (call advance first). */
    lifecycleActions(filter: LifecycleActionFilter = {}): SimLifecycleAction[] {
        const out: SimLifecycleAction[] = [];
        for (const activity of this.activityList) {
            const region = this.groupsById.get(activity.scalingGroupId)?.regionId;
            if (
                (filter.scalingActivityId && activity.id !== filter.scalingActivityId) ||
                (filter.scalingGroupId && activity.scalingGroupId !== filter.scalingGroupId) ||
                (filter.instanceRefreshTaskId &&
                    activity.taskId !== filter.instanceRefreshTaskId) ||
                (filter.regionId && region !== filter.regionId)
            ) {
                continue;
            }
            for (const action of activity.actions) {
                if (!filter.status || action.status === filter.status) {
                    out.push(actionSnapshot(action));
                }
            }
        }
        return out;
    }

    /**
     * RecordLifecycleActionHeartbeat: the Pending window of the action now ends
     * `heartbeatTimeoutSeconds` from now (validated by the caller: 30-21600). At most 20 per
     * Pending period (LifecycleAction.RecordTimesExceeded), never past 6 hours of Pending
     * (LifecycleAction.TimeExceeded).
     */
    recordHeartbeat(ref: LifecycleActionRef, heartbeatTimeoutSeconds: number, now: number): void {
        const action = this.pendingAction(ref, now);
        if (action.heartbeats.length >= MAX_HEARTBEATS_PER_PENDING) {
            throw lifecycleRecordTimesExceeded();
        }
        const deadline = now + heartbeatTimeoutSeconds * 1000;
        if (deadline - action.pendingSince > MAX_PENDING_MS) {
            throw lifecycleTimeExceeded();
        }
        action.deadline = deadline;
        action.heartbeats.push({ at: now, heartbeatTimeout: heartbeatTimeoutSeconds, deadline });
        this.rescheduleFor(action.activity, now);
    }

    /** CompleteLifecycleAction: ends the action now with `result` (default the DefaultResult). */
    completeLifecycleAction(
        ref: LifecycleActionRef,
        result: LifecycleActionResult | undefined,
        now: number,
    ): void {
        const action = this.pendingAction(ref, now);
        endAction(
            action,
            now,
            "Completed",
            result ?? action.hook.defaultResult,
            "CompleteLifecycleAction",
        );
        this.rescheduleFor(action.activity, now);
    }

    private pendingAction(ref: LifecycleActionRef, now: number): Action {
        this.advance(now);
        const action = this.actionsByToken.get(ref.lifecycleActionToken);
        if (
            !action ||
            action.hook.id !== ref.lifecycleHookId ||
            action.status !== "Pending" ||
            (ref.regionId !== undefined && action.hook.regionId !== ref.regionId)
        ) {
            throw lifecycleTokenInvalid();
        }
        return action;
    }

    /** Re-evaluates the running batch waiting on `activity`, if any, at `now`. */
    private rescheduleFor(activity: Activity, now: number): void {
        const task = this.tasks.find((t) => t.batch?.activity === activity);
        if (task && (task.status === "InProgress" || task.status === "RollbackInProgress")) {
            this.evaluateWait(task, now);
        }
        this.advance(now);
    }

    private checkNewHook(hook: Hook, pending: Hook[]): void {
        const all = [...this.hooksById.values(), ...pending];
        if (all.some((h) => h.id === hook.id)) {
            throw new Error(`lifecycle hook ${hook.id} already exists`);
        }
        if (all.some((h) => h.scalingGroupId === hook.scalingGroupId && h.name === hook.name)) {
            throw new Error(
                `scaling group ${hook.scalingGroupId} already has a lifecycle hook named ${hook.name}`,
            );
        }
    }

    private activeHooks(group: SimGroup, transition: LifecycleTransition): Hook[] {
        return [...this.hooksById.values()].filter(
            (h) =>
                h.scalingGroupId === group.scalingGroupId &&
                h.status === "Active" &&
                h.transition === transition,
        );
    }

    /** Snapshots, newest first, optionally of one group (call advance first). */
    list(scalingGroupId?: string): SimRefresh[] {
        return this.tasks
            .filter((t) => !scalingGroupId || t.group.scalingGroupId === scalingGroupId)
            .sort((a, b) => b.seq - a.seq)
            .map((t) => this.snapshot(t));
    }

    /** Starts a refresh (ClientToken idempotency first, then one running refresh per group). */
    start(input: StartRefreshInput, now: number): { refresh: SimRefresh; reused: boolean } {
        this.advance(now);
        const group = this.group(input.scalingGroupId, input.regionId);
        if (!group) {
            throw scalingGroupNotFound();
        }
        if (input.clientToken !== undefined) {
            const prior = this.byToken.get(input.clientToken);
            if (prior) {
                if (prior.input.fingerprint !== input.fingerprint) {
                    throw idempotentParameterMismatch();
                }
                return { refresh: this.snapshot(prior), reused: true };
            }
        }
        const running = this.runningTask(group);
        const scenario = this.scenarioOf(group);
        if (running) {
            throw refreshInProgress(running.id, scenario.busyCode);
        }
        const unsupported = unsupportedBecause(group);
        if (unsupported) {
            throw refreshUnsupported(unsupported, scenario.unsupportedCode);
        }
        const code = scenario.nothingToRefreshCode;
        if (code !== "accept" && this.targetsOf(group, input).length === 0) {
            throw nothingToRefresh(code);
        }
        const task = this.createTask(group, input, now, false);
        if (input.clientToken !== undefined) {
            this.byToken.set(input.clientToken, task);
        }
        return { refresh: this.snapshot(task), reused: false };
    }

    /** SuspendInstanceRefresh: Pending/InProgress/CheckpointPause -> Paused. */
    suspend(groupId: string, regionId: string, taskId: string, now: number): void {
        const task = this.requireTask(groupId, regionId, taskId, now);
        if (!["Pending", "InProgress", "CheckpointPause"].includes(task.status)) {
            throw incorrectRefreshStatus(task.status, "SuspendInstanceRefresh");
        }
        task.status = "Paused";
        task.nextAt = undefined;
    }

    /** ResumeInstanceRefresh: Paused -> InProgress (the next batch ends one batch later). */
    resume(groupId: string, regionId: string, taskId: string, now: number): void {
        const task = this.requireTask(groupId, regionId, taskId, now);
        if (task.status !== "Paused") {
            throw incorrectRefreshStatus(task.status, "ResumeInstanceRefresh");
        }
        task.status = "InProgress";
        if (!task.batch) {
            this.beginBatch(task, now, "forward");
        } else if (task.batch.waiting) {
            this.evaluateWait(task, now);
        } else {
            task.nextAt = now + this.batchMs(task);
        }
    }

    /** CancelInstanceRefresh: a running refresh -> Cancelling, Cancelled one batch later. */
    cancel(groupId: string, regionId: string, taskId: string, now: number): void {
        const task = this.requireTask(groupId, regionId, taskId, now);
        if (!["Pending", "InProgress", "Paused", "CheckpointPause"].includes(task.status)) {
            throw incorrectRefreshStatus(task.status, "CancelInstanceRefresh");
        }
        task.status = "Cancelling";
        this.dropBatch(task, now, "The instance refresh task was cancelled.");
        task.nextAt = now + this.batchMs(task);
    }

    /** RollbackInstanceRefresh: Failed/Paused/InProgress/CheckpointPause -> RollbackInProgress. */
    rollback(groupId: string, regionId: string, taskId: string, now: number): void {
        const task = this.requireTask(groupId, regionId, taskId, now);
        if (!["Failed", "Paused", "InProgress", "CheckpointPause"].includes(task.status)) {
            throw incorrectRefreshStatus(task.status, "RollbackInstanceRefresh");
        }
        const version = task.input.desired.LaunchTemplateVersion;
        if (version === "Default" || version === "Latest") {
            throw operationDenied(
                "The instance refresh task cannot be rolled back because its desired launch " +
                    `template version is ${version}.`,
            );
        }
        const latest = this.latestTask(task.group);
        if (latest !== task) {
            if (latest && !isTerminal(latest.status)) {
                throw refreshInProgress(latest.id);
            }
            throw operationDenied(
                "Only the latest instance refresh task of a scaling group can be rolled back.",
            );
        }
        task.status = "RollbackInProgress";
        task.detail = undefined;
        task.endTime = undefined;
        this.dropBatch(task, now, "The instance refresh task is being rolled back.");
        this.beginBatch(task, now, "rollback");
    }

    private requireTask(groupId: string, regionId: string, taskId: string, now: number): Task {
        this.advance(now);
        const group = this.group(groupId, regionId);
        if (!group) {
            throw scalingGroupNotFound();
        }
        const task = this.tasks.find((t) => t.id === taskId && t.group === group);
        if (!task) {
            throw refreshTaskNotFound(taskId);
        }
        return task;
    }

    private runningTask(group: SimGroup): Task | undefined {
        return this.tasks.find((t) => t.group === group && !isTerminal(t.status));
    }

    private latestTask(group: SimGroup): Task | undefined {
        let latest: Task | undefined;
        for (const t of this.tasks) {
            if (t.group === group && (!latest || t.seq > latest.seq)) {
                latest = t;
            }
        }
        return latest;
    }

    private startForeign(group: SimGroup, now: number): void {
        if (this.runningTask(group)) {
            return;
        }
        const input: StartRefreshInput = {
            scalingGroupId: group.scalingGroupId,
            regionId: group.regionId,
            minHealthyPercentage: 80,
            maxHealthyPercentage: 120,
            skipMatching: false,
            checkpointPauseTime: 60,
            checkpoints: [],
            desired: {
                ScalingConfigurationId: `asc-foreign${String(this.seq + 1).padStart(4, "0")}`,
            },
        };
        this.createTask(group, input, now, true);
    }

    private createTask(
        group: SimGroup,
        input: StartRefreshInput,
        now: number,
        foreign: boolean,
    ): Task {
        const desiredKey = desiredTarget(group, input.desired).key;
        const targets = this.targetsOf(group, input);
        let id = this.newTaskId();
        while (this.tasks.some((t) => t.id === id)) {
            id = this.newTaskId();
        }
        const task: Task = {
            seq: ++this.seq,
            id,
            group,
            status: "Pending",
            startTime: now,
            finished: 0,
            input,
            desiredKey,
            targets,
            oldKeys: targets.map((i) => group.instanceKeys[i] ?? ""),
            batchSize: batchSizeFor(
                group.capacity,
                input.minHealthyPercentage,
                input.maxHealthyPercentage,
            ),
            nextCheckpoint: 0,
            foreign,
            batchesBegun: 0,
        };
        this.tasks.push(task);
        if (targets.length === 0) {
            this.succeed(task, now);
        } else {
            task.nextAt = now + this.secondsMs(task, "pendingSeconds", 1);
        }
        return task;
    }

    /**
     * The instances a refresh of `input` replaces, in order: not those in Standby or Protected,
     * nor those added manually (Attached), which "are ignored by the instance refresh task"; with
     * SkipMatching, not those on the desired configuration either.
     */
    private targetsOf(group: SimGroup, input: StartRefreshInput): number[] {
        const target = desiredTarget(group, input.desired);
        const out: number[] = [];
        group.instanceKeys.forEach((key, i) => {
            const state = group.instanceStates[i];
            const skipped =
                state !== undefined &&
                (state.lifecycleState !== "InService" || state.creationType === "Attached");
            if (!skipped && (!input.skipMatching || !target.matches(key))) {
                out.push(i);
            }
        });
        return out;
    }

    private secondsMs(task: Task, key: "pendingSeconds" | "batchSeconds", dflt: number): number {
        return (this.scenarioOf(task.group)[key] ?? dflt) * 1000;
    }

    private batchMs(task: Task): number {
        return this.secondsMs(task, "batchSeconds", 10);
    }

    /** Applies the transition due at time `t`. */
    private step(task: Task, t: number): void {
        switch (task.status) {
            case "Pending":
                task.status = "InProgress";
                if (!this.failIfDue(task, t)) {
                    this.beginBatch(task, t, "forward");
                }
                return;
            case "InProgress":
                if (task.batch?.waiting) {
                    this.evaluateWait(task, t);
                    return;
                }
                this.moveTo(task, Math.min(task.targets.length, task.finished + task.batchSize));
                this.completeBatch(task, t);
                this.afterBatch(task, t);
                return;
            case "CheckpointPause":
                task.status = "InProgress";
                this.beginBatch(task, t, "forward");
                return;
            case "Cancelling":
                this.finish(task, "Cancelled", t);
                return;
            case "RollbackInProgress":
                this.rollbackStep(task, t);
                return;
            default:
                task.nextAt = undefined;
        }
    }

    private afterBatch(task: Task, t: number): void {
        if (this.failIfDue(task, t)) {
            return;
        }
        const total = task.targets.length;
        if (task.finished >= total) {
            this.succeed(task, t);
            return;
        }
        const percent = (task.finished * 100) / total;
        const checkpoints = task.input.checkpoints;
        let crossed = false;
        while (
            task.nextCheckpoint < checkpoints.length &&
            (checkpoints[task.nextCheckpoint] ?? 100) < 100 &&
            percent >= (checkpoints[task.nextCheckpoint] ?? 100)
        ) {
            task.nextCheckpoint++;
            crossed = true;
        }
        if (crossed) {
            task.status = "CheckpointPause";
            const minuteMs = this.scenarioOf(task.group).checkpointMinuteMs ?? 60_000;
            task.nextAt = t + task.input.checkpointPauseTime * minuteMs;
        } else {
            this.beginBatch(task, t, "forward");
        }
    }

    /**
     * Begins the next batch at `t`: a scaling activity launches its new instances. Without
     * Active SCALE_OUT hooks the batch ends one batch later (as it always did); with them, the
     * instances first wait in Pending for the hooks' lifecycle actions, and the batch's
     * batchSeconds start when the last action ends with CONTINUE.
     */
    private beginBatch(task: Task, t: number, direction: Batch["direction"]): void {
        const remaining =
            direction === "forward" ? task.targets.length - task.finished : task.finished;
        const size = Math.min(task.batchSize, remaining);
        if (size <= 0) {
            task.nextAt = t + this.batchMs(task);
            return;
        }
        const index = ++task.batchesBegun;
        const group = task.group;
        const activity: Activity = {
            seq: ++this.activitySeq,
            id: randomId("asa-"),
            scalingGroupId: group.scalingGroupId,
            taskId: task.id,
            description: `Add "${size}" ECS instance(s)`,
            cause:
                direction === "forward"
                    ? `The instance refresh task "${task.id}" replaces instances in batches: ` +
                      `batch ${index} launches ${size} instance(s) with the desired configuration.`
                    : `The rollback of instance refresh task "${task.id}" launches ${size} ` +
                      "instance(s) with the original configuration.",
            startedAt: t,
            status: "InProgress",
            statusMessage: "",
            progress: 0,
            instanceIds: Array.from({ length: size }, () => randomId("i-")),
            capacity: group.capacity,
            released: [],
            actions: [],
        };
        this.activityList.push(activity);
        const hooks = this.activeHooks(group, "SCALE_OUT");
        task.batch = { activity, direction, waiting: hooks.length > 0 };
        if (hooks.length === 0) {
            task.nextAt = t + this.batchMs(task);
            return;
        }
        const bootstrap = this.bootstrapSecondsFor(group, index);
        for (const hook of hooks) {
            const action = newAction(hook, activity, t, bootstrap);
            activity.actions.push(action);
            this.actionsByToken.set(action.token, action);
        }
        activity.statusMessage =
            "The new instances are Pending: waiting for lifecycle hook(s) " +
            `${hooks.map((h) => h.id).join(", ")}.`;
        this.evaluateWait(task, t);
    }

    /** A waiting batch at `t`: fail on a released instance, go on when no action is Pending. */
    private evaluateWait(task: Task, t: number): void {
        const batch = task.batch;
        if (!batch?.waiting) {
            return;
        }
        const activity = batch.activity;
        for (const action of activity.actions) {
            settleAction(action, t);
        }
        const released = releasingAction(activity);
        if (released) {
            task.batch = undefined;
            const failed = batch.direction === "forward" ? "Failed" : "RollbackFailed";
            this.finish(
                task,
                failed,
                t,
                lifecycleFailDetail(batch.direction, abandonReason(released)),
            );
            return;
        }
        const pending = pendingActions(activity);
        if (pending.length > 0) {
            task.nextAt = Math.min(...pending.map((a) => naturalEnd(a).at));
            return;
        }
        batch.waiting = false;
        activity.statusMessage = "";
        activity.progress = 50;
        task.nextAt = t + this.batchMs(task);
    }

    /** The batch's instances are in service: its activity succeeds. */
    private completeBatch(task: Task, t: number): void {
        if (task.batch) {
            closeActivity(task.batch.activity, t, "Successful", "");
            task.batch = undefined;
        }
    }

    /** Abandons the batch in flight (its activity fails with `message`). */
    private dropBatch(task: Task, t: number, message: string): void {
        const activity = task.batch?.activity;
        if (activity?.status === "InProgress") {
            closeActivity(activity, t, "Failed", message);
        }
        task.batch = undefined;
    }

    private bootstrapSecondsFor(group: SimGroup, batchIndex: number): number | undefined {
        const scenario = this.scenarioOf(group);
        const byBatch = scenario.bootstrapSecondsByBatch;
        if (byBatch && byBatch.length > 0) {
            return byBatch[Math.min(batchIndex, byBatch.length) - 1];
        }
        return scenario.bootstrapSeconds;
    }

    private failIfDue(task: Task, t: number): boolean {
        const scenario = this.scenarioOf(task.group);
        const total = task.targets.length;
        if (scenario.failAtPercent === undefined || total === 0) {
            return false;
        }
        if ((task.finished * 100) / total < scenario.failAtPercent) {
            return false;
        }
        this.finish(task, "Failed", t, scenario.failDetail ?? DEFAULT_FAIL_DETAIL);
        return true;
    }

    private rollbackStep(task: Task, t: number): void {
        if (task.batch?.waiting) {
            this.evaluateWait(task, t);
            return;
        }
        const scenario = this.scenarioOf(task.group);
        const next = Math.max(0, task.finished - task.batchSize);
        if (next === 0 && scenario.rollbackFails) {
            this.finish(task, "RollbackFailed", t, ROLLBACK_FAIL_DETAIL);
            return;
        }
        this.moveTo(task, next);
        this.completeBatch(task, t);
        if (next === 0) {
            this.finish(task, "RollbackSuccessful", t);
        } else {
            this.beginBatch(task, t, "rollback");
        }
    }

    /** Sets FinishedUpdateCapacity, re-keying the instances replaced (or restored). */
    private moveTo(task: Task, finished: number): void {
        const keys = task.group.instanceKeys;
        const ids = task.group.instanceIds;
        const created = [...(task.batch?.activity.instanceIds ?? [])];
        const renew = (index: number): void => {
            ids[index] = created.shift() ?? randomId("i-");
        };
        for (let i = task.finished; i < finished; i++) {
            const index = task.targets[i] ?? -1;
            keys[index] = task.desiredKey;
            renew(index);
        }
        for (let i = finished; i < task.finished; i++) {
            const index = task.targets[i] ?? -1;
            keys[index] = task.oldKeys[i] ?? "";
            renew(index);
        }
        task.finished = finished;
    }

    private succeed(task: Task, t: number): void {
        // "the active scaling configuration of the scaling group is updated to this
        // configuration"; "the image configuration in the active configuration of the scaling
        // group is updated to this image".
        const desired = task.input.desired;
        const group = task.group;
        if (desired.ScalingConfigurationId) {
            group.activeScalingConfigurationId = desired.ScalingConfigurationId;
            group.activeImageId = desired.ImageId ?? task.desiredKey.replace(/^.*\|image:/, "");
            group.launchTemplateId = undefined;
            group.launchTemplateVersion = undefined;
        } else if (desired.ImageId) {
            group.activeImageId = desired.ImageId;
        }
        this.finish(task, "Successful", t);
    }

    private finish(task: Task, status: RefreshStatus, t: number, detail?: string): void {
        this.dropBatch(task, t, detail ?? `The instance refresh task ended: ${status}.`);
        task.status = status;
        task.endTime = t;
        task.detail = detail;
        task.nextAt = undefined;
    }

    private snapshot(task: Task): SimRefresh {
        const input = task.input;
        const snap: SimRefresh = {
            InstanceRefreshTaskId: task.id,
            ScalingGroupId: task.group.scalingGroupId,
            RegionId: task.group.regionId,
            Status: task.status,
            StartTime: formatEssTime(task.startTime),
            TotalNeedUpdateCapacity: task.targets.length,
            FinishedUpdateCapacity: task.finished,
            MinHealthyPercentage: input.minHealthyPercentage,
            MaxHealthyPercentage: input.maxHealthyPercentage,
            SkipMatching: input.skipMatching,
            Strategy: "Rolling",
            CheckpointPauseTime: input.checkpointPauseTime,
            Checkpoints: input.checkpoints.map((p) => ({ Percentage: p })),
            DesiredConfiguration: structuredClone(input.desired),
            foreign: task.foreign,
        };
        if (task.detail !== undefined) {
            snap.Detail = task.detail;
        }
        if (task.endTime !== undefined) {
            snap.EndTime = formatEssTime(task.endTime);
        }
        if (input.clientToken !== undefined) {
            snap.clientToken = input.clientToken;
        }
        return snap;
    }
}
