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
 *
 * Lifecycle hooks: when the group has launching hooks (autoscaling:EC2_INSTANCE_LAUNCHING), each
 * instance a batch launches (or a rollback relaunches) starts in Pending:Wait with one lifecycle
 * action per hook, each with its own LifecycleActionToken, and the batch waits (no warm-up, no
 * progress) until all of them are InService. An action ends when the simulated instance finishes
 * its bootstrap (scenario.bootstrapSeconds after launch; it completes with
 * scenario.bootstrapResult, default CONTINUE), when CompleteLifecycleAction is called, or when
 * its heartbeat deadline passes (HeartbeatTimeout after the start or the last
 * RecordLifecycleActionHeartbeat, never later than GlobalTimeout after the start): then the
 * hook's DefaultResult applies. When all of an instance's actions CONTINUE it is Pending:Proceed
 * for scenario.proceedSeconds, then InService. One ABANDON terminates it (its other actions end
 * too; it is Terminating for proceedSeconds, then the group refills the slot with an InService
 * instance of its current configuration) and fails the refresh (AutoRollback: rolls it back; in a
 * rollback: RollbackFailed) with a StatusReason naming the instance, the hook and the cause.
 * Instances already past their wait are unaffected; launches keep their own clock after a cancel
 * or a failure. Terminating hooks are kept and described but do not hold instances.
 */
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { isoSeconds } from "../common/time";
import {
    activeInstanceRefreshNotFound,
    groupNotFound,
    instanceRefreshInProgress,
    irreversibleInstanceRefresh,
    noActiveLifecycleAction,
    validationError,
} from "./errors";
import {
    describeActionEnd,
    LAUNCHING_TRANSITION,
    LIFECYCLE_ACTION_RESULTS,
    lifecycleAbandonReason,
    type LifecycleHookSettings,
    MAX_LIFECYCLE_HOOKS_PER_GROUP,
    normalizeLifecycleHook,
} from "./lifecycle";
import type {
    AsgGroupSeed,
    AsgInstanceLifecycleState,
    AsgLifecycleActionEnd,
    AsgLifecycleActionResult,
    AsgLifecycleHookSeed,
    AsgRefreshStatus,
    AsgScenario,
    LaunchTemplateSeed,
    SimAsgGroup,
    SimAsgInstance,
    SimAsgRefresh,
    SimLaunchTemplate,
    SimLifecycleAction,
    SimLifecycleHeartbeat,
    SimLifecycleHook,
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
    /** Its launch through lifecycle hooks (undefined: it went straight to InService). */
    launch?: LaunchState;
    /** In Standby (AsgGroupSeed.standbyInstances). */
    standby?: boolean;
    /** Protected from scale-in (AsgGroupSeed.protectedInstances). */
    protectedFromScaleIn?: boolean;
}

/** An instance launched into a group with launching hooks, until it is InService or gone. */
interface LaunchState {
    group: GroupState;
    instance: InstanceState;
    /** The refresh whose batch (or rollback) launched it. */
    task?: Task;
    state: AsgInstanceLifecycleState | "Terminated";
    /** When Pending:Proceed (-> InService) or Terminating (-> Terminated) ends. */
    until?: number;
    /** One per launching hook. */
    actions: ActionState[];
}

/** One lifecycle action: an instance held by one hook. */
interface ActionState {
    token: string;
    /** The hook's settings when the action began. */
    hook: LifecycleHookSettings;
    launch: LaunchState;
    startTime: number;
    /** The heartbeat deadline (never after globalAt). */
    deadline: number;
    globalAt: number;
    /** When the instance completes the action itself (undefined: never). */
    bootstrapAt?: number;
    bootstrapResult: AsgLifecycleActionResult;
    heartbeats: SimLifecycleHeartbeat[];
    endTime?: number;
    result?: AsgLifecycleActionResult;
    endedBy?: AsgLifecycleActionEnd;
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
    /** Its lifecycle hooks, in the order they were added. */
    hooks: LifecycleHookSettings[];
}

type Config = { lt: { id: string; version: number } } | { lc: string };

interface Phase {
    /**
     * "launching": the batch's instances are being replaced; "lifecycle": they wait on their
     * launching lifecycle actions; "warming": in warm-up.
     */
    step: "launching" | "lifecycle" | "warming";
    /** The launched count this batch brings the refresh (or rollback) to. */
    until: number;
    /** In "lifecycle": the batch's launches (all InService resumes the batch). */
    launches?: LaunchState[];
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
    /** Instances in Standby or protected whose preference is Wait: the refresh waits for them at the end. */
    waitsFor: number;
    /** When that wait began. */
    waitingSince?: number;
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
    /** Instances launched through lifecycle hooks so far (indexes bootstrapSecondsPerInstance). */
    launchCount: number;
}

function isSeconds(v: unknown): boolean {
    return typeof v === "number" && Number.isFinite(v) && v >= 0;
}

function checkScenario(s: AsgScenario): void {
    const keys = ["pendingSeconds", "batchSeconds", "failAtPercent", "proceedSeconds"] as const;
    for (const key of keys) {
        const v = s[key];
        if (v !== undefined && !isSeconds(v)) {
            throw new RangeError(`scenario.${key} must be a finite number >= 0, got ${String(v)}`);
        }
    }
    if (s.bootstrapSeconds !== undefined && s.bootstrapSeconds !== null) {
        if (!isSeconds(s.bootstrapSeconds)) {
            throw new RangeError(
                "scenario.bootstrapSeconds must be a finite number >= 0 or null, got " +
                    String(s.bootstrapSeconds),
            );
        }
    }
    const perInstance: unknown = s.bootstrapSecondsPerInstance;
    if (perInstance !== undefined) {
        if (!Array.isArray(perInstance) || perInstance.some((v) => v !== null && !isSeconds(v))) {
            throw new RangeError(
                "scenario.bootstrapSecondsPerInstance must be an array of numbers >= 0 or nulls",
            );
        }
    }
    if (s.bootstrapResult !== undefined && !LIFECYCLE_ACTION_RESULTS.includes(s.bootstrapResult)) {
        throw new RangeError(
            `scenario.bootstrapResult must be CONTINUE or ABANDON, got ${String(s.bootstrapResult)}`,
        );
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
    /** Generates LifecycleActionTokens (default: a UUID, 36 characters as on AWS). */
    newLifecycleActionToken?: () => string;
}

/** Identifies a lifecycle action as RecordLifecycleActionHeartbeat / CompleteLifecycleAction do. */
export interface LifecycleActionRef {
    autoScalingGroupName: string;
    lifecycleHookName: string;
    /** One of lifecycleActionToken / instanceId is required (both: they must match). */
    lifecycleActionToken?: string;
    instanceId?: string;
}

/** Seconds an instance's bootstrap takes when the scenario does not say. */
export const DEFAULT_BOOTSTRAP_SECONDS = 30;
/** Seconds of Pending:Proceed (and of Terminating) when the scenario does not say. */
export const DEFAULT_PROCEED_SECONDS = 1;

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
    private readonly newToken: () => string;
    /** Every lifecycle action, oldest first. */
    private readonly actions: ActionState[] = [];
    /** Launches not yet InService or Terminated. */
    private readonly launches: LaunchState[] = [];
    private seq = 0;

    constructor(opts: AsgRefreshEngineOptions = {}) {
        this.defaultScenario = { ...(opts.defaultScenario ?? {}) };
        checkScenario(this.defaultScenario);
        this.region = opts.region ?? DEFAULT_AWS_REGION;
        this.newRefreshId = opts.newRefreshId ?? (() => randomUUID());
        this.newInstanceId = opts.newInstanceId ?? (() => `i-0${randomHex(16)}`);
        this.newToken = opts.newLifecycleActionToken ?? (() => randomUUID());
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
            hooks: [],
        };
        for (const hookSeed of seed.lifecycleHooks ?? []) {
            const hook = normalizeLifecycleHook(hookSeed);
            if (group.hooks.some((h) => h.lifecycleHookName === hook.lifecycleHookName)) {
                throw new Error(`group ${name} has two lifecycle hooks ${hook.lifecycleHookName}`);
            }
            group.hooks.push(hook);
        }
        if (group.hooks.length > MAX_LIFECYCLE_HOOKS_PER_GROUP) {
            throw new RangeError(
                `a group has at most ${MAX_LIFECYCLE_HOOKS_PER_GROUP} lifecycle hooks`,
            );
        }
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
        this.seedInstanceStates(group, seed);
        this.groupsByName.set(name, group);
        if (this.scenarioOf(group).foreignRefresh) {
            this.startForeign(group, now);
        }
        return this.groupView(group);
    }

    /** AsgGroupSeed's standby, protected and other-version instances. */
    private seedInstanceStates(group: GroupState, seed: AsgGroupSeed): void {
        const standby = seed.standbyInstances ?? 0;
        const prot = seed.protectedInstances ?? 0;
        for (const [key, n] of Object.entries({
            standbyInstances: standby,
            protectedInstances: prot,
        })) {
            if (!Number.isInteger(n) || n < 0) {
                throw new RangeError(`AsgGroupSeed.${key} must be an integer >= 0: ${n}`);
            }
        }
        if (standby + prot > seed.capacity) {
            throw new RangeError("AsgGroupSeed: standby and protected instances exceed capacity");
        }
        group.instances.forEach((instance, i) => {
            instance.standby = i < standby || undefined;
            instance.protectedFromScaleIn = (i >= standby && i < standby + prot) || undefined;
        });
        const other = seed.otherVersion;
        if (other) {
            const t = group.lt ? this.templatesById.get(group.lt.id) : undefined;
            if (
                !t ||
                !Number.isInteger(other.version) ||
                other.version < 1 ||
                other.version > t.versions
            ) {
                throw new RangeError(
                    `AsgGroupSeed.otherVersion.version must be a version of the group's launch template: ${other.version}`,
                );
            }
            if (!Number.isInteger(other.count) || other.count < 0 || other.count > seed.capacity) {
                throw new RangeError(
                    `AsgGroupSeed.otherVersion.count must be 0 to capacity: ${other.count}`,
                );
            }
            for (const instance of group.instances.slice(seed.capacity - other.count)) {
                instance.lt = { id: t.id, version: other.version };
            }
        }
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
        const state = i.launch?.state;
        const view: SimAsgInstance = {
            instanceId: i.instanceId,
            availabilityZone: i.az,
            lifecycleState: i.standby
                ? "Standby"
                : state === undefined || state === "Terminated"
                  ? "InService"
                  : state,
            healthStatus: "Healthy",
            protectedFromScaleIn: i.protectedFromScaleIn === true,
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

    // ---- lifecycle hooks and actions -----------------------------------------------------

    /**
     * Adds a lifecycle hook to a group, or replaces the one of the same name (as PutLifecycleHook
     * does); returns whether it was new. Actions already begun keep the settings they began with.
     */
    putLifecycleHook(groupName: string, seed: AsgLifecycleHookSeed, now: number): boolean {
        this.advance(now);
        const group = this.groupsByName.get(groupName);
        if (!group) {
            throw new Error(`unknown Auto Scaling group ${groupName}`);
        }
        const hook = normalizeLifecycleHook(seed);
        const i = group.hooks.findIndex((h) => h.lifecycleHookName === hook.lifecycleHookName);
        if (i >= 0) {
            group.hooks[i] = hook;
            return false;
        }
        if (group.hooks.length >= MAX_LIFECYCLE_HOOKS_PER_GROUP) {
            throw new RangeError(
                `a group has at most ${MAX_LIFECYCLE_HOOKS_PER_GROUP} lifecycle hooks`,
            );
        }
        group.hooks.push(hook);
        return true;
    }

    /** A group's hooks (all, or those named), in the order they were added. */
    lifecycleHooks(groupName: string, names?: readonly string[]): SimLifecycleHook[] {
        const group = this.groupsByName.get(groupName);
        if (!group) {
            return [];
        }
        return group.hooks
            .filter((h) => !names || names.length === 0 || names.includes(h.lifecycleHookName))
            .map((h) => ({ autoScalingGroupName: group.name, ...structuredClone(h) }));
    }

    /** Lifecycle actions with their heartbeats, oldest first (call advance first). */
    lifecycleActions(
        filter: {
            autoScalingGroupName?: string;
            instanceId?: string;
            lifecycleHookName?: string;
        } = {},
    ): SimLifecycleAction[] {
        return this.actions
            .filter(
                (a) =>
                    (filter.autoScalingGroupName === undefined ||
                        a.launch.group.name === filter.autoScalingGroupName) &&
                    (filter.instanceId === undefined ||
                        a.launch.instance.instanceId === filter.instanceId) &&
                    (filter.lifecycleHookName === undefined ||
                        a.hook.lifecycleHookName === filter.lifecycleHookName),
            )
            .map((a) => this.actionView(a));
    }

    /**
     * RecordLifecycleActionHeartbeat: the action's deadline becomes min(now + HeartbeatTimeout,
     * its start + GlobalTimeout). An action that ended (or never was) is a ValidationError.
     */
    recordLifecycleActionHeartbeat(ref: LifecycleActionRef, now: number): SimLifecycleAction {
        const action = this.activeAction(ref, now);
        action.deadline = Math.min(now + action.hook.heartbeatTimeout * 1000, action.globalAt);
        action.heartbeats.push({
            at: now,
            time: isoSeconds(now),
            by: ref.lifecycleActionToken !== undefined ? "LifecycleActionToken" : "InstanceId",
            timeoutAt: isoSeconds(action.deadline),
        });
        return this.actionView(action);
    }

    /** CompleteLifecycleAction: ends the action with `result` now. */
    completeLifecycleAction(
        ref: LifecycleActionRef,
        result: AsgLifecycleActionResult,
        now: number,
    ): SimLifecycleAction {
        const action = this.activeAction(ref, now);
        this.endAction(action, result, "CompleteLifecycleAction", now);
        // transitions of zero duration (proceedSeconds 0) and the batch they resume
        this.advance(now);
        return this.actionView(action);
    }

    private activeAction(ref: LifecycleActionRef, now: number): ActionState {
        this.advance(now);
        const group = this.requireGroup(ref.autoScalingGroupName);
        const { lifecycleActionToken: token, instanceId } = ref;
        if (token === undefined && instanceId === undefined) {
            throw validationError(
                "Either the instance ID or the lifecycle action token must be specified.",
            );
        }
        const action = this.actions.find(
            (a) =>
                a.endTime === undefined &&
                a.launch.group === group &&
                a.hook.lifecycleHookName === ref.lifecycleHookName &&
                (token === undefined || a.token === token) &&
                (instanceId === undefined || a.launch.instance.instanceId === instanceId),
        );
        if (!action) {
            throw noActiveLifecycleAction(instanceId !== undefined ? { instanceId } : { token });
        }
        return action;
    }

    private actionView(a: ActionState): SimLifecycleAction {
        const view: SimLifecycleAction = {
            lifecycleActionToken: a.token,
            autoScalingGroupName: a.launch.group.name,
            lifecycleHookName: a.hook.lifecycleHookName,
            lifecycleTransition: a.hook.lifecycleTransition,
            instanceId: a.launch.instance.instanceId,
            status: a.endTime === undefined ? "InProgress" : "Completed",
            startTime: isoSeconds(a.startTime),
            startedAt: a.startTime,
            heartbeatTimeout: a.hook.heartbeatTimeout,
            globalTimeout: a.hook.globalTimeout,
            defaultResult: a.hook.defaultResult,
            timeoutAt: isoSeconds(a.deadline),
            globalTimeoutAt: isoSeconds(a.globalAt),
            heartbeats: a.heartbeats.map((h) => ({ ...h })),
        };
        if (a.launch.task) {
            view.instanceRefreshId = a.launch.task.id;
        }
        if (a.result !== undefined) {
            view.result = a.result;
        }
        if (a.endedBy !== undefined) {
            view.endedBy = a.endedBy;
        }
        if (a.endTime !== undefined) {
            view.endTime = isoSeconds(a.endTime);
        }
        if (a.bootstrapAt !== undefined) {
            view.bootstrapAt = isoSeconds(a.bootstrapAt);
        }
        return view;
    }

    /**
     * Puts freshly launched instances through the group's launching hooks: each goes to
     * Pending:Wait and the batch waits (phase "lifecycle"). False when there is nothing to hold.
     */
    private holdForHooks(task: Task, fresh: InstanceState[], t: number): boolean {
        const hooks = task.group.hooks.filter(
            (h) => h.lifecycleTransition === LAUNCHING_TRANSITION,
        );
        const phase = task.phase;
        if (hooks.length === 0 || fresh.length === 0 || !phase) {
            return false;
        }
        phase.step = "lifecycle";
        phase.launches = fresh.map((instance) => this.startLaunch(task, instance, hooks, t));
        task.nextAt = undefined;
        return true;
    }

    private startLaunch(
        task: Task,
        instance: InstanceState,
        hooks: LifecycleHookSettings[],
        t: number,
    ): LaunchState {
        const scenario = this.scenarioOf(task.group);
        const k = task.launchCount++;
        const own = scenario.bootstrapSecondsPerInstance?.[k];
        // null: the instance never completes its actions itself
        let bootstrap: number | null = DEFAULT_BOOTSTRAP_SECONDS;
        if (own !== undefined) {
            bootstrap = own;
        } else if (scenario.bootstrapSeconds !== undefined) {
            bootstrap = scenario.bootstrapSeconds;
        }
        const launch: LaunchState = {
            group: task.group,
            instance,
            task,
            state: "Pending:Wait",
            actions: [],
        };
        for (const hook of hooks) {
            let token = this.newToken();
            while (this.actions.some((a) => a.token === token)) {
                token = this.newToken();
            }
            const globalAt = t + hook.globalTimeout * 1000;
            const action: ActionState = {
                token,
                hook: structuredClone(hook),
                launch,
                startTime: t,
                deadline: Math.min(t + hook.heartbeatTimeout * 1000, globalAt),
                globalAt,
                bootstrapResult: scenario.bootstrapResult ?? "CONTINUE",
                heartbeats: [],
            };
            if (bootstrap !== null) {
                action.bootstrapAt = t + bootstrap * 1000;
            }
            launch.actions.push(action);
            this.actions.push(action);
        }
        instance.launch = launch;
        this.launches.push(launch);
        return launch;
    }

    private proceedMs(group: GroupState): number {
        return (this.scenarioOf(group).proceedSeconds ?? DEFAULT_PROCEED_SECONDS) * 1000;
    }

    private static actionDue(a: ActionState): number {
        return Math.min(a.bootstrapAt ?? Infinity, a.deadline);
    }

    /** When a launch's next transition is due (Infinity: none). */
    private launchDue(l: LaunchState): number {
        if (l.state === "Pending:Wait") {
            let due = Infinity;
            for (const a of l.actions) {
                if (a.endTime === undefined) {
                    due = Math.min(due, AsgRefreshEngine.actionDue(a));
                }
            }
            return due;
        }
        return l.until ?? Infinity;
    }

    /** Applies a launch's transition due at `t`. */
    private launchStep(l: LaunchState, t: number): void {
        if (l.state === "Pending:Wait") {
            const action = l.actions.find(
                (a) => a.endTime === undefined && AsgRefreshEngine.actionDue(a) === t,
            );
            if (!action) {
                // unreachable (launchDue found it); never spin on a transition that cannot apply
                throw new Error(
                    `lifecycle engine: no action of ${l.instance.instanceId} due at ${t}`,
                );
            }
            if (action.bootstrapAt === t) {
                this.endAction(action, action.bootstrapResult, "Bootstrap", t);
            } else {
                this.endAction(
                    action,
                    action.hook.defaultResult,
                    action.deadline >= action.globalAt ? "GlobalTimeout" : "HeartbeatTimeout",
                    t,
                );
            }
            return;
        }
        if (l.state === "Pending:Proceed") {
            this.settle(l, "InService");
            const task = l.task;
            const launches = task?.phase?.launches;
            if (
                task &&
                launches?.includes(l) &&
                this.waitsOnHooks(task) &&
                launches.every((x) => x.state === "InService")
            ) {
                task.nextAt = t;
            }
            return;
        }
        if (l.state === "Terminating") {
            this.settle(l, "Terminated");
            const pos = l.group.instances.indexOf(l.instance);
            if (pos >= 0) {
                // the group restores its capacity with its own configuration
                l.group.instances[pos] = this.newInstance(this.groupConfig(l.group), l.instance.az);
            }
        }
    }

    private waitsOnHooks(task: Task): boolean {
        return (
            task.phase?.step === "lifecycle" &&
            (task.status === "InProgress" || task.status === "RollbackInProgress")
        );
    }

    private settle(l: LaunchState, state: "InService" | "Terminated"): void {
        l.state = state;
        l.until = undefined;
        const i = this.launches.indexOf(l);
        if (i >= 0) {
            this.launches.splice(i, 1);
        }
    }

    private endAction(
        a: ActionState,
        result: AsgLifecycleActionResult,
        endedBy: AsgLifecycleActionEnd,
        t: number,
    ): void {
        a.endTime = t;
        a.endedBy = endedBy;
        a.result = result;
        const l = a.launch;
        if (l.state !== "Pending:Wait") {
            return;
        }
        if (result === "ABANDON") {
            this.abandonLaunch(l, a, t);
        } else if (l.actions.every((x) => x.endTime !== undefined)) {
            l.state = "Pending:Proceed";
            l.until = t + this.proceedMs(l.group);
        }
    }

    /** One action abandoned the launch: the instance terminates and its refresh fails. */
    private abandonLaunch(l: LaunchState, by: ActionState, t: number): void {
        l.state = "Terminating";
        l.until = t + this.proceedMs(l.group);
        for (const other of l.actions) {
            if (other.endTime === undefined) {
                other.endTime = t;
                other.endedBy = "InstanceTerminated";
            }
        }
        const task = l.task;
        if (!task || !task.phase?.launches?.includes(l) || !this.waitsOnHooks(task)) {
            return;
        }
        const inRollback = task.status === "RollbackInProgress";
        const reason = lifecycleAbandonReason(
            inRollback,
            l.instance.instanceId,
            by.hook.lifecycleHookName,
            describeActionEnd(by.endedBy ?? "InstanceTerminated", by.hook),
        );
        if (inRollback) {
            this.finish(task, "RollbackFailed", t, reason);
        } else {
            this.fail(task, t, reason);
        }
    }

    /** An instance leaves the group (replaced): its launch, if still going, ends with it. */
    private dropLaunch(instance: InstanceState, t: number): void {
        const l = instance.launch;
        if (!l || l.state === "InService" || l.state === "Terminated") {
            return;
        }
        for (const a of l.actions) {
            if (a.endTime === undefined) {
                a.endTime = t;
                a.endedBy = "InstanceTerminated";
            }
        }
        this.settle(l, "Terminated");
    }

    // ---- refreshes -----------------------------------------------------------------------

    /**
     * Brings every refresh and lifecycle action up to `now`, applying due transitions in time
     * order (at equal times, lifecycle transitions before refresh steps).
     */
    advance(now: number): void {
        for (;;) {
            let task: Task | undefined;
            let taskAt = Infinity;
            for (const t of this.tasks) {
                if (t.nextAt !== undefined && t.nextAt <= now && t.nextAt < taskAt) {
                    task = t;
                    taskAt = t.nextAt;
                }
            }
            let launch: LaunchState | undefined;
            let launchAt = Infinity;
            for (const l of this.launches) {
                const at = this.launchDue(l);
                if (at <= now && at < launchAt) {
                    launch = l;
                    launchAt = at;
                }
            }
            if (launch && launchAt <= taskAt) {
                this.launchStep(launch, launchAt);
            } else if (task) {
                this.step(task, taskAt);
            } else {
                return;
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
            throw instanceRefreshInProgress(this.scenarioOf(group).busyCode);
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
            return this.groupConfig(group);
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

    /** The configuration the group launches instances with now. */
    private groupConfig(group: GroupState): Config {
        if (group.lt) {
            const t = this.templatesById.get(group.lt.id);
            const version = t ? this.versionOf(t, group.lt.version) : undefined;
            return { lt: { id: group.lt.id, version: version ?? 1 } };
        }
        return { lc: group.lc ?? `${group.name}-launch-configuration` };
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
                // Someone else's refresh leaves protected and Standby instances alone.
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
        let waitsFor = 0;
        const prefs = input.preferences;
        group.instances.forEach((instance, i) => {
            // StandbyInstances and ScaleInProtectedInstances: what the refresh does with them.
            const choice = instance.standby
                ? prefs.StandbyInstances === "Terminate"
                    ? "replace"
                    : prefs.StandbyInstances === "Ignore"
                      ? "skip"
                      : "wait"
                : instance.protectedFromScaleIn
                  ? prefs.ScaleInProtectedInstances === "Refresh"
                      ? "replace"
                      : prefs.ScaleInProtectedInstances === "Ignore"
                        ? "skip"
                        : "wait"
                  : "replace";
            if (choice === "wait") {
                waitsFor++;
            } else if (
                choice === "replace" &&
                (!input.settings.skipMatching || !this.matches(instance, target))
            ) {
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
            launchCount: 0,
            waitsFor,
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
                if (task.waitingSince !== undefined) {
                    this.complete(task, t);
                } else {
                    this.progressStep(task, t);
                }
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
            const fresh = this.replace(task, task.launched, phase.until, t);
            task.launched = phase.until;
            if (this.holdForHooks(task, fresh, t)) {
                const example = fresh[0];
                task.statusReason =
                    "Waiting for instances to complete their launching lifecycle actions before " +
                    `continuing. For example: ${example?.instanceId ?? "an instance"} is in ` +
                    "Pending:Wait.";
                return;
            }
        }
        if (phase.step === "launching" || phase.step === "lifecycle") {
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

    /**
     * Replaces the instances at target positions [from, to) with the target configuration;
     * returns the new instances.
     */
    private replace(task: Task, from: number, to: number, t: number): InstanceState[] {
        const instances = task.group.instances;
        const fresh: InstanceState[] = [];
        for (let k = from; k < to; k++) {
            const pos = task.targets[k] ?? -1;
            const before = instances[pos];
            if (before) {
                this.dropLaunch(before, t);
                const instance = this.newInstance(task.target, before.az);
                instances[pos] = instance;
                fresh.push(instance);
            }
        }
        return fresh;
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
        this.fail(task, t, scenario.failReason ?? DEFAULT_FAIL_REASON);
        return true;
    }

    /** The refresh fails with `reason`, or (AutoRollback) rolls back for it. */
    private fail(task: Task, t: number, reason: string): void {
        if (task.input.settings.autoRollback) {
            this.startRollback(task, t, reason, true);
        } else {
            this.finish(task, "Failed", t, reason);
        }
    }

    private complete(task: Task, t: number): void {
        task.phase = undefined;
        task.statusReason = undefined;
        if (task.waitsFor > 0) {
            // "Wait": AWS waits an hour for them to return to service (or lose protection), then
            // fails; the sandbox's instances never do.
            if (task.waitingSince === undefined) {
                task.waitingSince = t;
                task.statusReason = `Waiting for ${task.waitsFor} instance(s) in Standby or protected from scale-in to be returned to service or unprotected.`;
                task.nextAt = t + 3600_000;
                return;
            }
            this.fail(
                task,
                t,
                `${task.waitsFor} instance(s) in Standby or protected from scale-in were not returned to service or unprotected within an hour.`,
            );
            return;
        }
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
            const fresh = this.restore(task, rb.restored, phase.until, t);
            rb.restored = phase.until;
            if (this.holdForHooks(task, fresh, t)) {
                return;
            }
        }
        if (phase.step === "launching" || phase.step === "lifecycle") {
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

    /**
     * Gives back the previous configuration to replaced instances [from, to) (newest first);
     * returns the new instances.
     */
    private restore(task: Task, from: number, to: number, t: number): InstanceState[] {
        const instances = task.group.instances;
        const fresh: InstanceState[] = [];
        for (let k = from; k < to; k++) {
            const index = task.launched - 1 - k;
            const pos = task.targets[index] ?? -1;
            const before = task.old[index];
            const current = instances[pos];
            if (before && current) {
                this.dropLaunch(current, t);
                const config: Config = before.lt
                    ? { lt: { ...before.lt } }
                    : { lc: before.lc ?? "" };
                const instance = this.newInstance(config, current.az);
                instances[pos] = instance;
                fresh.push(instance);
            }
        }
        return fresh;
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
