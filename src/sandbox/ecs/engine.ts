/**
 * The ECS state machine: instances, their system events and RedeployInstance tasks. Pure: no I/O
 * and no clock of its own; every method takes `now` (ms since epoch) and first brings everything
 * up to that time, running the transitions due in time order, so each transition (and the
 * notification it sends) carries its exact time, whenever someone looks.
 *
 * A redeploy of a Running instance: Stopping -(stop)-> Stopped -(migrate)-> Starting on the new
 * host -(start)-> Running; of a Stopped instance: Starting -(migrate)-> (new host) -(start)->
 * Running. On success the local disks are re-initialized and the open events RedeployInstance
 * handles end Avoided (Executing ones: Executed). With scenario.failWith the migration fails: the
 * instance returns to its original host and status, the task ends Failed, the events stay open.
 *
 * A Scheduled event whose NotBefore passes is executed by the cloud: Executing, the instance
 * reboots (for *.Redeploy events: moves host on the way; for *.Stop events: stays Stopped),
 * Executed. If the instance is busy then (a redeploy, another event), the event waits until it
 * is idle again. Simulated events only cycle their status (Executing, Executed).
 */
import { randomBytes } from "node:crypto";
import { copyDefined } from "../common/admin";
import { EVENT_STATUSES, handledByRedeploy, migratesWhenExecuted } from "./catalog";
import {
    diskError,
    incorrectInstanceStatus,
    instanceExpired,
    instanceNotFound,
    invalidRedeploy,
    lockedForSecurity,
} from "./errors";
import { ecsMinute, ecsSeconds } from "./format";
import { type NotifiedEvent, Notifier, SANDBOX_ACCOUNT_ID } from "./notifications";
import type {
    EcsEventSeed,
    EcsInstanceSeed,
    EcsInstanceStatus,
    EcsNotification,
    EcsScenario,
    EcsTaskStatus,
    SimEvent,
    SimInstance,
    SimTask,
} from "./types";

/** Region used when a seed names none. */
export const DEFAULT_REGION = "cn-hangzhou";
/** Instance type used when a seed names none. */
export const DEFAULT_INSTANCE_TYPE = "ecs.g7.large";
/** Default NotBefore of a seeded event: 3 days after it is published. */
export const DEFAULT_NOT_BEFORE_SECONDS = 3 * 86_400;

const DEFAULT_TIMINGS = { stopSeconds: 5, migrateSeconds: 10, startSeconds: 5 } as const;

/** A disk as the engine keeps it. */
export interface DiskState {
    diskId: string;
    category: string;
    type: "system" | "data";
    device: string;
    sizeGiB: number;
    dataErased: boolean;
    createdAt: number;
}

/** An instance as the engine keeps it. */
export interface InstanceState {
    seq: number;
    id: string;
    regionId: string;
    zoneId: string;
    instanceType: string;
    status: EcsInstanceStatus;
    hostId: string;
    dedicatedHostId?: string;
    securityLocked: boolean;
    expired: boolean;
    systemDisk: DiskState;
    localDisks: DiskState[];
    redeployCount: number;
    createdAt: number;
    startedAt: number;
    lastStop?: "graceful" | "forced";
    /** The operation moving the instance now (at most one). */
    busy?: { task: TaskState } | { event: EventState };
    /** Events whose NotBefore passed while the instance was busy. */
    deferred: EventState[];
}

/** A system event as the engine keeps it. */
export interface EventState {
    seq: number;
    id: string;
    instance: InstanceState;
    type: string;
    status: string;
    simulated: boolean;
    publishedAt: number;
    notBefore: number;
    executeStart?: number;
    executeFinish?: number;
    finishedAt?: number;
}

/** A RedeployInstance task as the engine keeps it. */
export interface TaskState {
    seq: number;
    id: string;
    instance: InstanceState;
    status: EcsTaskStatus;
    forceStop: boolean;
    originalStatus: "Running" | "Stopped";
    originalHostId: string;
    newHostId?: string;
    createdAt: number;
    finishedAt?: number;
    error?: { code: string; message: string };
    /** Planned duration when it started (for TaskProcess). */
    plannedMs: number;
}

interface Timer {
    at: number;
    seq: number;
    run: (t: number) => void;
}

/** What the engine generates ids for. */
export type IdKind = "task" | "event" | "host";

/** Options of an EcsEngine. */
export interface EcsEngineOptions {
    /** Scenario every instance starts from (an instance's own scenario is merged over it). */
    defaultScenario?: EcsScenario;
    /** userId / ARN account of notifications (default SANDBOX_ACCOUNT_ID). */
    accountId?: string;
    /** Generates ids (default "t-" / "e-" / "host-" + random hex). */
    newId?: (kind: IdKind) => string;
}

const PREFIX: Record<IdKind, string> = { task: "t-", event: "e-", host: "host-" };

function randomId(kind: IdKind): string {
    return PREFIX[kind] + randomBytes(kind === "host" ? 6 : 10).toString("hex");
}

function checkScenario(s: EcsScenario, where: string): void {
    for (const key of ["stopSeconds", "migrateSeconds", "startSeconds"] as const) {
        const v = s[key];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
            throw new RangeError(`${where}.${key} must be a finite number >= 0, got ${String(v)}`);
        }
    }
    const f = s.failWith;
    if (
        f !== undefined &&
        (typeof f !== "object" || typeof f.code !== "string" || typeof f.message !== "string")
    ) {
        throw new TypeError(`${where}.failWith must be {code: string, message: string}`);
    }
    if (s.simulatedRefusalMessage !== undefined && typeof s.simulatedRefusalMessage !== "string") {
        throw new TypeError(`${where}.simulatedRefusalMessage must be a string`);
    }
    if (s.diskError !== undefined && typeof s.diskError !== "boolean") {
        throw new TypeError(`${where}.diskError must be a boolean`);
    }
}

/** Instances, events and redeploy tasks, advanced lazily to the `now` each call is given. */
export class EcsEngine {
    private readonly instancesById = new Map<string, InstanceState>();
    private readonly scenarios = new Map<string, EcsScenario>();
    private readonly eventList: EventState[] = [];
    private readonly taskList: TaskState[] = [];
    private readonly timers: Timer[] = [];
    private readonly defaultScenario: EcsScenario;
    private readonly newId: (kind: IdKind) => string;
    private readonly notifier: Notifier;
    private seq = 0;

    constructor(opts: EcsEngineOptions = {}) {
        this.defaultScenario = { ...(opts.defaultScenario ?? {}) };
        checkScenario(this.defaultScenario, "scenario");
        this.newId = opts.newId ?? randomId;
        this.notifier = new Notifier(opts.accountId ?? SANDBOX_ACCOUNT_ID);
    }

    /** Adds an instance (and its events); throws on a bad seed or a taken id. */
    addInstance(seed: EcsInstanceSeed, now: number): InstanceState {
        this.advance(now);
        if (typeof seed.instanceId !== "string" || seed.instanceId === "") {
            throw new TypeError("EcsInstanceSeed.instanceId must be a non-empty string");
        }
        if (this.instancesById.has(seed.instanceId)) {
            throw new Error(`instance ${seed.instanceId} already exists`);
        }
        const status: string = seed.status ?? "Running";
        if (status !== "Running" && status !== "Stopped") {
            throw new RangeError(`EcsInstanceSeed.status must be Running or Stopped: ${status}`);
        }
        const locals = seed.localDisks ?? 0;
        if (!Number.isInteger(locals) || locals < 0 || locals > 24) {
            throw new RangeError(`EcsInstanceSeed.localDisks must be an integer 0-24: ${locals}`);
        }
        const regionId = seed.regionId ?? DEFAULT_REGION;
        const suffix = seed.instanceId.replace(/^i-/, "");
        const disk = (n: number): DiskState => ({
            diskId: n === 0 ? `d-${suffix}s` : `d-${suffix}l${n}`,
            category: n === 0 ? "cloud_essd" : "local_ssd_pro",
            type: n === 0 ? "system" : "data",
            device: `/dev/xvd${String.fromCharCode(97 + n)}`,
            sizeGiB: n === 0 ? 40 : 1788,
            dataErased: false,
            createdAt: now,
        });
        const inst: InstanceState = {
            seq: ++this.seq,
            id: seed.instanceId,
            regionId,
            zoneId: seed.zoneId ?? `${regionId}-i`,
            instanceType: seed.instanceType ?? DEFAULT_INSTANCE_TYPE,
            status,
            hostId: seed.dedicatedHostId ?? this.newHostId(),
            securityLocked: seed.securityLocked ?? false,
            expired: seed.expired ?? false,
            systemDisk: disk(0),
            localDisks: Array.from({ length: locals }, (_, i) => disk(i + 1)),
            redeployCount: 0,
            createdAt: now,
            startedAt: now,
            deferred: [],
        };
        if (seed.dedicatedHostId !== undefined) {
            inst.dedicatedHostId = seed.dedicatedHostId;
        }
        this.instancesById.set(inst.id, inst);
        for (const e of seed.events ?? []) {
            this.addEvent(inst.id, e, now);
        }
        return inst;
    }

    /** Publishes an event on an instance (notifying it); returns its id. */
    addEvent(instanceId: string, seed: EcsEventSeed, now: number): string {
        this.advance(now);
        const inst = this.instancesById.get(instanceId);
        if (!inst) {
            throw new Error(`unknown instance ${instanceId}`);
        }
        if (typeof seed.eventType !== "string" || seed.eventType === "") {
            throw new TypeError("EcsEventSeed.eventType must be a non-empty string");
        }
        const status = seed.status ?? "Scheduled";
        if (!(EVENT_STATUSES as readonly string[]).includes(status)) {
            throw new RangeError(
                `EcsEventSeed.status must be one of ${EVENT_STATUSES.join(", ")}: ${status}`,
            );
        }
        const delay = seed.notBeforeSeconds ?? DEFAULT_NOT_BEFORE_SECONDS;
        if (typeof delay !== "number" || !Number.isFinite(delay)) {
            throw new RangeError(`EcsEventSeed.notBeforeSeconds must be finite: ${delay}`);
        }
        let id = seed.eventId ?? this.newId("event");
        if (seed.eventId !== undefined && this.eventList.some((e) => e.id === id)) {
            throw new Error(`event ${id} already exists`);
        }
        while (this.eventList.some((e) => e.id === id)) {
            id = this.newId("event");
        }
        const ev: EventState = {
            seq: ++this.seq,
            id,
            instance: inst,
            type: seed.eventType,
            status,
            simulated: seed.simulated ?? false,
            publishedAt: now,
            notBefore: now + delay * 1000,
        };
        if (status === "Executing" || status === "Executed") {
            ev.executeStart = now;
        }
        if (status === "Executed" || status === "Avoided" || status === "Canceled") {
            ev.executeStart = now;
            ev.executeFinish = now;
        }
        if (!["Scheduled", "Inquiring", "Executing"].includes(status)) {
            ev.finishedAt = now;
        }
        this.eventList.push(ev);
        this.notifier.systemEvent(this.notified(ev), now);
        if (status === "Scheduled" || (status === "Executing" && ev.simulated)) {
            this.schedule(ev.notBefore, (t) => this.notBeforeReached(ev, t));
        }
        return id;
    }

    /** Sets an instance's scenario (merged over the default). */
    setScenario(instanceId: string, scenario: EcsScenario, now: number): void {
        this.advance(now);
        if (!this.instancesById.has(instanceId)) {
            throw new Error(`unknown instance ${instanceId}`);
        }
        checkScenario(scenario, "scenario");
        this.scenarios.set(instanceId, { ...scenario });
    }

    /** The effective scenario of an instance. */
    scenarioOf(inst: InstanceState): EcsScenario {
        return copyDefined({ ...this.defaultScenario }, this.scenarios.get(inst.id) ?? {});
    }

    /** The scenario's timings of an instance, defaults filled in. */
    private timingsOf(inst: InstanceState): Record<keyof typeof DEFAULT_TIMINGS, number> {
        const s = this.scenarioOf(inst);
        return {
            stopSeconds: s.stopSeconds ?? DEFAULT_TIMINGS.stopSeconds,
            migrateSeconds: s.migrateSeconds ?? DEFAULT_TIMINGS.migrateSeconds,
            startSeconds: s.startSeconds ?? DEFAULT_TIMINGS.startSeconds,
        };
    }

    /** Runs every transition due up to `now`, in time order. */
    advance(now: number): void {
        for (;;) {
            let next: Timer | undefined;
            for (const timer of this.timers) {
                if (
                    timer.at <= now &&
                    (!next || timer.at < next.at || (timer.at === next.at && timer.seq < next.seq))
                ) {
                    next = timer;
                }
            }
            if (!next) {
                return;
            }
            this.timers.splice(this.timers.indexOf(next), 1);
            next.run(next.at);
        }
    }

    /**
     * RedeployInstance: checks its preconditions in seed 000's order and starts the task.
     * Throws the PopApiError ECS answers when a precondition fails.
     */
    redeploy(instanceId: string, forceStop: boolean, now: number): TaskState {
        this.advance(now);
        const inst = this.instancesById.get(instanceId);
        if (!inst) {
            throw instanceNotFound();
        }
        this.checkRedeployable(inst);
        const timings = this.timingsOf(inst);
        const originalStatus = inst.status === "Running" ? "Running" : "Stopped";
        let id = this.newId("task");
        while (this.taskList.some((t) => t.id === id)) {
            id = this.newId("task");
        }
        const task: TaskState = {
            seq: ++this.seq,
            id,
            instance: inst,
            status: "Processing",
            forceStop,
            originalStatus,
            originalHostId: inst.hostId,
            createdAt: now,
            plannedMs:
                ((originalStatus === "Running" ? timings.stopSeconds : 0) +
                    timings.migrateSeconds +
                    timings.startSeconds) *
                1000,
        };
        this.taskList.push(task);
        inst.busy = { task };
        if (originalStatus === "Running") {
            inst.lastStop = forceStop ? "forced" : "graceful";
            this.setStatus(inst, "Stopping", now);
            this.after(now, "stopSeconds", inst, (t) => {
                this.setStatus(inst, "Stopped", t);
                this.after(t, "migrateSeconds", inst, (t2) => this.migrated(task, t2));
            });
        } else {
            this.setStatus(inst, "Starting", now);
            this.after(now, "migrateSeconds", inst, (t) => this.migrated(task, t));
        }
        return task;
    }

    private checkRedeployable(inst: InstanceState): void {
        if (inst.expired) {
            throw instanceExpired();
        }
        if (inst.securityLocked) {
            throw lockedForSecurity();
        }
        if (inst.busy && "task" in inst.busy) {
            const taskId = inst.busy.task.id;
            throw incorrectInstanceStatus(`The instance is already being redeployed (${taskId}).`);
        }
        if (inst.status !== "Running" && inst.status !== "Stopped") {
            throw incorrectInstanceStatus();
        }
        if (inst.busy && "event" in inst.busy) {
            const ev = inst.busy.event;
            throw incorrectInstanceStatus(
                `The instance is handling system event ${ev.id} (${ev.type}).`,
            );
        }
        if (inst.dedicatedHostId !== undefined) {
            throw invalidRedeploy(
                `The instance is deployed on dedicated host ${inst.dedicatedHostId}: ` +
                    "instances on a dedicated host cannot be redeployed.",
            );
        }
        const open = this.eventList.filter(
            (e) => e.instance === inst && handledByRedeploy(e.type, e.status),
        );
        if (open.length > 0 && open.every((e) => e.simulated)) {
            throw invalidRedeploy(
                this.scenarioOf(inst).simulatedRefusalMessage ??
                    `The instance cannot be redeployed for simulated system events ` +
                        `(${open.map((e) => e.id).join(", ")}), which were created by ` +
                        "CreateSimulatedSystemEvents.",
            );
        }
        if (this.scenarioOf(inst).diskError) {
            throw diskError();
        }
    }

    /** The migration of a redeploy ended (successfully unless scenario.failWith). */
    private migrated(task: TaskState, t: number): void {
        const inst = task.instance;
        const failWith = this.scenarioOf(inst).failWith;
        if (failWith) {
            const error = { code: failWith.code, message: failWith.message };
            if (task.originalStatus === "Running") {
                this.setStatus(inst, "Starting", t);
                this.after(t, "startSeconds", inst, (t2) => {
                    this.setStatus(inst, "Running", t2);
                    this.endTask(task, t2, error);
                });
            } else {
                this.setStatus(inst, "Stopped", t);
                this.endTask(task, t, error);
            }
            return;
        }
        this.relocate(inst);
        task.newHostId = inst.hostId;
        this.setStatus(inst, "Starting", t);
        this.after(t, "startSeconds", inst, (t2) => {
            this.setStatus(inst, "Running", t2);
            inst.redeployCount++;
            for (const ev of this.eventList) {
                if (
                    ev.instance === inst &&
                    !ev.simulated &&
                    handledByRedeploy(ev.type, ev.status)
                ) {
                    this.setEventStatus(ev, ev.status === "Executing" ? "Executed" : "Avoided", t2);
                }
            }
            this.endTask(task, t2);
        });
    }

    private endTask(task: TaskState, t: number, error?: { code: string; message: string }): void {
        task.status = error ? "Failed" : "Finished";
        task.finishedAt = t;
        if (error) {
            task.error = error;
        }
        this.idle(task.instance, t);
    }

    /** An event's NotBefore passed (or the instance it waited for became idle). */
    private notBeforeReached(ev: EventState, t: number): void {
        const inst = ev.instance;
        if (ev.simulated) {
            if (ev.status === "Scheduled") {
                this.setEventStatus(ev, "Executing", t);
                const s = this.timingsOf(inst);
                const ms = (s.stopSeconds + s.startSeconds) * 1000;
                this.schedule(t + ms, (t2) => this.notBeforeReached(ev, t2));
            } else if (ev.status === "Executing") {
                this.setEventStatus(ev, "Executed", t);
            }
            return;
        }
        if (ev.status !== "Scheduled") {
            return;
        }
        if (inst.busy) {
            inst.deferred.push(ev);
            return;
        }
        this.executeEvent(ev, t);
    }

    /** The cloud executes an event itself: the instance reboots (or moves host). */
    private executeEvent(ev: EventState, t: number): void {
        const inst = ev.instance;
        inst.busy = { event: ev };
        this.setEventStatus(ev, "Executing", t);
        const migrates = migratesWhenExecuted(ev.type);
        const stops = ev.type.endsWith(".Stop");
        const done = (t2: number): void => {
            this.setEventStatus(ev, "Executed", t2);
            this.idle(inst, t2);
        };
        const moveHost = (t2: number, then: (t3: number) => void): void => {
            if (!migrates) {
                then(t2);
                return;
            }
            this.after(t2, "migrateSeconds", inst, (t3) => {
                this.relocate(inst);
                then(t3);
            });
        };
        if (inst.status !== "Running") {
            moveHost(t, done);
            return;
        }
        this.setStatus(inst, "Stopping", t);
        this.after(t, "stopSeconds", inst, (t1) => {
            this.setStatus(inst, "Stopped", t1);
            if (stops) {
                done(t1);
                return;
            }
            moveHost(t1, (t2) => {
                this.setStatus(inst, "Starting", t2);
                this.after(t2, "startSeconds", inst, (t3) => {
                    this.setStatus(inst, "Running", t3);
                    done(t3);
                });
            });
        });
    }

    /** The instance's operation ended: events that waited for it get their turn now. */
    private idle(inst: InstanceState, t: number): void {
        inst.busy = undefined;
        const waiting = inst.deferred.splice(0);
        for (const ev of waiting) {
            this.schedule(t, (t2) => this.notBeforeReached(ev, t2));
        }
    }

    /** Moves the instance to a new host; its local disks are re-initialized. */
    private relocate(inst: InstanceState): void {
        inst.hostId = this.newHostId(inst.hostId);
        for (const d of inst.localDisks) {
            d.dataErased = true;
        }
    }

    private newHostId(old?: string): string {
        let id = this.newId("host");
        while (id === old) {
            id = this.newId("host");
        }
        return id;
    }

    private setStatus(inst: InstanceState, status: EcsInstanceStatus, t: number): void {
        if (inst.status === status) {
            return;
        }
        inst.status = status;
        if (status === "Running") {
            inst.startedAt = t;
        }
        this.notifier.stateChange(inst.id, inst.regionId, status, t);
    }

    private setEventStatus(ev: EventState, status: string, t: number): void {
        ev.status = status;
        switch (status) {
            case "Executing":
                ev.executeStart = t;
                break;
            case "Executed":
                ev.executeStart ??= t;
                ev.executeFinish = t;
                ev.finishedAt = t;
                break;
            case "Avoided":
            case "Canceled":
                ev.executeStart = t;
                ev.executeFinish = t;
                ev.finishedAt = t;
                break;
            default:
                ev.finishedAt = t;
        }
        this.notifier.systemEvent(this.notified(ev), t);
    }

    private notified(ev: EventState): NotifiedEvent {
        return {
            id: ev.id,
            instanceId: ev.instance.id,
            regionId: ev.instance.regionId,
            type: ev.type,
            status: ev.status,
            publishedAt: ev.publishedAt,
            notBefore: ev.notBefore,
            executeStart: ev.executeStart,
            executeFinish: ev.executeFinish,
        };
    }

    private schedule(at: number, run: (t: number) => void): void {
        this.timers.push({ at, seq: ++this.seq, run });
    }

    /** Runs `run` the scenario's `key` seconds (read now) after `t`. */
    private after(
        t: number,
        key: keyof typeof DEFAULT_TIMINGS,
        inst: InstanceState,
        run: (t: number) => void,
    ): void {
        this.schedule(t + this.timingsOf(inst)[key] * 1000, run);
    }

    /** An instance (call advance first). */
    instance(instanceId: string): InstanceState | undefined {
        return this.instancesById.get(instanceId);
    }

    /** All instances, in insertion order (call advance first). */
    instances(): InstanceState[] {
        return [...this.instancesById.values()];
    }

    /** Tasks, newest first (call advance first). */
    tasks(): TaskState[] {
        return [...this.taskList].sort((a, b) => b.seq - a.seq);
    }

    /** Events, newest first, optionally of one instance (call advance first). */
    events(instanceId?: string): EventState[] {
        return this.eventList
            .filter((e) => instanceId === undefined || e.instance.id === instanceId)
            .sort((a, b) => b.seq - a.seq);
    }

    /** The notifications sent so far, oldest first. */
    notifications(): EcsNotification[] {
        return this.notifier.sent();
    }

    /** Forgets the notifications sent so far. */
    clearNotifications(): void {
        this.notifier.clear();
    }

    /** A task's progress in percent at `now` (100 once Finished). */
    progress(task: TaskState, now: number): number {
        if (task.status === "Finished") {
            return 100;
        }
        const end = task.finishedAt ?? now;
        if (task.plannedMs <= 0) {
            return 99;
        }
        return Math.min(99, Math.floor(((end - task.createdAt) * 100) / task.plannedMs));
    }
}

/** An instance snapshot. */
export function snapshotInstance(inst: InstanceState): SimInstance {
    const snap: SimInstance = {
        instanceId: inst.id,
        regionId: inst.regionId,
        zoneId: inst.zoneId,
        status: inst.status,
        instanceType: inst.instanceType,
        hostId: inst.hostId,
        securityLocked: inst.securityLocked,
        expired: inst.expired,
        systemDiskId: inst.systemDisk.diskId,
        localDisks: inst.localDisks.map((d) => ({
            diskId: d.diskId,
            category: d.category,
            dataErased: d.dataErased,
        })),
        redeployCount: inst.redeployCount,
    };
    if (inst.dedicatedHostId !== undefined) {
        snap.dedicatedHostId = inst.dedicatedHostId;
    }
    if (inst.busy && "task" in inst.busy) {
        snap.redeployTaskId = inst.busy.task.id;
    }
    if (inst.lastStop !== undefined) {
        snap.lastStop = inst.lastStop;
    }
    return snap;
}

/** A task snapshot. */
export function snapshotTask(task: TaskState): SimTask {
    const snap: SimTask = {
        TaskId: task.id,
        TaskAction: "RedeployInstance",
        TaskStatus: task.status,
        ResourceId: task.instance.id,
        RegionId: task.instance.regionId,
        SupportCancel: "false",
        CreationTime: ecsMinute(task.createdAt),
        forceStop: task.forceStop,
        originalStatus: task.originalStatus,
        originalHostId: task.originalHostId,
        createdAt: task.createdAt,
    };
    if (task.finishedAt !== undefined) {
        snap.FinishedTime = ecsMinute(task.finishedAt);
        snap.finishedAt = task.finishedAt;
    }
    if (task.error) {
        snap.error = { ...task.error };
    }
    if (task.newHostId !== undefined) {
        snap.newHostId = task.newHostId;
    }
    return snap;
}

/** An event snapshot. */
export function snapshotEvent(ev: EventState): SimEvent {
    const snap: SimEvent = {
        EventId: ev.id,
        InstanceId: ev.instance.id,
        RegionId: ev.instance.regionId,
        EventType: ev.type,
        EventCycleStatus: ev.status as SimEvent["EventCycleStatus"],
        EventPublishTime: ecsSeconds(ev.publishedAt),
        NotBefore: ecsSeconds(ev.notBefore),
        simulated: ev.simulated,
    };
    if (ev.executeStart !== undefined) {
        snap.ExecuteStartTime = ecsSeconds(ev.executeStart);
    }
    if (ev.executeFinish !== undefined) {
        snap.ExecuteFinishTime = ecsSeconds(ev.executeFinish);
    }
    if (ev.finishedAt !== undefined) {
        snap.EventFinishTime = ecsSeconds(ev.finishedAt);
    }
    return snap;
}
