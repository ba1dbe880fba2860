import {
    AutoScalingClient,
    AutoScalingServiceException,
    type Instance as SdkInstance,
    CancelInstanceRefreshCommand,
    CompleteLifecycleActionCommand,
    DescribeAutoScalingGroupsCommand,
    DescribeInstanceRefreshesCommand,
    DescribeLifecycleHooksCommand,
    RecordLifecycleActionHeartbeatCommand,
    RollbackInstanceRefreshCommand,
    StartInstanceRefreshCommand,
} from "@aws-sdk/client-auto-scaling";
import {
    DescribeLaunchTemplatesCommand,
    EC2Client,
    EC2ServiceException,
} from "@aws-sdk/client-ec2";
import { CloudError, isNetworkError } from "../../core/errors";
import { type RateLimiterRegistry, sharedRateLimiters } from "../../core/rateLimiter";

/** A launch template and version, as Auto Scaling names them. */
export interface LaunchTemplateSpec {
    launchTemplateId?: string;
    launchTemplateName?: string;
    /** A version number, "$Latest" or "$Default". */
    version?: string;
}

/** A mixed instances policy (the fields a refresh's desired configuration takes). */
export interface MixedInstancesPolicy {
    launchTemplate?: {
        launchTemplateSpecification?: LaunchTemplateSpec;
        overrides?: {
            instanceType?: string;
            weightedCapacity?: string;
            launchTemplateSpecification?: LaunchTemplateSpec;
        }[];
    };
    instancesDistribution?: {
        onDemandAllocationStrategy?: string;
        onDemandBaseCapacity?: number;
        onDemandPercentageAboveBaseCapacity?: number;
        spotAllocationStrategy?: string;
        spotInstancePools?: number;
        spotMaxPrice?: string;
    };
}

/** What a refresh moves the group to. */
export interface AsgDesiredConfiguration {
    launchTemplate?: LaunchTemplateSpec;
    mixedInstancesPolicy?: MixedInstancesPolicy;
}

/** StartInstanceRefresh's preferences, with units in the names. */
export interface AsgRefreshPreferences {
    minHealthyPercentage?: number;
    maxHealthyPercentage?: number;
    instanceWarmupSeconds?: number;
    checkpointPercentages?: number[];
    checkpointDelaySeconds?: number;
    skipMatching?: boolean;
    autoRollback?: boolean;
    scaleInProtectedInstances?: "Refresh" | "Ignore" | "Wait";
    standbyInstances?: "Terminate" | "Ignore" | "Wait";
    alarmSpecification?: { alarms: string[] };
    bakeTimeSeconds?: number;
}

/** What AWS reports of a rollback. */
export interface AsgRollbackDetails {
    rollbackReason?: string;
    rollbackStartTime?: string;
    percentageCompleteOnRollback?: number;
    instancesToUpdateOnRollback?: number;
}

/** One instance refresh, as DescribeInstanceRefreshes reports it. */
export interface AsgRefresh {
    instanceRefreshId: string;
    autoScalingGroupName: string;
    status: string;
    statusReason?: string;
    startTime?: string;
    endTime?: string;
    percentageComplete?: number;
    instancesToUpdate?: number;
    desiredConfiguration?: AsgDesiredConfiguration;
    preferences?: AsgRefreshPreferences;
    rollbackDetails?: AsgRollbackDetails;
}

/** An Auto Scaling group, as far as this library looks at it. */
export interface AsgGroup {
    autoScalingGroupName: string;
    desiredCapacity?: number;
    instances: number;
    launchTemplate?: LaunchTemplateSpec;
    launchConfigurationName?: string;
    /** Its instances, with their lifecycle states (DescribeAutoScalingGroups' Instances). */
    members?: AsgInstance[];
    /** HealthCheckGracePeriod: a refresh's default warm-up when DefaultInstanceWarmup is unset. */
    healthCheckGracePeriodSeconds?: number;
    /** DefaultInstanceWarmup, when the group sets one. */
    defaultInstanceWarmupSeconds?: number;
    /** The group's InstanceMaintenancePolicy: a refresh's healthy percentages when it sets none. */
    instanceMaintenancePolicy?: { minHealthyPercentage?: number; maxHealthyPercentage?: number };
}

/** The Auto Scaling (and EC2 launch template) operations this library uses, in plain types. */
export interface AutoScalingApi {
    startInstanceRefresh(req: {
        autoScalingGroupName: string;
        strategy?: string;
        desiredConfiguration?: AsgDesiredConfiguration;
        preferences?: AsgRefreshPreferences;
    }): Promise<string>;
    describeInstanceRefreshes(req: {
        autoScalingGroupName: string;
        instanceRefreshIds?: string[];
        maxRecords?: number;
    }): Promise<AsgRefresh[]>;
    cancelInstanceRefresh(autoScalingGroupName: string): Promise<string | undefined>;
    rollbackInstanceRefresh(autoScalingGroupName: string): Promise<string | undefined>;
    describeAutoScalingGroup(autoScalingGroupName: string): Promise<AsgGroup | undefined>;
    /** The version number "$Latest" or "$Default" of a launch template stands for now (EC2, read-only). */
    resolveLaunchTemplateVersion(spec: LaunchTemplateSpec): Promise<string>;
}

/** A lifecycle hook of a group, as DescribeLifecycleHooks reports it. */
export interface AsgLifecycleHook {
    autoScalingGroupName: string;
    lifecycleHookName: string;
    /** "autoscaling:EC2_INSTANCE_LAUNCHING" or "autoscaling:EC2_INSTANCE_TERMINATING". */
    lifecycleTransition: string;
    /** Seconds an action may go without a heartbeat before defaultResult applies (30-7200). */
    heartbeatTimeoutSeconds: number;
    /** Seconds an instance may stay in a wait state: min(172800, 100 x heartbeatTimeoutSeconds). */
    globalTimeoutSeconds: number;
    /** "CONTINUE" or "ABANDON": what a timeout does. */
    defaultResult: string;
    notificationTargetArn?: string;
    roleArn?: string;
    notificationMetadata?: string;
}

/** One instance of a group, as DescribeAutoScalingGroups reports it. */
export interface AsgInstance {
    instanceId: string;
    /** e.g. "Pending:Wait", "Pending:Proceed", "InService", "Terminating:Wait". */
    lifecycleState: string;
    /** "Healthy" or "Unhealthy". */
    healthStatus?: string;
    availabilityZone?: string;
    instanceType?: string;
    launchTemplate?: LaunchTemplateSpec;
    launchConfigurationName?: string;
    protectedFromScaleIn?: boolean;
}

/**
 * A lifecycle action, as RecordLifecycleActionHeartbeat and CompleteLifecycleAction name it: by
 * instance id, by the LifecycleActionToken of the hook's notification, or both.
 */
export type LifecycleActionRef = {
    groupName: string;
    hookName: string;
} & ({ instanceId: string; token?: string } | { token: string; instanceId?: string });

/** The lifecycle-hook operations (kept apart so fakes of AutoScalingApi stay valid). */
export interface AutoScalingLifecycleApi {
    /** The group's hooks (those named, or all); a missing group is a CloudError (ValidationError). */
    describeLifecycleHooks(groupName: string, names?: string[]): Promise<AsgLifecycleHook[]>;
    /** The group's instances with their lifecycle states; undefined when there is no such group. */
    describeGroupInstances(groupName: string): Promise<AsgInstance[] | undefined>;
    /**
     * Restarts the action's heartbeat timeout. An action that has ended (or never existed) is a
     * CloudError "ValidationError" (not transient: the SDK does not retry it).
     */
    recordLifecycleActionHeartbeat(ref: LifecycleActionRef): Promise<void>;
    /** Ends the action with CONTINUE (the instance proceeds) or ABANDON (it is terminated). */
    completeLifecycleAction(
        ref: LifecycleActionRef & { result: "CONTINUE" | "ABANDON" },
    ): Promise<void>;
}

/** Where and as whom to call AWS. */
export interface AwsTarget {
    /** Region; undefined lets the SDK's default chain decide (AWS_REGION, the profile...). */
    region?: string;
    /** Auto Scaling endpoint; undefined: AWS_ENDPOINT_URL_AUTO_SCALING, else the public one. */
    endpoint?: string;
    /** EC2 endpoint (launch templates); undefined: AWS_ENDPOINT_URL_EC2, else the public one. */
    ec2Endpoint?: string;
    /** A shared-config profile for credentials and region. */
    profile?: string;
    /** Attempts per call, the SDK's standard retry with backoff (default 5). */
    maxAttempts?: number;
    /** Added to the SDK's User-Agent. */
    userAgent?: string;
    /** The rate limiters every request waits on (default: the process's shared ones); false: none. */
    limiters?: RateLimiterRegistry | false;
}

/** A client whose middleware stack and credentials the rate limiter uses. */
interface LimitableClient {
    middlewareStack: { addRelativeTo(middleware: unknown, options: unknown): void };
    config: { credentials(): Promise<{ accessKeyId: string }> };
}

/**
 * Makes every attempt the SDK sends (its own retries included: the step sits after its retry
 * middleware) first take a token of the limiter of its endpoint and access key; a throttling
 * answer slows that limiter down.
 */
function rateLimit(client: LimitableClient, limiters: RateLimiterRegistry): void {
    type Next = (args: { request?: unknown }) => Promise<unknown>;
    client.middlewareStack.addRelativeTo(
        (next: Next) => async (args: { request?: unknown }) => {
            const r = (args.request ?? {}) as {
                protocol?: string;
                hostname?: string;
                port?: number;
            };
            const endpoint = `${r.protocol ?? "https:"}//${r.hostname ?? ""}${r.port ? `:${r.port}` : ""}`;
            const accessKeyId = await client.config.credentials().then(
                (c) => c.accessKeyId,
                () => undefined,
            );
            const limiter = limiters.get(endpoint, accessKeyId);
            await limiter.acquire();
            try {
                return await next(args);
            } catch (err) {
                const e = err as { name?: string; Code?: string };
                if (/Throttl|RequestLimitExceeded/.test(`${e.Code ?? ""} ${e.name ?? ""}`)) {
                    limiter.onThrottle();
                }
                throw err;
            }
        },
        {
            name: "pulumiRolloutRateLimit",
            relation: "after",
            toMiddleware: "retryMiddleware",
            override: true,
        },
    );
}

const PASCAL_EXCEPTIONS: Record<string, string> = {
    instanceWarmupSeconds: "InstanceWarmup",
    checkpointDelaySeconds: "CheckpointDelay",
    bakeTimeSeconds: "BakeTime",
};

/** camelCase keys to AWS's PascalCase, at every depth (with this library's unit-suffixed names). */
export function toPascal(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(toPascal);
    }
    if (value instanceof Date) {
        return value;
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                out[PASCAL_EXCEPTIONS[k] ?? k.charAt(0).toUpperCase() + k.slice(1)] = toPascal(v);
            }
        }
        return out;
    }
    return value;
}

const CAMEL_EXCEPTIONS: Record<string, string> = Object.fromEntries(
    Object.entries(PASCAL_EXCEPTIONS).map(([camel, pascal]) => [pascal, camel]),
);

/** AWS's PascalCase keys to camelCase, at every depth; dates to ISO strings. */
export function fromPascal(value: unknown): unknown {
    if (Array.isArray(value)) {
        return value.map(fromPascal);
    }
    if (value instanceof Date) {
        return value.toISOString();
    }
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(value)) {
            if (v !== undefined) {
                out[CAMEL_EXCEPTIONS[k] ?? k.charAt(0).toLowerCase() + k.slice(1)] = fromPascal(v);
            }
        }
        return out;
    }
    return value;
}

/** An SDK failure as a CloudError: AWS's code, message and request id. */
export function toCloudError(service: string, operation: string, err: unknown): CloudError {
    if (err instanceof AutoScalingServiceException || err instanceof EC2ServiceException) {
        const e = err as AutoScalingServiceException & { Code?: string };
        const code = (e.Code ?? e.name).replace(/Fault$/, "");
        const status = e.$metadata.httpStatusCode;
        return new CloudError({
            service,
            operation,
            code,
            cloudMessage: e.message,
            requestId: e.$metadata.requestId,
            httpStatus: status,
            transient:
                e.$fault === "server" ||
                /Throttl|RequestLimitExceeded|ResourceContention/.test(code),
        });
    }
    if (isNetworkError(err)) {
        return new CloudError({
            service,
            operation,
            code: "NetworkError",
            cloudMessage: (err as Error).message,
            transient: true,
        });
    }
    const e = err as { name?: string; message?: string };
    return new CloudError({
        service,
        operation,
        code: e.name ?? "Error",
        cloudMessage: e.message ?? String(err),
        transient: e.name === "TimeoutError" || e.name === "SyntaxError",
    });
}

function num(v: number | undefined): number {
    return v ?? 0;
}

/** An AutoScalingApi over the AWS SDK v3 (clients built here, per use, never captured in state). */
/** A percentage of an InstanceMaintenancePolicy, undefined when unset (absent or -1). */
const setPercent = (v: number | undefined): number | undefined =>
    v !== undefined && v >= 0 ? v : undefined;

/** An instance as DescribeAutoScalingGroups reports it, in plain types. */
function instanceOf(i: SdkInstance): AsgInstance {
    return {
        instanceId: i.InstanceId ?? "",
        lifecycleState: i.LifecycleState ?? "",
        healthStatus: i.HealthStatus,
        availabilityZone: i.AvailabilityZone,
        instanceType: i.InstanceType,
        launchTemplate: i.LaunchTemplate
            ? (fromPascal(i.LaunchTemplate) as LaunchTemplateSpec)
            : undefined,
        launchConfigurationName: i.LaunchConfigurationName,
        protectedFromScaleIn: i.ProtectedFromScaleIn,
    };
}

export function createAutoScalingClient(
    target: AwsTarget,
): AutoScalingApi & AutoScalingLifecycleApi {
    const common = {
        region: target.region,
        profile: target.profile,
        maxAttempts: target.maxAttempts ?? 5,
        customUserAgent: target.userAgent,
        // The SDK waits forever by default: a dropped connection would hang `pulumi up`. A call
        // that times out is transient (retried, or the wait tries again).
        requestHandler: { connectionTimeout: 5_000, requestTimeout: 20_000 },
    };
    const asg = new AutoScalingClient({ ...common, endpoint: target.endpoint });
    const ec2 = new EC2Client({ ...common, endpoint: target.ec2Endpoint });
    if (target.limiters !== false) {
        const limiters = target.limiters ?? sharedRateLimiters();
        rateLimit(asg, limiters);
        rateLimit(ec2, limiters);
    }
    const call = async <T>(
        operation: string,
        fn: () => Promise<T>,
        service = "Auto Scaling",
    ): Promise<T> => {
        try {
            return await fn();
        } catch (err) {
            throw toCloudError(service, operation, err);
        }
    };
    return {
        async startInstanceRefresh(req) {
            const out = await call("StartInstanceRefresh", () =>
                asg.send(
                    new StartInstanceRefreshCommand({
                        AutoScalingGroupName: req.autoScalingGroupName,
                        Strategy: req.strategy === "Rolling" ? "Rolling" : undefined,
                        DesiredConfiguration: toPascal(req.desiredConfiguration) as never,
                        Preferences: toPascal(req.preferences) as never,
                    }),
                ),
            );
            if (!out.InstanceRefreshId) {
                throw new Error(
                    "Auto Scaling StartInstanceRefresh answered without an InstanceRefreshId",
                );
            }
            return out.InstanceRefreshId;
        },
        async describeInstanceRefreshes(req) {
            const out = await call("DescribeInstanceRefreshes", () =>
                asg.send(
                    new DescribeInstanceRefreshesCommand({
                        AutoScalingGroupName: req.autoScalingGroupName,
                        InstanceRefreshIds: req.instanceRefreshIds,
                        MaxRecords: req.maxRecords,
                    }),
                ),
            );
            return (out.InstanceRefreshes ?? []).map((r) => fromPascal(r) as AsgRefresh);
        },
        async cancelInstanceRefresh(name) {
            const out = await call("CancelInstanceRefresh", () =>
                asg.send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: name })),
            );
            return out.InstanceRefreshId;
        },
        async rollbackInstanceRefresh(name) {
            const out = await call("RollbackInstanceRefresh", () =>
                asg.send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: name })),
            );
            return out.InstanceRefreshId;
        },
        async describeAutoScalingGroup(name) {
            const out = await call("DescribeAutoScalingGroups", () =>
                asg.send(new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [name] })),
            );
            const g = (out.AutoScalingGroups ?? []).find((x) => x.AutoScalingGroupName === name);
            if (!g) {
                return undefined;
            }
            return {
                autoScalingGroupName: name,
                desiredCapacity: g.DesiredCapacity,
                instances: g.Instances?.length ?? 0,
                launchTemplate: g.LaunchTemplate
                    ? (fromPascal(g.LaunchTemplate) as LaunchTemplateSpec)
                    : undefined,
                launchConfigurationName: g.LaunchConfigurationName,
                members: (g.Instances ?? []).map(instanceOf),
                healthCheckGracePeriodSeconds: g.HealthCheckGracePeriod,
                defaultInstanceWarmupSeconds: g.DefaultInstanceWarmup,
                instanceMaintenancePolicy: g.InstanceMaintenancePolicy
                    ? {
                          // -1 is AWS's "not set".
                          minHealthyPercentage: setPercent(
                              g.InstanceMaintenancePolicy.MinHealthyPercentage,
                          ),
                          maxHealthyPercentage: setPercent(
                              g.InstanceMaintenancePolicy.MaxHealthyPercentage,
                          ),
                      }
                    : undefined,
            };
        },
        async describeLifecycleHooks(groupName, names) {
            const out = await call("DescribeLifecycleHooks", () =>
                asg.send(
                    new DescribeLifecycleHooksCommand({
                        AutoScalingGroupName: groupName,
                        LifecycleHookNames: names,
                    }),
                ),
            );
            return (out.LifecycleHooks ?? []).map((h): AsgLifecycleHook => ({
                autoScalingGroupName: h.AutoScalingGroupName ?? groupName,
                lifecycleHookName: h.LifecycleHookName ?? "",
                lifecycleTransition: h.LifecycleTransition ?? "",
                heartbeatTimeoutSeconds: num(h.HeartbeatTimeout),
                globalTimeoutSeconds: num(h.GlobalTimeout),
                defaultResult: h.DefaultResult ?? "",
                notificationTargetArn: h.NotificationTargetARN,
                roleArn: h.RoleARN,
                notificationMetadata: h.NotificationMetadata,
            }));
        },
        async describeGroupInstances(groupName) {
            const out = await call("DescribeAutoScalingGroups", () =>
                asg.send(
                    new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: [groupName] }),
                ),
            );
            const g = (out.AutoScalingGroups ?? []).find(
                (x) => x.AutoScalingGroupName === groupName,
            );
            if (!g) {
                return undefined;
            }
            return (g.Instances ?? []).map(instanceOf);
        },
        async recordLifecycleActionHeartbeat(ref) {
            await call("RecordLifecycleActionHeartbeat", () =>
                asg.send(
                    new RecordLifecycleActionHeartbeatCommand({
                        AutoScalingGroupName: ref.groupName,
                        LifecycleHookName: ref.hookName,
                        InstanceId: ref.instanceId,
                        LifecycleActionToken: ref.token,
                    }),
                ),
            );
        },
        async completeLifecycleAction(ref) {
            await call("CompleteLifecycleAction", () =>
                asg.send(
                    new CompleteLifecycleActionCommand({
                        AutoScalingGroupName: ref.groupName,
                        LifecycleHookName: ref.hookName,
                        InstanceId: ref.instanceId,
                        LifecycleActionToken: ref.token,
                        LifecycleActionResult: ref.result,
                    }),
                ),
            );
        },
        async resolveLaunchTemplateVersion(spec) {
            if (spec.version !== "$Latest" && spec.version !== "$Default") {
                return spec.version ?? "$Default";
            }
            const out = await call(
                "DescribeLaunchTemplates",
                () =>
                    ec2.send(
                        new DescribeLaunchTemplatesCommand({
                            LaunchTemplateIds: spec.launchTemplateId
                                ? [spec.launchTemplateId]
                                : undefined,
                            LaunchTemplateNames: spec.launchTemplateName
                                ? [spec.launchTemplateName]
                                : undefined,
                        }),
                    ),
                "EC2",
            );
            const t = out.LaunchTemplates?.[0];
            const n = spec.version === "$Latest" ? t?.LatestVersionNumber : t?.DefaultVersionNumber;
            if (n === undefined) {
                throw new Error(
                    `EC2 DescribeLaunchTemplates did not report the ${spec.version} version of ` +
                        `${spec.launchTemplateId ?? spec.launchTemplateName ?? "the launch template"}`,
                );
            }
            return String(n);
        },
    };
}
