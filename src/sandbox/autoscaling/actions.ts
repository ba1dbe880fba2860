/**
 * The Auto Scaling (2011-01-01) and EC2 (2016-11-15) actions the simulator implements:
 * validated params in, the structure inside `<XResult>` (Auto Scaling) or the response element
 * (EC2) out. Element names follow the SDK's schemas (@aws-sdk/client-auto-scaling and
 * @aws-sdk/client-ec2 3.1169: PascalCase for Auto Scaling, lowerCamel xmlNames for EC2).
 */
import { createHash } from "node:crypto";
import { isoMillis } from "../common/time";
import {
    AwsApiError,
    constraintError,
    ec2InvalidParameter,
    groupNotFound,
    launchTemplateIdNotFound,
    launchTemplateNameNotFound,
    launchTemplateVersionNotFound,
    validationError,
} from "./errors";
import { LIFECYCLE_ACTION_RESULTS } from "./lifecycle";
import {
    ec2Values,
    memberValues,
    optionalInt,
    optionalString,
    type Params,
    requireParam,
} from "./params";
import {
    type AsgRefreshEngine,
    type GroupState,
    type LifecycleActionRef,
    SANDBOX_ACCOUNT_ID,
} from "./refreshEngine";
import { parseStartInstanceRefresh } from "./startParams";
import type {
    AsgLifecycleActionResult,
    SimAsgInstance,
    SimAsgRefresh,
    SimLaunchTemplate,
    SimLifecycleHook,
} from "./types";
import type { XmlValue } from "./xml";

/** The Auto Scaling API version. */
export const AUTOSCALING_API_VERSION = "2011-01-01";
/** The EC2 API version. */
export const EC2_API_VERSION = "2016-11-15";

/** What an action works on. */
export interface ActionContext {
    engine: AsgRefreshEngine;
    /** Simulator-clock now. */
    now: number;
}

/** Params to the response structure (undefined: an action answering no Result). */
export type ActionHandler = (p: Params, ctx: ActionContext) => Record<string, XmlValue> | undefined;

type Struct = Record<string, XmlValue>;

function encodeToken(offset: number): string {
    return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeToken(token: string | undefined, invalid: () => AwsApiError): number {
    if (token === undefined || token === "") {
        return 0;
    }
    const m = /^offset:(\d+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
    if (!m) {
        throw invalid();
    }
    return Number(m[1]);
}

function page<T>(all: T[], offset: number, max: number): { items: T[]; next?: string } {
    const items = all.slice(offset, offset + max);
    return offset + max < all.length ? { items, next: encodeToken(offset + max) } : { items };
}

/** A refresh as DescribeInstanceRefreshes returns it (sandbox extras removed, schema order). */
export function wireRefresh(r: SimAsgRefresh): Struct {
    return {
        InstanceRefreshId: r.InstanceRefreshId,
        AutoScalingGroupName: r.AutoScalingGroupName,
        Status: r.Status,
        StatusReason: r.StatusReason,
        StartTime: r.StartTime,
        EndTime: r.EndTime,
        PercentageComplete: r.PercentageComplete,
        InstancesToUpdate: r.InstancesToUpdate,
        ProgressDetails: r.ProgressDetails as unknown as Struct,
        Preferences: r.Preferences as unknown as Struct,
        DesiredConfiguration: r.DesiredConfiguration as unknown as Struct | undefined,
        RollbackDetails: r.RollbackDetails as unknown as Struct | undefined,
        Strategy: r.Strategy,
    };
}

function wireInstance(i: SimAsgInstance): Struct {
    return {
        InstanceId: i.instanceId,
        InstanceType: "t3.micro",
        AvailabilityZone: i.availabilityZone,
        LifecycleState: i.lifecycleState,
        HealthStatus: i.healthStatus,
        LaunchConfigurationName: i.launchConfigurationName,
        LaunchTemplate: i.launchTemplate && {
            LaunchTemplateId: i.launchTemplate.launchTemplateId,
            LaunchTemplateName: i.launchTemplate.launchTemplateName,
            Version: i.launchTemplate.version,
        },
        ProtectedFromScaleIn: i.protectedFromScaleIn,
    };
}

/** A group as DescribeAutoScalingGroups returns it. */
export function wireGroup(engine: AsgRefreshEngine, state: Readonly<GroupState>): Struct {
    const view = engine.group(state.name);
    const lt = view?.launchTemplate;
    return {
        AutoScalingGroupName: state.name,
        AutoScalingGroupARN: state.arn,
        LaunchConfigurationName: view?.launchConfigurationName,
        LaunchTemplate: lt && {
            LaunchTemplateId: lt.launchTemplateId,
            LaunchTemplateName: lt.launchTemplateName,
            Version: lt.version,
        },
        MinSize: 0,
        MaxSize: Math.max(1, state.capacity * 2),
        DesiredCapacity: state.capacity,
        DefaultCooldown: 300,
        AvailabilityZones: [...state.availabilityZones],
        LoadBalancerNames: [],
        TargetGroupARNs: [],
        HealthCheckType: "EC2",
        HealthCheckGracePeriod: state.healthCheckGracePeriod,
        Instances: (view?.instances ?? []).map(wireInstance),
        CreatedTime: isoMillis(state.createdAt),
        SuspendedProcesses: [],
        EnabledMetrics: [],
        Tags: [],
        TerminationPolicies: ["Default"],
        NewInstancesProtectedFromScaleIn: false,
        ServiceLinkedRoleARN:
            `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:role/aws-service-role/` +
            "autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling",
        CapacityRebalance: false,
        TrafficSources: [],
    };
}

const invalidNextToken = (): AwsApiError => validationError("The NextToken value is invalid.");

const startInstanceRefresh: ActionHandler = (p, { engine, now }) => {
    const refresh = engine.start(parseStartInstanceRefresh(p), now);
    return { InstanceRefreshId: refresh.InstanceRefreshId };
};

const describeInstanceRefreshes: ActionHandler = (p, { engine, now }) => {
    const name = requireParam(p, "AutoScalingGroupName");
    const ids = memberValues(p, "InstanceRefreshIds") ?? [];
    const max = optionalInt(p, "MaxRecords", 1, 100) ?? 50;
    const offset = decodeToken(p["NextToken"], invalidNextToken);
    engine.advance(now);
    if (!engine.groupState(name)) {
        throw groupNotFound(name);
    }
    const all = engine
        .list(name)
        .filter((r) => ids.length === 0 || ids.includes(r.InstanceRefreshId));
    const { items, next } = page(all, offset, max);
    return { InstanceRefreshes: items.map(wireRefresh), NextToken: next };
};

const cancelInstanceRefresh: ActionHandler = (p, { engine, now }) => ({
    InstanceRefreshId: engine.cancel(requireParam(p, "AutoScalingGroupName"), now),
});

const rollbackInstanceRefresh: ActionHandler = (p, { engine, now }) => ({
    InstanceRefreshId: engine.rollback(requireParam(p, "AutoScalingGroupName"), now),
});

const describeAutoScalingGroups: ActionHandler = (p, { engine, now }) => {
    const names = memberValues(p, "AutoScalingGroupNames") ?? [];
    const max = optionalInt(p, "MaxRecords", 1, 100) ?? 50;
    const offset = decodeToken(p["NextToken"], invalidNextToken);
    engine.advance(now);
    const all = engine
        .groupNames()
        .filter((n) => names.length === 0 || names.includes(n))
        .map((n) => engine.groupState(n))
        .filter((g): g is Readonly<GroupState> => g !== undefined);
    const { items, next } = page(all, offset, max);
    return { AutoScalingGroups: items.map((g) => wireGroup(engine, g)), NextToken: next };
};

/** An instance as DescribeAutoScalingInstances returns it. */
function wireInstanceDetails(groupName: string, i: SimAsgInstance): Struct {
    return {
        InstanceId: i.instanceId,
        InstanceType: "t3.micro",
        AutoScalingGroupName: groupName,
        AvailabilityZone: i.availabilityZone,
        LifecycleState: i.lifecycleState,
        HealthStatus: i.healthStatus.toUpperCase(),
        LaunchConfigurationName: i.launchConfigurationName,
        LaunchTemplate: i.launchTemplate && {
            LaunchTemplateId: i.launchTemplate.launchTemplateId,
            LaunchTemplateName: i.launchTemplate.launchTemplateName,
            Version: i.launchTemplate.version,
        },
        ProtectedFromScaleIn: i.protectedFromScaleIn,
    };
}

const describeAutoScalingInstances: ActionHandler = (p, { engine, now }) => {
    const ids = memberValues(p, "InstanceIds") ?? [];
    if (ids.length > 50) {
        throw constraintError(
            `[${ids.join(", ")}]`,
            "instanceIds",
            "Member must have length less than or equal to 50",
        );
    }
    const max = optionalInt(p, "MaxRecords", 1, 50) ?? 50;
    const offset = decodeToken(p["NextToken"], invalidNextToken);
    engine.advance(now);
    const all = engine
        .groupNames()
        .flatMap((name) =>
            (engine.group(name)?.instances ?? [])
                .filter((i) => ids.length === 0 || ids.includes(i.instanceId))
                .map((i) => wireInstanceDetails(name, i)),
        );
    const { items, next } = page(all, offset, max);
    return { AutoScalingInstances: items, NextToken: next };
};

/** A hook as DescribeLifecycleHooks returns it (schema order). */
function wireHook(h: SimLifecycleHook): Struct {
    return {
        LifecycleHookName: h.lifecycleHookName,
        AutoScalingGroupName: h.autoScalingGroupName,
        LifecycleTransition: h.lifecycleTransition,
        NotificationTargetARN: h.notificationTargetARN,
        RoleARN: h.roleARN,
        NotificationMetadata: h.notificationMetadata,
        HeartbeatTimeout: h.heartbeatTimeout,
        GlobalTimeout: h.globalTimeout,
        DefaultResult: h.defaultResult,
    };
}

const describeLifecycleHooks: ActionHandler = (p, { engine, now }) => {
    const name = requireParam(p, "AutoScalingGroupName");
    const names = memberValues(p, "LifecycleHookNames") ?? [];
    if (names.length > 50) {
        throw constraintError(
            `[${names.join(", ")}]`,
            "lifecycleHookNames",
            "Member must have length less than or equal to 50",
        );
    }
    engine.advance(now);
    if (!engine.groupState(name)) {
        throw groupNotFound(name);
    }
    return { LifecycleHooks: engine.lifecycleHooks(name, names).map(wireHook) };
};

/** The action a RecordLifecycleActionHeartbeat / CompleteLifecycleAction request names. */
function lifecycleActionRef(p: Params): LifecycleActionRef {
    const ref: LifecycleActionRef = {
        lifecycleHookName: requireParam(p, "LifecycleHookName"),
        autoScalingGroupName: requireParam(p, "AutoScalingGroupName"),
    };
    optionalString(p, "LifecycleHookName", 255);
    optionalString(p, "AutoScalingGroupName", 255);
    const token = optionalString(p, "LifecycleActionToken", 36);
    if (token !== undefined && token.length < 36) {
        throw constraintError(
            token,
            "lifecycleActionToken",
            "Member must have length greater than or equal to 36",
        );
    }
    const instanceId = optionalString(p, "InstanceId", 19);
    if (token !== undefined) {
        ref.lifecycleActionToken = token;
    }
    if (instanceId !== undefined) {
        ref.instanceId = instanceId;
    }
    return ref;
}

const recordLifecycleActionHeartbeat: ActionHandler = (p, { engine, now }) => {
    engine.recordLifecycleActionHeartbeat(lifecycleActionRef(p), now);
    return {};
};

const completeLifecycleAction: ActionHandler = (p, { engine, now }) => {
    const ref = lifecycleActionRef(p);
    const result = requireParam(p, "LifecycleActionResult");
    if (!(LIFECYCLE_ACTION_RESULTS as readonly string[]).includes(result)) {
        throw validationError(
            `Invalid LifecycleActionResult ${result}: the result must be CONTINUE or ABANDON.`,
        );
    }
    engine.completeLifecycleAction(ref, result as AsgLifecycleActionResult, now);
    return {};
};

/** Auto Scaling handlers by action name. */
export const AUTOSCALING_ACTIONS: Readonly<Record<string, ActionHandler>> = {
    StartInstanceRefresh: startInstanceRefresh,
    DescribeInstanceRefreshes: describeInstanceRefreshes,
    CancelInstanceRefresh: cancelInstanceRefresh,
    RollbackInstanceRefresh: rollbackInstanceRefresh,
    DescribeAutoScalingGroups: describeAutoScalingGroups,
    DescribeAutoScalingInstances: describeAutoScalingInstances,
    DescribeLifecycleHooks: describeLifecycleHooks,
    RecordLifecycleActionHeartbeat: recordLifecycleActionHeartbeat,
    CompleteLifecycleAction: completeLifecycleAction,
};

// ---- EC2 ------------------------------------------------------------------------------------

const CREATED_BY = `arn:aws:iam::${SANDBOX_ACCOUNT_ID}:root`;

function createTime(engine: AsgRefreshEngine, id: string): string {
    return isoMillis(engine.launchTemplateCreatedAt(id) ?? 0);
}

function wireLaunchTemplate(engine: AsgRefreshEngine, t: SimLaunchTemplate): Struct {
    return {
        launchTemplateId: t.launchTemplateId,
        launchTemplateName: t.launchTemplateName,
        createTime: createTime(engine, t.launchTemplateId),
        createdBy: CREATED_BY,
        defaultVersionNumber: t.defaultVersionNumber,
        latestVersionNumber: t.latestVersionNumber,
    };
}

/** A deterministic AMI id per template version, so versions visibly differ. */
function imageIdFor(templateId: string, version: number): string {
    return `ami-0${createHash("sha256").update(`${templateId}:${version}`).digest("hex").slice(0, 16)}`;
}

function wireVersion(engine: AsgRefreshEngine, t: SimLaunchTemplate, version: number): Struct {
    return {
        launchTemplateId: t.launchTemplateId,
        launchTemplateName: t.launchTemplateName,
        versionNumber: version,
        createTime: createTime(engine, t.launchTemplateId),
        createdBy: CREATED_BY,
        defaultVersion: version === t.defaultVersionNumber,
        launchTemplateData: {
            imageId: imageIdFor(t.launchTemplateId, version),
            instanceType: "t3.micro",
        },
    };
}

const invalidEc2Token = (): AwsApiError =>
    ec2InvalidParameter("InvalidParameterValue", "The specified NextToken is not valid.");

const describeLaunchTemplates: ActionHandler = (p, { engine }) => {
    const ids = ec2Values(p, "LaunchTemplateId") ?? [];
    const names = ec2Values(p, "LaunchTemplateName") ?? [];
    const max = optionalInt(p, "MaxResults", 1, 200) ?? 200;
    const offset = decodeToken(p["NextToken"], invalidEc2Token);
    const chosen: SimLaunchTemplate[] = [];
    for (const id of ids) {
        const t = engine.launchTemplate({ id });
        if (!t) {
            throw launchTemplateIdNotFound(id);
        }
        chosen.push(t);
    }
    for (const name of names) {
        const t = engine.launchTemplate({ name });
        if (!t) {
            throw launchTemplateNameNotFound(name);
        }
        chosen.push(t);
    }
    const all = ids.length + names.length === 0 ? engine.launchTemplates() : chosen;
    const { items, next } = page(all, offset, max);
    return {
        launchTemplates: items.map((t) => wireLaunchTemplate(engine, t)),
        nextToken: next,
    };
};

const describeLaunchTemplateVersions: ActionHandler = (p, { engine }) => {
    const id = p["LaunchTemplateId"];
    const name = p["LaunchTemplateName"];
    const versions = ec2Values(p, "LaunchTemplateVersion") ?? [];
    const max = optionalInt(p, "MaxResults", 1, 200) ?? 200;
    const offset = decodeToken(p["NextToken"], invalidEc2Token);
    if (id !== undefined && name !== undefined) {
        throw ec2InvalidParameter(
            "InvalidParameterCombination",
            "You can specify either a launch template ID or a launch template name, but not both.",
        );
    }
    let out: Struct[];
    if (id === undefined && name === undefined) {
        if (versions.length === 0 || versions.some((v) => v !== "$Latest" && v !== "$Default")) {
            throw ec2InvalidParameter(
                "MissingParameter",
                "The request must contain the parameter LaunchTemplateId or LaunchTemplateName.",
            );
        }
        out = engine
            .launchTemplates()
            .flatMap((t) =>
                [...new Set(versions)].map((v) =>
                    wireVersion(
                        engine,
                        t,
                        v === "$Latest" ? t.latestVersionNumber : t.defaultVersionNumber,
                    ),
                ),
            );
    } else {
        const t = engine.launchTemplate({ id, name });
        if (!t) {
            throw id !== undefined
                ? launchTemplateIdNotFound(id)
                : launchTemplateNameNotFound(name ?? "");
        }
        let numbers: number[];
        if (versions.length > 0) {
            numbers = versions.map((v) => {
                const n = engine.resolveVersion({ id: t.launchTemplateId }, v);
                if (n === undefined) {
                    throw launchTemplateVersionNotFound(v, t.launchTemplateId);
                }
                return n;
            });
        } else {
            const min = optionalInt(p, "MinVersion", 1) ?? 1;
            const maxVersion = optionalInt(p, "MaxVersion", 1) ?? t.latestVersionNumber;
            numbers = [];
            for (let v = Math.min(maxVersion, t.latestVersionNumber); v >= min; v--) {
                numbers.push(v);
            }
        }
        out = numbers.map((n) => wireVersion(engine, t, n));
    }
    const { items, next } = page(out, offset, max);
    return { launchTemplateVersionSet: items, nextToken: next };
};

/** EC2 handlers by action name. */
export const EC2_ACTIONS: Readonly<Record<string, ActionHandler>> = {
    DescribeLaunchTemplates: describeLaunchTemplates,
    DescribeLaunchTemplateVersions: describeLaunchTemplateVersions,
};
