import * as fs from "fs";
import * as path from "path";
import {
    DEFAULT_REDEPLOY_EVENT_TYPES,
    EcsNotification,
    EventParseError,
    REDEPLOY_REMEDIES,
    SYSTEM_EVENT_STATUSES,
    isOpenEventStatus,
    parse,
    parseEventTime,
    redeployHandles,
    redeployRemedies,
} from "../../src/clouds/alicloud/events";

// The JSON samples of the ECS page "ECS event notifications", copied verbatim.
const FIXTURES = path.join(__dirname, "fixtures", "ecs-events");
function fixtureText(file: string): string {
    return fs.readFileSync(path.join(FIXTURES, file), "utf8");
}
function fixture(file: string): Record<string, unknown> {
    return JSON.parse(fixtureText(file)) as Record<string, unknown>;
}

const ARN = "acs:ecs:cn-hangzhou:169070********30:instance/i-bp1ecr********5go2go";
const INSTANCE = "i-bp1ecr********5go2go";
const USER = "169070********30";
const at = (iso: string): Date => new Date(iso);

/** A well-formed envelope around `content`, for the cases the seed has no sample of. */
function envelope(name: string, content?: unknown): Record<string, unknown> {
    return {
        ver: "1.0",
        id: "2256A988-0B26-4E2B-820A-8A0580D0B8E5",
        product: "ECS",
        resourceId: ARN,
        level: "CRITICAL",
        name,
        userId: USER,
        eventTime: "20190409T121826.922+0800",
        regionId: "cn-hangzhou",
        ...(content === undefined ? {} : { content }),
    };
}

const systemContent = {
    eventId: "e-bp11trd********pqum2",
    publishTime: "2019-04-09T04:18:26Z",
    instanceId: INSTANCE,
};

function parseError(input: unknown): EventParseError {
    try {
        parse(input);
    } catch (e) {
        expect(e).toBeInstanceOf(EventParseError);
        return e as EventParseError;
    }
    throw new Error("parse did not throw");
}

describe("the seed's notification samples", () => {
    test("fixtures are all there", () => {
        expect(fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".json"))).toHaveLength(9);
    });

    test("SystemMaintenance.Reboot published (Scheduled)", () => {
        const raw = fixture("01-system-maintenance-reboot-scheduled.json");
        const n = parse(fixtureText("01-system-maintenance-reboot-scheduled.json"));
        expect(n).toStrictEqual({
            kind: "systemEvent",
            ver: "1.0",
            id: "2256A988-0B26-4E2B-820A-8A********E5",
            product: "ECS",
            resourceId: ARN,
            level: "CRITICAL",
            name: "Instance:SystemMaintenance.Reboot:Scheduled",
            userId: USER,
            eventTime: at("2019-04-09T04:18:26.922Z"),
            regionId: "cn-hangzhou",
            raw,
            eventType: "SystemMaintenance.Reboot",
            eventStatus: "Scheduled",
            nameStatus: "Scheduled",
            eventId: "e-bp11trd********pqum2",
            instanceId: INSTANCE,
            publishTime: at("2019-04-09T04:18:26Z"),
            notBefore: at("2019-04-12T01:01:01Z"),
        });
        expect(n.eventTime.toISOString()).toBe("2019-04-09T04:18:26.922Z");
    });

    test("SystemMaintenance.Reboot avoided: the content's eventStatus wins over the name's", () => {
        const raw = fixture("02-system-maintenance-reboot-avoided.json");
        expect(parse(raw)).toStrictEqual({
            kind: "systemEvent",
            ver: "1.0",
            id: "2256A988-0B26-4E2B-820A-8A********E5",
            product: "ECS",
            resourceId: ARN,
            level: "CRITICAL",
            name: "Instance:SystemMaintenance.Reboot:Scheduled",
            userId: USER,
            eventTime: at("2019-04-10T08:01:01.922Z"),
            regionId: "cn-hangzhou",
            raw,
            eventType: "SystemMaintenance.Reboot",
            eventStatus: "Avoided",
            nameStatus: "Scheduled",
            eventId: "e-bp11trdr********qum2",
            instanceId: INSTANCE,
            publishTime: at("2019-04-09T04:18:26Z"),
            notBefore: at("2019-04-12T01:01:01Z"),
            executeStartTime: at("2019-04-10T08:01:01Z"),
            executeFinishTime: at("2019-04-10T08:01:01Z"),
        });
    });

    test("Instance:StateChange", () => {
        const raw = fixture("03-state-change-running.json");
        expect(parse(fixtureText("03-state-change-running.json"))).toStrictEqual({
            kind: "stateChange",
            ver: "1.0",
            id: "2256A988-0B26-4E2B-820A-8A********E5",
            product: "ECS",
            resourceId: ARN,
            level: "INFO",
            name: "Instance:StateChange",
            userId: USER,
            eventTime: at("2019-04-09T04:18:26.922Z"),
            regionId: "cn-hangzhou",
            raw,
            instanceId: INSTANCE,
            resourceType: "ALIYUN::ECS::Instance",
            state: "Running",
        });
    });

    test("Instance:PreemptibleInstanceInterruption", () => {
        const raw = fixture("04-preemptible-instance-interruption.json");
        expect(parse(raw)).toStrictEqual({
            kind: "preemptibleInterruption",
            ver: "1.0",
            id: "2256A988-0B26-4E2B-820A-8A********E5",
            product: "ECS",
            resourceId: ARN,
            level: "INFO",
            name: "Instance:PreemptibleInstanceInterruption",
            userId: USER,
            eventTime: at("2019-04-09T04:18:26.922Z"),
            regionId: "cn-hangzhou",
            raw,
            instanceId: INSTANCE,
            action: "delete",
        });
    });

    const migrationEnvelope = {
        kind: "liveMigrationAcrossDDH",
        ver: "1.0",
        id: "2256A988-0B26-4E2B-820A-8A0580D0B8E5",
        product: "ECS",
        resourceId: ARN,
        level: "INFO",
        instanceName: "instance-event-subscription",
        name: "Instance:LiveMigrationAcrossDDH",
        userId: USER,
        regionId: "cn-hangzhou",
        instanceId: INSTANCE,
        sourceDedicatedHostId: "dh-2ze3lm********t8nr82",
        destinationDedicatedHostId: "dh-2ze3lm********t8nr83",
        startTime: at("2018-06-08T01:25:37Z"),
    };

    test("Instance:LiveMigrationAcrossDDH started", () => {
        const raw = fixture("05-live-migration-started.json");
        expect(parse(raw)).toStrictEqual({
            ...migrationEnvelope,
            eventTime: at("2018-06-08T01:25:37.922Z"),
            raw,
            status: "started",
        });
    });

    test("Instance:LiveMigrationAcrossDDH accomplished", () => {
        const raw = fixture("06-live-migration-accomplished.json");
        expect(parse(raw)).toStrictEqual({
            ...migrationEnvelope,
            eventTime: at("2018-06-08T01:25:45.922Z"),
            raw,
            endTime: at("2018-06-08T01:25:45Z"),
            status: "accomplished",
        });
    });

    test("Instance:LiveMigrationAcrossDDH failed", () => {
        const raw = fixture("07-live-migration-failed.json");
        expect(parse(fixtureText("07-live-migration-failed.json"))).toStrictEqual({
            ...migrationEnvelope,
            eventTime: at("2018-06-08T01:25:45.922Z"),
            raw,
            endTime: at("2018-06-08T01:25:45Z"),
            status: "failed",
        });
    });

    test("Instance:PerformanceModeChange", () => {
        const raw = fixture("08-performance-mode-change.json");
        expect(parse(raw)).toStrictEqual({
            kind: "performanceModeChange",
            ver: "1.0",
            id: "2256A988-0B26-4E2B-820A-8A0580D0B8E5",
            product: "ECS",
            resourceId: ARN,
            level: "INFO",
            name: "Instance:PerformanceModeChange",
            userId: USER,
            eventTime: at("2019-04-09T04:18:26.922Z"),
            regionId: "cn-hangzhou",
            raw,
            instanceId: INSTANCE,
            creditSpecification: "Unlimited",
            operator: "System",
        });
    });

    test("Instance:BurstablePerformanceRestricted (times without seconds)", () => {
        const raw = fixture("09-burstable-performance-restricted.json");
        expect(parse(raw)).toStrictEqual({
            kind: "burstablePerformanceRestricted",
            ver: "1.0",
            id: "2256A988-0B26-4E2B-820A-8A0580D0B8E5",
            product: "ECS",
            resourceId: ARN,
            level: "INFO",
            name: "Instance:BurstablePerformanceRestricted",
            userId: USER,
            eventTime: at("2019-04-09T04:18:26.922Z"),
            regionId: "cn-hangzhou",
            raw,
            instanceId: INSTANCE,
            intervalStart: at("2019-11-11T11:00:00Z"),
            intervalEnd: at("2019-11-11T12:00:00Z"),
        });
    });

    test("a string, its UTF-8 bytes and the parsed object give the same result", () => {
        const text = fixtureText("01-system-maintenance-reboot-scheduled.json");
        const fromText = parse(text);
        expect(parse(Buffer.from(text, "utf8"))).toStrictEqual(fromText);
        expect(parse(new TextEncoder().encode(text))).toStrictEqual(fromText);
        expect(parse(JSON.parse(text))).toStrictEqual(fromText);
    });
});

describe("the seed's appendix of system-event notification names", () => {
    // Verbatim, including the irregular "SystemFailure.Reboot:Executing" (no "Instance:" prefix).
    const names: [string, string, string][] = [
        ["Instance:SystemMaintenance.Reboot:Scheduled", "SystemMaintenance.Reboot", "Scheduled"],
        ["Instance:SystemMaintenance.Reboot:Executing", "SystemMaintenance.Reboot", "Executing"],
        ["Instance:SystemMaintenance.Reboot:Executed", "SystemMaintenance.Reboot", "Executed"],
        ["Instance:SystemMaintenance.Reboot:Avoided", "SystemMaintenance.Reboot", "Avoided"],
        ["Instance:SystemMaintenance.Reboot:Canceled", "SystemMaintenance.Reboot", "Canceled"],
        ["Instance:SystemMaintenance.Reboot:Failed", "SystemMaintenance.Reboot", "Failed"],
        ["SystemFailure.Reboot:Executing", "SystemFailure.Reboot", "Executing"],
        ["Instance:SystemFailure.Reboot:Executed", "SystemFailure.Reboot", "Executed"],
        ["Instance:InstanceFailure.Reboot:Executing", "InstanceFailure.Reboot", "Executing"],
        ["Instance:InstanceFailure.Reboot:Executed", "InstanceFailure.Reboot", "Executed"],
        [
            "Instance:SystemMaintenance.Redeploy:Scheduled",
            "SystemMaintenance.Redeploy",
            "Scheduled",
        ],
        [
            "Instance:SystemMaintenance.Redeploy:Executing",
            "SystemMaintenance.Redeploy",
            "Executing",
        ],
        ["Instance:SystemMaintenance.Redeploy:Executed", "SystemMaintenance.Redeploy", "Executed"],
        ["Instance:SystemMaintenance.Redeploy:Avoided", "SystemMaintenance.Redeploy", "Avoided"],
        ["Instance:SystemMaintenance.Redeploy:Canceled", "SystemMaintenance.Redeploy", "Canceled"],
        ["Instance:SystemFailure.Redeploy:Scheduled", "SystemFailure.Redeploy", "Scheduled"],
        ["Instance:SystemFailure.Redeploy:Executing", "SystemFailure.Redeploy", "Executing"],
        ["Instance:SystemFailure.Redeploy:Executed", "SystemFailure.Redeploy", "Executed"],
        ["Instance:SystemFailure.Redeploy:Avoided", "SystemFailure.Redeploy", "Avoided"],
        ["Instance:SystemFailure.Redeploy:Canceled", "SystemFailure.Redeploy", "Canceled"],
        [
            "Instance:SystemMaintenance.RebootAndIsolateErrorDisk:Inquiring",
            "SystemMaintenance.RebootAndIsolateErrorDisk",
            "Inquiring",
        ],
        [
            "Instance:SystemMaintenance.RebootAndIsolateErrorDisk:Executing",
            "SystemMaintenance.RebootAndIsolateErrorDisk",
            "Executing",
        ],
        [
            "Instance:SystemMaintenance.RebootAndIsolateErrorDisk:Executed",
            "SystemMaintenance.RebootAndIsolateErrorDisk",
            "Executed",
        ],
        [
            "Instance:SystemMaintenance.RebootAndIsolateErrorDisk:Avoided",
            "SystemMaintenance.RebootAndIsolateErrorDisk",
            "Avoided",
        ],
        [
            "Instance:SystemMaintenance.RebootAndIsolateErrorDisk:Canceled",
            "SystemMaintenance.RebootAndIsolateErrorDisk",
            "Canceled",
        ],
        [
            "Instance:SystemMaintenance.RebootAndReInitErrorDisk:Inquiring",
            "SystemMaintenance.RebootAndReInitErrorDisk",
            "Inquiring",
        ],
        [
            "Instance:SystemMaintenance.RebootAndReInitErrorDisk:Executing",
            "SystemMaintenance.RebootAndReInitErrorDisk",
            "Executing",
        ],
        [
            "Instance:SystemMaintenance.RebootAndReInitErrorDisk:Executed",
            "SystemMaintenance.RebootAndReInitErrorDisk",
            "Executed",
        ],
        [
            "Instance:SystemMaintenance.RebootAndReInitErrorDisk:Avoided",
            "SystemMaintenance.RebootAndReInitErrorDisk",
            "Avoided",
        ],
        [
            "Instance:SystemMaintenance.RebootAndReInitErrorDisk:Canceled",
            "SystemMaintenance.RebootAndReInitErrorDisk",
            "Canceled",
        ],
        ["Instance:SystemFailure.Delete:Executing", "SystemFailure.Delete", "Executing"],
        ["Instance:SystemFailure.Delete:Executed", "SystemFailure.Delete", "Executed"],
        ["Instance:SystemFailure.Delete:Avoided", "SystemFailure.Delete", "Avoided"],
    ];

    test("has all 33 names", () => {
        expect(names).toHaveLength(33);
    });

    test.each(names)("%s → %s, %s (type and status from the name)", (name, type, status) => {
        const n = parse(envelope(name, systemContent));
        expect(n).toMatchObject({
            kind: "systemEvent",
            name,
            eventType: type,
            eventStatus: status,
            nameStatus: status,
            eventId: "e-bp11trd********pqum2",
            instanceId: INSTANCE,
            publishTime: at("2019-04-09T04:18:26Z"),
        });
    });

    test.each(names)("%s with the same type and status in the content", (name, type, status) => {
        const n = parse(envelope(name, { ...systemContent, eventType: type, eventStatus: status }));
        expect(n).toMatchObject({ kind: "systemEvent", eventType: type, eventStatus: status });
    });
});

describe("other names", () => {
    test("the Instance: prefix is optional for every kind", () => {
        const n = parse(
            envelope("StateChange", {
                resourceId: INSTANCE,
                resourceType: "ALIYUN::ECS::Instance",
                state: "Stopped",
            }),
        );
        expect(n).toMatchObject({ kind: "stateChange", instanceId: INSTANCE, state: "Stopped" });
    });

    test.each([
        "Instance:SomethingNew",
        "Disk:Stalled:Executing",
        "Instance:SystemMaintenance.Reboot", // a system event type without a status
        "Instance:StateChange:Extra",
        "Instance:SystemMaintenance.Reboot:Scheduled:Extra",
        "Instance:",
        "Instance:Not A.Type:Scheduled",
        "Instance:toString",
        "Instance:__proto__",
        "constructor",
    ])("%s is returned as unknown, with its content", (name) => {
        const content = { instanceId: INSTANCE, whatever: [1, 2] };
        const n = parse(envelope(name, content));
        expect(n.kind).toBe("unknown");
        expect(n).toMatchObject({ name, content, resourceId: ARN });
    });

    test("an unknown kind may have no content", () => {
        const n = parse(envelope("Instance:SomethingNew"));
        expect(n).toMatchObject({ kind: "unknown", content: undefined });
        expect("content" in n.raw).toBe(false);
    });

    test("extra fields and values this module does not know are kept", () => {
        const raw = {
            ...envelope("Instance:StateChange", {
                resourceId: INSTANCE,
                resourceType: "ALIYUN::ECS::Instance",
                state: "Hibernating",
                reason: "new field",
            }),
            level: "WARN",
            product: "ECS",
            extra: { nested: true },
        };
        const n = parse(raw);
        expect(n).toMatchObject({ kind: "stateChange", state: "Hibernating", level: "WARN" });
        expect(n.raw).toBe(raw);
        expect(n.raw["extra"]).toEqual({ nested: true });
    });

    test("a status this module does not know is kept as it came", () => {
        const n = parse(envelope("Instance:SystemMaintenance.Stop:Paused", systemContent));
        expect(n).toMatchObject({
            kind: "systemEvent",
            eventType: "SystemMaintenance.Stop",
            eventStatus: "Paused",
        });
    });

    test("kinds narrow the union", () => {
        const n: EcsNotification = parse(fixture("01-system-maintenance-reboot-scheduled.json"));
        if (n.kind !== "systemEvent") throw new Error("expected a system event");
        expect(n.notBefore?.toISOString()).toBe("2019-04-12T01:01:01.000Z");
        expect(n.executeStartTime).toBeUndefined();
        expect("executeStartTime" in n).toBe(false);
    });
});

describe("parseEventTime", () => {
    test.each([
        ["20190409T121826.922+0800", "2019-04-09T04:18:26.922Z"],
        ["20190410T160101.922+0800", "2019-04-10T08:01:01.922Z"],
        ["20180608T092537.922+0800", "2018-06-08T01:25:37.922Z"],
        ["20190409T121826+08:00", "2019-04-09T04:18:26.000Z"],
        ["20190409T041826Z", "2019-04-09T04:18:26.000Z"],
        ["20190409T041826.9Z", "2019-04-09T04:18:26.900Z"],
        ["20190409T1218+0800", "2019-04-09T04:18:00.000Z"],
        ["20190409T041826", "2019-04-09T04:18:26.000Z"], // no zone: UTC
        ["2019-04-09T04:18:26Z", "2019-04-09T04:18:26.000Z"],
        ["2019-11-11T11:00Z", "2019-11-11T11:00:00.000Z"],
        ["2019-04-09T12:18:26.922+08:00", "2019-04-09T04:18:26.922Z"],
        ["2019-04-09T12:18:26.922123+0800", "2019-04-09T04:18:26.922Z"],
        ["2019-04-08T23:18:26-05:00", "2019-04-09T04:18:26.000Z"],
        ["2019-04-09 04:18:26Z", "2019-04-09T04:18:26.000Z"],
        ["2019-04-09t04:18:26z", "2019-04-09T04:18:26.000Z"],
        ["2019-04-09T04:18:26", "2019-04-09T04:18:26.000Z"], // no zone: UTC
        ["2019-04-09", "2019-04-09T00:00:00.000Z"],
        ["2020-02-29T00:00:00Z", "2020-02-29T00:00:00.000Z"],
    ])("%s = %s", (s, iso) => {
        expect(parseEventTime(s).toISOString()).toBe(iso);
    });

    test.each([
        "2019-13-45",
        "2019-02-30T00:00:00Z",
        "2019-02-29",
        "2019-04-09T24:00:00Z",
        "2019-04-09T04:60:00Z",
        "2019-04-09T04:18:60Z",
        "2019-04-09T04:18:26+2400",
        "20190409T251826.922+0800",
        "20190409",
        "2019-04-09T04:18:26 Z",
        "1554783506922",
        "yesterday",
        "",
    ])("%j is not a date", (s) => {
        expect(() => parseEventTime(s)).toThrow(EventParseError);
        expect(() => parseEventTime(s)).toThrow(`eventTime ${JSON.stringify(s)} is not a date`);
    });

    test("names the field it was given", () => {
        expect(() => parseEventTime("soon", "content.notBefore")).toThrow(
            'content.notBefore "soon" is not a date',
        );
    });
});

describe("malformed notifications", () => {
    const without = (key: string): Record<string, unknown> => {
        const e = envelope("Instance:SystemMaintenance.Reboot:Scheduled", systemContent);
        delete e[key];
        return e;
    };
    const sys = (content: Record<string, unknown>): Record<string, unknown> =>
        envelope("Instance:SystemMaintenance.Reboot:Scheduled", { ...systemContent, ...content });
    const withoutContent = (name: string, c: Record<string, unknown>, key: string) => {
        const content = { ...c };
        delete content[key];
        return envelope(name, content);
    };
    const migration = {
        instanceId: INSTANCE,
        sourceDedicatedHostId: "dh-1",
        destinationDedicatedHostId: "dh-2",
        startTime: "2018-06-08T01:25:37Z",
        status: "started",
    };

    const cases: [string, unknown, string, RegExp | string][] = [
        ["not JSON", "{not json", "notification", /^notification is not JSON: /],
        ["an array", "[]", "notification", "notification must be a JSON object, got an array"],
        ["null", null, "notification", "notification must be a JSON object, got null"],
        ["a number", 42, "notification", "notification must be a JSON object, got number 42"],
        [
            "a JSON string",
            '"hello"',
            "notification",
            'notification must be a JSON object, got the string "hello"',
        ],
        ["no ver", without("ver"), "ver", "ver is required (string)"],
        ["no id", without("id"), "id", "id is required (string)"],
        ["no product", without("product"), "product", "product is required (string)"],
        ["no resourceId", without("resourceId"), "resourceId", "resourceId is required (string)"],
        ["no level", without("level"), "level", "level is required (string)"],
        ["no name", without("name"), "name", "name is required (string)"],
        ["no userId", without("userId"), "userId", "userId is required (string)"],
        ["no regionId", without("regionId"), "regionId", "regionId is required (string)"],
        ["no eventTime", without("eventTime"), "eventTime", "eventTime is required (date string)"],
        ["a null name", { ...without("name"), name: null }, "name", "name is required (string)"],
        [
            "a numeric name",
            { ...without("name"), name: 5 },
            "name",
            "name must be a string, got number 5",
        ],
        [
            "an empty userId",
            { ...without("userId"), userId: " " },
            "userId",
            "userId must not be empty",
        ],
        [
            "a numeric eventTime",
            { ...without("eventTime"), eventTime: 1554783506922 },
            "eventTime",
            "eventTime must be a string (a date), got number 1554783506922",
        ],
        [
            "a bad eventTime",
            { ...without("eventTime"), eventTime: "2019-13-45" },
            "eventTime",
            'eventTime "2019-13-45" is not a date',
        ],
        [
            "a non-string instanceName",
            { ...without("eventTime"), eventTime: "20190409T121826.922+0800", instanceName: true },
            "instanceName",
            "instanceName must be a string, got boolean true",
        ],
        [
            "a system event without content",
            without("content"),
            "content",
            "content is required (object)",
        ],
        [
            "a system event with string content",
            { ...without("content"), content: "x" },
            "content",
            'content must be an object, got the string "x"',
        ],
        [
            "a system event with array content",
            { ...without("content"), content: [] },
            "content",
            "content must be an object, got an array",
        ],
        [
            "a system event without eventId",
            withoutContent("Instance:SystemMaintenance.Reboot:Scheduled", systemContent, "eventId"),
            "content.eventId",
            "content.eventId is required (string)",
        ],
        [
            "a system event without instanceId",
            withoutContent("SystemFailure.Reboot:Executing", systemContent, "instanceId"),
            "content.instanceId",
            "content.instanceId is required (string)",
        ],
        [
            "a system event without publishTime",
            withoutContent(
                "Instance:SystemMaintenance.Reboot:Scheduled",
                systemContent,
                "publishTime",
            ),
            "content.publishTime",
            "content.publishTime is required (date string)",
        ],
        [
            "a system event with a bad publishTime",
            sys({ publishTime: "soon" }),
            "content.publishTime",
            'content.publishTime "soon" is not a date',
        ],
        [
            "a system event with a numeric notBefore",
            sys({ notBefore: 1 }),
            "content.notBefore",
            "content.notBefore must be a string (a date), got number 1",
        ],
        [
            "a system event with a bad executeFinishTime",
            sys({ executeFinishTime: "2019-04-10T08:01:61Z" }),
            "content.executeFinishTime",
            'content.executeFinishTime "2019-04-10T08:01:61Z" is not a date',
        ],
        [
            "a system event with a numeric eventStatus",
            sys({ eventStatus: 3 }),
            "content.eventStatus",
            "content.eventStatus must be a string, got number 3",
        ],
        [
            "a system event with an object eventType",
            sys({ eventType: {} }),
            "content.eventType",
            "content.eventType must be a string, got an object",
        ],
        [
            "a state change without state",
            envelope("Instance:StateChange", {
                resourceId: INSTANCE,
                resourceType: "ALIYUN::ECS::Instance",
            }),
            "content.state",
            "content.state is required (string)",
        ],
        [
            "a state change without resourceId",
            envelope("Instance:StateChange", {
                resourceType: "ALIYUN::ECS::Instance",
                state: "Running",
            }),
            "content.resourceId",
            "content.resourceId is required (string)",
        ],
        [
            "a state change without content",
            envelope("Instance:StateChange"),
            "content",
            "content is required (object)",
        ],
        [
            "a preemptible interruption without action",
            envelope("Instance:PreemptibleInstanceInterruption", { instanceId: INSTANCE }),
            "content.action",
            "content.action is required (string)",
        ],
        [
            "a live migration without startTime",
            withoutContent("Instance:LiveMigrationAcrossDDH", migration, "startTime"),
            "content.startTime",
            "content.startTime is required (date string)",
        ],
        [
            "a live migration without destinationDedicatedHostId",
            withoutContent(
                "Instance:LiveMigrationAcrossDDH",
                migration,
                "destinationDedicatedHostId",
            ),
            "content.destinationDedicatedHostId",
            "content.destinationDedicatedHostId is required (string)",
        ],
        [
            "a live migration with a bad endTime",
            envelope("Instance:LiveMigrationAcrossDDH", { ...migration, endTime: "later" }),
            "content.endTime",
            'content.endTime "later" is not a date',
        ],
        [
            "a performance mode change without operator",
            envelope("Instance:PerformanceModeChange", {
                instanceId: INSTANCE,
                creditSpecification: "Standard",
            }),
            "content.operator",
            "content.operator is required (string)",
        ],
        [
            "a burstable restriction without intervalEnd",
            envelope("Instance:BurstablePerformanceRestricted", {
                instanceId: INSTANCE,
                intervalStart: "2019-11-11T11:00Z",
            }),
            "content.intervalEnd",
            "content.intervalEnd is required (date string)",
        ],
        [
            "a burstable restriction with a bad intervalStart",
            envelope("Instance:BurstablePerformanceRestricted", {
                instanceId: INSTANCE,
                intervalStart: "2019-11-11T25:00Z",
                intervalEnd: "2019-11-11T12:00Z",
            }),
            "content.intervalStart",
            'content.intervalStart "2019-11-11T25:00Z" is not a date',
        ],
    ];

    test.each(cases)("%s", (_what, input, path, message) => {
        const err = parseError(input);
        expect(err.name).toBe("EventParseError");
        expect(err.path).toBe(path);
        if (typeof message === "string") expect(err.message).toBe(message);
        else expect(err.message).toMatch(message);
    });
});

describe("system event statuses", () => {
    test("are the seven the documents name", () => {
        expect(SYSTEM_EVENT_STATUSES).toEqual([
            "Scheduled",
            "Inquiring",
            "Executing",
            "Executed",
            "Avoided",
            "Canceled",
            "Failed",
        ]);
    });

    test("open means the event has not ended", () => {
        const open = SYSTEM_EVENT_STATUSES.filter((s) => isOpenEventStatus(s));
        expect(open).toEqual(["Scheduled", "Inquiring", "Executing"]);
        expect(isOpenEventStatus("Paused")).toBe(false);
        expect(isOpenEventStatus("scheduled")).toBe(false);
    });
});

describe("the RedeployInstance table", () => {
    // Seed 000: "The following table describes the system events that you can handle by calling
    // the RedeployInstance operation."
    const table: [string, string[]][] = [
        ["SystemMaintenance.Reboot", ["Inquiring", "Scheduled"]],
        ["SystemMaintenance.Redeploy", ["Inquiring", "Scheduled"]],
        ["SystemMaintenance.RebootAndIsolateErrorDisk", ["Inquiring"]],
        ["SystemMaintenance.RebootAndReInitErrorDisk", ["Inquiring"]],
        ["SystemFailure.Redeploy", ["Inquiring", "Scheduled"]],
        ["SystemFailure.Reboot", ["Executing"]],
        ["SystemMaintenance.IsolateErrorDisk", ["Inquiring"]],
        ["SystemMaintenance.ReInitErrorDisk", ["Inquiring"]],
    ];
    const handled = table.flatMap(([type, statuses]) => statuses.map((s) => [type, s]));
    const notHandled = table.flatMap(([type, statuses]) =>
        [...SYSTEM_EVENT_STATUSES, "Paused"]
            .filter((s) => !statuses.includes(s))
            .map((s) => [type, s]),
    );

    test("REDEPLOY_REMEDIES is the table, in its order, frozen", () => {
        expect(Object.entries(REDEPLOY_REMEDIES).map(([t, r]) => [t, r?.statuses])).toEqual(table);
        expect(DEFAULT_REDEPLOY_EVENT_TYPES).toEqual(table.map(([t]) => t));
        expect(
            Object.entries(REDEPLOY_REMEDIES)
                .filter(([, r]) => r?.onlyLocalDisks)
                .map(([t]) => t),
        ).toEqual(["SystemFailure.Reboot"]);
        expect(Object.isFrozen(REDEPLOY_REMEDIES)).toBe(true);
        expect(Object.isFrozen(REDEPLOY_REMEDIES["SystemMaintenance.Reboot"])).toBe(true);
        expect(Object.isFrozen(REDEPLOY_REMEDIES["SystemMaintenance.Reboot"].statuses)).toBe(true);
        expect(Object.isFrozen(DEFAULT_REDEPLOY_EVENT_TYPES)).toBe(true);
    });

    test("REDEPLOY_REMEDIES can be indexed with any string", () => {
        const lookup = (eventType: string) => REDEPLOY_REMEDIES[eventType];
        expect(lookup("SystemFailure.Reboot")?.onlyLocalDisks).toBe(true);
        expect(lookup("SystemMaintenance.Reboot")?.onlyLocalDisks).toBe(false);
        expect(lookup("SystemFailure.Delete")).toBeUndefined();
        expect(lookup("toString")).toBeUndefined();
        expect(lookup("__proto__")).toBeUndefined();
        expect(lookup("constructor")).toBeUndefined();
    });

    test.each(handled)("redeployHandles(%s, %s)", (type, status) => {
        expect(redeployHandles(type, status)).toBe(true);
    });

    test.each(notHandled)("not redeployHandles(%s, %s)", (type, status) => {
        expect(redeployHandles(type, status)).toBe(false);
    });

    test.each([
        "SystemFailure.Delete",
        "InstanceFailure.Reboot",
        "SystemMaintenance.Stop",
        "systemmaintenance.reboot",
        "toString",
        "constructor",
        "__proto__",
        "",
    ])("%j is not handled in any status", (type) => {
        for (const s of SYSTEM_EVENT_STATUSES) expect(redeployHandles(type, s)).toBe(false);
    });

    test("eventTypes restricts to a user's subset", () => {
        const eventTypes = ["SystemMaintenance.Redeploy", "SystemFailure.Redeploy"];
        expect(redeployHandles("SystemMaintenance.Redeploy", "Scheduled", { eventTypes })).toBe(
            true,
        );
        expect(redeployHandles("SystemFailure.Redeploy", "Inquiring", { eventTypes })).toBe(true);
        expect(redeployHandles("SystemMaintenance.Reboot", "Scheduled", { eventTypes })).toBe(
            false,
        );
        // A subset cannot widen the table.
        expect(
            redeployHandles("SystemFailure.Delete", "Executing", {
                eventTypes: ["SystemFailure.Delete"],
            }),
        ).toBe(false);
        expect(redeployHandles("SystemMaintenance.Redeploy", "Executed", { eventTypes })).toBe(
            false,
        );
        expect(redeployHandles("SystemMaintenance.Reboot", "Scheduled", { eventTypes: [] })).toBe(
            false,
        );
    });

    test("the only-local-disks row, when the caller knows the disks", () => {
        expect(redeployHandles("SystemFailure.Reboot", "Executing", { onlyLocalDisks: true })).toBe(
            true,
        );
        expect(
            redeployHandles("SystemFailure.Reboot", "Executing", { onlyLocalDisks: false }),
        ).toBe(false);
        // Other rows do not depend on the disks.
        expect(
            redeployHandles("SystemMaintenance.Reboot", "Scheduled", { onlyLocalDisks: false }),
        ).toBe(true);
    });
});

describe("redeployRemedies", () => {
    const scheduled = parse(fixture("01-system-maintenance-reboot-scheduled.json"));
    const avoided = parse(fixture("02-system-maintenance-reboot-avoided.json"));
    const failureReboot = parse(
        envelope("SystemFailure.Reboot:Executing", {
            ...systemContent,
            eventType: "SystemFailure.Reboot",
            eventStatus: "Executing",
        }),
    );

    test("a scheduled maintenance reboot is remedied", () => {
        expect(redeployRemedies(scheduled)).toEqual({
            remedies: true,
            reason: "SystemMaintenance.Reboot is Scheduled; RedeployInstance handles it",
            wipesLocalDisks: "unknown",
        });
    });

    test("the content's status counts, not the name's", () => {
        expect(redeployRemedies(avoided)).toEqual({
            remedies: false,
            reason: "SystemMaintenance.Reboot is Avoided; RedeployInstance handles it only while Inquiring or Scheduled",
            wipesLocalDisks: "unknown",
        });
    });

    test("a single allowed status is named alone", () => {
        const n = parse(
            envelope(
                "Instance:SystemMaintenance.RebootAndIsolateErrorDisk:Executing",
                systemContent,
            ),
        );
        expect(redeployRemedies(n).reason).toBe(
            "SystemMaintenance.RebootAndIsolateErrorDisk is Executing; RedeployInstance handles it only while Inquiring",
        );
    });

    test("every seed sample that is not a system event is not remedied", () => {
        for (const file of fs
            .readdirSync(FIXTURES)
            .filter((f) => f.endsWith(".json"))
            .slice(2)) {
            const n = parse(fixture(file));
            expect(redeployRemedies(n)).toEqual({
                remedies: false,
                reason: `not a system event (${n.name})`,
                wipesLocalDisks: "unknown",
            });
        }
    });

    test("an event type outside the table is not remedied", () => {
        const n = parse(envelope("Instance:SystemFailure.Delete:Executing", systemContent));
        expect(redeployRemedies(n)).toEqual({
            remedies: false,
            reason: "RedeployInstance does not handle SystemFailure.Delete events",
            wipesLocalDisks: "unknown",
        });
    });

    test("eventTypes restricts to a user's subset", () => {
        expect(
            redeployRemedies(scheduled, undefined, { eventTypes: ["SystemMaintenance.Redeploy"] }),
        ).toEqual({
            remedies: false,
            reason: "SystemMaintenance.Reboot is not one of the event types to handle (SystemMaintenance.Redeploy)",
            wipesLocalDisks: "unknown",
        });
        expect(
            redeployRemedies(scheduled, undefined, { eventTypes: ["SystemMaintenance.Reboot"] })
                .remedies,
        ).toBe(true);
    });

    test("local disks are wiped when the instance has them", () => {
        expect(redeployRemedies(scheduled, { hasLocalDisks: true })).toEqual({
            remedies: true,
            reason: "SystemMaintenance.Reboot is Scheduled; RedeployInstance handles it; redeploying re-initializes the instance's local disks and clears their data",
            wipesLocalDisks: true,
        });
        expect(redeployRemedies(scheduled, { hasLocalDisks: false }).wipesLocalDisks).toBe(false);
        expect(redeployRemedies(scheduled, { onlyLocalDisks: true }).wipesLocalDisks).toBe(true);
        expect(redeployRemedies(scheduled, { onlyLocalDisks: false }).wipesLocalDisks).toBe(
            "unknown",
        );
        expect(
            redeployRemedies(scheduled, { onlyLocalDisks: false, hasLocalDisks: true })
                .wipesLocalDisks,
        ).toBe(true);
        expect(redeployRemedies(scheduled, {}).wipesLocalDisks).toBe("unknown");
        // Also reported when the event is not remedied: it is a property of the instance.
        expect(redeployRemedies(avoided, { hasLocalDisks: true }).wipesLocalDisks).toBe(true);
    });

    test("SystemFailure.Reboot Executing: only for instances that use only local disks", () => {
        expect(redeployRemedies(failureReboot, { onlyLocalDisks: true })).toEqual({
            remedies: true,
            reason: "SystemFailure.Reboot is Executing and the instance uses only local disks; RedeployInstance handles it; redeploying re-initializes the instance's local disks and clears their data",
            wipesLocalDisks: true,
        });
        expect(
            redeployRemedies(failureReboot, { onlyLocalDisks: false, hasLocalDisks: true }),
        ).toEqual({
            remedies: false,
            reason: "SystemFailure.Reboot is Executing; RedeployInstance handles it only for instances that use only local disks, and this one does not",
            wipesLocalDisks: true,
        });
        expect(redeployRemedies(failureReboot, { hasLocalDisks: false })).toEqual({
            remedies: false,
            reason: "SystemFailure.Reboot is Executing; RedeployInstance handles it only for instances that use only local disks, and this one does not",
            wipesLocalDisks: false,
        });
        for (const instance of [undefined, {}, { hasLocalDisks: true }]) {
            expect(redeployRemedies(failureReboot, instance)).toEqual({
                remedies: false,
                reason: "SystemFailure.Reboot is Executing; RedeployInstance handles it only for instances that use only local disks, and whether this one does is unknown",
                wipesLocalDisks: instance?.hasLocalDisks ? true : "unknown",
            });
        }
    });

    test("SystemFailure.Reboot in another status is not remedied, whatever the disks", () => {
        const executed = parse(envelope("Instance:SystemFailure.Reboot:Executed", systemContent));
        expect(redeployRemedies(executed, { onlyLocalDisks: true })).toEqual({
            remedies: false,
            reason: "SystemFailure.Reboot is Executed; RedeployInstance handles it only while Executing",
            wipesLocalDisks: true,
        });
    });

    test("agrees with redeployHandles on every appendix name", () => {
        for (const type of [...DEFAULT_REDEPLOY_EVENT_TYPES, "SystemFailure.Delete"]) {
            for (const status of SYSTEM_EVENT_STATUSES) {
                const n = parse(envelope(`Instance:${type}:${status}`, systemContent));
                const known = { onlyLocalDisks: true };
                expect(redeployRemedies(n, known).remedies).toBe(
                    redeployHandles(type, status, known),
                );
            }
        }
    });
});
