import type * as pulumi from "@pulumi/pulumi";
import { Clock, systemClock } from "../../core/clock";
import type { HeartbeatReport } from "../../core/heartbeats";
import { deepEqual } from "../../core/stable";
import { deriveIdempotencyToken } from "../../core/tokens";
import { userAgentFor } from "../../core/userAgent";
import { pacedClock, type RehearsalPace } from "../../core/rehearsal";
import { resolveEndpoint, resolvePace, resolveRegion } from "../../clouds/alicloud/connection";
import { awsTargetOf } from "../common/awsTarget";
import { StackConfig, stringOr } from "../common/refreshProvider";
import { awsHookPort, essHookPort, LifecycleHookPort } from "./ports";
import { servePendingActions } from "./service";
import {
    ALICLOUD_HEARTBEAT_POLICY_TYPE,
    AWS_HEARTBEAT_POLICY_TYPE,
    HeartbeatCloud,
    HeartbeatPolicyInputs,
    POLICY_EMPTY_OUTPUTS,
    POLICY_INPUT_KEYS,
} from "./types";
import { resolvePolicy, validateHeartbeatPolicy } from "./validate";

type Props = Record<string, unknown>;

/** What the provider needs from the outside world; tests replace any of it. */
export interface PolicyProviderDeps {
    /** The cloud's lifecycle-hook calls for these inputs (default: the real client). */
    port: (inputs: Props, config: StackConfig, env: NodeJS.ProcessEnv) => LifecycleHookPort;
    clock: Clock;
    log: (line: string) => void;
    env: NodeJS.ProcessEnv;
}

/** A sandbox's pace, when the policy's endpoint gives one. */
function paceOf(
    cloud: HeartbeatCloud,
    inputs: Props,
    config: StackConfig,
    env: NodeJS.ProcessEnv,
): RehearsalPace | undefined {
    return cloud === "alicloud"
        ? resolvePace({ endpoint: stringOr(inputs.endpoint), env }, "ALIBABA_CLOUD_ESS_ENDPOINT")
        : awsTargetOf(inputs, config, env).pace;
}

/* eslint-disable @typescript-eslint/no-require-imports */
/** The real clients, loaded when first used. */
function realPort(cloud: HeartbeatCloud): PolicyProviderDeps["port"] {
    if (cloud === "alicloud") {
        return (inputs, config, env) => {
            const src = {
                region: stringOr(inputs.region),
                endpoint: stringOr(inputs.endpoint),
                configRegion: config["alicloud:region"],
                env,
            };
            const region = resolveRegion(src);
            const endpoint = resolveEndpoint(src, "ess", "ALIBABA_CLOUD_ESS_ENDPOINT", region);
            const { createEssClient } =
                require("../../clouds/alicloud/ess") as typeof import("../../clouds/alicloud/ess");
            return essHookPort(
                createEssClient({
                    regionId: region,
                    endpoint,
                    userAgent: userAgentFor("alicloud.LifecycleHeartbeatPolicy"),
                }),
            );
        };
    }
    return (inputs, config, env) => {
        const { target } = awsTargetOf(inputs, config, env);
        const { createAutoScalingClient } =
            require("../../clouds/aws/autoscaling") as typeof import("../../clouds/aws/autoscaling");
        return awsHookPort(
            createAutoScalingClient({
                ...target,
                userAgent: userAgentFor("aws.LifecycleHeartbeatPolicy"),
            }),
        );
    };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** The default dependencies: the real client, real time, stdout, process.env. */
export function defaultPolicyDeps(cloud: HeartbeatCloud): PolicyProviderDeps {
    return {
        port: realPort(cloud),
        clock: systemClock,
        log: (line) => console.log(line),
        env: process.env,
    };
}

/** How each cloud names things. */
const NAMES = {
    alicloud: {
        label: "alicloud.LifecycleHeartbeatPolicy",
        service: "ESS",
        group: "scalingGroupId",
        hook: "lifecycleHookId",
        type: ALICLOUD_HEARTBEAT_POLICY_TYPE,
        config: ["alicloud:region"],
    },
    aws: {
        label: "aws.LifecycleHeartbeatPolicy",
        service: "Auto Scaling",
        group: "autoScalingGroupName",
        hook: "lifecycleHookName",
        type: AWS_HEARTBEAT_POLICY_TYPE,
        config: ["aws:region", "aws:profile"],
    },
} as const;

/**
 * The dynamic provider of both LifecycleHeartbeatPolicy resources. check validates against the
 * cloud's ranges and caps without calls; diff compares arguments (no calls); create and update
 * verify, read-only, that the hook exists on the group (DescribeLifecycleHooks), resolve the policy
 * against it, and with servicePendingActions keep the hook's pending actions alive until each ends
 * or reaches the caps; delete does nothing in the cloud.
 */
export class HeartbeatPolicyProvider implements pulumi.dynamic.ResourceProvider {
    private config: StackConfig = {};

    constructor(
        private readonly cloud: HeartbeatCloud,
        private readonly deps: PolicyProviderDeps = defaultPolicyDeps(cloud),
    ) {}

    configure(req: pulumi.dynamic.ConfigureRequest): Promise<void> {
        for (const key of NAMES[this.cloud].config) {
            this.config[key] = req.config.get(key) ?? undefined;
        }
        return Promise.resolve();
    }

    check(_olds: Props, news: Props): Promise<pulumi.dynamic.CheckResult> {
        const { inputs, violations } = validateHeartbeatPolicy(this.cloud, news);
        return Promise.resolve({ inputs: inputs as unknown as Props, failures: violations });
    }

    diff(_id: string, olds: Props, news: Props): Promise<pulumi.dynamic.DiffResult> {
        const changed = POLICY_INPUT_KEYS[this.cloud].filter(
            (k) => !deepEqual(olds[k] ?? null, news[k] ?? null),
        );
        return Promise.resolve({ changes: changed.length > 0 });
    }

    async create(inputs: Props): Promise<pulumi.dynamic.CreateResult> {
        const id = deriveIdempotencyToken(
            { type: NAMES[this.cloud].type, name: inputs.__resourceName ?? null },
            "hbpolicy-",
            32,
        );
        return { id, outs: await this.apply(inputs) };
    }

    async update(_id: string, _olds: Props, news: Props): Promise<pulumi.dynamic.UpdateResult> {
        return { outs: await this.apply(news) };
    }

    read(id: string, props: Props): Promise<pulumi.dynamic.ReadResult> {
        return Promise.resolve({ id, props });
    }

    /** A policy changes nothing in the cloud: deleting it only forgets it. */
    delete(): Promise<void> {
        return Promise.resolve();
    }

    private async apply(props: Props): Promise<Props> {
        const names = NAMES[this.cloud];
        const label = `${names.label} ${stringOr(props.__resourceName) ?? ""}`.trim();
        const log = (line: string): void => this.deps.log(`${label}: ${line}`);
        const inputs = props as unknown as HeartbeatPolicyInputs;
        const group = String(props[names.group]);
        const hookRef = String(props[names.hook]);
        const port = this.deps.port(props, this.config, this.deps.env);
        const hook = await port.describeHook(group, hookRef);
        if (!hook) {
            throw new Error(
                `${label}: ${names.service} has no lifecycle hook ${hookRef} on group ${group} ` +
                    `(DescribeLifecycleHooks found none); check ${names.hook} and ${names.group}`,
            );
        }
        const resolved = resolvePolicy(this.cloud, inputs, hook);
        if ("error" in resolved) {
            throw new Error(`${label}: ${resolved.error}`);
        }
        const p = resolved.value;
        log(
            `hook ${hook.name} (${hook.transition}, default result ${hook.defaultResult}, ` +
                `timeout ${hook.timeoutSeconds} s): heartbeats of ${p.heartbeatTimeoutSeconds} s, ` +
                `at most ${p.maxHeartbeats} per action, never past ${p.maxPendingMinutes} minutes pending`,
        );
        if (hook.status && hook.status !== "Active") {
            log(
                `warning: hook ${hook.name} is ${hook.status}: it holds no instance until activated`,
            );
        }
        let actions: HeartbeatReport[] = [];
        if (inputs.servicePendingActions) {
            const pace = paceOf(this.cloud, props, this.config, this.deps.env);
            actions = await servePendingActions(
                port,
                p,
                await pacedClock(this.deps.clock, pace, log),
                log,
            );
        }
        const outs: Props = {
            ...props,
            ...POLICY_EMPTY_OUTPUTS,
            policy: p,
            hookName: hook.name,
            lifecycleTransition: hook.transition,
            defaultResult: hook.defaultResult,
            hookHeartbeatTimeoutSeconds: hook.timeoutSeconds,
            actions,
        };
        delete outs.__provider;
        return outs;
    }
}
