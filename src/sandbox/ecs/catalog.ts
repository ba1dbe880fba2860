/**
 * What the simulator knows about ECS system events: which ones RedeployInstance handles (seed 000's
 * table, private to the simulator on purpose: the library keeps its own), and the numeric codes
 * DescribeInstanceHistoryEvents reports next to the names.
 *
 * Codes: the vendor's samples confirm EventCycleStatus Executed = 0, Avoided = 8, Scheduled = 24
 * and EventType SystemMaintenance.Reboot = 1, InstanceExpiration.Stop = 34, SystemFailure.Reboot
 * = 65. Every other code below is NOT confirmed by a public source (clients should read `Name`).
 */
import type { EcsEventCycleStatus } from "./types";

/** Every EventCycleStatus. */
export const EVENT_STATUSES: readonly EcsEventCycleStatus[] = [
    "Scheduled",
    "Inquiring",
    "Executing",
    "Executed",
    "Avoided",
    "Canceled",
    "Failed",
];

/** Statuses of an event that is still open (not finished). */
export const OPEN_STATUSES: ReadonlySet<string> = new Set(["Scheduled", "Inquiring", "Executing"]);

/** What DescribeInstanceHistoryEvents returns when no status filter is given. */
export const DEFAULT_HISTORY_STATUSES: readonly string[] = [
    "Avoided",
    "Executed",
    "Canceled",
    "Failed",
];

/** The events RedeployInstance handles, and in which statuses (seed 000). */
const REDEPLOY_HANDLES: Readonly<Record<string, readonly string[]>> = {
    "SystemMaintenance.Reboot": ["Inquiring", "Scheduled"],
    "SystemMaintenance.Redeploy": ["Inquiring", "Scheduled"],
    "SystemMaintenance.RebootAndIsolateErrorDisk": ["Inquiring"],
    "SystemMaintenance.RebootAndReInitErrorDisk": ["Inquiring"],
    "SystemFailure.Redeploy": ["Inquiring", "Scheduled"],
    "SystemFailure.Reboot": ["Executing"],
    "SystemMaintenance.IsolateErrorDisk": ["Inquiring"],
    "SystemMaintenance.ReInitErrorDisk": ["Inquiring"],
};

/** Whether RedeployInstance handles an event of this type in this status. */
export function handledByRedeploy(eventType: string, status: string): boolean {
    return REDEPLOY_HANDLES[eventType]?.includes(status) ?? false;
}

/** Whether the cloud, executing this event itself, moves the instance to another host. */
export function migratesWhenExecuted(eventType: string): boolean {
    return eventType.endsWith(".Redeploy");
}

const STATUS_CODES: Readonly<Record<string, number>> = {
    Executed: 0, // confirmed
    Avoided: 8, // confirmed
    Scheduled: 24, // confirmed
    Canceled: 2,
    Failed: 4,
    Executing: 16,
    Inquiring: 32,
};

const TYPE_CODES: Readonly<Record<string, number>> = {
    "SystemMaintenance.Reboot": 1, // confirmed
    "SystemMaintenance.Redeploy": 2,
    "SystemMaintenance.RebootAndIsolateErrorDisk": 5,
    "SystemMaintenance.RebootAndReInitErrorDisk": 6,
    "SystemMaintenance.IsolateErrorDisk": 7,
    "SystemMaintenance.ReInitErrorDisk": 8,
    "InstanceExpiration.Stop": 34, // confirmed
    "InstanceExpiration.Delete": 35,
    "AccountUnbalanced.Stop": 49,
    "AccountUnbalanced.Delete": 50,
    "SystemFailure.Reboot": 65, // confirmed
    "SystemFailure.Redeploy": 66,
    "SystemFailure.Delete": 67,
    "InstanceFailure.Reboot": 97,
};

/** The numeric code of an EventCycleStatus (see the note above). */
export function statusCode(status: string): number {
    return STATUS_CODES[status] ?? 0;
}

/** The numeric code of an event type (0 for types the simulator has no code for). */
export function typeCode(eventType: string): number {
    return TYPE_CODES[eventType] ?? 0;
}
