/**
 * The instance-refresh state machine. Pure: no I/O and no clock of its own; every method takes
 * `now` (ms since epoch) and first brings all tasks up to that time, so state is computed lazily
 * and transitions carry their exact times (an EndTime is when the last batch finished, not when
 * someone looked).
 */
import { randomBytes } from "node:crypto";
import {
    idempotentParameterMismatch,
    incorrectRefreshStatus,
    operationDenied,
    refreshInProgress,
    refreshTaskNotFound,
    scalingGroupNotFound,
} from "./errors";
import { formatEssTime } from "./format";
import type {
    DesiredConfiguration,
    EssGroupSeed,
    EssScenario,
    RefreshStatus,
    SimRefresh,
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
    activeScalingConfigurationId: string;
    /** The configuration key of each instance (see configurationKey). */
    instanceKeys: string[];
    createdAt: number;
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
}

/** The identity of a configuration: instances with the desired key are "matching". */
export function configurationKey(d: DesiredConfiguration): string {
    if (d.ScalingConfigurationId) {
        return `sc:${d.ScalingConfigurationId}`;
    }
    if (d.ImageId) {
        return `image:${d.ImageId}`;
    }
    if (d.LaunchTemplateId) {
        const types = (d.LaunchTemplateOverrides ?? []).map((o) => o.InstanceType ?? "");
        const version = d.LaunchTemplateVersion ?? "Default";
        return `lt:${d.LaunchTemplateId}:${version}:${types.join(",")}`;
    }
    if (d.Containers) {
        const images = d.Containers.map((c) => `${c.Name ?? ""}=${c.Image ?? ""}`);
        return `containers:${images.join(",")}`;
    }
    return "none";
}

/** Instances replaced per batch: floor(cap*(100-min)/100) + floor(cap*(max-100)/100), >= 1. */
export function batchSizeFor(capacity: number, minHealthy: number, maxHealthy: number): number {
    const below = Math.floor((capacity * (100 - minHealthy)) / 100);
    const above = Math.floor((capacity * (maxHealthy - 100)) / 100);
    return Math.max(1, below + above);
}

function randomId(prefix: string): string {
    return prefix + randomBytes(10).toString("hex");
}

function checkScenario(s: EssScenario): void {
    const nonNegative: (keyof EssScenario)[] = [
        "pendingSeconds",
        "batchSeconds",
        "failAtPercent",
        "checkpointMinuteMs",
    ];
    for (const key of nonNegative) {
        const v = s[key];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
            throw new RangeError(`scenario.${key} must be a finite number >= 0, got ${String(v)}`);
        }
    }
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
        const suffix = seed.scalingGroupId.replace(/^asg-/, "");
        const active = seed.activeScalingConfigurationId ?? `asc-${suffix}`;
        const group: SimGroup = {
            scalingGroupId: seed.scalingGroupId,
            regionId: seed.regionId ?? DEFAULT_REGION,
            scalingGroupName: seed.scalingGroupName ?? seed.scalingGroupId,
            capacity: seed.capacity,
            activeScalingConfigurationId: active,
            instanceKeys: new Array<string>(seed.capacity).fill(`sc:${active}`),
            createdAt: now,
        };
        this.groupsById.set(group.scalingGroupId, group);
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

    /** Brings every task up to `now`. */
    advance(now: number): void {
        for (const task of this.tasks) {
            while (task.nextAt !== undefined && task.nextAt <= now) {
                this.step(task, task.nextAt);
            }
        }
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
        if (running) {
            throw refreshInProgress(running.id);
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
        task.nextAt = now + this.batchMs(task);
    }

    /** CancelInstanceRefresh: a running refresh -> Cancelling, Cancelled one batch later. */
    cancel(groupId: string, regionId: string, taskId: string, now: number): void {
        const task = this.requireTask(groupId, regionId, taskId, now);
        if (!["Pending", "InProgress", "Paused", "CheckpointPause"].includes(task.status)) {
            throw incorrectRefreshStatus(task.status, "CancelInstanceRefresh");
        }
        task.status = "Cancelling";
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
        task.nextAt = now + this.batchMs(task);
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
        const desiredKey = configurationKey(input.desired);
        const targets: number[] = [];
        group.instanceKeys.forEach((key, i) => {
            if (!input.skipMatching || key !== desiredKey) {
                targets.push(i);
            }
        });
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
        };
        this.tasks.push(task);
        if (targets.length === 0) {
            this.succeed(task, now);
        } else {
            task.nextAt = now + this.secondsMs(task, "pendingSeconds", 1);
        }
        return task;
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
                    task.nextAt = t + this.batchMs(task);
                }
                return;
            case "InProgress":
                this.moveTo(task, Math.min(task.targets.length, task.finished + task.batchSize));
                this.afterBatch(task, t);
                return;
            case "CheckpointPause":
                task.status = "InProgress";
                task.nextAt = t + this.batchMs(task);
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
            task.nextAt = t + this.batchMs(task);
        }
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
        const scenario = this.scenarioOf(task.group);
        const next = Math.max(0, task.finished - task.batchSize);
        if (next === 0 && scenario.rollbackFails) {
            this.finish(task, "RollbackFailed", t, ROLLBACK_FAIL_DETAIL);
            return;
        }
        this.moveTo(task, next);
        if (next === 0) {
            this.finish(task, "RollbackSuccessful", t);
        } else {
            task.nextAt = t + this.batchMs(task);
        }
    }

    /** Sets FinishedUpdateCapacity, re-keying the instances replaced (or restored). */
    private moveTo(task: Task, finished: number): void {
        const keys = task.group.instanceKeys;
        for (let i = task.finished; i < finished; i++) {
            keys[task.targets[i] ?? -1] = task.desiredKey;
        }
        for (let i = finished; i < task.finished; i++) {
            keys[task.targets[i] ?? -1] = task.oldKeys[i] ?? "";
        }
        task.finished = finished;
    }

    private succeed(task: Task, t: number): void {
        const desired = task.input.desired;
        if (desired.ScalingConfigurationId) {
            task.group.activeScalingConfigurationId = desired.ScalingConfigurationId;
        }
        this.finish(task, "Successful", t);
    }

    private finish(task: Task, status: RefreshStatus, t: number, detail?: string): void {
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
