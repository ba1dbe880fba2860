/**
 * Property-based tests of alicloud.events.parse (issue 6, "Bad input"): generated notifications of
 * every kind round-trip; junk is either a result or an EventParseError naming what is wrong.
 */
import fc from "fast-check";
import {
    EcsNotification,
    EventParseError,
    parse,
    parseEventTime,
    SYSTEM_EVENT_STATUSES,
} from "../../src/clouds/alicloud/events";
import {
    CaseCounter,
    getAt,
    junkValue,
    keyArb,
    notAString,
    Props,
    replaceSome,
    setAt,
} from "./arbitraries";

const counter = new CaseCounter();
beforeAll(() => counter.start());
afterAll(() => {
    console.log(counter.report("alicloud.events.parse"));
});

// ---------------------------------------------------------------------------------------------
// Times
// ---------------------------------------------------------------------------------------------

/** A time as text and the instant it means. */
interface TimeCase {
    text: string;
    ms: number;
}

const pad = (n: number, w: number): string => String(n).padStart(w, "0");
const mod = (a: number, b: number): number => ((a % b) + b) % b;

const MIN_MS = Date.parse("0000-01-02T00:00:00Z");
const MAX_MS = Date.parse("9999-12-30T00:00:00Z");

/**
 * A time in the compact form `yyyyMMddTHHmmss.SSS+hhmm` or in ISO 8601, any year from 0000 to
 * 9999, any zone offset, with or without seconds, fractions (of any length) and zone.
 */
const timeCase: fc.Arbitrary<TimeCase> = fc
    .record({
        ms: fc.oneof(
            { weight: 4, arbitrary: fc.integer({ min: MIN_MS, max: MAX_MS }) },
            {
                weight: 2,
                arbitrary: fc.integer({
                    min: Date.parse("2015-01-01T00:00:00Z"),
                    max: Date.parse("2035-01-01T00:00:00Z"),
                }),
            },
        ),
        offset: fc.oneof(fc.constant(0), fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 })),
        compact: fc.boolean(),
        precision: fc.constantFrom("day", "minute", "second", "ms", "fine", "tenth"),
        extraDigits: fc.stringMatching(/^[0-9]{1,6}$/),
        fractionSep: fc.constantFrom(".", ","),
        timeSep: fc.constantFrom("T", "T", "t", " "),
        zoneStyle: fc.constantFrom("compact", "colon", "Z", "z", "none"),
        space: fc.constantFrom("", "", "", " ", "\n"),
    })
    .map((c) => {
        // No zone, or Z, means UTC.
        const offset =
            c.zoneStyle === "Z" || c.zoneStyle === "z" || c.zoneStyle === "none" ? 0 : c.offset;
        const precision = c.compact && c.precision === "day" ? "minute" : c.precision;
        const local = c.ms + offset * 60_000;
        const d = new Date(local);
        const [Y, M, D, h, m, s, f] = [
            pad(d.getUTCFullYear(), 4),
            pad(d.getUTCMonth() + 1, 2),
            pad(d.getUTCDate(), 2),
            pad(d.getUTCHours(), 2),
            pad(d.getUTCMinutes(), 2),
            pad(d.getUTCSeconds(), 2),
            pad(d.getUTCMilliseconds(), 3),
        ];
        const unit = { day: 86_400_000, minute: 60_000, second: 1000, tenth: 100, ms: 1, fine: 1 }[
            precision
        ];
        const expectedLocal = local - mod(local, unit);
        const fraction =
            precision === "ms"
                ? `${c.fractionSep}${f}`
                : precision === "fine"
                  ? `${c.fractionSep}${f}${c.extraDigits}`
                  : precision === "tenth"
                    ? `${c.fractionSep}${f.slice(0, 1)}`
                    : "";
        const withSeconds = precision !== "day" && precision !== "minute";
        const sign = offset < 0 ? "-" : "+";
        const zh = pad(Math.floor(Math.abs(offset) / 60), 2);
        const zm = pad(Math.abs(offset) % 60, 2);
        const zone = {
            compact: `${sign}${zh}${zm}`,
            colon: `${sign}${zh}:${zm}`,
            Z: "Z",
            z: "z",
            none: "",
        }[c.zoneStyle];
        let text: string;
        if (c.compact) {
            text = `${Y}${M}${D}${c.timeSep === " " ? "T" : c.timeSep}${h}${m}${withSeconds ? s + fraction : ""}${zone}`;
        } else if (precision === "day") {
            text = `${Y}-${M}-${D}${zone}`;
        } else {
            text = `${Y}-${M}-${D}${c.timeSep}${h}:${m}${withSeconds ? `:${s}${fraction}` : ""}${zone}`;
        }
        return { text: `${c.space}${text}${c.space}`, ms: expectedLocal - offset * 60_000 };
    });

/** Strings that are not a time of either form (and not blank). */
const badTime: fc.Arbitrary<string> = fc.oneof(
    fc
        .string({ minLength: 1, maxLength: 20 })
        .filter((s) => s.trim() !== "" && !/^\s*\d{4}/.test(s)),
    fc.constantFrom(
        "2019-02-29T00:00Z",
        "1900-02-29",
        "2019-04-31",
        "20190230T000000",
        "2019-04-09T04:18:26+2400",
        "2019-04-09T04:18:26+0060",
        "2019-04-09T24:00:00Z",
        "2019-4-9",
        "2019-04-09T04",
        "20190409",
        "2019-04-09T04:18:26.Z",
        "2019/04/09",
        "2019-04-09T04:18:26+08",
        "20190409T121826.922+08000",
        "later",
    ),
    // One component out of range.
    fc
        .record({
            Y: fc.integer({ min: 0, max: 9999 }),
            M: fc.integer({ min: 1, max: 12 }),
            D: fc.integer({ min: 1, max: 28 }),
            h: fc.integer({ min: 0, max: 23 }),
            m: fc.integer({ min: 0, max: 59 }),
            s: fc.integer({ min: 0, max: 59 }),
            zh: fc.integer({ min: 0, max: 23 }),
            zm: fc.integer({ min: 0, max: 59 }),
            which: fc.constantFrom("M0", "M", "D0", "D", "h", "m", "s", "zh", "zm"),
            bad: fc.integer({ min: 0, max: 99 }),
            compact: fc.boolean(),
        })
        .map((c) => {
            const v = { ...c };
            switch (c.which) {
                case "M0":
                    v.M = 0;
                    break;
                case "M":
                    v.M = 13 + (c.bad % 87);
                    break;
                case "D0":
                    v.D = 0;
                    break;
                case "D":
                    v.D = 32 + (c.bad % 68);
                    break;
                case "h":
                    v.h = 24 + (c.bad % 76);
                    break;
                case "m":
                    v.m = 60 + (c.bad % 40);
                    break;
                case "s":
                    v.s = 60 + (c.bad % 40);
                    break;
                case "zh":
                    v.zh = 24 + (c.bad % 76);
                    break;
                case "zm":
                    v.zm = 60 + (c.bad % 40);
                    break;
            }
            const [Y, M, D, h, m, s, zh, zm] = [
                pad(v.Y, 4),
                pad(v.M, 2),
                pad(v.D, 2),
                pad(v.h, 2),
                pad(v.m, 2),
                pad(v.s, 2),
                pad(v.zh, 2),
                pad(v.zm, 2),
            ];
            return c.compact
                ? `${Y}${M}${D}T${h}${m}${s}+${zh}${zm}`
                : `${Y}-${M}-${D}T${h}:${m}:${s}+${zh}:${zm}`;
        }),
);

// ---------------------------------------------------------------------------------------------
// Valid notifications
// ---------------------------------------------------------------------------------------------

type Kind = EcsNotification["kind"];

/** A notification and what parse must make of it. */
interface Case {
    kind: Kind;
    doc: Props;
    /** Fields of the result (dates as milliseconds). */
    expected: Props;
    /** Optional fields that must be absent from the result. */
    absent: string[];
    /** Required content fields (strings), required and optional content dates. */
    contentStrings: string[];
    contentDates: string[];
    contentOptionalDates: string[];
    contentOptionalStrings: string[];
}

const ENVELOPE_STRINGS = [
    "ver",
    "id",
    "product",
    "resourceId",
    "level",
    "name",
    "userId",
    "regionId",
];
const SIMPLE_NAMES = [
    "StateChange",
    "PreemptibleInstanceInterruption",
    "LiveMigrationAcrossDDH",
    "PerformanceModeChange",
    "BurstablePerformanceRestricted",
];
const KNOWN_TYPES = [
    "SystemMaintenance.Reboot",
    "SystemMaintenance.Redeploy",
    "SystemMaintenance.RebootAndIsolateErrorDisk",
    "SystemMaintenance.RebootAndReInitErrorDisk",
    "SystemMaintenance.IsolateErrorDisk",
    "SystemMaintenance.ReInitErrorDisk",
    "SystemFailure.Reboot",
    "SystemFailure.Redeploy",
    "SystemFailure.Delete",
    "InstanceFailure.Reboot",
];

/** A string with something in it besides white space (any unicode). */
const text = fc
    .oneof(
        { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 16 }) },
        { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 16, unit: "grapheme" }) },
        {
            weight: 1,
            arbitrary: fc.constantFrom("i-bp1ecr********5go2go", "e-t4navn7********6x5no"),
        },
    )
    .filter((s) => s.trim() !== "");

/** Extra fields that parse must keep in raw and otherwise ignore. */
function extras(known: string[]): fc.Arbitrary<Props> {
    return fc.dictionary(
        fc
            .string({ minLength: 1, maxLength: 8 })
            .filter((k) => !known.includes(k) && k !== "__proto__"),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 2 },
    );
}

/** An optional date: absent, null or blank (all absent in the result), or a time. */
const optionalTime = fc.oneof(
    { weight: 3, arbitrary: timeCase },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, "", "  ") },
);

const prefix = fc.constantFrom("Instance:", "Instance:", "");

const envelope = fc.record({
    ver: fc.oneof(fc.constant("1.0"), text),
    id: text,
    product: fc.oneof(fc.constant("ECS"), text),
    resourceId: text,
    level: fc.oneof(fc.constantFrom("CRITICAL", "WARN", "INFO"), text),
    userId: text,
    regionId: fc.oneof(fc.constantFrom("cn-hangzhou", "ap-southeast-1"), text),
    eventTime: timeCase,
    instanceName: fc.oneof(fc.constantFrom(undefined, null, ""), text),
    extra: extras([...ENVELOPE_STRINGS, "eventTime", "instanceName", "content"]),
});

/** A case from an envelope, a name, content fields (times as TimeCase) and the kind's fields. */
function build(
    kind: Kind,
    env: fc.Arbitrary<Props>,
    name: string,
    content: Props | undefined,
    fields: Props,
    meta: Pick<
        Case,
        "contentStrings" | "contentDates" | "contentOptionalDates" | "contentOptionalStrings"
    >,
): fc.Arbitrary<Case> {
    return env.map((e) => {
        const { extra, eventTime, instanceName, ...strings } = e as Props & {
            extra: Props;
            eventTime: TimeCase;
        };
        const doc: Props = { ...extra, ...strings, name, eventTime: eventTime.text };
        if (instanceName !== undefined) doc.instanceName = instanceName;
        const absent: string[] = [];
        const expected: Props = { ...strings, name, kind, eventTime: eventTime.ms, ...fields };
        if (typeof instanceName === "string") expected.instanceName = instanceName;
        else absent.push("instanceName");
        if (content !== undefined) {
            const c: Props = {};
            for (const [k, v] of Object.entries(content)) {
                if (v === undefined) continue;
                c[k] = typeof v === "object" && v !== null && "ms" in v ? (v as TimeCase).text : v;
            }
            doc.content = c;
        }
        for (const [k, v] of Object.entries(fields)) {
            if (v === undefined) absent.push(k);
        }
        for (const k of absent) delete expected[k];
        return { kind, doc, expected, absent, ...meta };
    });
}

const none = { contentOptionalDates: [], contentOptionalStrings: [] };

const systemEvent: fc.Arbitrary<Case> = fc
    .record({
        prefix,
        type: fc.oneof(
            fc.constantFrom(...KNOWN_TYPES),
            fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}\.[A-Za-z][A-Za-z0-9]{0,10}$/),
        ),
        status: fc.oneof(
            fc.constantFrom(...SYSTEM_EVENT_STATUSES),
            fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,10}$/),
        ),
        eventType: fc.oneof(
            fc.constantFrom(undefined, null),
            fc.constantFrom(...KNOWN_TYPES),
            text,
        ),
        eventStatus: fc.oneof(
            fc.constantFrom(undefined, null),
            fc.constantFrom(...SYSTEM_EVENT_STATUSES),
            text,
        ),
        eventId: text,
        instanceId: text,
        publishTime: timeCase,
        notBefore: optionalTime,
        executeStartTime: optionalTime,
        executeFinishTime: optionalTime,
        extra: extras([
            "eventId",
            "instanceId",
            "publishTime",
            "notBefore",
            "executeStartTime",
            "executeFinishTime",
            "eventType",
            "eventStatus",
        ]),
    })
    .chain((c) => {
        const date = (t: unknown): number | undefined =>
            typeof t === "object" && t !== null ? (t as TimeCase).ms : undefined;
        return build(
            "systemEvent",
            envelope,
            `${c.prefix}${c.type}:${c.status}`,
            {
                ...c.extra,
                eventId: c.eventId,
                instanceId: c.instanceId,
                publishTime: c.publishTime,
                notBefore: c.notBefore,
                executeStartTime: c.executeStartTime,
                executeFinishTime: c.executeFinishTime,
                eventType: c.eventType,
                eventStatus: c.eventStatus,
            },
            {
                // The content wins over the name.
                eventType: typeof c.eventType === "string" ? c.eventType : c.type,
                eventStatus: typeof c.eventStatus === "string" ? c.eventStatus : c.status,
                nameStatus: c.status,
                eventId: c.eventId,
                instanceId: c.instanceId,
                publishTime: c.publishTime.ms,
                notBefore: date(c.notBefore),
                executeStartTime: date(c.executeStartTime),
                executeFinishTime: date(c.executeFinishTime),
            },
            {
                contentStrings: ["eventId", "instanceId"],
                contentDates: ["publishTime"],
                contentOptionalDates: ["notBefore", "executeStartTime", "executeFinishTime"],
                contentOptionalStrings: ["eventType", "eventStatus"],
            },
        );
    });

/** A kind whose content is only required strings. */
function simple(kind: Kind, name: string, fields: Record<string, string>): fc.Arbitrary<Case> {
    const keys = Object.keys(fields);
    return fc
        .tuple(prefix, fc.tuple(...keys.map(() => text)), extras(keys))
        .chain(([p, values, extra]) => {
            const content: Props = { ...extra };
            const out: Props = {};
            keys.forEach((k, i) => {
                content[k] = values[i];
                out[fields[k] as string] = values[i];
            });
            return build(kind, envelope, `${p}${name}`, content, out, {
                contentStrings: keys,
                contentDates: [],
                ...none,
            });
        });
}

const liveMigration: fc.Arbitrary<Case> = fc
    .record({
        prefix,
        instanceId: text,
        source: text,
        destination: text,
        startTime: timeCase,
        endTime: optionalTime,
        status: fc.oneof(fc.constantFrom("started", "failed", "accomplished"), text),
    })
    .chain((c) =>
        build(
            "liveMigrationAcrossDDH",
            envelope,
            `${c.prefix}LiveMigrationAcrossDDH`,
            {
                instanceId: c.instanceId,
                sourceDedicatedHostId: c.source,
                destinationDedicatedHostId: c.destination,
                startTime: c.startTime,
                endTime: c.endTime,
                status: c.status,
            },
            {
                instanceId: c.instanceId,
                sourceDedicatedHostId: c.source,
                destinationDedicatedHostId: c.destination,
                startTime: c.startTime.ms,
                endTime:
                    typeof c.endTime === "object" && c.endTime !== null ? c.endTime.ms : undefined,
                status: c.status,
            },
            {
                contentStrings: [
                    "instanceId",
                    "sourceDedicatedHostId",
                    "destinationDedicatedHostId",
                    "status",
                ],
                contentDates: ["startTime"],
                contentOptionalDates: ["endTime"],
                contentOptionalStrings: [],
            },
        ),
    );

const burstable: fc.Arbitrary<Case> = fc
    .record({ prefix, instanceId: text, intervalStart: timeCase, intervalEnd: timeCase })
    .chain((c) =>
        build(
            "burstablePerformanceRestricted",
            envelope,
            `${c.prefix}BurstablePerformanceRestricted`,
            {
                instanceId: c.instanceId,
                intervalStart: c.intervalStart,
                intervalEnd: c.intervalEnd,
            },
            {
                instanceId: c.instanceId,
                intervalStart: c.intervalStart.ms,
                intervalEnd: c.intervalEnd.ms,
            },
            {
                contentStrings: ["instanceId"],
                contentDates: ["intervalStart", "intervalEnd"],
                ...none,
            },
        ),
    );

/** A name parse does not know: one segment that is no kind, three segments, or a type without a dot. */
const word = fc.stringMatching(/^[^:\s]{1,12}$/);
const unknownName = fc.oneof(
    fc
        .tuple(
            prefix,
            word.filter((w) => !SIMPLE_NAMES.includes(w)),
        )
        .map(([p, w]) => p + w),
    fc
        .tuple(prefix, fc.array(word, { minLength: 3, maxLength: 4 }))
        .filter(([p, ws]) => p !== "" || ws[0] !== "Instance")
        .map(([p, ws]) => p + ws.join(":")),
    fc
        .tuple(
            prefix,
            word.filter((w) => !w.includes(".") && w !== "Instance"),
            word,
        )
        .map(([p, a, b]) => `${p}${a}:${b}`),
);

const unknown: fc.Arbitrary<Case> = fc
    .tuple(unknownName, fc.option(fc.jsonValue({ maxDepth: 2 }), { nil: undefined }))
    .chain(([name, content]) =>
        build(
            "unknown",
            envelope,
            name,
            undefined,
            {},
            {
                contentStrings: [],
                contentDates: [],
                ...none,
            },
        ).map((c) => {
            const doc = content === undefined ? c.doc : { ...c.doc, content };
            return { ...c, doc, expected: { ...c.expected, content } };
        }),
    );

const validCase: fc.Arbitrary<Case> = fc.oneof(
    systemEvent,
    simple("stateChange", "StateChange", {
        resourceId: "instanceId",
        resourceType: "resourceType",
        state: "state",
    }),
    simple("preemptibleInterruption", "PreemptibleInstanceInterruption", {
        instanceId: "instanceId",
        action: "action",
    }),
    liveMigration,
    simple("performanceModeChange", "PerformanceModeChange", {
        instanceId: "instanceId",
        creditSpecification: "creditSpecification",
        operator: "operator",
    }),
    burstable,
    unknown,
);

/** The notification as an object, a JSON string or its UTF-8 bytes. */
type Form = "object" | "json" | "bytes";
const form = fc.constantFrom<Form>("object", "json", "bytes");

function as(doc: Props, f: Form, indent: number): unknown {
    if (f === "object") return doc;
    const json = JSON.stringify(doc, null, indent);
    return f === "json" ? json : new TextEncoder().encode(json);
}

/** parse, and whether it threw an EventParseError (any other exception fails the test). */
function tryParse(input: unknown): { result?: EcsNotification; error?: EventParseError } {
    try {
        return { result: parse(input) };
    } catch (err) {
        if (!(err instanceof EventParseError)) {
            throw new Error(
                `parse threw ${String((err as Error)?.name)}: ${String((err as Error)?.message)}`,
                { cause: err },
            );
        }
        // Its name is EventParseError, and its message names the field (its path) first.
        if (
            err.name !== "EventParseError" ||
            typeof err.path !== "string" ||
            !err.message.startsWith(`${err.path} `)
        ) {
            throw new Error(`message does not start with its path ${err.path}: ${err.message}`, {
                cause: err,
            });
        }
        return { error: err };
    }
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

describe("alicloud.events.parse (property-based)", () => {
    test("times of both forms round-trip", () => {
        fc.assert(
            fc.property(timeCase, (t) => {
                counter.add("time round-trip");
                expect(parseEventTime(t.text).getTime()).toBe(t.ms);
            }),
            { numRuns: 3000 },
        );
    });

    test("a string that is not a time is an EventParseError naming the field", () => {
        fc.assert(
            fc.property(badTime, fc.constantFrom("eventTime", "content.publishTime"), (s, path) => {
                counter.add("bad time");
                let thrown: unknown;
                try {
                    parseEventTime(s, path);
                } catch (err) {
                    thrown = err;
                }
                expect(thrown).toBeInstanceOf(EventParseError);
                expect((thrown as EventParseError).path).toBe(path);
                expect((thrown as EventParseError).message).toBe(
                    `${path} ${JSON.stringify(s)} is not a date`,
                );
            }),
            { numRuns: 1500 },
        );
    });

    test("any string is a valid date or an EventParseError", () => {
        fc.assert(
            fc.property(
                fc.oneof(
                    fc.string({ maxLength: 40, unit: "binary" }),
                    fc.stringMatching(/^[0-9T:+\-.,Zz ]{0,30}$/),
                    timeCase.map((t) => t.text.slice(0, t.text.length - 1)),
                ),
                (s) => {
                    counter.add("any time string");
                    try {
                        expect(Number.isNaN(parseEventTime(s).getTime())).toBe(false);
                    } catch (err) {
                        if (!(err instanceof EventParseError)) throw err;
                    }
                },
            ),
            { numRuns: 2000 },
        );
    });

    test("valid notifications of every kind parse to their kind and round-trip", () => {
        fc.assert(
            fc.property(validCase, form, fc.constantFrom(0, 2), (c, f, indent) => {
                counter.add("valid notification round-trip");
                const r = parse(as(c.doc, f, indent)) as unknown as Props;
                expect(r.kind).toBe(c.kind);
                // JSON turns -0 into 0 (in the extra and unknown content).
                const expected =
                    f === "object" ? c.expected : (JSON.parse(JSON.stringify(c.expected)) as Props);
                const got: Props = {};
                for (const k of Object.keys(expected)) {
                    const v = r[k];
                    got[k] = v instanceof Date ? v.getTime() : v;
                }
                expect(got).toEqual(expected);
                for (const k of c.absent) expect(Object.keys(r)).not.toContain(k);
                // The object as received (after JSON parsing, which turns -0 into 0).
                expect(r.raw).toEqual(f === "object" ? c.doc : JSON.parse(JSON.stringify(c.doc)));
            }),
            { numRuns: 4000 },
        );
    });

    test("junk is a result or an EventParseError, never another exception", () => {
        const envelopeKeys = [...ENVELOPE_STRINGS, "eventTime", "instanceName", "content"];
        fc.assert(
            fc.property(
                fc.oneof(
                    fc.anything({
                        key: keyArb(envelopeKeys),
                        withNullPrototype: true,
                        withBigInt: true,
                        withDate: true,
                        withTypedArray: true,
                        withSparseArray: true,
                        withBoxedValues: true,
                        withMap: true,
                        withSet: true,
                        withObjectString: true,
                        maxDepth: 3,
                    }),
                    fc.string({ maxLength: 60, unit: "binary" }),
                    fc.json({ maxDepth: 3 }),
                    fc.uint8Array({ maxLength: 60 }),
                    fc.dictionary(keyArb(envelopeKeys), junkValue, { maxKeys: 12 }),
                    validCase
                        .map((c) => JSON.stringify(c.doc))
                        .chain((s) => fc.nat(s.length).map((n) => s.slice(0, n))),
                    fc
                        .tuple(
                            validCase,
                            fc.array(fc.nat(), { minLength: 1, maxLength: 3 }),
                            fc.array(junkValue, { minLength: 1, maxLength: 3 }),
                        )
                        .map(([c, picks, values]) => replaceSome(c.doc, picks, values).news),
                ),
                (input) => {
                    counter.add("junk (result or EventParseError)");
                    const { result } = tryParse(input);
                    if (result) expect(typeof result.kind).toBe("string");
                },
            ),
            { numRuns: 4000 },
        );
    });

    test("a corrupted field is an EventParseError naming that field", () => {
        // NaN and Infinity become null in JSON, which an optional field takes as "not given".
        const notAStringInJson = notAString.filter(
            (v) => typeof v !== "number" || Number.isFinite(v),
        );
        const badString = fc.oneof(fc.constantFrom(undefined, null, "", "   ", "\t\n"), notAString);
        const corruption = validCase.chain((c) => {
            const options: fc.Arbitrary<{ doc: Props; path: string }>[] = [
                fc.tuple(fc.constantFrom(...ENVELOPE_STRINGS), badString).map(([k, v]) => ({
                    doc: setAt(c.doc, [k], v) as Props,
                    path: k,
                })),
                fc
                    .oneof(badTime, fc.constantFrom(undefined, null, "", " "), notAString)
                    .map((v) => ({
                        doc: setAt(c.doc, ["eventTime"], v) as Props,
                        path: "eventTime",
                    })),
                notAStringInJson.map((v) => ({
                    doc: setAt(c.doc, ["instanceName"], v) as Props,
                    path: "instanceName",
                })),
            ];
            if (c.kind !== "unknown") {
                options.push(
                    fc
                        .oneof(fc.constantFrom(undefined, null, [], [{}], "", "{}"), notAString)
                        .filter((v) => !(typeof v === "object" && v !== null && !Array.isArray(v)))
                        .map((v) => ({
                            doc: setAt(c.doc, ["content"], v) as Props,
                            path: "content",
                        })),
                );
                if (c.contentStrings.length > 0) {
                    options.push(
                        fc.tuple(fc.constantFrom(...c.contentStrings), badString).map(([k, v]) => ({
                            doc: setAt(c.doc, ["content", k], v) as Props,
                            path: `content.${k}`,
                        })),
                    );
                }
                if (c.contentDates.length > 0) {
                    options.push(
                        fc
                            .tuple(
                                fc.constantFrom(...c.contentDates),
                                fc.oneof(
                                    badTime,
                                    fc.constantFrom(undefined, null, "", " "),
                                    notAString,
                                ),
                            )
                            .map(([k, v]) => ({
                                doc: setAt(c.doc, ["content", k], v) as Props,
                                path: `content.${k}`,
                            })),
                    );
                }
                if (c.contentOptionalDates.length > 0) {
                    options.push(
                        fc
                            .tuple(
                                fc.constantFrom(...c.contentOptionalDates),
                                fc.oneof(badTime, notAStringInJson),
                            )
                            .map(([k, v]) => ({
                                doc: setAt(c.doc, ["content", k], v) as Props,
                                path: `content.${k}`,
                            })),
                    );
                }
                if (c.contentOptionalStrings.length > 0) {
                    options.push(
                        fc
                            .tuple(fc.constantFrom(...c.contentOptionalStrings), notAStringInJson)
                            .map(([k, v]) => ({
                                doc: setAt(c.doc, ["content", k], v) as Props,
                                path: `content.${k}`,
                            })),
                    );
                }
            }
            return fc.tuple(fc.oneof(...options), form);
        });
        fc.assert(
            fc.property(corruption, ([{ doc, path }, f]) => {
                counter.add("one corrupted field (EventParseError at its path)");
                const { result, error } = tryParse(as(doc, f, 0));
                if (result) {
                    throw new Error(
                        `no error for a corrupted ${path}: ${JSON.stringify(getAt(doc, path.split(".")))}`,
                    );
                }
                expect(error?.path).toBe(path);
            }),
            { numRuns: 4000 },
        );
    });
});
