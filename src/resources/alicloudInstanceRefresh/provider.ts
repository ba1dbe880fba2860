import type * as pulumi from "@pulumi/pulumi";
import { Clock, systemClock } from "../../core/clock";
import { CloudError, messageOf } from "../../core/errors";
import {
    formatDuration,
    isTerminal,
    RefreshNotStartedError,
    RefreshOutcome,
    runRefresh,
} from "../../core/refreshRunner";
import { deriveIdempotencyToken } from "../../core/tokens";
import { AlicloudEndpoint, resolveEndpoint, resolveRegion } from "../../clouds/alicloud/connection";
import { createEssClient, EssApi, StartInstanceRefreshRequest } from "../../clouds/alicloud/ess";
import { ESS_NOT_FOUND_CODES, ESS_NOTHING_TO_REFRESH_CODES } from "../../clouds/alicloud/essErrors";
import { diffInstanceRefresh, NOT_NEEDED, refreshDefining } from "./diff";
import { essTaskApi, EssTaskSnapshot, snapshotOf } from "./taskApi";
import { InstanceRefreshInputs, InstanceRefreshOutputs, toEssDesiredConfiguration } from "./types";
import { validateInstanceRefresh } from "./validate";

/** The Pulumi type token of the resource. */
export const INSTANCE_REFRESH_TYPE = "pulumi-rollout:alicloud:InstanceRefresh";

/** Where an ESS client is pointed. */
export interface EssTarget {
    region: string;
    endpoint: AlicloudEndpoint;
}

/** What the provider needs from the outside world; tests replace any of it. */
export interface ProviderDeps {
    /** Builds the ESS client (default: the real one with the default credential chain). */
    ess: (target: EssTarget) => EssApi;
    clock: Clock;
    /** Where progress lines go: the provider's stdout, which `pulumi up` shows. */
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
    /** Poll delay bounds (defaults: the poller's). */
    poll?: { minDelayMs?: number; maxDelayMs?: number; maxQuietDelayMs?: number };
}

/** The default dependencies: real clients, real time, stdout, process.env. */
export function defaultDeps(): ProviderDeps {
    return {
        ess: (t) => createEssClient({ regionId: t.region, endpoint: t.endpoint }),
        clock: systemClock,
        log: (line) => console.log(line),
        env: process.env,
    };
}

type Props = Record<string, unknown>;

/**
 * State key of the last refresh task this resource started, kept even when a later deployment found
 * nothing to refresh, so that every new refresh gets a ClientToken of its own.
 */
const LAST_TASK_KEY = "__lastTaskId";

const stringOr = (v: unknown): string | undefined =>
    typeof v === "string" && v !== "" ? v : undefined;

/** An error that makes the engine record what really happened (partial state). */
interface PartialStateError extends Error {
    id: string;
    properties: Props;
    reasons: string[];
}

/** The dynamic provider of alicloud.InstanceRefresh. */
export class InstanceRefreshProvider implements pulumi.dynamic.ResourceProvider {
    private configRegion?: string;

    constructor(private readonly deps: ProviderDeps = defaultDeps()) {}

    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.configRegion = req.config.get("alicloud:region") ?? undefined;
        return Promise.resolve();
    }

    /** Validates every argument and fills in defaults; no cloud call. */
    check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
        const { inputs, violations } = validateInstanceRefresh(news);
        return Promise.resolve({ inputs, failures: violations });
    }

    /** Says whether `pulumi up` has anything to do; no cloud call. */
    diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
        return Promise.resolve({ changes: diffInstanceRefresh(olds, news).changes });
    }

    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const outs = await this.run(
            undefined,
            inputs as unknown as InstanceRefreshInputs & Props,
            {},
        );
        // The first refresh's task id names the resource (a group already up to date has none).
        const id =
            stringOr(outs.instanceRefreshTaskId) ??
            `${stringOr(inputs.scalingGroupId) ?? ""}:no-refresh`;
        return { id, outs };
    }

    async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        const plan = diffInstanceRefresh(olds, news);
        const inputs = news as unknown as InstanceRefreshInputs & Props;
        const previous = olds as unknown as InstanceRefreshOutputs;
        if (plan.startsRefresh) {
            const previousTaskId = previous.instanceRefreshTaskId ?? stringOr(olds[LAST_TASK_KEY]);
            return {
                outs: await this.run(id, inputs, {
                    previousTaskId,
                    supersedesTaskId: previous.instanceRefreshTaskId,
                }),
            };
        }
        if (plan.resumesWait && previous.instanceRefreshTaskId) {
            return {
                outs: await this.run(id, inputs, {
                    previousTaskId: stringOr(olds[LAST_TASK_KEY]),
                    resumeTaskId: previous.instanceRefreshTaskId,
                }),
            };
        }
        // Only the waiting options changed: nothing to start, nothing to wait for.
        return {
            outs: {
                ...inputs,
                ...refreshOutputsOf(previous),
                [LAST_TASK_KEY]: olds[LAST_TASK_KEY] ?? null,
            },
        };
    }

    async read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
        const state = props as unknown as InstanceRefreshOutputs;
        if (!state.instanceRefreshTaskId) {
            return { id, props };
        }
        const ess = this.deps.ess(this.target(state));
        const { tasks } = await ess.describeInstanceRefreshes({
            scalingGroupId: state.scalingGroupId,
            instanceRefreshTaskIds: [state.instanceRefreshTaskId],
        });
        const task = tasks.find((t) => t.instanceRefreshTaskId === state.instanceRefreshTaskId);
        return { id, props: task ? { ...props, ...outputsOf(snapshotOf(task)) } : props };
    }

    async delete(_id: string, props: Props): Promise<void> {
        const state = props as unknown as InstanceRefreshOutputs;
        const taskId = state.instanceRefreshTaskId;
        if (!taskId) {
            return;
        }
        const ess = this.deps.ess(this.target(state));
        const scalingGroupId = state.scalingGroupId;
        let tasks;
        try {
            ({ tasks } = await ess.describeInstanceRefreshes({
                scalingGroupId,
                instanceRefreshTaskIds: [taskId],
            }));
        } catch (err) {
            if (err instanceof CloudError && ESS_NOT_FOUND_CODES.includes(err.code)) {
                return; // the group or the task is gone: nothing can be running
            }
            throw err; // e.g. no permission: we cannot tell, so the resource is not dropped
        }
        const task = tasks.find((t) => t.instanceRefreshTaskId === taskId);
        if (!task || isTerminal(snapshotOf(task).phase)) {
            return;
        }
        const api = essTaskApi(ess, { scalingGroupId, desiredConfiguration: {} });
        const log = this.logger(props);
        log(
            `refresh ${taskId} is still ${task.status}: cancelling it, as the resource is being deleted`,
        );
        await api.cancel(taskId);
        const outcome = await runRefresh(
            api,
            { timeoutMinutes: 10, onFailure: "fail", onTimeout: "leave", onConflict: "fail" },
            { clock: this.deps.clock, log, ...this.deps.poll },
            { resumeTaskId: taskId },
        );
        if (outcome.task?.phase !== "cancelled" && outcome.task?.phase !== "succeeded") {
            throw new Error(
                `${resourceLabel(props)}: cancelling refresh ${taskId} did not end in Cancelled ` +
                    `(${outcome.reason ?? outcome.task?.summary ?? "unknown"}); check it with DescribeInstanceRefreshes ` +
                    "and run `pulumi destroy` again",
            );
        }
    }

    private target(inputs: { region?: string; endpoint?: string }): EssTarget {
        const src = {
            region: inputs.region,
            endpoint: inputs.endpoint,
            configRegion: this.configRegion,
            env: this.deps.env,
        };
        const region = resolveRegion(src);
        return {
            region,
            endpoint: resolveEndpoint(src, "ess", "ALIBABA_CLOUD_ESS_ENDPOINT", region),
        };
    }

    private logger(props: Props): (line: string) => void {
        const label = resourceLabel(props);
        return (line) => this.deps.log(`${label}: ${line}`);
    }

    /**
     * Starts a refresh (or resumes the wait on `resumeTaskId`) and waits for it. On success returns
     * the outputs; on failure after the start, rejects with partial state holding the real task id
     * and status, so that state tells the truth and the next `pulumi up` retries.
     */
    private async run(
        existingId: string | undefined,
        inputs: InstanceRefreshInputs & Props,
        which: { previousTaskId?: string; resumeTaskId?: string; supersedesTaskId?: string },
    ): Promise<Props> {
        const { previousTaskId, resumeTaskId, supersedesTaskId } = which;
        const label = resourceLabel(inputs);
        const log = this.logger(inputs);
        const target = this.target(inputs);
        const ess = this.deps.ess(target);
        const request: StartInstanceRefreshRequest = {
            scalingGroupId: inputs.scalingGroupId,
            clientToken: clientTokenFor(target.region, inputs, previousTaskId),
            desiredConfiguration: toEssDesiredConfiguration(inputs.desiredConfiguration),
            minHealthyPercentage: inputs.minHealthyPercentage,
            maxHealthyPercentage: inputs.maxHealthyPercentage,
            skipMatching: inputs.skipMatching,
            checkpoints: inputs.checkpoints,
            checkpointPauseTime: inputs.checkpoints ? inputs.checkpointPauseMinutes : undefined,
        };
        const started = this.deps.clock.now();
        let outcome: RefreshOutcome<EssTaskSnapshot>;
        try {
            if (!resumeTaskId) {
                await this.ensureGroup(ess, inputs.scalingGroupId, target.region, log);
            }
            outcome = await runRefresh(
                essTaskApi(ess, request),
                inputs,
                { clock: this.deps.clock, log, ...this.deps.poll },
                { resumeTaskId, supersedesTaskId },
            );
        } catch (err) {
            if (err instanceof CloudError && ESS_NOTHING_TO_REFRESH_CODES.includes(err.code)) {
                log(
                    `nothing to refresh: ESS reports that every instance already uses the desired configuration (${err.code})`,
                );
                const done: Props = {
                    ...inputs,
                    ...refreshOutputsOf({}),
                    status: NOT_NEEDED,
                    detail: err.cloudMessage,
                    // The next refresh's token must still differ from the last one started.
                    [LAST_TASK_KEY]: previousTaskId ?? null,
                };
                delete done.__provider;
                return done;
            }
            // Nothing of ours was started: a plain failure, state keeps what it had.
            const why =
                err instanceof RefreshNotStartedError || err instanceof CloudError
                    ? err.message
                    : messageOf(err);
            const next =
                err instanceof RefreshNotStartedError
                    ? ""
                    : "; nothing was started: fix the cause and run `pulumi up` again";
            throw new Error(`${label}: ${why}${next}`, { cause: err });
        }
        const outs: Props = {
            ...inputs,
            ...refreshOutputsOf({}),
            instanceRefreshTaskId: outcome.taskId,
            [LAST_TASK_KEY]: outcome.taskId,
        };
        if (outcome.task) {
            Object.assign(outs, outputsOf(outcome.task));
        }
        delete outs.__provider;
        if (outcome.ok) {
            log(
                `refresh ${outcome.taskId} succeeded in ${formatDuration(this.deps.clock.now() - started)}`,
            );
            return outs;
        }
        const reason =
            `${label}: ${outcome.reason}. State records refresh ${outcome.taskId} as ` +
            `${stringOr(outs.status) ?? "unknown"}; fix the cause and run \`pulumi up\` again` +
            (["Pending", "InProgress", "Paused", "CheckpointPause"].includes(
                stringOr(outs.status) ?? "",
            )
                ? " to wait on it again."
                : " to start a new refresh.");
        const err = new Error(reason) as PartialStateError;
        err.id = existingId ?? outcome.taskId;
        err.properties = { ...outs, __provider: inputs.__provider };
        err.reasons = [reason];
        throw err;
    }

    private async ensureGroup(
        ess: EssApi,
        scalingGroupId: string,
        region: string,
        log: (l: string) => void,
    ): Promise<void> {
        const groups = await ess.describeScalingGroups({ scalingGroupIds: [scalingGroupId] });
        const group = groups.find((g) => g.scalingGroupId === scalingGroupId);
        if (!group) {
            throw new Error(
                `ESS has no scaling group ${scalingGroupId} in region ${region} ` +
                    "(DescribeScalingGroups found none); check scalingGroupId and region",
            );
        }
        const name = group.scalingGroupName ? ` (${group.scalingGroupName})` : "";
        const size = group.totalCapacity !== undefined ? `, ${group.totalCapacity} instances` : "";
        log(
            `scaling group ${scalingGroupId}${name}${size}, ${group.lifecycleState ?? "state unknown"}`,
        );
    }
}

/** The ClientToken of a refresh: the same intended refresh always gets the same one. */
export function clientTokenFor(
    region: string,
    inputs: Props,
    previousTaskId: string | undefined,
): string {
    const defining = refreshDefining(inputs);
    defining.region = region;
    return deriveIdempotencyToken(
        { type: INSTANCE_REFRESH_TYPE, defining, previousTaskId: previousTaskId ?? null },
        "pr-",
    );
}

function outputsOf(s: EssTaskSnapshot): Props {
    const t = s.task;
    return {
        instanceRefreshTaskId: t.instanceRefreshTaskId,
        status: t.status,
        detail: t.detail ?? "",
        totalNeedUpdateCapacity: t.totalNeedUpdateCapacity ?? null,
        finishedUpdateCapacity: t.finishedUpdateCapacity ?? null,
        startTime: t.startTime ?? "",
        endTime: t.endTime ?? "",
    };
}

function refreshOutputsOf(o: Partial<InstanceRefreshOutputs>): Props {
    return {
        instanceRefreshTaskId: o.instanceRefreshTaskId ?? null,
        status: o.status ?? null,
        detail: o.detail ?? "",
        totalNeedUpdateCapacity: o.totalNeedUpdateCapacity ?? null,
        finishedUpdateCapacity: o.finishedUpdateCapacity ?? null,
        startTime: o.startTime ?? "",
        endTime: o.endTime ?? "",
    };
}

function resourceLabel(props: Props): string {
    const name = typeof props.__resourceName === "string" ? props.__resourceName : "";
    return `alicloud.InstanceRefresh ${name || (stringOr(props.scalingGroupId) ?? "")}`.trim();
}
