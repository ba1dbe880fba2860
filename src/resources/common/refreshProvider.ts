import type * as pulumi from "@pulumi/pulumi";
import { Clock } from "../../core/clock";
import { pacedClock, type RehearsalPace } from "../../core/rehearsal";
import { CloudError, messageOf } from "../../core/errors";
import {
    formatDuration,
    isStartRefusal,
    isTerminal,
    RefreshNotStartedError,
    RefreshOutcome,
    RefreshPolicy,
    RefreshTaskApi,
    runRefresh,
    TaskSnapshot,
} from "../../core/refreshRunner";
import { Violation } from "../../core/validation";
import type { LifecycleHookPort } from "../heartbeatPolicy/ports";
import { RefreshHeartbeats } from "../heartbeatPolicy/service";
import type { HeartbeatPolicyValue } from "../heartbeatPolicy/types";
import type { RolloutPlan } from "../../core/rolloutPlan";
import { PlanPreviewer, type PlanOutput, type SharedRead, unknownInput } from "./planPreview";
import { diffRefresh, NOT_NEEDED, RefreshDiffRules } from "./refreshDiff";

type Props = Record<string, unknown>;

/** What a refresh provider needs from the outside world; tests replace any of it. */
export interface RefreshProviderDeps {
    clock: Clock;
    /** Where progress lines go: the provider's stdout, which `pulumi up` shows. */
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
    /** Poll delay bounds (defaults: the poller's). */
    poll?: { minDelayMs?: number; maxDelayMs?: number; maxQuietDelayMs?: number };
}

/** Stack config the provider received in `configure`. */
export type StackConfig = Record<string, string | undefined>;

/** Everything cloud-specific about one kind of instance refresh resource. */
export interface RefreshSpec<S extends TaskSnapshot, C> {
    /** How the resource is named to users, e.g. "alicloud.InstanceRefresh". */
    label: string;
    /** The output holding the task id. */
    taskIdKey: string;
    /** Stack config keys read in `configure`, e.g. "alicloud:region". */
    configKeys: readonly string[];
    diffRules: RefreshDiffRules;
    /** Statuses of a refresh still running (a later `pulumi up` waits on it). */
    runningStatuses: ReadonlySet<string>;
    /** Checks every argument and fills in defaults; no cloud call. */
    validate(news: Props): { inputs: Props; violations: Violation[] };
    /** The cloud context (clients, region) for these inputs; throws a clear error when it cannot. */
    connect(inputs: Props, config: StackConfig, env: NodeJS.ProcessEnv): C;
    /** Checked before a refresh starts (e.g. that the group exists); logs what it found. */
    preflight?(ctx: C, inputs: Props, log: (line: string) => void): Promise<void>;
    /** The runner's view of the group's refreshes; its `start` starts the one these inputs declare. */
    taskApi(ctx: C, inputs: Props, previousTaskId: string | undefined): RefreshTaskApi<S>;
    /** One task, or undefined when the task or its group no longer exists. */
    findTask(ctx: C, inputs: Props, taskId: string): Promise<S | undefined>;
    /** When a start failed because no instance needs a refresh: the cloud's words for it. */
    nothingToRefresh?(err: unknown): string | undefined;
    /**
     * After such an answer: what the group, as the cloud describes it now (read-only), reports
     * against it (instances a refresh would replace), or undefined when it agrees or cannot tell.
     * The group decides, not the code.
     */
    contradictsNothing?(ctx: C, inputs: Props): Promise<string | undefined>;
    /**
     * After a refusal of the start that is not known to mean "nothing to refresh" and with no
     * refresh running: whether the group, as the cloud describes it now (read-only), already is
     * where the refresh would take it; words saying so, or undefined.
     */
    nothingToReplace?(ctx: C, inputs: Props, err: unknown): Promise<string | undefined>;
    /** The inputs a plan depends on: one preview does not know yet means no plan. */
    planKeys?: readonly string[];
    /**
     * The rollout plan of these inputs, from read-only calls only (shared between the resources
     * of one group through `shared`); `ownTaskId` is the refresh this resource recorded.
     */
    plan?(
        ctx: C,
        inputs: Props,
        ownTaskId: string | undefined,
        shared: SharedRead,
    ): Promise<RolloutPlan>;
    /** A sandbox's pace, when the endpoint gives one: waits then keep the sandbox's time. */
    paceOf?(ctx: C): RehearsalPace | undefined;
    /** The lifecycle-hook calls of `heartbeatPolicies`, where the cloud has them. */
    heartbeatPort?(ctx: C): LifecycleHookPort;
    /** The runner's policy, when it is not the inputs' own (default: the inputs). */
    policyOf?(inputs: Props): RefreshPolicy;
    /** The outputs of an observation. */
    outputsOf(task: S): Props;
    /** Every output, empty. */
    emptyOutputs: Props;
}

/**
 * State key of the last refresh task this resource started, kept even when a later deployment found
 * nothing to refresh, so that a new refresh is never mistaken for an earlier one.
 */
export const LAST_TASK_KEY = "__lastTaskId";

/** The partial-state rejection the dynamic provider turns into an initialization failure. */
interface PartialStateError extends Error {
    id: string;
    properties: Props;
    reasons: string[];
}

/** A non-empty string, or undefined. */
export const stringOr = (v: unknown): string | undefined =>
    typeof v === "string" && v !== "" ? v : undefined;

/**
 * The dynamic provider of an instance refresh resource: validation and diff without calls; create
 * and update start one refresh (or resume the wait on one) and wait for it with the core runner;
 * failures after the start are recorded as partial state; read reports the task; delete cancels a
 * refresh that is still running.
 */
export class RefreshProvider<S extends TaskSnapshot, C> implements pulumi.dynamic.ResourceProvider {
    private config: StackConfig = {};
    private readonly previewer = new PlanPreviewer();

    constructor(
        private readonly spec: RefreshSpec<S, C>,
        private readonly deps: RefreshProviderDeps,
    ) {}

    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        for (const key of this.spec.configKeys) {
            this.config[key] = req.config.get(key) ?? undefined;
        }
        return Promise.resolve();
    }

    /**
     * Validates every argument and fills in defaults; no cloud call (a resource not created yet
     * gets no diff, so no plan at preview: create prints it before it starts).
     */
    check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
        const { inputs, violations } = this.spec.validate(news);
        return Promise.resolve({ inputs, failures: violations });
    }

    /**
     * Says whether `pulumi up` has anything to do from the inputs and state alone; when it would
     * start a refresh, prints the plan (read-only calls).
     */
    async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
        const d = diffRefresh(this.spec.diffRules, olds, news);
        if (d.startsRefresh) {
            await this.planOf(news, stringOr(olds[this.spec.taskIdKey]));
        }
        return { changes: d.changes };
    }

    /**
     * The rollout plan of `inputs`, printed once (preview's, or the one up makes before it starts),
     * or why there is none; undefined for a resource without plans. Never rejects.
     */
    private planOf(inputs: Props, ownTaskId: string | undefined): Promise<PlanOutput | undefined> {
        if (!this.spec.plan) {
            return Promise.resolve(undefined);
        }
        const log = this.logger(inputs);
        const unknown = unknownInput(inputs, this.spec.planKeys ?? []);
        if (unknown) {
            log(`no plan: ${unknown} is not known until up`);
            return Promise.resolve({ unavailable: `${unknown} is not known until up` });
        }
        const spec = this.spec;
        return this.previewer.planOf(inputs, ownTaskId, log, () =>
            spec.plan!(
                spec.connect(inputs, this.config, this.deps.env),
                inputs,
                ownTaskId,
                this.previewer.shared,
            ),
        );
    }

    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const plan = await this.planOf(inputs, undefined);
        const outs = await this.run(undefined, inputs, { plan });
        // The first refresh's task id names the resource (a group already up to date has none).
        const id = stringOr(outs[this.spec.taskIdKey]) ?? `${this.groupOf(inputs)}:no-refresh`;
        return { id, outs };
    }

    async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        const plan = diffRefresh(this.spec.diffRules, olds, news);
        const recorded = stringOr(olds[this.spec.taskIdKey]);
        if (plan.startsRefresh) {
            if (recorded && this.movesElsewhere(olds, news)) {
                await this.supersedeElsewhere(olds, news, recorded);
            }
            const previousTaskId = recorded ?? stringOr(olds[LAST_TASK_KEY]);
            const rollout = await this.planOf(news, recorded);
            return {
                outs: await this.run(id, news, {
                    previousTaskId,
                    supersedesTaskId: recorded,
                    plan: rollout,
                }),
            };
        }
        if (plan.resumesWait && recorded) {
            const previousTaskId = stringOr(olds[LAST_TASK_KEY]);
            return {
                outs: await this.run(id, news, {
                    previousTaskId,
                    resumeTaskId: recorded,
                    plan: olds.plan as PlanOutput | undefined,
                }),
            };
        }
        // Only the waiting options changed: nothing to start, nothing to wait for.
        const kept: Props = { ...news, [LAST_TASK_KEY]: olds[LAST_TASK_KEY] ?? null };
        for (const key of Object.keys(this.spec.emptyOutputs)) {
            kept[key] = olds[key] ?? this.spec.emptyOutputs[key];
        }
        return { outs: kept };
    }

    async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
        const taskId = stringOr(props[this.spec.taskIdKey]);
        if (!taskId) {
            return { id, props };
        }
        const ctx = this.spec.connect(props, this.config, this.deps.env);
        const task = await this.spec.findTask(ctx, props, taskId);
        return { id, props: task ? { ...props, ...this.spec.outputsOf(task) } : props };
    }

    async delete(_id: string, props: Props): Promise<void> {
        const taskId = stringOr(props[this.spec.taskIdKey]);
        if (!taskId) {
            return;
        }
        const ctx = this.spec.connect(props, this.config, this.deps.env);
        // A task or group that no longer exists cannot be running; any other failure (say, no
        // permission to read it) fails the destroy rather than forget a running refresh.
        const task = await this.spec.findTask(ctx, props, taskId);
        if (!task || isTerminal(task.phase)) {
            return;
        }
        const api = this.spec.taskApi(ctx, props, undefined);
        const log = this.logger(props);
        if (task.phase === "rollingBack" || task.phase === "cancelling") {
            // Cancelling a rollback would leave a mixed group: let it end.
            log(
                `refresh ${taskId} is ${task.status}: waiting for it to end before the resource is deleted`,
            );
        } else {
            log(
                `refresh ${taskId} is still ${task.status}: cancelling it, as the resource is being deleted`,
            );
            await api.cancel(taskId);
        }
        const outcome = await runRefresh(
            api,
            { timeoutMinutes: 10, onFailure: "fail", onTimeout: "leave", onConflict: "fail" },
            { clock: await this.clockOf(ctx, log), log, ...this.deps.poll },
            { resumeTaskId: taskId },
        );
        if (!outcome.task || !isTerminal(outcome.task.phase)) {
            throw new Error(
                `${this.label(props)}: refresh ${taskId} had not ended after 10 minutes ` +
                    `(${outcome.reason ?? outcome.task?.summary ?? "unknown"}); check it in the cloud ` +
                    "and run `pulumi destroy` again",
            );
        }
    }

    /** Whether the change points the resource at another group (or region) than its refresh's. */
    private movesElsewhere(olds: Props, news: Props): boolean {
        return (
            this.groupOf(olds) !== this.groupOf(news) ||
            stringOr(olds.region) !== stringOr(news.region)
        );
    }

    /**
     * The change moves the resource to another group or region: the refresh it recorded, if still
     * running on the old one, is superseded, so it is cancelled there (a rollback or cancel under
     * way is left to end). A group or task that no longer exists has nothing running; a failed look
     * fails the update before anything starts, rather than leave a refresh running unseen.
     */
    private async supersedeElsewhere(olds: Props, news: Props, taskId: string): Promise<void> {
        const log = this.logger(news);
        const where = (p: Props): string =>
            `group ${this.groupOf(p)}${stringOr(p.region) ? ` (${stringOr(p.region)})` : ""}`;
        const ctx = this.spec.connect(olds, this.config, this.deps.env);
        let task: S | undefined;
        try {
            task = await this.spec.findTask(ctx, olds, taskId);
        } catch (err) {
            throw new Error(
                `${this.label(news)}: could not look at this resource's previous refresh ${taskId} ` +
                    `on ${where(olds)}, which this change supersedes: ${messageOf(err)}; nothing was started`,
                { cause: err },
            );
        }
        if (!task || isTerminal(task.phase)) {
            return;
        }
        if (task.phase === "rollingBack" || task.phase === "cancelling") {
            log(
                `this resource's previous refresh ${taskId} on ${where(olds)} is ${task.status}: left to end there`,
            );
            return;
        }
        log(
            `this resource's previous refresh ${taskId} (${task.summary}) on ${where(olds)} is superseded ` +
                `by this change to ${where(news)}: cancelling it`,
        );
        await this.spec.taskApi(ctx, olds, undefined).cancel(taskId);
    }

    /**
     * A refusal of the start (not a transient failure, not one this library raised itself): does
     * the group already have nothing to replace? A failed look leaves the refusal as it is.
     */
    private async groupHasNothing(
        ctx: C,
        inputs: Props,
        err: unknown,
    ): Promise<string | undefined> {
        if (
            !this.spec.nothingToReplace ||
            !(err instanceof CloudError) ||
            err.transient ||
            !isStartRefusal(err)
        ) {
            return undefined;
        }
        try {
            const why = await this.spec.nothingToReplace(ctx, inputs, err);
            return why === undefined ? undefined : `${err.code} answered, and ${why}`;
        } catch {
            return undefined;
        }
    }

    /**
     * What the group reports against the cloud's "nothing to refresh", if anything. A read that
     * fails leaves the cloud's answer standing, and says so.
     */
    private async againstNothing(
        ctx: C,
        inputs: Props,
        log: (line: string) => void,
    ): Promise<string | undefined> {
        if (!this.spec.contradictsNothing) {
            return undefined;
        }
        try {
            return await this.spec.contradictsNothing(ctx, inputs);
        } catch (err) {
            log(
                `nothing to refresh, on the cloud's word: the group could not be read to check it ` +
                    `(${messageOf(err)})`,
            );
            return undefined;
        }
    }

    /** The clock waits on `ctx` keep: the sandbox's, when rehearsing (and then it says so). */
    private clockOf(ctx: C, log: (line: string) => void): Promise<Clock> {
        return pacedClock(this.deps.clock, this.spec.paceOf?.(ctx), log);
    }

    private groupOf(inputs: Props): string {
        return stringOr(inputs.scalingGroupId) ?? stringOr(inputs.autoScalingGroupName) ?? "";
    }

    private label(props: Props): string {
        return `${this.spec.label} ${stringOr(props.__resourceName) ?? this.groupOf(props)}`.trim();
    }

    private logger(props: Props): (line: string) => void {
        const label = this.label(props);
        return (line) => this.deps.log(`${label}: ${line}`);
    }

    /**
     * The heartbeat duty of `heartbeatPolicies`, if any, with each hook as the cloud describes it
     * now (its timeout or default result may have changed since the policy was applied).
     */
    private async heartbeatsOf(
        ctx: C,
        inputs: Props,
        log: (line: string) => void,
        clock: Clock,
    ): Promise<RefreshHeartbeats | undefined> {
        const given = Array.isArray(inputs.heartbeatPolicies)
            ? (inputs.heartbeatPolicies as HeartbeatPolicyValue[])
            : [];
        if (given.length === 0 || !this.spec.heartbeatPort) {
            return undefined;
        }
        const port = this.spec.heartbeatPort(ctx);
        const policies: HeartbeatPolicyValue[] = [];
        for (const p of given) {
            const hook = await port.describeHook(p.group, p.hook);
            if (!hook) {
                throw new RefreshNotStartedError(
                    `heartbeatPolicies: lifecycle hook ${p.hook} is no longer on group ${p.group} ` +
                        "(DescribeLifecycleHooks found none); nothing was started: update or remove the policy",
                );
            }
            const fresh: HeartbeatPolicyValue = {
                ...p,
                hookName: hook.name,
                transition: hook.transition,
                defaultResult: hook.defaultResult,
                hookTimeoutSeconds: hook.timeoutSeconds,
                // On AWS every heartbeat restarts the hook's own timeout.
                heartbeatTimeoutSeconds:
                    p.cloud === "aws" ? hook.timeoutSeconds : p.heartbeatTimeoutSeconds,
            };
            log(
                `lifecycle hook ${fresh.hookName}: heartbeats of ${fresh.heartbeatTimeoutSeconds} s while ` +
                    `the refresh waits, at most ${fresh.maxHeartbeats} per action, never past ` +
                    `${fresh.maxPendingMinutes} minutes pending (default result ${fresh.defaultResult})`,
            );
            policies.push(fresh);
        }
        return new RefreshHeartbeats(port, policies, clock, log);
    }

    /**
     * Starts a refresh (or resumes the wait on `resumeTaskId`) and waits for it. On success returns
     * the outputs; on failure after the start, rejects with partial state holding the real task id
     * and status, so that state tells the truth and the next `pulumi up` recovers.
     */
    private async run(
        existingId: string | undefined,
        inputs: Props,
        which: {
            previousTaskId?: string;
            resumeTaskId?: string;
            supersedesTaskId?: string;
            /** The plan made before the start (recorded as the `plan` output). */
            plan?: PlanOutput;
        },
    ): Promise<Props> {
        const { previousTaskId, resumeTaskId, supersedesTaskId } = which;
        const label = this.label(inputs);
        const log = this.logger(inputs);
        const ctx = this.spec.connect(inputs, this.config, this.deps.env);
        let clock: Clock;
        let started: number;
        const policy = this.spec.policyOf?.(inputs) ?? (inputs as unknown as RefreshPolicy);
        let heartbeats: RefreshHeartbeats | undefined;
        let outcome: RefreshOutcome<S>;
        try {
            clock = await this.clockOf(ctx, log);
            started = clock.now();
            if (!resumeTaskId) {
                await this.spec.preflight?.(ctx, inputs, log);
            }
            const duty = await this.heartbeatsOf(ctx, inputs, log, clock);
            heartbeats = duty;
            outcome = await runRefresh(
                this.spec.taskApi(ctx, inputs, previousTaskId),
                policy,
                {
                    clock,
                    log,
                    ...this.deps.poll,
                    duringWait: duty ? (id) => duty.during(id) : undefined,
                },
                { resumeTaskId, supersedesTaskId },
            );
        } catch (err) {
            const byCode = this.spec.nothingToRefresh?.(err);
            const against =
                byCode !== undefined ? await this.againstNothing(ctx, inputs, log) : undefined;
            const nothing =
                against !== undefined
                    ? undefined
                    : (byCode ?? (await this.groupHasNothing(ctx, inputs, err)));
            if (nothing !== undefined) {
                log(
                    `nothing to refresh: every instance already uses the desired configuration (${nothing})`,
                );
                const done: Props = {
                    ...inputs,
                    ...this.spec.emptyOutputs,
                    status: NOT_NEEDED,
                    [LAST_TASK_KEY]: previousTaskId ?? null,
                };
                done.detail = nothing;
                done.plan = which.plan ?? null;
                delete done.__provider;
                return done;
            }
            // Nothing of ours was started: a plain failure, state keeps what it had.
            const why =
                (err instanceof RefreshNotStartedError || err instanceof CloudError
                    ? err.message
                    : messageOf(err)) +
                (against !== undefined ? `; but the group says otherwise: ${against}` : "");
            const next =
                err instanceof RefreshNotStartedError
                    ? ""
                    : err instanceof CloudError && err.transient
                      ? "; the cloud did not answer reliably, so a refresh may have started: run " +
                        "`pulumi up` again, which finds it instead of starting another"
                      : "; nothing was started: fix the cause and run `pulumi up` again";
            throw new Error(`${label}: ${why}${next}`, { cause: err });
        }
        const outs: Props = {
            ...inputs,
            ...this.spec.emptyOutputs,
            [this.spec.taskIdKey]: outcome.taskId,
            [LAST_TASK_KEY]: outcome.taskId,
            plan: which.plan ?? null,
        };
        if (outcome.task) {
            Object.assign(outs, this.spec.outputsOf(outcome.task));
        }
        if (heartbeats) {
            await heartbeats.finish().catch((err: unknown) => {
                log(
                    `heartbeat: warning: a last look at the lifecycle actions failed: ${messageOf(err)}`,
                );
            });
        }
        outs.heartbeats = heartbeats?.report() ?? [];
        delete outs.__provider;
        if (outcome.ok) {
            log(`refresh ${outcome.taskId} succeeded in ${formatDuration(clock.now() - started)}`);
            return outs;
        }
        const status = stringOr(outs.status);
        const stopped = heartbeats?.stopped() ?? [];
        const why =
            stopped.length > 0
                ? `${outcome.reason}; lifecycle heartbeats: ${stopped.join("; ")}`
                : outcome.reason;
        const reason =
            `${label}: ${why}. State records refresh ${outcome.taskId} as ` +
            `${status ?? "unknown"}; fix the cause and run \`pulumi up\` again` +
            (this.spec.runningStatuses.has(status ?? "")
                ? " to wait on it again."
                : " to start a new refresh.");
        const err = new Error(reason) as PartialStateError;
        err.id = existingId ?? outcome.taskId;
        err.properties = { ...outs, __provider: inputs.__provider };
        err.reasons = [reason];
        throw err;
    }
}

/** A CloudError with one of `codes`, or undefined. */
export function cloudCodeIn(err: unknown, codes: readonly string[]): CloudError | undefined {
    return err instanceof CloudError && codes.includes(err.code) ? err : undefined;
}
