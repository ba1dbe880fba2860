import type * as pulumi from "@pulumi/pulumi";
import { Clock, systemClock } from "../../core/clock";
import { pacedClock, type RehearsalPace } from "../../core/rehearsal";
import { deepEqual } from "../../core/stable";
import { deriveIdempotencyToken } from "../../core/tokens";
import { userAgentFor } from "../../core/userAgent";
import { isUnknown } from "../../core/validation";
import { AlicloudEndpoint, resolveEndpoint, resolveRegion } from "../../clouds/alicloud/connection";
import { createEcsClient, EcsApi, EcsInstance } from "../../clouds/alicloud/ecs";
import { stringOr } from "../common/refreshProvider";
import { assessInstance, describeEvents, InstancePlan, priorRedeploy } from "./plan";
import { planFromCloud, runRedeploy } from "./run";
import {
    GENERATION_KEY,
    INPUT_KEYS,
    INSTANCE_REDEPLOY_TYPE,
    InstanceRedeployInputs,
    InstanceResult,
    REDEPLOY_EMPTY_OUTPUTS,
} from "./types";
import { validateInstanceRedeploy } from "./validate";

export { INSTANCE_REDEPLOY_TYPE };

type Props = Record<string, unknown>;

/** Where an ECS client is pointed. */
export interface EcsTarget {
    region: string;
    endpoint: AlicloudEndpoint;
}

/** What the provider needs from the outside world; tests replace any of it. */
export interface RedeployProviderDeps {
    ecs: (target: EcsTarget) => EcsApi;
    clock: Clock;
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
    poll?: { minDelayMs?: number; maxDelayMs?: number; maxQuietDelayMs?: number };
}

/** The default dependencies: the real ECS client, real time, stdout, process.env. */
export function defaultDeps(): RedeployProviderDeps {
    return {
        ecs: (t) =>
            createEcsClient({
                regionId: t.region,
                endpoint: t.endpoint,
                userAgent: userAgentFor("alicloud.InstanceRedeploy"),
            }),
        clock: systemClock,
        log: (line) => console.log(line),
        env: process.env,
    };
}

/** The partial-state rejection the dynamic provider turns into an initialization failure. */
interface PartialStateError extends Error {
    id: string;
    properties: Props;
    reasons: string[];
}

/**
 * The redeploy generation that results belong to: with when = "always", the triggers (a change
 * means every instance again); with when = "systemEvent", one generation (events decide).
 */
export function generationOf(inputs: Props): string {
    return inputs.when === "always"
        ? deriveIdempotencyToken({ when: "always", triggers: inputs.triggers ?? null }, "g-", 24)
        : "systemEvent";
}

/** The results the previous `pulumi up` recorded for the same generation, by instance id. */
export function previousResults(olds: Props, news: Props): Map<string, InstanceResult> {
    const out = new Map<string, InstanceResult>();
    if (olds[GENERATION_KEY] !== generationOf(news) || !Array.isArray(olds.instances)) {
        return out;
    }
    for (const r of olds.instances as InstanceResult[]) {
        if (r && typeof r.instanceId === "string") {
            out.set(r.instanceId, r);
        }
    }
    return out;
}

/**
 * The dynamic provider of alicloud.InstanceRedeploy. check validates without calls; diff, with
 * when = "systemEvent", reads the instances' open system events (read-only) so that preview shows an
 * update exactly when there is something to redeploy; create and update redeploy and wait; a failure
 * is recorded as partial state naming each instance's outcome, and the next `pulumi up` redoes only
 * what is left; delete does nothing (a redeploy cannot be undone).
 */
export class InstanceRedeployProvider implements pulumi.dynamic.ResourceProvider {
    private configRegion: string | undefined;

    constructor(private readonly deps: RedeployProviderDeps = defaultDeps()) {}

    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        this.configRegion = req.config.get("alicloud:region") ?? undefined;
        return Promise.resolve();
    }

    check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
        const { inputs, violations } = validateInstanceRedeploy(news);
        return Promise.resolve({ inputs: inputs as unknown as Props, failures: violations });
    }

    async diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
        const ids = news.instanceIds;
        const unknown = (v: unknown): boolean =>
            isUnknown(v) || (Array.isArray(v) && v.some((x) => isUnknown(x)));
        // Not known until up: what preview can say depends on them, so it says "update" and calls
        // nothing (with unknown region or endpoint it could not even tell where to look).
        if (
            !Array.isArray(ids) ||
            ["instanceIds", "when", "eventTypes", "region", "endpoint", "triggers"].some((k) =>
                unknown(news[k]),
            )
        ) {
            return { changes: true };
        }
        const inputs = news as unknown as InstanceRedeployInputs;
        const previous = previousResults(olds, news);
        const log = this.logger(news);
        let changes = false;
        if (inputs.when === "always") {
            const left = inputs.instanceIds.filter((id) => !priorRedeploy(previous.get(id)));
            if (left.length > 0) {
                changes = true;
                log(
                    `preview: ${left.join(", ")} ${left.length === 1 ? "is" : "are"} to be redeployed` +
                        (olds[GENERATION_KEY] === generationOf(news) ? "" : " (triggers changed)"),
                );
            }
        } else {
            const { ecs, region } = this.connect(news);
            const { plans, instances } = await planFromCloud(ecs, region, inputs, previous);
            for (const plan of plans) {
                const line = await this.previewOf(
                    plan,
                    instances.get(plan.instanceId),
                    ecs,
                    inputs,
                );
                if (line) {
                    changes = true;
                    log(`preview: ${line}`);
                }
            }
        }
        // Changed arguments are an update even when nothing is to be redeployed now: up saves
        // them, and the next redeploy uses them.
        const changedArgs = INPUT_KEYS.filter((k) => !deepEqual(olds[k], news[k]));
        if (!changes && changedArgs.length > 0) {
            log(`preview: ${changedArgs.join(", ")} changed; nothing to redeploy now`);
        }
        return { changes: changes || changedArgs.length > 0 };
    }

    /**
     * What preview says of one instance (undefined: nothing to do), with the preconditions it can
     * check read-only (DescribeDisks) applied, so that it never promises a redeploy up refuses.
     */
    private async previewOf(
        plan: InstancePlan,
        instance: EcsInstance | undefined,
        ecs: EcsApi,
        inputs: InstanceRedeployInputs,
    ): Promise<string | undefined> {
        if (plan.action !== "redeploy" || !instance) {
            return plan.action === "skip" ? undefined : previewLine(plan);
        }
        const verdict = assessInstance(
            inputs,
            instance,
            await ecs.describeDisks(plan.instanceId),
            plan.events,
        );
        if (verdict.verdict === "skip") {
            return undefined;
        }
        if (verdict.verdict === "refuse") {
            return `${plan.instanceId} cannot be redeployed: ${verdict.reason}`;
        }
        return previewLine({ ...plan, events: verdict.events });
    }

    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const id = deriveIdempotencyToken(
            { type: INSTANCE_REDEPLOY_TYPE, name: inputs.__resourceName ?? null },
            "redeploy-",
            32,
        );
        return { id, outs: await this.run(id, inputs, new Map()) };
    }

    async update(id: string, olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await this.run(id, news, previousResults(olds, news)) };
    }

    read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
        return Promise.resolve({ id, props });
    }

    /** A redeploy cannot be undone: deleting the resource only forgets it. */
    delete(): Promise<void> {
        return Promise.resolve();
    }

    private connect(inputs: Props): { ecs: EcsApi; region: string; pace?: RehearsalPace } {
        const src = {
            region: stringOr(inputs.region),
            endpoint: stringOr(inputs.endpoint),
            configRegion: this.configRegion,
            env: this.deps.env,
        };
        const region = resolveRegion(src);
        const endpoint = resolveEndpoint(src, "ecs", "ALIBABA_CLOUD_ECS_ENDPOINT", region);
        return { ecs: this.deps.ecs({ region, endpoint }), region, pace: endpoint.pace };
    }

    private label(props: Props): string {
        return `alicloud.InstanceRedeploy ${stringOr(props.__resourceName) ?? ""}`.trim();
    }

    private logger(props: Props): (line: string) => void {
        const label = this.label(props);
        return (line) => this.deps.log(`${label}: ${line}`);
    }

    private async run(
        id: string,
        props: Props,
        previous: Map<string, InstanceResult>,
    ): Promise<Props> {
        const inputs = props as unknown as InstanceRedeployInputs;
        const { ecs, region, pace } = this.connect(props);
        const label = this.label(props);
        const log = this.logger(props);
        const outcome = await runRedeploy(inputs, previous, {
            ecs,
            region,
            clock: await pacedClock(this.deps.clock, pace, log),
            log,
            poll: this.deps.poll,
        });
        const outs: Props = {
            ...props,
            ...REDEPLOY_EMPTY_OUTPUTS,
            status: outcome.status,
            instances: outcome.results,
            redeployedInstanceIds: outcome.results
                .filter((r) => r.outcome === "redeployed")
                .map((r) => r.instanceId),
            failedInstanceIds: outcome.results
                .filter((r) => r.outcome === "failed")
                .map((r) => r.instanceId),
            [GENERATION_KEY]: generationOf(props),
        };
        delete outs.__provider;
        if (outcome.status === "Succeeded") {
            return outs;
        }
        const problems = outcome.results
            .filter((r) => r.outcome !== "redeployed" && r.outcome !== "skipped")
            .map((r) => `  ${r.instanceId}: ${r.errorCode ? `${r.errorCode}: ` : ""}${r.reason}`);
        const reason =
            `${label}: ${problems.length} of ${outcome.results.length} instance` +
            `${outcome.results.length === 1 ? "" : "s"} not redeployed:\n${problems.join("\n")}\n` +
            "State records what was done; fix the causes and run `pulumi up` again: it redoes only " +
            "what is left and waits on any redeploy still running.";
        const err = new Error(reason) as PartialStateError;
        err.id = id;
        err.properties = { ...outs, __provider: props.__provider };
        err.reasons = [reason];
        throw err;
    }
}

function previewLine(p: InstancePlan): string {
    switch (p.action) {
        case "redeploy":
            return p.events.length > 0
                ? `${p.instanceId} will be redeployed for ${describeEvents(p.events)}`
                : `${p.instanceId} will be redeployed`;
        case "adopt":
            return `${p.instanceId}: redeploy ${p.taskId} is under way; up will wait for it`;
        case "fail":
            return `${p.instanceId} cannot be redeployed: ${p.reason}`;
        default:
            return `${p.instanceId}: nothing to do`;
    }
}
