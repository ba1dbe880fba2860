/**
 * Property-based tests of alicloud.InstanceRedeploy's check (issue 6, "Bad input"): generated
 * argument objects, valid and not; see arbitraries.ts for the properties.
 */
import fc from "fast-check";
import { EcsApi } from "../../src/clouds/alicloud/ecs";
import { DEFAULT_REDEPLOY_EVENT_TYPES } from "../../src/clouds/alicloud/events";
import { InstanceRedeployProvider } from "../../src/resources/alicloudInstanceRedeploy/provider";
import { DEFAULTS, INPUT_KEYS, LIMITS } from "../../src/resources/alicloudInstanceRedeploy/types";
import { validateInstanceRedeploy } from "../../src/resources/alicloudInstanceRedeploy/validate";
import {
    alicloudEndpoint,
    alicloudRegion,
    badAlicloudEndpoint,
    badAlicloudRegion,
    badBoolean,
    badEnum,
    badInteger,
    Calls,
    checkProperties,
    countingClock,
    intIn,
    Mutation,
    notAList,
    notAString,
    opt,
    parsePath,
    Props,
    setAt,
    unknownKey,
} from "./arbitraries";

const WHEN = ["always", "systemEvent"] as const;

// ---------------------------------------------------------------------------------------------
// Valid arguments
// ---------------------------------------------------------------------------------------------

const instanceId = fc.stringMatching(/^i-[0-9A-Za-z-]{1,62}$/);
const instanceIds = fc.oneof(
    { weight: 20, arbitrary: fc.uniqueArray(instanceId, { minLength: 1, maxLength: 30 }) },
    {
        weight: 1,
        arbitrary: fc.constant(Array.from({ length: LIMITS.instanceIds[1] }, (_, i) => `i-${i}`)),
    },
    { weight: 1, arbitrary: fc.constant([`i-${"x".repeat(62)}`, "i-0", "i--"]) },
);

const validRedeploy: fc.Arbitrary<Props> = fc
    .record(
        {
            instanceIds,
            region: opt(alicloudRegion),
            endpoint: opt(alicloudEndpoint),
            when: opt(fc.constantFrom(...WHEN)),
            eventTypes: opt(
                fc.array(fc.constantFrom(...DEFAULT_REDEPLOY_EVENT_TYPES), {
                    minLength: 1,
                    maxLength: 10,
                }),
            ),
            forceStop: opt(fc.boolean()),
            allowLocalDiskDataLoss: opt(fc.boolean()),
            maxConcurrent: opt(intIn(...LIMITS.maxConcurrent)),
            timeoutMinutes: opt(intIn(...LIMITS.timeoutMinutes)),
            triggers: opt(
                fc.oneof(
                    fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 })),
                    fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 4 }),
                ),
            ),
            __provider: opt(fc.string({ maxLength: 10 })),
        },
        { requiredKeys: ["instanceIds"] },
    )
    .map((v) => {
        // eventTypes only with when "systemEvent" (the default).
        if (v.when === "always") {
            const out: Props = { ...v };
            delete out.eventTypes;
            return out;
        }
        return v;
    });

// ---------------------------------------------------------------------------------------------
// One invalid value
// ---------------------------------------------------------------------------------------------

function at(
    v: Props,
    kind: string,
    path: string,
    arb: fc.Arbitrary<unknown>,
    more: Partial<Mutation> = {},
): fc.Arbitrary<Mutation> {
    return arb.map((value) => ({
        kind,
        path,
        value,
        news: setAt(v, parsePath(path), value) as Props,
        ...more,
    }));
}

function mutateRedeploy(v: Props): fc.Arbitrary<Mutation> {
    const ids = v.instanceIds as string[];
    const eventTypes = Array.isArray(v.eventTypes) ? (v.eventTypes as string[]) : [];
    const list: fc.Arbitrary<Mutation>[] = [
        at(v, "instanceIds missing", "instanceIds", fc.constantFrom(undefined, null)),
        at(v, "instanceIds not a list", "instanceIds", notAList),
        at(v, "instanceIds empty", "instanceIds", fc.constant([])),
        at(
            v,
            "instanceIds too many",
            "instanceIds",
            fc
                .integer({ min: LIMITS.instanceIds[1] + 1, max: LIMITS.instanceIds[1] + 50 })
                .map((n) => Array.from({ length: n }, (_, i) => `i-${i}`)),
        ),
        fc
            .tuple(
                fc.nat(),
                fc.oneof(
                    fc.constantFrom(
                        undefined,
                        null,
                        "",
                        "i-",
                        "i_abc",
                        "I-abc",
                        "abc",
                        "i-abc ",
                        " i-abc",
                        "i-a.b",
                        `i-${"x".repeat(63)}`,
                        "i-\u00e9",
                    ),
                    notAString,
                ),
            )
            .map(([n, bad]) => {
                const i = n % ids.length;
                const list2: unknown[] = [...ids];
                list2[i] = bad;
                return {
                    kind: "instance id invalid",
                    path: `instanceIds[${i}]`,
                    news: { ...v, instanceIds: list2 },
                };
            }),
        fc.tuple(fc.nat(), fc.nat()).map(([a, b]) => {
            const full = ids.length >= LIMITS.instanceIds[1];
            // The repeat comes after the original: inserted, or (in a full list) in place of one.
            const j = a % (full ? ids.length - 1 : ids.length);
            const k = full ? j + 1 + (b % (ids.length - j - 1)) : j + 1 + (b % (ids.length - j));
            const list2 = full
                ? ids.map((x, i) => (i === k ? (ids[j] as string) : x))
                : [...ids.slice(0, k), ids[j] as string, ...ids.slice(k)];
            return {
                kind: "instance id repeated",
                path: `instanceIds[${k}]`,
                news: { ...v, instanceIds: list2 },
            };
        }),
        at(v, "region invalid", "region", badAlicloudRegion),
        at(v, "endpoint invalid", "endpoint", badAlicloudEndpoint),
        at(v, "when not allowed", "when", badEnum(WHEN)),
        at(v, "eventTypes not a list", "eventTypes", notAList),
        at(v, "eventTypes empty", "eventTypes", fc.constant([])),
        fc
            .tuple(
                fc.nat(),
                fc.oneof(
                    fc.constantFrom(
                        "SystemFailure.Delete",
                        "InstanceFailure.Reboot",
                        "systemmaintenance.reboot",
                        "SystemMaintenance.Reboot ",
                        "",
                        null,
                        undefined,
                    ),
                    badEnum(DEFAULT_REDEPLOY_EVENT_TYPES),
                ),
            )
            .map(([n, bad]) => {
                const list2: unknown[] =
                    eventTypes.length > 0 ? [...eventTypes] : ["SystemFailure.Redeploy"];
                const i = n % (list2.length + 1);
                list2.splice(i, 0, bad);
                const news: Props = { ...v, eventTypes: list2 };
                if (news.when === "always") news.when = "systemEvent";
                return { kind: "event type not allowed", path: `eventTypes[${i}]`, news };
            }),
        fc
            .array(fc.constantFrom(...DEFAULT_REDEPLOY_EVENT_TYPES), { minLength: 1, maxLength: 3 })
            .map((types) => ({
                kind: 'eventTypes with when "always"',
                path: "eventTypes",
                news: { ...v, when: "always", eventTypes: types },
            })),
        at(v, "forceStop not a boolean", "forceStop", badBoolean),
        at(v, "allowLocalDiskDataLoss not a boolean", "allowLocalDiskDataLoss", badBoolean),
        at(v, "maxConcurrent out of range", "maxConcurrent", badInteger(...LIMITS.maxConcurrent), {
            range: LIMITS.maxConcurrent,
        }),
        at(
            v,
            "timeoutMinutes out of range",
            "timeoutMinutes",
            badInteger(...LIMITS.timeoutMinutes),
            {
                range: LIMITS.timeoutMinutes,
            },
        ),
        at(
            v,
            "triggers not an object or list",
            "triggers",
            fc.oneof(
                notAString.filter((x) => typeof x !== "object"),
                fc.string({ maxLength: 10 }),
            ),
        ),
        fc.tuple(unknownKey(INPUT_KEYS), fc.jsonValue()).map(([key, value]) => ({
            kind: "unknown argument",
            path: key,
            news: setAt(v, [key], value) as Props,
            unknownAt: false as const,
        })),
    ];
    return fc.oneof(...list);
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

function provider(calls: Calls): InstanceRedeployProvider {
    return new InstanceRedeployProvider({
        ecs: (): EcsApi => {
            calls.clients++;
            throw new Error("check must not build an ECS client");
        },
        clock: countingClock(calls),
        log: () => {
            calls.logs++;
        },
        env: { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" },
    });
}

checkProperties({
    label: "alicloud.InstanceRedeploy",
    provider,
    keys: INPUT_KEYS,
    valid: validRedeploy,
    mutate: mutateRedeploy,
    runs: { junk: 5000, valid: 3000, invalid: 5000, unknown: 2000 },
});

describe("alicloud.InstanceRedeploy check: bugs found by the properties (fixed)", () => {
    const allowed = DEFAULT_REDEPLOY_EVENT_TYPES.map((t) => `"${t}"`).join(", ");

    // c.oneOf skipped null, so a null event type passed check; the provider then matched no event
    // against it, and an eventTypes of [null] silently redeployed nothing.
    test("a null event type is reported with the allowed values", () => {
        const { violations } = validateInstanceRedeploy({
            instanceIds: ["i-1"],
            eventTypes: [null, "SystemFailure.Redeploy"],
        });
        expect(violations.map((v) => v.reason)).toEqual([
            `eventTypes[0] must be one of ${allowed}; got null`,
        ]);
    });

    test("an undefined event type is reported too", () => {
        const { violations } = validateInstanceRedeploy({
            instanceIds: ["i-1"],
            eventTypes: ["SystemFailure.Redeploy", undefined],
        });
        expect(violations.map((v) => v.reason)).toEqual([
            `eventTypes[1] must be one of ${allowed}; got nothing`,
        ]);
    });

    // A NaN was reported as "got null" (JSON.stringify(NaN)), which misleads.
    test("a NaN is reported as NaN, not null", () => {
        const { violations } = validateInstanceRedeploy({
            instanceIds: ["i-1"],
            maxConcurrent: NaN,
        });
        expect(violations.map((v) => v.reason)).toEqual([
            "maxConcurrent must be an integer from 1 to 100; got NaN",
        ]);
    });

    test("Infinity and -Infinity are reported as such", () => {
        const { violations } = validateInstanceRedeploy({
            instanceIds: ["i-1"],
            maxConcurrent: Infinity,
            timeoutMinutes: -Infinity,
        });
        expect(violations.map((v) => v.reason)).toEqual([
            "maxConcurrent must be an integer from 1 to 100; got Infinity",
            "timeoutMinutes must be an integer from 1 to 1440; got -Infinity",
        ]);
    });

    // An own "__proto__" key (JSON.parse makes one) must not become the prototype of the inputs,
    // and is reported like any other unknown argument.
    test("an own __proto__ key is reported and does not replace the defaults", () => {
        const news = JSON.parse(
            '{"instanceIds":["i-1"],"__proto__":{"timeoutMinutes":"junk"}}',
        ) as Props;
        const { inputs, violations } = validateInstanceRedeploy(news);
        expect(violations.map((v) => v.property)).toEqual(["__proto__"]);
        expect(Object.getPrototypeOf(inputs)).toBe(Object.prototype);
        expect(Object.prototype.hasOwnProperty.call(inputs, "__proto__")).toBe(false);
        expect(inputs.timeoutMinutes).toBe(DEFAULTS.timeoutMinutes);
    });
});
