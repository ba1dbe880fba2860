/**
 * The EC2 Auto Scaling instance-refresh state machine, with the launch templates it reads.
 * Pure: no I/O and no clock of its own; every method takes `now` (ms since epoch) and first
 * brings all refreshes up to that time, so transitions carry their exact times.
 *
 * A refresh replaces its instances in batches. Batch size = max(1, floor(capacity × (100 −
 * MinHealthy)/100) + floor(capacity × (MaxHealthy − 100)/100)) when MaxHealthyPercentage is
 * given, else max(1, floor(capacity × (100 − MinHealthy)/100)); a batch is never larger than
 * what reaches the next checkpoint (AWS "will sometimes replace fewer" to honour checkpoints).
 * Each batch takes scenario.batchSeconds to launch its instances, then InstanceWarmup seconds
 * during which StatusReason says the instances are warming up; only then do they count in
 * PercentageComplete. At a checkpoint the refresh stays InProgress for CheckpointDelay seconds;
 * after the last instance (or the last checkpoint, if it is below 100) it is Baking for BakeTime
 * seconds, then Successful, and the group takes the desired launch template.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { isoSeconds } from "../common/time";
import {
    activeInstanceRefreshNotFound,
    groupNotFound,
    instanceRefreshInProgress,
    irreversibleInstanceRefresh,
    validationError,
} from "./errors";
import type {
    AsgGroupSeed,
    AsgRefreshStatus,
    AsgScenario,
    LaunchTemplateSeed,
    SimAsgGroup,
    SimAsgInstance,
    SimAsgRefresh,
    SimLaunchTemplate,
    WireDesiredConfiguration,
    WireProgressDetails,
    WireRefreshPreferences,
} from "./types";

/** Region used in ARNs when none is given. */
export const DEFAULT_AWS_REGION = "us-east-1";
/** The account id in the simulator's ARNs. */
export const SANDBOX_ACCOUNT_ID = "123456789012";

/** StatusReason of a refresh that fails (scenario.failAtPercent) without its own failReason. */
export const DEFAULT_FAIL_REASON =
    "Instance refresh failed because new instances did not pass their health checks: the " +
    "instances were launched but never became healthy.";

/** StatusReason of a rollback that fails (scenario.rollbackFails). */
export const ROLLBACK_FAIL_REASON =
    "The rollback failed because instances with the previous configuration could not be launched.";

/** RollbackReason of a rollback started by RollbackInstanceRefresh. */
export const MANUAL_ROLLBACK_REASON =
    "Rollback was initiated by a RollbackInstanceRefresh request.";

const TERMINAL: ReadonlySet<AsgRefreshStatus> = new Set<AsgRefreshStatus>([
    "Successful",
    "Failed",
    "Cancelled",
    "RollbackSuccessful",
    "RollbackFailed",
]);

/** Whether a status is final (anything else is the group's active refresh). */
export function isTerminal(status: AsgRefreshStatus): boolean {
    return TERMINAL.has(status);
}

/** Instances replaced per batch (see the module comment). */
export function batchSizeFor(capacity: number, minHealthy: number, maxHealthy?: number): number {
    const below = Math.floor((capacity * (100 - minHealthy)) / 100);
    const above = maxHealthy === undefined ? 0 : Math.floor((capacity * (maxHealthy - 100)) / 100);
    return Math.max(1, below + above);
}

/** A launch template reference as a request gives it. */
export interface LaunchTemplateSpec {
    id?: string;
    name?: string;
    /** A version number, "$Latest" or "$Default" (AWS's default when absent: "$Default"). */
    version?: string;
}

/** The validated preferences of a refresh. */
export interface RefreshSettings {
    minHealthyPercentage: number;
    maxHealthyPercentage?: number;
    /** Default: the group's HealthCheckGracePeriod. */
    instanceWarmup?: number;
    /** Ascending, unique, 1..100 (may be empty). */
    checkpointPercentages: number[];
    checkpointDelay: number;
    skipMatching: boolean;
    autoRollback: boolean;
    bakeTime: number;
}

/** A validated StartInstanceRefresh request. */
export interface StartRefreshInput {
    autoScalingGroupName: string;
    settings: RefreshSettings;
    /** Echoed as Preferences by DescribeInstanceRefreshes. */
    preferences: WireRefreshPreferences;
    /** Echoed as DesiredConfiguration (undefined: the group's current configuration). */
    desired?: WireDesiredConfiguration;
    /** The launch template of the desired configuration. */
    desiredTemplate?: LaunchTemplateSpec;
}

interface TemplateState {
    id: string;
    name: string;
    versions: number;
    defaultVersion: number;
    createdAt: number;
}

interface InstanceState {
    instanceId: string;
    az: string;
    /** The template and numeric version it was launched from (undefined: launch config). */
    lt?: { id: string; version: number };
    lc?: string;
}

/** A group as the engine keeps it. */
export interface GroupState {
    name: string;
    arn: string;
    capacity: number;
    /** As configured (the version may be "$Latest" / "$Default"). */
    lt?: { id: string; version: string };
    lc?: string;
    instances: InstanceState[];
    createdAt: number;
    availabilityZones: string[];
    healthCheckGracePeriod: number;
}

type Config = { lt: { id: string; version: number } } | { lc: string };

interface Phase {
    /** "launching": the batch's instances are being replaced; "warming": in warm-up. */
    step: "launching" | "warming";
    /** The launched count this batch brings the refresh (or rollback) to. */
    until: number;
}

interface RollbackState {
    reason: string;
    startTime: number;
    /** Instances to restore (those the refresh replaced). */
    total: number;
    restored: number;
    auto: boolean;
}

interface Task {
    seq: number;
    id: string;
    group: GroupState;
    status: AsgRefreshStatus;
    statusReason?: string;
    startTime: number;
    endTime?: number;
    input: StartRefreshInput;
    /** The configuration replaced instances get. */
    target: Config;
    /** Positions (in group.instances) to replace, in order. */
    targets: number[];
    /** The instance each target position held before it was replaced. */
    old: InstanceState[];
    launched: number;
    finished: number;
    batchSize: number;
    warmupMs: number;
    phase?: Phase;
    nextCheckpoint: number;
    rollback?: RollbackState;
    nextAt?: number;
    foreign: boolean;
}

function checkScenario(s: AsgScenario): void {
    const keys: (keyof AsgScenario)[] = ["pendingSeconds", "batchSeconds", "failAtPercent"];
    for (const key of keys) {
        const v = s[key];
        if (v !== undefined && (typeof v !== "number" || !Number.isFinite(v) || v < 0)) {
            throw new RangeError(`scenario.${key} must be a finite number >= 0, got ${String(v)}`);
        }
    }
}

function randomHex(chars: number): string {
    return randomBytes(Math.ceil(chars / 2))
        .toString("hex")
        .slice(0, chars);
}

/** A launch template id derived from a name, e.g. "lt-0f1e2d3c4b5a69788". */
export function launchTemplateIdFor(name: string): string {
    return `lt-0${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
}

function percent(done: number, total: number): number {
    return total === 0 ? 0 : Math.floor((done * 100) / total);
}

function progress(percentage: number, toUpdate: number): WireProgressDetails {
    return { LivePoolProgress: { PercentageComplete: percentage, InstancesToUpdate: toUpdate } };
}

/** Options of an AsgRefreshEngine. */
export interface AsgRefreshEngineOptions {
    /** Scenario every group starts from (a group's own scenario is merged over it). */
    defaultScenario?: AsgScenario;
    /** Region in ARNs (default us-east-1). */
    region?: string;
    /** Generates refresh ids (default: a UUID). */
    newRefreshId?: () => string;
    /** Generates instance ids (default "i-" + 17 hex digits). */
    newInstanceId?: () => string;
}

/** Auto Scaling groups, launch templates and refreshes, advanced lazily to each call's `now`. */
export class AsgRefreshEngine {
    private readonly groupsByName = new Map<string, GroupState>();
    private readonly templatesById = new Map<string, TemplateState>();
    private readonly groupScenarios = new Map<string, AsgScenario>();
    private readonly tasks: Task[] = [];
    private readonly defaultScenario: AsgScenario;
    private readonly region: string;
    private readonly newRefreshId: () => string;
    private readonly newInstanceId: () => string;
    private seq = 0;

    constructor(opts: AsgRefreshEngineOptions = {}) {
        this.defaultScenario = { ...(opts.defaultScenario ?? {}) };
        checkScenario(this.defaultScenario);
        this.region = opts.region ?? DEFAULT_AWS_REGION;
        this.newRefreshId = opts.newRefreshId ?? (() => randomUUID());
        this.newInstanceId = opts.newInstanceId ?? (() => `i-0${randomHex(16)}`);
    }

    // ---- launch templates ----------------------------------------------------------------

    /** Adds a launch template; throws if its id or name is taken. */
    addLaunchTemplate(seed: LaunchTemplateSeed, now: number): SimLaunchTemplate {
        this.advance(now);
        if (typeof seed.launchTemplateId !== "string" || seed.launchTemplateId === "") {
            throw new TypeError("LaunchTemplateSeed.launchTemplateId must be a non-empty string");
        }
        if (typeof seed.launchTemplateName !== "string" || seed.launchTemplateName === "") {
            throw new TypeError("LaunchTemplateSeed.launchTemplateName must be a non-empty string");
        }
        if (!Number.isInteger(seed.versions) || seed.versions < 1) {
            throw new RangeError(
                `LaunchTemplateSeed.versions must be an integer >= 1: ${seed.versions}`,
            );
        }
        const defaultVersion = seed.defaultVersion ?? 1;
        if (
            !Number.isInteger(defaultVersion) ||
            defaultVersion < 1 ||
            defaultVersion > seed.versions
        ) {
            throw new RangeError(
                `LaunchTemplateSeed.defaultVersion must be an integer from 1 to ${seed.versions}`,
            );
        }
        if (this.templatesById.has(seed.launchTemplateId)) {
            throw new Error(`launch template ${seed.launchTemplateId} already exists`);
        }
        if (this.templateByName(seed.launchTemplateName)) {
            throw new Error(`launch template ${seed.launchTemplateName} already exists`);
        }
        const t: TemplateState = {
            id: seed.launchTemplateId,
            name: seed.launchTemplateName,
            versions: seed.versions,
            defaultVersion,
            createdAt: now,
        };
        this.templatesById.set(t.id, t);
        return this.templateView(t);
    }

    /** Adds a version to a template (by id or name); returns its number. */
    addLaunchTemplateVersion(idOrName: string, now: number): number {
        this.advance(now);
        const t = this.templatesById.get(idOrName) ?? this.templateByName(idOrName);
        if (!t) {
            throw new Error(`unknown launch template ${idOrName}`);
        }
        t.versions += 1;
        return t.versions;
    }

    /** Makes a version the template's default. */
    setDefaultLaunchTemplateVersion(idOrName: string, version: number, now: number): void {
        this.advance(now);
        const t = this.templatesById.get(idOrName) ?? this.templateByName(idOrName);
        if (!t) {
            throw new Error(`unknown launch template ${idOrName}`);
        }
        if (!Number.isInteger(version) || version < 1 || version > t.versions) {
            throw new RangeError(`version must be an integer from 1 to ${t.versions}`);
        }
        t.defaultVersion = version;
    }

    /** All launch templates, in insertion order. */
    launchTemplates(): SimLaunchTemplate[] {
        return [...this.templatesById.values()].map((t) => this.templateView(t));
    }

    /** A launch template by id or by name. */
    launchTemplate(ref: { id?: string; name?: string }): SimLaunchTemplate | undefined {
        const t = this.findTemplate(ref);
        return t ? this.templateView(t) : undefined;
    }

    /** The version number a version string stands for now (undefined: no such version). */
    resolveVersion(ref: { id?: string; name?: string }, version: string): number | undefined {
        const t = this.findTemplate(ref);
        return t ? this.versionOf(t, version) : undefined;
    }

    private templateByName(name: string): TemplateState | undefined {
        return [...this.templatesById.values()].find((t) => t.name === name);
    }

    private findTemplate(ref: { id?: string; name?: string }): TemplateState | undefined {
        if (ref.id !== undefined) {
            return this.templatesById.get(ref.id);
        }
        return ref.name !== undefined ? this.templateByName(ref.name) : undefined;
    }

    private versionOf(t: TemplateState, version: string): number | undefined {
        if (version === "$Latest") {
            return t.versions;
        }
        if (version === "$Default") {
            return t.defaultVersion;
        }
        if (!/^\d+$/.test(version)) {
            return undefined;
        }
        const n = Number(version);
        return n >= 1 && n <= t.versions ? n : undefined;
    }

    private templateView(t: TemplateState): SimLaunchTemplate {
        return {
            launchTemplateId: t.id,
            launchTemplateName: t.name,
            defaultVersionNumber: t.defaultVersion,
            latestVersionNumber: t.versions,
        };
    }

    /** Template creation time (for EC2's createTime). */
    launchTemplateCreatedAt(id: string): number | undefined {
        return this.templatesById.get(id)?.createdAt;
    }

    // ---- groups --------------------------------------------------------------------------

    /**
     * Adds a group (all instances InService on its launch template); throws if the name is
     * taken. A launch template the seed names but nobody seeded is created.
     */
    addGroup(seed: AsgGroupSeed, now: number): SimAsgGroup {
        this.advance(now);
        const name = seed.autoScalingGroupName;
        if (typeof name !== "string" || name === "") {
            throw new TypeError("AsgGroupSeed.autoScalingGroupName must be a non-empty string");
        }
        if (!Number.isInteger(seed.capacity) || seed.capacity < 0) {
            throw new RangeError(`AsgGroupSeed.capacity must be an integer >= 0: ${seed.capacity}`);
        }
        if (this.groupsByName.has(name)) {
            throw new Error(`Auto Scaling group ${name} already exists`);
        }
        const grace = seed.healthCheckGracePeriod ?? 0;
        if (!Number.isInteger(grace) || grace < 0) {
            throw new RangeError(`AsgGroupSeed.healthCheckGracePeriod must be an integer >= 0`);
        }
        const azs = seed.availabilityZones ?? ["a", "b", "c"].map((z) => `${this.region}${z}`);
        if (azs.length === 0) {
            throw new RangeError("AsgGroupSeed.availabilityZones must not be empty");
        }
        const group: GroupState = {
            name,
            arn:
                `arn:aws:autoscaling:${this.region}:${SANDBOX_ACCOUNT_ID}:autoScalingGroup:` +
                `${randomUUID()}:autoScalingGroupName/${name}`,
            capacity: seed.capacity,
            instances: [],
            createdAt: now,
            availabilityZones: [...azs],
            healthCheckGracePeriod: grace,
        };
        let config: Config;
        if (seed.launchTemplate) {
            const ref = seed.launchTemplate;
            const t =
                this.findTemplate({ id: ref.launchTemplateId, name: ref.launchTemplateName }) ??
                this.autoTemplate(name, ref, now);
            const version = this.versionOf(t, ref.version);
            if (version === undefined) {
                throw new RangeError(
                    `AsgGroupSeed.launchTemplate.version ${ref.version} does not exist in ${t.id}`,
                );
            }
            group.lt = { id: t.id, version: ref.version };
            config = { lt: { id: t.id, version } };
        } else {
            group.lc = `${name}-launch-configuration`;
            config = { lc: group.lc };
        }
        for (let i = 0; i < seed.capacity; i++) {
            group.instances.push(this.newInstance(config, azs[i % azs.length] ?? azs[0] ?? ""));
        }
        this.groupsByName.set(name, group);
        if (this.scenarioOf(group).foreignRefresh) {
            this.startForeign(group, now);
        }
        return this.groupView(group);
    }

    private autoTemplate(
        groupName: string,
        ref: { launchTemplateId?: string; launchTemplateName?: string; version: string },
        now: number,
    ): TemplateState {
        const name = ref.launchTemplateName ?? `${groupName}-template`;
        const t: TemplateState = {
            id: ref.launchTemplateId ?? launchTemplateIdFor(name),
            name,
            versions: /^\d+$/.test(ref.version) ? Math.max(1, Number(ref.version)) : 1,
            defaultVersion: 1,
            createdAt: now,
        };
        if (this.templatesById.has(t.id) || this.templateByName(t.name)) {
            throw new Error(`launch template ${t.id} (${t.name}) clashes with an existing one`);
        }
        this.templatesById.set(t.id, t);
        return t;
    }

    private newInstance(config: Config, az: string): InstanceState {
        const instance: InstanceState = { instanceId: this.newInstanceId(), az };
        if ("lt" in config) {
            instance.lt = { ...config.lt };
        } else {
            instance.lc = config.lc;
        }
        return instance;
    }

    /** Sets a group's scenario (merged over the default); may start a foreign refresh. */
    setScenario(groupName: string, scenario: AsgScenario, now: number): void {
        this.advance(now);
        const group = this.groupsByName.get(groupName);
        if (!group) {
            throw new Error(`unknown Auto Scaling group ${groupName}`);
        }
        checkScenario(scenario);
        this.groupScenarios.set(groupName, { ...scenario });
        if (scenario.foreignRefresh) {
            this.startForeign(group, now);
        }
    }

    /** The effective scenario of a group. */
    scenarioOf(group: { name: string }): AsgScenario {
        return { ...this.defaultScenario, ...(this.groupScenarios.get(group.name) ?? {}) };
    }

    /** A group's state (call advance first), for the wire formats. */
    groupState(name: string): Readonly<GroupState> | undefined {
        return this.groupsByName.get(name);
    }

    /** All group names, in insertion order. */
    groupNames(): string[] {
        return [...this.groupsByName.keys()];
    }

    /** A group's configuration and instances (call advance first). */
    group(name: string): SimAsgGroup | undefined {
        const g = this.groupsByName.get(name);
        return g ? this.groupView(g) : undefined;
    }

    private groupView(g: GroupState): SimAsgGroup {
        const view: SimAsgGroup = {
            autoScalingGroupName: g.name,
            capacity: g.capacity,
            instances: g.instances.map((i) => this.instanceView(i)),
        };
        if (g.lt) {
            view.launchTemplate = {
                launchTemplateId: g.lt.id,
                launchTemplateName: this.templatesById.get(g.lt.id)?.name ?? "",
                version: g.lt.version,
            };
        }
        if (g.lc !== undefined) {
            view.launchConfigurationName = g.lc;
        }
        return view;
    }

    private instanceView(i: InstanceState): SimAsgInstance {
        const view: SimAsgInstance = {
            instanceId: i.instanceId,
            availabilityZone: i.az,
            lifecycleState: "InService",
            healthStatus: "Healthy",
            protectedFromScaleIn: false,
        };
        if (i.lt) {
            view.launchTemplate = {
                launchTemplateId: i.lt.id,
                launchTemplateName: this.templatesById.get(i.lt.id)?.name ?? "",
                version: String(i.lt.version),
            };
        }
        if (i.lc !== undefined) {
            view.launchConfigurationName = i.lc;
        }
        return view;
    }

    // ---- refreshes -----------------------------------------------------------------------

    /** Brings every refresh up to `now`. */
    advance(now: number): void {
        for (const task of this.tasks) {
            while (task.nextAt !== undefined && task.nextAt <= now) {
                this.step(task, task.nextAt);
            }
        }
    }

    /** Snapshots, newest first, optionally of one group (call advance first). */
    list(groupName?: string): SimAsgRefresh[] {
        return this.tasks
            .filter((t) => groupName === undefined || t.group.name === groupName)
            .sort((a, b) => b.seq - a.seq)
            .map((t) => this.snapshot(t));
    }

    /** StartInstanceRefresh: one active refresh per group. */
    start(input: StartRefreshInput, now: number): SimAsgRefresh {
        this.advance(now);
        const group = this.groupsByName.get(input.autoScalingGroupName);
        if (!group) {
            throw groupNotFound(input.autoScalingGroupName);
        }
        if (this.activeTask(group)) {
            throw instanceRefreshInProgress();
        }
        const target = this.targetConfig(group, input);
        if (input.settings.autoRollback) {
            const reason = this.irreversibleReason(group, input);
            if (reason !== undefined) {
                throw validationError(
                    `AutoRollback cannot be enabled for this instance refresh: ${reason}`,
                );
            }
        }
        return this.snapshot(this.createTask(group, input, target, now, false));
    }

    /** CancelInstanceRefresh: the active refresh (or rollback) -> Cancelling -> Cancelled. */
    cancel(groupName: string, now: number): string {
        this.advance(now);
        const group = this.requireGroup(groupName);
        const task = this.activeTask(group);
        if (!task || task.status === "Cancelling") {
            throw activeInstanceRefreshNotFound(groupName);
        }
        if (task.status !== "RollbackInProgress") {
            // instances still warming up count as replaced; a batch still launching is dropped
            task.finished = task.launched;
        }
        task.phase = undefined;
        task.status = "Cancelling";
        task.statusReason = undefined;
        task.nextAt = now + this.batchMs(task);
        return task.id;
    }

    /** RollbackInstanceRefresh: the active refresh -> RollbackInProgress. */
    rollback(groupName: string, now: number): string {
        this.advance(now);
        const group = this.requireGroup(groupName);
        const task = this.activeTask(group);
        if (!task || !["Pending", "InProgress", "Baking"].includes(task.status)) {
            throw activeInstanceRefreshNotFound(groupName);
        }
        const reason = this.irreversibleReason(group, task.input);
        if (reason !== undefined) {
            throw irreversibleInstanceRefresh(reason);
        }
        this.startRollback(task, now, MANUAL_ROLLBACK_REASON, false);
        return task.id;
    }

    private requireGroup(name: string): GroupState {
        const group = this.groupsByName.get(name);
        if (!group) {
            throw groupNotFound(name);
        }
        return group;
    }

    private activeTask(group: GroupState): Task | undefined {
        return this.tasks.find((t) => t.group === group && !isTerminal(t.status));
    }

    /** Why a refresh of this group cannot be rolled back (undefined: it can). */
    private irreversibleReason(group: GroupState, input: StartRefreshInput): string | undefined {
        // the group keeps its launch template until a refresh succeeds
        const previousLt = group.lt;
        if (!input.desired) {
            return "There is no desired configuration specified for the instance refresh.";
        }
        if (!previousLt) {
            return (
                "The Auto Scaling group does not use a launch template, so there is no previous " +
                "launch template version to roll back to."
            );
        }
        if (previousLt.version === "$Latest" || previousLt.version === "$Default") {
            return (
                `The Auto Scaling group uses the launch template's ${previousLt.version} ` +
                "version; a rollback needs a specific version number."
            );
        }
        const desiredVersion = input.desiredTemplate?.version ?? "$Default";
        if (desiredVersion === "$Latest" || desiredVersion === "$Default") {
            return (
                `The desired configuration uses the launch template's ${desiredVersion} ` +
                "version; a rollback needs a specific version number."
            );
        }
        return undefined;
    }

    /** The configuration replaced instances get (validating the desired launch template). */
    private targetConfig(group: GroupState, input: StartRefreshInput): Config {
        const spec = input.desiredTemplate;
        if (!spec) {
            if (group.lt) {
                const t = this.templatesById.get(group.lt.id);
                const version = t ? this.versionOf(t, group.lt.version) : undefined;
                return { lt: { id: group.lt.id, version: version ?? 1 } };
            }
            return { lc: group.lc ?? `${group.name}-launch-configuration` };
        }
        const t = this.findTemplate(spec);
        if (!t) {
            throw validationError(
                "You must use a valid fully-formed launch template. The specified launch " +
                    (spec.id !== undefined
                        ? `template, with template ID ${spec.id}, does not exist.`
                        : `template, with template name ${spec.name ?? ""}, does not exist.`),
            );
        }
        const versionText = spec.version ?? "$Default";
        const version = this.versionOf(t, versionText);
        if (version === undefined) {
            throw validationError(
                "You must use a valid fully-formed launch template. Could not find the " +
                    `specified version ${versionText} for the launch template with ID ${t.id}.`,
            );
        }
        return { lt: { id: t.id, version } };
    }

    private startForeign(group: GroupState, now: number): void {
        if (this.activeTask(group)) {
            return;
        }
        const input: StartRefreshInput = {
            autoScalingGroupName: group.name,
            settings: {
                minHealthyPercentage: 90,
                checkpointPercentages: [],
                checkpointDelay: 0,
                skipMatching: false,
                autoRollback: false,
                bakeTime: 0,
            },
            preferences: {
                MinHealthyPercentage: 90,
                SkipMatching: false,
                AutoRollback: false,
                ScaleInProtectedInstances: "Ignore",
                StandbyInstances: "Ignore",
            },
        };
        this.createTask(group, input, this.targetConfig(group, input), now, true);
    }

    private createTask(
        group: GroupState,
        input: StartRefreshInput,
        target: Config,
        now: number,
        foreign: boolean,
    ): Task {
        const targets: number[] = [];
        group.instances.forEach((instance, i) => {
            if (!input.settings.skipMatching || !this.matches(instance, target)) {
                targets.push(i);
            }
        });
        let id = this.newRefreshId();
        while (this.tasks.some((t) => t.id === id)) {
            id = this.newRefreshId();
        }
        const s = input.settings;
        const task: Task = {
            seq: ++this.seq,
            id,
            group,
            status: "Pending",
            startTime: now,
            input,
            target,
            targets,
            old: targets.map((i) => ({ ...(group.instances[i] as InstanceState) })),
            launched: 0,
            finished: 0,
            batchSize: batchSizeFor(group.capacity, s.minHealthyPercentage, s.maxHealthyPercentage),
            warmupMs: (s.instanceWarmup ?? group.healthCheckGracePeriod) * 1000,
            nextCheckpoint: 0,
            foreign,
        };
        this.tasks.push(task);
        task.nextAt = now + this.secondsMs(task, "pendingSeconds", 1);
        return task;
    }

    private matches(instance: InstanceState, target: Config): boolean {
        if ("lt" in target) {
            return instance.lt?.id === target.lt.id && instance.lt.version === target.lt.version;
        }
        return instance.lc === target.lc;
    }

    private secondsMs(task: Task, key: "pendingSeconds" | "batchSeconds", dflt: number): number {
        return (this.scenarioOf(task.group)[key] ?? dflt) * 1000;
    }

    private batchMs(task: Task): number {
        return this.secondsMs(task, "batchSeconds", 10);
    }

    /** Applies the transition due at time `t`. */
    private step(task: Task, t: number): void {
        task.nextAt = undefined;
        switch (task.status) {
            case "Pending":
                task.status = "InProgress";
                if (task.targets.length === 0) {
                    this.complete(task, t);
                } else if (!this.failIfDue(task, t)) {
                    this.startBatch(task, t);
                }
                return;
            case "InProgress":
                this.progressStep(task, t);
                return;
            case "Baking":
                this.succeed(task, t);
                return;
            case "Cancelling":
                this.finish(task, "Cancelled", t);
                return;
            case "RollbackInProgress":
                this.rollbackStep(task, t);
                return;
            default:
                return;
        }
    }

    private progressStep(task: Task, t: number): void {
        const phase = task.phase;
        if (!phase) {
            // the end of a checkpoint pause
            task.statusReason = undefined;
            this.startBatch(task, t);
            return;
        }
        if (phase.step === "launching") {
            this.replace(task, task.launched, phase.until);
            task.launched = phase.until;
            if (task.warmupMs > 0) {
                phase.step = "warming";
                const example = task.group.instances[task.targets[task.launched - 1] ?? -1];
                task.statusReason =
                    "Waiting for instances to warm up before continuing. For example: " +
                    `${example?.instanceId ?? "an instance"} is warming up.`;
                task.nextAt = t + task.warmupMs;
                return;
            }
        }
        this.finishBatch(task, t);
    }

    private startBatch(task: Task, t: number): void {
        const total = task.targets.length;
        let n = Math.min(task.batchSize, total - task.launched);
        const checkpoint = task.input.settings.checkpointPercentages[task.nextCheckpoint];
        if (checkpoint !== undefined) {
            const needed = Math.ceil((checkpoint * total) / 100) - task.launched;
            if (needed > 0) {
                n = Math.min(n, needed);
            }
        }
        task.phase = { step: "launching", until: task.launched + n };
        task.nextAt = t + this.batchMs(task);
    }

    private finishBatch(task: Task, t: number): void {
        task.phase = undefined;
        task.statusReason = undefined;
        task.finished = task.launched;
        if (this.failIfDue(task, t)) {
            return;
        }
        const total = task.targets.length;
        if (task.finished >= total) {
            this.complete(task, t);
            return;
        }
        const checkpoints = task.input.settings.checkpointPercentages;
        const done = (task.finished * 100) / total;
        let reached: number | undefined;
        while (task.nextCheckpoint < checkpoints.length) {
            const cp = checkpoints[task.nextCheckpoint] ?? 100;
            if (done < cp) {
                break;
            }
            reached = cp;
            task.nextCheckpoint++;
        }
        if (reached === undefined) {
            this.startBatch(task, t);
        } else if (task.nextCheckpoint >= checkpoints.length) {
            // the last checkpoint is below 100: the refresh ends there
            this.complete(task, t);
        } else {
            const delay = task.input.settings.checkpointDelay;
            task.statusReason =
                `Checkpoint ${reached}% reached. Waiting ${delay} seconds (CheckpointDelay) ` +
                "before continuing.";
            task.nextAt = t + delay * 1000;
        }
    }

    /** Replaces the instances at target positions [from, to) with the target configuration. */
    private replace(task: Task, from: number, to: number): void {
        const instances = task.group.instances;
        for (let k = from; k < to; k++) {
            const pos = task.targets[k] ?? -1;
            const before = instances[pos];
            if (before) {
                instances[pos] = this.newInstance(task.target, before.az);
            }
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
        const reason = scenario.failReason ?? DEFAULT_FAIL_REASON;
        if (task.input.settings.autoRollback) {
            this.startRollback(task, t, reason, true);
        } else {
            this.finish(task, "Failed", t, reason);
        }
        return true;
    }

    private complete(task: Task, t: number): void {
        task.phase = undefined;
        task.statusReason = undefined;
        const bake = task.input.settings.bakeTime;
        if (bake > 0) {
            task.status = "Baking";
            task.nextAt = t + bake * 1000;
        } else {
            this.succeed(task, t);
        }
    }

    private succeed(task: Task, t: number): void {
        const spec = task.input.desiredTemplate;
        if (spec && "lt" in task.target) {
            task.group.lt = { id: task.target.lt.id, version: spec.version ?? "$Default" };
            task.group.lc = undefined;
        }
        this.finish(task, "Successful", t);
    }

    private startRollback(task: Task, t: number, reason: string, auto: boolean): void {
        // instances still warming up were launched already: they are rolled back too
        task.phase = undefined;
        task.status = "RollbackInProgress";
        task.statusReason = auto ? reason : undefined;
        task.rollback = { reason, startTime: t, total: task.launched, restored: 0, auto };
        this.startRollbackBatch(task, t);
    }

    private startRollbackBatch(task: Task, t: number): void {
        const rb = task.rollback as RollbackState;
        task.phase = {
            step: "launching",
            until: Math.min(rb.total, rb.restored + task.batchSize),
        };
        task.nextAt = t + this.batchMs(task);
    }

    private rollbackStep(task: Task, t: number): void {
        const rb = task.rollback as RollbackState;
        const phase = task.phase as Phase;
        const last = phase.until >= rb.total;
        if (phase.step === "launching") {
            if (last && this.scenarioOf(task.group).rollbackFails) {
                this.finish(task, "RollbackFailed", t, ROLLBACK_FAIL_REASON);
                return;
            }
            this.restore(task, rb.restored, phase.until);
            rb.restored = phase.until;
            if (task.warmupMs > 0 && rb.total > 0) {
                phase.step = "warming";
                task.nextAt = t + task.warmupMs;
                return;
            }
        }
        task.phase = undefined;
        if (rb.restored >= rb.total) {
            this.finish(task, "RollbackSuccessful", t, rb.auto ? rb.reason : undefined);
        } else {
            this.startRollbackBatch(task, t);
        }
    }

    /** Gives back the previous configuration to replaced instances [from, to) (newest first). */
    private restore(task: Task, from: number, to: number): void {
        const instances = task.group.instances;
        for (let k = from; k < to; k++) {
            const index = task.launched - 1 - k;
            const pos = task.targets[index] ?? -1;
            const before = task.old[index];
            const current = instances[pos];
            if (before && current) {
                const config: Config = before.lt
                    ? { lt: { ...before.lt } }
                    : { lc: before.lc ?? "" };
                instances[pos] = this.newInstance(config, current.az);
            }
        }
    }

    private finish(task: Task, status: AsgRefreshStatus, t: number, reason?: string): void {
        task.status = status;
        task.endTime = t;
        task.statusReason = reason;
        task.phase = undefined;
        task.nextAt = undefined;
    }

    private snapshot(task: Task): SimAsgRefresh {
        const total = task.targets.length;
        const done =
            total === 0 && (task.status === "Successful" || task.status === "Baking")
                ? 100
                : percent(task.finished, total);
        const snap: SimAsgRefresh = {
            InstanceRefreshId: task.id,
            AutoScalingGroupName: task.group.name,
            Status: task.status,
            StartTime: isoSeconds(task.startTime),
            PercentageComplete: done,
            InstancesToUpdate: total - task.finished,
            ProgressDetails: progress(done, total - task.finished),
            Preferences: structuredClone(task.input.preferences),
            Strategy: "Rolling",
            foreign: task.foreign,
        };
        if (task.statusReason !== undefined) {
            snap.StatusReason = task.statusReason;
        }
        if (task.endTime !== undefined) {
            snap.EndTime = isoSeconds(task.endTime);
        }
        if (task.input.desired) {
            snap.DesiredConfiguration = structuredClone(task.input.desired);
        }
        const rb = task.rollback;
        if (rb) {
            const rbDone =
                rb.total === 0
                    ? task.status === "RollbackSuccessful"
                        ? 100
                        : 0
                    : percent(rb.restored, rb.total);
            snap.RollbackDetails = {
                RollbackReason: rb.reason,
                RollbackStartTime: isoSeconds(rb.startTime),
                PercentageCompleteOnRollback: rbDone,
                InstancesToUpdateOnRollback: rb.total - rb.restored,
                ProgressDetailsOnRollback: progress(rbDone, rb.total - rb.restored),
            };
        }
        return snap;
    }
}
