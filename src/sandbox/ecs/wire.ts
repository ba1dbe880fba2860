/**
 * The engine's state in ECS's wire shapes (field names and types as the generated SDK
 * `@alicloud/ecs20140526` 7.11.6 models them).
 */
import { statusCode, typeCode } from "./catalog";
import type { DiskState, EcsEngine, EventState, InstanceState, TaskState } from "./engine";
import { ecsMinute, ecsSeconds } from "./format";

/** What subscription instances that never expire report as ExpiredTime. */
const NEVER_EXPIRES = "2099-12-31T15:59Z";

/** vCPUs and memory (MiB) by instance size, for Cpu / Memory. */
function shape(instanceType: string): { cpu: number; memory: number } {
    const size = instanceType.split(".").pop() ?? "";
    const m = /^(\d*)xlarge$/.exec(size);
    if (m) {
        const cpu = 4 * Number(m[1] || "1");
        return { cpu, memory: cpu * 4096 };
    }
    return size === "medium" ? { cpu: 1, memory: 4096 } : { cpu: 2, memory: 8192 };
}

/** An instance as DescribeInstances returns it. */
export function wireInstance(inst: InstanceState): Record<string, unknown> {
    const { cpu, memory } = shape(inst.instanceType);
    const locks: { LockReason: string; LockMsg: string }[] = [];
    if (inst.expired) {
        locks.push({
            LockReason: "financial",
            LockMsg: "The instance is locked because its subscription expired or is overdue.",
        });
    }
    if (inst.securityLocked) {
        locks.push({
            LockReason: "security",
            LockMsg: "The instance is locked for security reasons.",
        });
    }
    const dh = inst.dedicatedHostId;
    return {
        InstanceId: inst.id,
        InstanceName: inst.id,
        HostName: `iZ${inst.id.replace(/^i-/, "")}Z`,
        Description: "",
        RegionId: inst.regionId,
        ZoneId: inst.zoneId,
        Status: inst.status,
        InstanceType: inst.instanceType,
        InstanceTypeFamily: inst.instanceType.split(".").slice(0, 2).join("."),
        Cpu: cpu,
        Memory: memory,
        OSType: "linux",
        OSName: "Alibaba Cloud Linux  3.2104 LTS 64 bit",
        ImageId: "aliyun_3_x64_20G_alibase_20240528.vhd",
        InstanceChargeType: inst.expired ? "PrePaid" : "PostPaid",
        InternetChargeType: "PayByTraffic",
        InstanceNetworkType: "vpc",
        IoOptimized: true,
        DeletionProtection: false,
        CreationTime: ecsMinute(inst.createdAt),
        StartTime: ecsMinute(inst.startedAt),
        ExpiredTime: inst.expired ? ecsMinute(inst.createdAt) : NEVER_EXPIRES,
        StoppedMode: inst.status === "Stopped" ? "KeepCharging" : "Not-applicable",
        LocalStorageAmount: inst.localDisks.length,
        LocalStorageCapacity: inst.localDisks.reduce((sum, d) => sum + d.sizeGiB, 0),
        DedicatedHostAttribute: {
            DedicatedHostId: dh ?? "",
            DedicatedHostName: dh ?? "",
            DedicatedHostClusterId: "",
        },
        OperationLocks: { LockReason: locks },
        Tags: { Tag: [] },
    };
}

/** A disk as DescribeDisks returns it. */
export function wireDisk(inst: InstanceState, d: DiskState): Record<string, unknown> {
    const local = d.category.startsWith("local_");
    return {
        DiskId: d.diskId,
        DiskName: "",
        Description: "",
        InstanceId: inst.id,
        RegionId: inst.regionId,
        ZoneId: inst.zoneId,
        Category: d.category,
        Type: d.type,
        Status: "In_use",
        Portable: !local,
        Size: d.sizeGiB,
        Device: d.device,
        DeleteWithInstance: true,
        Encrypted: false,
        DiskChargeType: "PostPaid",
        CreationTime: ecsSeconds(d.createdAt),
        AttachedTime: ecsSeconds(d.createdAt),
        OperationLocks: { OperationLock: [] },
        Tags: { Tag: [] },
    };
}

/** The Reason DescribeInstanceHistoryEvents gives an event. */
function reasonOf(ev: EventState): string {
    if (ev.simulated) {
        return "A simulated event.";
    }
    return ev.type.startsWith("SystemFailure.")
        ? "A hardware failure was detected on the physical server of the instance."
        : "System maintenance is scheduled on the physical server of the instance.";
}

/** Events about local disks carry the disk in ExtendedAttribute. */
function extendedAttribute(ev: EventState): Record<string, unknown> {
    const disk = ev.instance.localDisks[0];
    if (!/ErrorDisk$/.test(ev.type) || !disk) {
        return {};
    }
    return { Device: disk.device, DiskId: disk.diskId };
}

/** An event as DescribeInstanceHistoryEvents returns it. */
export function wireEvent(ev: EventState): Record<string, unknown> {
    const out: Record<string, unknown> = {
        EventId: ev.id,
        InstanceId: ev.instance.id,
        ResourceType: "instance",
        EventType: { Code: typeCode(ev.type), Name: ev.type },
        EventCycleStatus: { Code: statusCode(ev.status), Name: ev.status },
        EventPublishTime: ecsSeconds(ev.publishedAt),
        NotBefore: ecsSeconds(ev.notBefore),
        ImpactLevel: "",
        Reason: reasonOf(ev),
        ReasonCode: "",
        ExtendedAttribute: extendedAttribute(ev),
    };
    if (ev.finishedAt !== undefined) {
        out["EventFinishTime"] = ecsSeconds(ev.finishedAt);
    }
    return out;
}

/** A task as DescribeTasks returns it. */
export function wireTask(task: TaskState): Record<string, unknown> {
    const out: Record<string, unknown> = {
        TaskId: task.id,
        TaskAction: "RedeployInstance",
        TaskStatus: task.status,
        ResourceId: task.instance.id,
        SupportCancel: "false",
        CreationTime: ecsMinute(task.createdAt),
    };
    if (task.finishedAt !== undefined) {
        out["FinishedTime"] = ecsMinute(task.finishedAt);
    }
    return out;
}

/** A task as DescribeTaskAttribute returns it. */
export function wireTaskAttribute(
    engine: EcsEngine,
    task: TaskState,
    now: number,
): Record<string, unknown> {
    const operation: Record<string, unknown> = {
        OperationStatus:
            task.status === "Finished"
                ? "Success"
                : task.status === "Failed"
                  ? "Failed"
                  : "Processing",
        ErrorCode: task.error?.code ?? "",
        ErrorMsg: task.error?.message ?? "",
        RelatedItemSet: { RelatedItem: [{ Name: "InstanceId", Value: task.instance.id }] },
    };
    return {
        TaskId: task.id,
        TaskAction: "RedeployInstance",
        TaskStatus: task.status,
        RegionId: task.instance.regionId,
        CreationTime: ecsMinute(task.createdAt),
        FinishedTime: task.finishedAt !== undefined ? ecsMinute(task.finishedAt) : "",
        SupportCancel: "false",
        TotalCount: 1,
        SuccessCount: task.status === "Finished" ? 1 : 0,
        FailedCount: task.status === "Failed" ? 1 : 0,
        TaskProcess: `${engine.progress(task, now)}%`,
        OperationProgressSet: { OperationProgress: [operation] },
    };
}
