/**
 * Alibaba Cloud ECS event notifications: typed parsing, and which system events RedeployInstance
 * can handle.
 *
 * Pure: no I/O, no dependencies. Sources: the ECS page "ECS event notifications" (the JSON
 * envelopes, their `content` fields and the appendix of system-event notification names) and the
 * RedeployInstance API page (the table of system events × statuses it can handle, and the note
 * that local disks are re-initialized and their data cleared).
 *
 * ```ts
 * const n = alicloud.events.parse(body);
 * if (n.kind === "systemEvent" && alicloud.events.redeployRemedies(n).remedies) { ... }
 * ```
 */

/**
 * A known value of an open enumeration, or any other string. The cloud may add values this module
 * does not know yet; they are kept as they came, not rejected.
 */
// `string & {}` (rather than `string`) keeps the known literals in editor completion.
export type OpenString<Known extends string> = Known | (string & {});

/** Thrown by {@link parse} (and {@link parseEventTime}) for a notification it cannot read. */
export class EventParseError extends Error {
    override readonly name = "EventParseError";
    /** Where the problem is: a field path such as `content.eventId`, or `notification` for the whole input. */
    readonly path: string;

    constructor(path: string, message: string) {
        super(message);
        this.path = path;
    }
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** Statuses of an ECS system event (`eventStatus` of a notification, `EventCycleStatus` of the API). */
export const SYSTEM_EVENT_STATUSES = [
    "Scheduled",
    "Inquiring",
    "Executing",
    "Executed",
    "Avoided",
    "Canceled",
    "Failed",
] as const;

/** One of {@link SYSTEM_EVENT_STATUSES}. */
export type KnownSystemEventStatus = (typeof SYSTEM_EVENT_STATUSES)[number];

/** A system event's status: a known one, or a status this module does not know, as it came. */
export type SystemEventStatus = OpenString<KnownSystemEventStatus>;

/** The statuses in which a system event has not ended yet. */
const OPEN_EVENT_STATUSES: ReadonlySet<string> = new Set(["Scheduled", "Inquiring", "Executing"]);

/**
 * Whether a system event in `status` has not ended yet: `Scheduled`, `Inquiring` or `Executing`.
 * `Executed`, `Avoided`, `Canceled`, `Failed` (and any status this module does not know) are not open.
 */
export function isOpenEventStatus(status: string): boolean {
    return OPEN_EVENT_STATUSES.has(status);
}

/** System event types named by the event-notification appendix and the RedeployInstance table. */
export type KnownSystemEventType =
    | "SystemMaintenance.Reboot"
    | "SystemMaintenance.Redeploy"
    | "SystemMaintenance.RebootAndIsolateErrorDisk"
    | "SystemMaintenance.RebootAndReInitErrorDisk"
    | "SystemMaintenance.IsolateErrorDisk"
    | "SystemMaintenance.ReInitErrorDisk"
    | "SystemFailure.Reboot"
    | "SystemFailure.Redeploy"
    | "SystemFailure.Delete"
    | "InstanceFailure.Reboot";

/** A system event type (`content.eventType`), known or not. */
export type SystemEventType = OpenString<KnownSystemEventType>;

/** `level` of a notification envelope (the seed shows `CRITICAL` and `INFO`). */
export type NotificationLevel = OpenString<"CRITICAL" | "WARN" | "INFO">;

/** `content.state` of `Instance:StateChange`. */
export type InstanceState = OpenString<
    "Pending" | "Starting" | "Running" | "Stopping" | "Stopped" | "Deleted"
>;

/** `content.status` of `Instance:LiveMigrationAcrossDDH`. */
export type LiveMigrationStatus = OpenString<"started" | "failed" | "accomplished">;

/** `content.creditSpecification` of `Instance:PerformanceModeChange`. */
export type CreditSpecification = OpenString<"Standard" | "Unlimited">;

/** `content.operator` of `Instance:PerformanceModeChange`. */
export type PerformanceModeOperator = OpenString<"User" | "System">;

// ---------------------------------------------------------------------------------------------
// Notification types
// ---------------------------------------------------------------------------------------------

/** The fields every ECS event notification carries (its envelope). */
export interface EcsNotificationEnvelope {
    /** Format version, e.g. `1.0`. */
    readonly ver: string;
    /** Notification id. */
    readonly id: string;
    /** Product, `ECS`. */
    readonly product: OpenString<"ECS">;
    /** The affected resource, ARN-like: `acs:ecs:cn-hangzhou:<uid>:instance/i-...`. */
    readonly resourceId: string;
    /** Severity, e.g. `CRITICAL` or `INFO`. */
    readonly level: NotificationLevel;
    /** The notification name as sent, e.g. `Instance:SystemMaintenance.Reboot:Scheduled`. */
    readonly name: string;
    /** The account id. */
    readonly userId: string;
    /** When the notification was sent (from `20190409T121826.922+0800` or ISO 8601). */
    readonly eventTime: Date;
    /** Region, e.g. `cn-hangzhou`. */
    readonly regionId: string;
    /** The instance name, when the notification carries one. */
    readonly instanceName?: string;
    /** The whole notification object as received (after JSON parsing). */
    readonly raw: Readonly<Record<string, unknown>>;
}

/**
 * A system event notification: `Instance:<eventType>:<status>`, e.g.
 * `Instance:SystemMaintenance.Reboot:Scheduled` (also accepted without the `Instance:` prefix, as
 * in the seed's `SystemFailure.Reboot:Executing`).
 */
export interface SystemEventNotification extends EcsNotificationEnvelope {
    readonly kind: "systemEvent";
    /** `content.eventType`, or the type in the name when the content has none. */
    readonly eventType: SystemEventType;
    /**
     * `content.eventStatus`, or the status in the name when the content has none. The content wins:
     * the vendor's own sample has the name `...:Scheduled` with content eventStatus `Avoided`.
     */
    readonly eventStatus: SystemEventStatus;
    /** The status in the notification name (may be stale, see {@link eventStatus}). */
    readonly nameStatus: SystemEventStatus;
    /** `content.eventId`, e.g. `e-t4navn7********6x5no`. */
    readonly eventId: string;
    /** `content.instanceId`. */
    readonly instanceId: string;
    /** `content.publishTime`: when the system event was published. */
    readonly publishTime: Date;
    /** `content.notBefore`: when the event is scheduled to execute (maintenance events only). */
    readonly notBefore?: Date;
    /** `content.executeStartTime` (Executing, Executed, Canceled, Avoided only). */
    readonly executeStartTime?: Date;
    /** `content.executeFinishTime` (Executing, Executed, Canceled, Avoided only). */
    readonly executeFinishTime?: Date;
}

/** `Instance:StateChange`: the instance's lifecycle status changed. */
export interface StateChangeNotification extends EcsNotificationEnvelope {
    readonly kind: "stateChange";
    /**
     * `content.resourceId`: the instance id (the envelope's `resourceId` is the ARN-like
     * resource name, so the content's id is exposed under this name).
     */
    readonly instanceId: string;
    /** `content.resourceType`, `ALIYUN::ECS::Instance`. */
    readonly resourceType: OpenString<"ALIYUN::ECS::Instance">;
    /** `content.state`: the new status. */
    readonly state: InstanceState;
}

/** `Instance:PreemptibleInstanceInterruption`: a preemptible instance is released in 5 minutes. */
export interface PreemptibleInterruptionNotification extends EcsNotificationEnvelope {
    readonly kind: "preemptibleInterruption";
    /** `content.instanceId`. */
    readonly instanceId: string;
    /** `content.action`, `delete`. */
    readonly action: OpenString<"delete">;
}

/** `Instance:LiveMigrationAcrossDDH`: hot migration between dedicated hosts. */
export interface LiveMigrationAcrossDDHNotification extends EcsNotificationEnvelope {
    readonly kind: "liveMigrationAcrossDDH";
    /** `content.instanceId`. */
    readonly instanceId: string;
    /** `content.sourceDedicatedHostId`. */
    readonly sourceDedicatedHostId: string;
    /** `content.destinationDedicatedHostId`. */
    readonly destinationDedicatedHostId: string;
    /** `content.startTime`. */
    readonly startTime: Date;
    /** `content.endTime` (not sent while `started`). */
    readonly endTime?: Date;
    /** `content.status`: `started`, `failed` or `accomplished`. */
    readonly status: LiveMigrationStatus;
}

/** `Instance:PerformanceModeChange`: a burstable instance's performance mode changed. */
export interface PerformanceModeChangeNotification extends EcsNotificationEnvelope {
    readonly kind: "performanceModeChange";
    /** `content.instanceId`. */
    readonly instanceId: string;
    /** `content.creditSpecification`: the mode after the change. */
    readonly creditSpecification: CreditSpecification;
    /** `content.operator`: who changed it. */
    readonly operator: PerformanceModeOperator;
}

/** `Instance:BurstablePerformanceRestricted`: a burstable instance was limited in an interval. */
export interface BurstablePerformanceRestrictedNotification extends EcsNotificationEnvelope {
    readonly kind: "burstablePerformanceRestricted";
    /** `content.instanceId`. */
    readonly instanceId: string;
    /** `content.intervalStart` (e.g. `2019-11-11T11:00Z`). */
    readonly intervalStart: Date;
    /** `content.intervalEnd`. */
    readonly intervalEnd: Date;
}

/** A well-formed notification whose name this module does not know. */
export interface UnknownNotification extends EcsNotificationEnvelope {
    readonly kind: "unknown";
    /** `content` as received (absent when the notification has none). */
    readonly content: unknown;
}

/** A parsed ECS event notification; `kind` tells which. */
export type EcsNotification =
    | SystemEventNotification
    | StateChangeNotification
    | PreemptibleInterruptionNotification
    | LiveMigrationAcrossDDHNotification
    | PerformanceModeChangeNotification
    | BurstablePerformanceRestrictedNotification
    | UnknownNotification;

/** The `kind` of an {@link EcsNotification}. */
export type EcsNotificationKind = EcsNotification["kind"];

// ---------------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------------

// 20190409T121826.922+0800 (seconds optional; ECS's compact form)
const COMPACT_TIME =
    /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d+))?)?(Z|[+-]\d{2}:?\d{2})?$/i;
// 2019-04-09T04:18:26Z, 2019-11-11T11:00Z, 2019-04-09T04:18:26.5+08:00, 2019-04-09
const ISO_TIME =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a time of an ECS notification: the envelope's compact form `20190409T121826.922+0800`, or
 * ISO 8601 (`2019-04-09T04:18:26Z`, also without seconds: `2019-11-11T11:00Z`). A time without a
 * zone is taken as UTC (ECS documents its content times in UTC). Fractions finer than a millisecond
 * are truncated.
 *
 * @param path the field reported in the error, default `eventTime`.
 * @throws EventParseError `eventTime "2019-13-45" is not a date`.
 */
export function parseEventTime(s: string, path = "eventTime"): Date {
    const m = COMPACT_TIME.exec(s.trim()) ?? ISO_TIME.exec(s.trim());
    const fail = (): EventParseError =>
        new EventParseError(path, `${path} ${JSON.stringify(s)} is not a date`);
    if (!m) throw fail();
    const num = (i: number): number => Number(m[i] ?? "0");
    const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map(num) as [
        number,
        number,
        number,
        number,
        number,
        number,
    ];
    const ms = Number((m[7] ?? "").padEnd(3, "0").slice(0, 3));
    const zone = (m[8] ?? "Z").toUpperCase();
    let offsetMinutes = 0;
    if (zone !== "Z") {
        const digits = zone.slice(1).replace(":", "");
        const oh = Number(digits.slice(0, 2));
        const om = Number(digits.slice(2, 4));
        if (oh > 23 || om > 59) throw fail();
        offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (oh * 60 + om);
    }
    if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) {
        throw fail();
    }
    const d = new Date(0);
    d.setUTCFullYear(year, month - 1, day);
    if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) throw fail(); // e.g. 02-30
    d.setUTCHours(hour, minute, second, ms);
    return new Date(d.getTime() - offsetMinutes * 60_000);
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

type JsonObject = Readonly<Record<string, unknown>>;

function isObject(v: unknown): v is JsonObject {
    return typeof v === "object" && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
    if (v === null) return "null";
    if (Array.isArray(v)) return "an array";
    if (typeof v === "string") return `the string ${JSON.stringify(v)}`;
    if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${v}`;
    return typeof v === "object" ? "an object" : typeof v;
}

/** Reads fields of one object, naming them with `prefix` (e.g. `content.`) in errors. */
class Fields {
    constructor(
        private readonly obj: JsonObject,
        private readonly prefix: string,
    ) {}

    optString(key: string, what = "string"): string | undefined {
        const path = this.prefix + key;
        const v = this.obj[key];
        if (v === undefined || v === null) return undefined;
        if (typeof v !== "string") {
            throw new EventParseError(path, `${path} must be a ${what}, got ${describe(v)}`);
        }
        return v;
    }

    string(key: string): string {
        const path = this.prefix + key;
        const v = this.optString(key);
        if (v === undefined) throw new EventParseError(path, `${path} is required (string)`);
        if (v.trim() === "") throw new EventParseError(path, `${path} must not be empty`);
        return v;
    }

    optDate(key: string): Date | undefined {
        const v = this.optString(key, "string (a date)");
        return v === undefined || v.trim() === ""
            ? undefined
            : parseEventTime(v, this.prefix + key);
    }

    date(key: string): Date {
        const path = this.prefix + key;
        const v = this.optDate(key);
        if (v === undefined) throw new EventParseError(path, `${path} is required (date string)`);
        return v;
    }
}

/** What a notification name says, before the content is read. */
type ParsedName =
    | { kind: "systemEvent"; eventType: string; status: string }
    | { kind: Exclude<EcsNotificationKind, "systemEvent"> };

const SIMPLE_NAMES: ReadonlyMap<string, Exclude<EcsNotificationKind, "systemEvent">> = new Map([
    ["StateChange", "stateChange"],
    ["PreemptibleInstanceInterruption", "preemptibleInterruption"],
    ["LiveMigrationAcrossDDH", "liveMigrationAcrossDDH"],
    ["PerformanceModeChange", "performanceModeChange"],
    ["BurstablePerformanceRestricted", "burstablePerformanceRestricted"],
]);

const SYSTEM_EVENT_TYPE = /^[A-Za-z][A-Za-z0-9]*\.[A-Za-z][A-Za-z0-9]*$/;
const SYSTEM_EVENT_STATUS = /^[A-Za-z][A-Za-z0-9]*$/;

/** Reads a notification name; the `Instance:` prefix is optional (the seed has names without it). */
function parseName(name: string): ParsedName {
    const parts = name.split(":");
    if (parts[0] === "Instance") parts.shift();
    const [first, second, ...rest] = parts;
    if (first !== undefined && second === undefined) {
        const kind = SIMPLE_NAMES.get(first);
        if (kind) return { kind };
    }
    if (
        first !== undefined &&
        second !== undefined &&
        rest.length === 0 &&
        SYSTEM_EVENT_TYPE.test(first) &&
        SYSTEM_EVENT_STATUS.test(second)
    ) {
        return { kind: "systemEvent", eventType: first, status: second };
    }
    return { kind: "unknown" };
}

function readContent(raw: JsonObject): Fields {
    const content = raw["content"];
    if (content === undefined || content === null) {
        throw new EventParseError("content", "content is required (object)");
    }
    if (!isObject(content)) {
        throw new EventParseError("content", `content must be an object, got ${describe(content)}`);
    }
    return new Fields(content, "content.");
}

/**
 * Parses an ECS event notification (a JSON string or its UTF-8 bytes, or the already-parsed
 * object) into a typed
 * {@link EcsNotification}. A well-formed notification whose name is not known is returned with
 * `kind: "unknown"`; extra fields and enum values this module does not know are kept.
 *
 * @throws EventParseError when the input is not JSON or not an object, a required envelope field
 *   is missing or not a string, a time is not a date, or a known kind lacks a required content
 *   field. The message names the field, e.g. `content.eventId is required (string)`.
 */
export function parse(input: unknown): EcsNotification {
    let value: unknown = input;
    const text = input instanceof Uint8Array ? new TextDecoder().decode(input) : input;
    if (typeof text === "string") {
        try {
            value = JSON.parse(text) as unknown;
        } catch (e) {
            const why = e instanceof Error ? e.message : String(e);
            throw new EventParseError("notification", `notification is not JSON: ${why}`);
        }
    }
    if (!isObject(value)) {
        throw new EventParseError(
            "notification",
            `notification must be a JSON object, got ${describe(value)}`,
        );
    }
    const raw = value;
    const f = new Fields(raw, "");
    const envelope: EcsNotificationEnvelope = {
        ver: f.string("ver"),
        id: f.string("id"),
        product: f.string("product"),
        resourceId: f.string("resourceId"),
        level: f.string("level"),
        name: f.string("name"),
        userId: f.string("userId"),
        eventTime: f.date("eventTime"),
        regionId: f.string("regionId"),
        ...optional("instanceName", f.optString("instanceName")),
        raw,
    };
    const parsed = parseName(envelope.name);
    switch (parsed.kind) {
        case "systemEvent": {
            const c = readContent(raw);
            return {
                kind: "systemEvent",
                ...envelope,
                eventType: c.optString("eventType") ?? parsed.eventType,
                eventStatus: c.optString("eventStatus") ?? parsed.status,
                nameStatus: parsed.status,
                eventId: c.string("eventId"),
                instanceId: c.string("instanceId"),
                publishTime: c.date("publishTime"),
                ...optional("notBefore", c.optDate("notBefore")),
                ...optional("executeStartTime", c.optDate("executeStartTime")),
                ...optional("executeFinishTime", c.optDate("executeFinishTime")),
            };
        }
        case "stateChange": {
            const c = readContent(raw);
            return {
                kind: "stateChange",
                ...envelope,
                instanceId: c.string("resourceId"),
                resourceType: c.string("resourceType"),
                state: c.string("state"),
            };
        }
        case "preemptibleInterruption": {
            const c = readContent(raw);
            return {
                kind: "preemptibleInterruption",
                ...envelope,
                instanceId: c.string("instanceId"),
                action: c.string("action"),
            };
        }
        case "liveMigrationAcrossDDH": {
            const c = readContent(raw);
            return {
                kind: "liveMigrationAcrossDDH",
                ...envelope,
                instanceId: c.string("instanceId"),
                sourceDedicatedHostId: c.string("sourceDedicatedHostId"),
                destinationDedicatedHostId: c.string("destinationDedicatedHostId"),
                startTime: c.date("startTime"),
                ...optional("endTime", c.optDate("endTime")),
                status: c.string("status"),
            };
        }
        case "performanceModeChange": {
            const c = readContent(raw);
            return {
                kind: "performanceModeChange",
                ...envelope,
                instanceId: c.string("instanceId"),
                creditSpecification: c.string("creditSpecification"),
                operator: c.string("operator"),
            };
        }
        case "burstablePerformanceRestricted": {
            const c = readContent(raw);
            return {
                kind: "burstablePerformanceRestricted",
                ...envelope,
                instanceId: c.string("instanceId"),
                intervalStart: c.date("intervalStart"),
                intervalEnd: c.date("intervalEnd"),
            };
        }
        case "unknown":
            return { kind: "unknown", ...envelope, content: raw["content"] };
    }
}

/** `{ [key]: value }` when value is defined, else `{}`: optional fields stay absent, not `undefined`. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
    return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

// ---------------------------------------------------------------------------------------------
// RedeployInstance
// ---------------------------------------------------------------------------------------------

/** One row of the RedeployInstance table: the statuses in which it can handle an event type. */
export interface RedeployRemedy {
    /** The event statuses RedeployInstance handles, in the table's order. */
    readonly statuses: readonly KnownSystemEventStatus[];
    /** The row applies only to instances that use only local disks. */
    readonly onlyLocalDisks: boolean;
    /** The table's description of the event. */
    readonly description: string;
}

/** The system event types RedeployInstance can handle (the rows of its table). */
export type RedeployEventType =
    | "SystemMaintenance.Reboot"
    | "SystemMaintenance.Redeploy"
    | "SystemMaintenance.RebootAndIsolateErrorDisk"
    | "SystemMaintenance.RebootAndReInitErrorDisk"
    | "SystemFailure.Redeploy"
    | "SystemFailure.Reboot"
    | "SystemMaintenance.IsolateErrorDisk"
    | "SystemMaintenance.ReInitErrorDisk";

function row(
    description: string,
    statuses: readonly KnownSystemEventStatus[],
    onlyLocalDisks = false,
): RedeployRemedy {
    return Object.freeze({
        statuses: Object.freeze([...statuses]),
        onlyLocalDisks,
        description,
    });
}

const REDEPLOY_ROWS: Record<RedeployEventType, RedeployRemedy> = {
    "SystemMaintenance.Reboot": row("Instance restart due to system maintenance", [
        "Inquiring",
        "Scheduled",
    ]),
    "SystemMaintenance.Redeploy": row("Instance redeployment due to system maintenance", [
        "Inquiring",
        "Scheduled",
    ]),
    "SystemMaintenance.RebootAndIsolateErrorDisk": row(
        "Instance restart and replacement of damaged disks due to system maintenance",
        ["Inquiring"],
    ),
    "SystemMaintenance.RebootAndReInitErrorDisk": row(
        "Instance restart and re-initialization of damaged disks due to system maintenance",
        ["Inquiring"],
    ),
    "SystemFailure.Redeploy": row("Instance redeployment due to system errors", [
        "Inquiring",
        "Scheduled",
    ]),
    "SystemFailure.Reboot": row(
        "For ECS instances that use only local disks: instance restart due to a system error",
        ["Executing"],
        true,
    ),
    "SystemMaintenance.IsolateErrorDisk": row(
        "Isolation of damaged disks due to system maintenance",
        ["Inquiring"],
    ),
    "SystemMaintenance.ReInitErrorDisk": row(
        "Re-initialization of damaged disks due to system maintenance",
        ["Inquiring"],
    ),
};

/**
 * The type of {@link REDEPLOY_REMEDIES}: every row of the table, and `undefined` for any other
 * string, so `REDEPLOY_REMEDIES[eventType]?.onlyLocalDisks` works on an event type of the API.
 */
export type RedeployRemedyTable = Readonly<Record<RedeployEventType, RedeployRemedy>> &
    Readonly<Partial<Record<string, RedeployRemedy>>>;

/**
 * The system events RedeployInstance can handle and the statuses in which it can, as in the
 * RedeployInstance API page's table, in its order. `SystemFailure.Reboot` (`Executing`) applies
 * only to instances that use only local disks. Redeploying an instance with local disks
 * re-initializes them and clears their data. Frozen and without a prototype, so indexing it with
 * any string (`toString`, `__proto__`) gives `undefined`.
 */
export const REDEPLOY_REMEDIES: RedeployRemedyTable = Object.freeze(
    Object.assign(Object.create(null) as Record<string, RedeployRemedy>, REDEPLOY_ROWS),
);

/** The event types of {@link REDEPLOY_REMEDIES}, in the table's order. */
export const DEFAULT_REDEPLOY_EVENT_TYPES: readonly RedeployEventType[] = Object.freeze(
    Object.keys(REDEPLOY_ROWS) as RedeployEventType[],
);

function remedyFor(eventType: string): RedeployRemedy | undefined {
    return REDEPLOY_REMEDIES[eventType];
}

/** Options of {@link redeployHandles}. */
export interface RedeployHandlesOptions {
    /** Only these event types count (a user's subset); default {@link DEFAULT_REDEPLOY_EVENT_TYPES}. */
    readonly eventTypes?: readonly string[];
    /**
     * Whether the instance uses only local disks. When `false`, rows that apply only to such
     * instances (`SystemFailure.Reboot`) do not count; when not given, the table is answered as is.
     */
    readonly onlyLocalDisks?: boolean;
}

/**
 * Whether RedeployInstance can handle a system event of `eventType` in `status`, per its table.
 * Works for notifications (`eventType`, `eventStatus`) and for DescribeInstanceHistoryEvents results
 * (`EventType.Name`, `EventCycleStatus.Name`) alike. Note the `SystemFailure.Reboot` row applies
 * only to instances that use only local disks: pass `onlyLocalDisks`, or use
 * {@link redeployRemedies}, which refuses that row unless told.
 */
export function redeployHandles(
    eventType: string,
    status: string,
    opts?: RedeployHandlesOptions,
): boolean {
    if (opts?.eventTypes && !opts.eventTypes.includes(eventType)) return false;
    const remedy = remedyFor(eventType);
    if (!remedy) return false;
    if (remedy.onlyLocalDisks && opts?.onlyLocalDisks === false) return false;
    return (remedy.statuses as readonly string[]).includes(status);
}

/** What {@link redeployRemedies} knows of the instance. */
export interface RedeployInstanceDisks {
    /** The instance has at least one local disk. */
    readonly hasLocalDisks?: boolean;
    /** The instance uses only local disks (implies `hasLocalDisks`). */
    readonly onlyLocalDisks?: boolean;
}

/** Options of {@link redeployRemedies}. */
export interface RedeployRemediesOptions {
    /** Only these event types count (a user's subset); default {@link DEFAULT_REDEPLOY_EVENT_TYPES}. */
    readonly eventTypes?: readonly string[];
}

/** The answer of {@link redeployRemedies}. */
export interface RedeployVerdict {
    /** Whether calling RedeployInstance handles this event. */
    readonly remedies: boolean;
    /** Why, for a person. */
    readonly reason: string;
    /**
     * Whether redeploying this instance re-initializes local disks and clears their data: true when
     * it has local disks, false when it has none, "unknown" when not told.
     */
    readonly wipesLocalDisks: boolean | "unknown";
}

function orList(items: readonly string[]): string {
    if (items.length <= 1) return items.join("");
    return `${items.slice(0, -1).join(", ")} or ${items[items.length - 1] ?? ""}`;
}

/**
 * Whether RedeployInstance handles the event of a notification, with the reason and what it does
 * to local disks. Only system events are handled, per the RedeployInstance table; for
 * `SystemFailure.Reboot` (`Executing`) only when the instance is known to use only local disks.
 */
export function redeployRemedies(
    event: EcsNotification,
    instance?: RedeployInstanceDisks,
    opts?: RedeployRemediesOptions,
): RedeployVerdict {
    const wipesLocalDisks: boolean | "unknown" =
        instance?.onlyLocalDisks === true ? true : (instance?.hasLocalDisks ?? "unknown");
    const wipeNote =
        wipesLocalDisks === true
            ? "; redeploying re-initializes the instance's local disks and clears their data"
            : "";
    const no = (reason: string): RedeployVerdict => ({
        remedies: false,
        reason,
        wipesLocalDisks,
    });
    if (event.kind !== "systemEvent") return no(`not a system event (${event.name})`);
    const { eventType, eventStatus } = event;
    if (opts?.eventTypes && !opts.eventTypes.includes(eventType)) {
        return no(
            `${eventType} is not one of the event types to handle (${opts.eventTypes.join(", ")})`,
        );
    }
    const remedy = remedyFor(eventType);
    if (!remedy) return no(`RedeployInstance does not handle ${eventType} events`);
    if (!(remedy.statuses as readonly string[]).includes(eventStatus)) {
        return no(
            `${eventType} is ${eventStatus}; RedeployInstance handles it only while ${orList(remedy.statuses)}`,
        );
    }
    if (remedy.onlyLocalDisks) {
        const only =
            instance?.onlyLocalDisks ?? (instance?.hasLocalDisks === false ? false : undefined);
        if (only === undefined) {
            return no(
                `${eventType} is ${eventStatus}; RedeployInstance handles it only for instances that use only local disks, and whether this one does is unknown`,
            );
        }
        if (!only) {
            return no(
                `${eventType} is ${eventStatus}; RedeployInstance handles it only for instances that use only local disks, and this one does not`,
            );
        }
        return {
            remedies: true,
            reason: `${eventType} is ${eventStatus} and the instance uses only local disks; RedeployInstance handles it${wipeNote}`,
            wipesLocalDisks,
        };
    }
    return {
        remedies: true,
        reason: `${eventType} is ${eventStatus}; RedeployInstance handles it${wipeNote}`,
        wipesLocalDisks,
    };
}
