/**
 * Property-based tests of alicloud.InstanceRefresh's check (issue 6, "Bad input"): generated
 * argument objects, valid and not; see arbitraries.ts for the properties.
 */
import fc from "fast-check";
import { EssApi } from "../../src/clouds/alicloud/ess";
import { InstanceRefreshProvider } from "../../src/resources/alicloudInstanceRefresh/provider";
import { LIMITS, REFRESH_KEYS, WAIT_KEYS } from "../../src/resources/alicloudInstanceRefresh/types";
import { validateInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/validate";
import {
    alicloudEndpoint,
    alicloudRegion,
    badAlicloudEndpoint,
    badAlicloudRegion,
    badBoolean,
    badEnum,
    badInteger,
    boundedString,
    Calls,
    checkpointList,
    checkProperties,
    countingClock,
    intIn,
    Mutation,
    notAList,
    notAnObject,
    notAString,
    opt,
    parsePath,
    Props,
    setAt,
    UNKNOWN,
    unknownKey,
} from "./arbitraries";

const KEYS = [...REFRESH_KEYS, ...WAIT_KEYS] as const;
const SOURCES = ["imageId", "scalingConfigurationId", "launchTemplateId", "containers"] as const;
type Source = (typeof SOURCES)[number];
const DESIRED_KEYS = [...SOURCES, "launchTemplateVersion", "launchTemplateOverrides"];
const CONTAINER_KEYS = ["name", "image", "commands", "args", "environmentVars"];
const ON_FAILURE = ["rollback", "fail"] as const;
const ON_TIMEOUT = ["cancel", "rollback", "leave"] as const;
const ON_CONFLICT = ["wait", "cancel", "fail"] as const;

// ---------------------------------------------------------------------------------------------
// Valid arguments
// ---------------------------------------------------------------------------------------------

const instanceType = fc.stringMatching(/^ecs\.[a-z0-9-]{1,8}\.[a-z0-9-]{1,10}$/);
const templateVersion = fc.oneof(
    fc.constantFrom("Default", "Latest", "1"),
    fc.integer({ min: 1 }).map(String),
    fc.stringMatching(/^[1-9][0-9]{0,20}$/),
);
const envKey = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,20}$/);
const container = fc.record(
    {
        // No length is given for names or ids (seed 003): longer ones are valid too.
        name: opt(boundedString(300)),
        image: opt(boundedString(200)),
        commands: opt(fc.array(boundedString(256), { maxLength: 3 })),
        args: opt(fc.array(fc.string({ maxLength: 20 }), { maxLength: 3 })),
        environmentVars: opt(
            fc.array(
                fc.record(
                    {
                        key: fc.oneof(envKey, fc.constant("A".repeat(128))),
                        value: opt(boundedString(256, 0)),
                    },
                    { requiredKeys: ["key"] },
                ),
                { maxLength: 3 },
            ),
        ),
    },
    { requiredKeys: [] },
);

/** A valid value of one desired-configuration source (with its companions for a template). */
function sourceValue(k: Source): fc.Arbitrary<Props> {
    switch (k) {
        case "imageId":
            return boundedString(300).map((imageId) => ({ imageId }));
        case "scalingConfigurationId":
            return boundedString(300).map((scalingConfigurationId) => ({ scalingConfigurationId }));
        case "launchTemplateId":
            return fc.record(
                {
                    launchTemplateId: boundedString(300),
                    launchTemplateVersion: opt(templateVersion),
                    launchTemplateOverrides: opt(
                        fc.array(fc.record({ instanceType }), { minLength: 1, maxLength: 14 }),
                    ),
                },
                { requiredKeys: ["launchTemplateId"] },
            );
        case "containers":
            return fc
                .array(container, { minLength: 1, maxLength: 3 })
                .map((containers) => ({ containers }));
    }
}

/** A valid desired configuration: one source, or imageId with scalingConfigurationId (the seed's example). */
const desiredConfiguration = fc.oneof(
    fc.constantFrom(...SOURCES).chain(sourceValue),
    fc
        .tuple(sourceValue("imageId"), sourceValue("scalingConfigurationId"))
        .map(([a, b]) => ({ ...a, ...b })),
);

/** The source a desired configuration may also name alongside `k`. */
const PARTNER: Partial<Record<Source, Source>> = {
    imageId: "scalingConfigurationId",
    scalingConfigurationId: "imageId",
};

const validEss: fc.Arbitrary<Props> = fc
    .record(
        {
            scalingGroupId: boundedString(300),
            region: opt(alicloudRegion),
            endpoint: opt(alicloudEndpoint),
            desiredConfiguration: opt(desiredConfiguration),
            minHealthyPercentage: opt(intIn(...LIMITS.minHealthyPercentage)),
            maxHealthyPercentage: opt(intIn(...LIMITS.maxHealthyPercentage)),
            skipMatching: opt(fc.boolean()),
            checkpoints: opt(checkpointList),
            checkpointPauseMinutes: opt(intIn(...LIMITS.checkpointPauseMinutes)),
            triggers: opt(fc.jsonValue({ maxDepth: 2 })),
            timeoutMinutes: opt(intIn(...LIMITS.timeoutMinutes)),
            onFailure: opt(fc.constantFrom(...ON_FAILURE)),
            onTimeout: opt(fc.constantFrom(...ON_TIMEOUT)),
            onConflict: opt(fc.constantFrom(...ON_CONFLICT)),
            __provider: opt(fc.string({ maxLength: 10 })),
        },
        { requiredKeys: ["scalingGroupId"] },
    )
    .map((v) => {
        // ESS cannot roll back a refresh to a "Default"/"Latest" template version.
        const version = v.desiredConfiguration?.launchTemplateVersion;
        if (version === "Default" || version === "Latest") {
            return {
                ...v,
                onFailure: v.onFailure === "rollback" ? "fail" : v.onFailure,
                onTimeout: v.onTimeout === "rollback" ? "cancel" : v.onTimeout,
            };
        }
        return v;
    });

// ---------------------------------------------------------------------------------------------
// One invalid value
// ---------------------------------------------------------------------------------------------

/** `value` at `path` of `v`. */
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

const tooLong = (max: number): fc.Arbitrary<string> =>
    fc.integer({ min: max + 1, max: max + 3000 }).map((n) => "z".repeat(n));

/** Not a string, or empty: all a string without a documented length can be wrong by. */
const emptyOrNotAString: fc.Arbitrary<unknown> = fc.oneof(notAString, fc.constant(""));

function mutateEss(v: Props): fc.Arbitrary<Mutation> {
    const dc = (v.desiredConfiguration ?? {}) as Props;
    const given = SOURCES.filter((k) => dc[k] !== undefined && dc[k] !== null);
    const source = given[0];
    const d = "desiredConfiguration";
    const list: fc.Arbitrary<Mutation>[] = [
        at(v, "scalingGroupId missing", "scalingGroupId", fc.constantFrom(undefined, null, "")),
        at(v, "scalingGroupId invalid", "scalingGroupId", notAString),
        at(v, "region invalid", "region", badAlicloudRegion),
        at(v, "endpoint invalid", "endpoint", badAlicloudEndpoint),
        at(v, "desiredConfiguration not an object", d, notAnObject),
        at(v, "desiredConfiguration without a source", d, fc.constant({})),
        ...(given.length === 0
            ? []
            : [
                  fc
                      .constantFrom(
                          ...SOURCES.filter(
                              (k) =>
                                  !given.includes(k) &&
                                  !(
                                      given.length === 1 &&
                                      source !== undefined &&
                                      PARTNER[source] === k
                                  ),
                          ),
                      )
                      .chain((k) => sourceValue(k).map((extra) => ({ k, extra })))
                      .map(({ k, extra }) => ({
                          kind: "desiredConfiguration with two sources",
                          path: d,
                          news: setAt(v, [d, k], extra[k]) as Props,
                          unknownAt: [d, k],
                      })),
                  fc.tuple(unknownKey(DESIRED_KEYS), fc.jsonValue()).map(([key, value]) => ({
                      kind: "desiredConfiguration unknown key",
                      path: `${d}.${key}`,
                      news: setAt(v, [d, key], value) as Props,
                      unknownAt: false as const,
                  })),
              ]),
        ...(
            [
                "minHealthyPercentage",
                "maxHealthyPercentage",
                "checkpointPauseMinutes",
                "timeoutMinutes",
            ] as const
        ).map((k) => {
            const range = LIMITS[k];
            return at(v, `${k} out of range`, k, badInteger(range[0], range[1]), { range });
        }),
        at(v, "skipMatching not a boolean", "skipMatching", badBoolean),
        at(v, "onFailure not allowed", "onFailure", badEnum(ON_FAILURE)),
        at(v, "onTimeout not allowed", "onTimeout", badEnum(ON_TIMEOUT)),
        at(v, "onConflict not allowed", "onConflict", badEnum(ON_CONFLICT)),
        fc.tuple(unknownKey(KEYS), fc.jsonValue()).map(([key, value]) => ({
            kind: "unknown argument",
            path: key,
            news: setAt(v, [key], value) as Props,
            unknownAt: false as const,
        })),
        ...checkpointMutations(v),
    ];

    // The source's own value.
    if (source === "imageId") {
        list.push(at(v, "imageId invalid", `${d}.imageId`, emptyOrNotAString));
    }
    if (source === "scalingConfigurationId") {
        list.push(
            at(
                v,
                "scalingConfigurationId invalid",
                `${d}.scalingConfigurationId`,
                emptyOrNotAString,
            ),
        );
    }
    if (source === "launchTemplateId") {
        list.push(
            at(v, "launchTemplateId invalid", `${d}.launchTemplateId`, emptyOrNotAString),
            at(
                v,
                "launchTemplateVersion invalid",
                `${d}.launchTemplateVersion`,
                fc.oneof(
                    fc.constantFrom(
                        "0",
                        "01",
                        "latest",
                        "default",
                        "$Latest",
                        "v1",
                        "1.0",
                        " 1",
                        "1 ",
                        "",
                    ),
                    notAString,
                ),
            ),
            at(v, "launchTemplateOverrides not a list", `${d}.launchTemplateOverrides`, notAList),
            at(v, "launchTemplateOverrides empty", `${d}.launchTemplateOverrides`, fc.constant([])),
            fc
                .tuple(
                    fc.array(fc.record({ instanceType }), { minLength: 1, maxLength: 14 }),
                    fc.nat(),
                    fc.oneof(
                        notAnObject.map((o) => ({ o, sub: "" })),
                        fc
                            .oneof(fc.constantFrom(undefined, null, ""), notAString)
                            .map((t) => ({ o: { instanceType: t }, sub: ".instanceType" })),
                        fc
                            .tuple(instanceType, unknownKey(["instanceType"]))
                            .map(([t, k]) => ({ o: { instanceType: t, [k]: 1 }, sub: `.${k}` })),
                    ),
                )
                .map(([os, n, { o, sub }]) => {
                    const i = n % os.length;
                    const path = `${d}.launchTemplateOverrides[${i}]${sub}`;
                    const list2: unknown[] = [...os];
                    list2[i] = o;
                    const m: Mutation = {
                        kind: "launchTemplateOverrides item invalid",
                        path,
                        news: setAt(v, [d, "launchTemplateOverrides"], list2) as Props,
                    };
                    // An unknown key stays unknown whatever its value.
                    if (sub.startsWith(".") && sub !== ".instanceType") m.unknownAt = false;
                    return m;
                }),
            // ESS cannot roll back a refresh to a moving version.
            fc
                .tuple(
                    fc.constantFrom("Default", "Latest"),
                    fc.constantFrom("onFailure", "onTimeout"),
                )
                .map(([version, which]) => ({
                    kind: "rollback with a moving template version",
                    path: which,
                    also: ["onFailure", "onTimeout"],
                    news: {
                        ...(setAt(v, [d, "launchTemplateVersion"], version) as Props),
                        [which]: "rollback",
                    },
                })),
        );
    } else {
        list.push(
            at(
                v,
                "launchTemplateVersion without launchTemplateId",
                `${d}.launchTemplateVersion`,
                templateVersion,
                // "Default"/"Latest" also refuse a rollback.
                { also: ["onFailure", "onTimeout"] },
            ),
            at(
                v,
                "launchTemplateOverrides without launchTemplateId",
                `${d}.launchTemplateOverrides`,
                fc.array(fc.record({ instanceType }), { minLength: 1, maxLength: 3 }),
            ),
        );
    }
    if (source === "containers") {
        list.push(
            at(v, "containers not a list", `${d}.containers`, notAList),
            at(v, "containers empty", `${d}.containers`, fc.constant([])),
            containerMutation(v),
        );
    }
    return fc.oneof(...list);
}

function containerMutation(v: Props): fc.Arbitrary<Mutation> {
    const containers = (v.desiredConfiguration as Props).containers as Props[];
    return fc.nat().chain((n) => {
        const i = n % containers.length;
        const c = containers[i] as Props;
        const p = `desiredConfiguration.containers[${i}]`;
        const commands = Array.isArray(c.commands) ? c.commands : [];
        const args = Array.isArray(c.args) ? c.args : [];
        const envs = Array.isArray(c.environmentVars) ? (c.environmentVars as Props[]) : [];
        const options: fc.Arbitrary<Mutation>[] = [
            at(v, "container not an object", p, notAnObject),
            at(v, "container name invalid", `${p}.name`, emptyOrNotAString),
            at(v, "container image invalid", `${p}.image`, fc.oneof(notAString, fc.constant(""))),
            at(v, "container commands not a list", `${p}.commands`, notAList),
            at(
                v,
                "container command invalid",
                `${p}.commands[${commands.length}]`,
                fc.oneof(fc.constantFrom(undefined, null, ""), notAString, tooLong(256)),
            ).map((m) => ({
                ...m,
                news: setAt(v, parsePath(`${p}.commands`), [...commands, m.value]) as Props,
            })),
            at(v, "container args not a list", `${p}.args`, notAList),
            at(v, "container arg invalid", `${p}.args[${args.length}]`, notAString).map((m) => ({
                ...m,
                news: setAt(v, parsePath(`${p}.args`), [...args, m.value]) as Props,
            })),
            at(v, "container environmentVars not a list", `${p}.environmentVars`, notAList),
            fc
                .oneof(
                    notAnObject.map((e) => ({ e, sub: "" })),
                    fc
                        .oneof(
                            fc.constantFrom(
                                undefined,
                                null,
                                "",
                                "1ABC",
                                "A-B",
                                "A B",
                                "A.B",
                                "\u00c9",
                            ),
                            notAString,
                            fc.constant("K".repeat(129)),
                        )
                        .map((key) => ({ e: { key, value: "v" }, sub: ".key" })),
                    fc
                        .oneof(notAString, tooLong(256))
                        .map((value) => ({ e: { key: "K", value }, sub: ".value" })),
                    unknownKey(["key", "value", "fieldRefFieldPath"]).map((k) => ({
                        e: { key: "K", [k]: "x" },
                        sub: `.${k}`,
                    })),
                    // "This parameter is not available."
                    fc.string({ maxLength: 20 }).map((fieldRefFieldPath) => ({
                        e: { key: "K", fieldRefFieldPath },
                        sub: ".fieldRefFieldPath",
                    })),
                )
                .map(({ e, sub }) => {
                    const path = `${p}.environmentVars[${envs.length}]${sub}`;
                    const known = ["", ".key", ".value", ".fieldRefFieldPath"].includes(sub);
                    return {
                        kind: "container environment variable invalid",
                        path,
                        news: setAt(v, parsePath(`${p}.environmentVars`), [...envs, e]) as Props,
                        unknownAt: known ? undefined : (false as const),
                    };
                }),
            unknownKey(CONTAINER_KEYS).map((k) => ({
                kind: "container unknown key",
                path: `${p}.${k}`,
                news: setAt(v, [...parsePath(p), k], "x") as Props,
                unknownAt: false as const,
            })),
        ];
        return fc.oneof(...options);
    });
}

function checkpointMutations(v: Props): fc.Arbitrary<Mutation>[] {
    const list = Array.isArray(v.checkpoints) ? (v.checkpoints as number[]) : [20, 50, 100];
    const base = { ...v, checkpoints: list };
    const out: fc.Arbitrary<Mutation>[] = [
        at(base, "checkpoints not a list", "checkpoints", notAList),
        at(base, "checkpoints empty", "checkpoints", fc.constant([])),
        at(
            base,
            "checkpoints too many",
            "checkpoints",
            fc
                .integer({ min: 101, max: 150 })
                .map((n) => Array.from({ length: n }, (_, i) => i + 1)),
        ),
        fc
            .tuple(
                fc.nat(),
                fc.oneof({ weight: 5, arbitrary: badInteger(1, 100) }, fc.constant(null)),
            )
            .map(([n, bad]) => {
                const i = n % list.length;
                return {
                    kind: "checkpoint out of range",
                    path: `checkpoints[${i}]`,
                    range: LIMITS.checkpointPercentage,
                    value: bad,
                    news: setAt(base, ["checkpoints", i], bad) as Props,
                };
            }),
    ];
    if (list.length >= 2) {
        out.push(
            fc.nat().chain((n) => {
                const i = 1 + (n % (list.length - 1));
                const prev = list[i - 1] as number;
                return fc.integer({ min: 1, max: prev }).map((bad) => ({
                    kind: "checkpoint not ascending",
                    path: `checkpoints[${i}]`,
                    news: setAt(base, ["checkpoints", i], bad) as Props,
                }));
            }),
            fc.constant({
                kind: "checkpoints not ending with 100",
                path: "checkpoints",
                news: { ...base, checkpoints: list.slice(0, -1) },
            }),
        );
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

function provider(calls: Calls): InstanceRefreshProvider {
    return new InstanceRefreshProvider({
        ess: (): EssApi => {
            calls.clients++;
            throw new Error("check must not build an ESS client");
        },
        clock: countingClock(calls),
        log: () => {
            calls.logs++;
        },
        env: { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" },
    });
}

checkProperties({
    label: "alicloud.InstanceRefresh",
    provider,
    keys: KEYS,
    valid: validEss,
    mutate: mutateEss,
    runs: { junk: 5000, valid: 3000, invalid: 5000, unknown: 2000 },
});

describe("alicloud.InstanceRefresh check: bugs found by the properties (fixed)", () => {
    const base = { scalingGroupId: "asg-1", desiredConfiguration: { imageId: "m-1" } };

    // An unknown launchTemplateVersion (or launchTemplateOverrides) next to an image failed in
    // preview, although the value may resolve to nothing; unknown values are to be accepted.
    test("an unknown launchTemplateVersion without a template is accepted", () => {
        const { violations } = validateInstanceRefresh({
            ...base,
            desiredConfiguration: { imageId: "m-1", launchTemplateVersion: UNKNOWN },
        });
        expect(violations).toEqual([]);
    });

    test("an unknown launchTemplateOverrides without a template is accepted", () => {
        const { violations } = validateInstanceRefresh({
            ...base,
            desiredConfiguration: { imageId: "m-1", launchTemplateOverrides: UNKNOWN },
        });
        expect(violations).toEqual([]);
    });

    test("a known launchTemplateVersion without a template is still reported", () => {
        const { violations } = validateInstanceRefresh({
            ...base,
            desiredConfiguration: { imageId: "m-1", launchTemplateVersion: "2" },
        });
        expect(violations.map((v) => v.reason)).toEqual([
            "desiredConfiguration.launchTemplateVersion can only be set together with desiredConfiguration.launchTemplateId",
        ]);
    });

    // A NaN was reported as "got null" (JSON.stringify(NaN)), which misleads.
    test("a NaN is reported as NaN, not null", () => {
        const { violations } = validateInstanceRefresh({ ...base, timeoutMinutes: NaN });
        expect(violations.map((v) => v.reason)).toEqual([
            "timeoutMinutes must be an integer from 1 to 10080; got NaN",
        ]);
    });

    test("a NaN checkpoint last in the list is reported as NaN", () => {
        const { violations } = validateInstanceRefresh({ ...base, checkpoints: [50, NaN] });
        expect(violations.map((v) => v.reason)).toEqual([
            "checkpoints[1] must be an integer from 1 to 100; got NaN",
            "checkpoints must end with 100 (the last checkpoint is the whole group); got NaN",
        ]);
    });

    // Null elements of lists were skipped like values not given.
    test("a null element of a list is reported at its path", () => {
        const { violations } = validateInstanceRefresh({
            ...base,
            checkpoints: [null, 100],
            desiredConfiguration: {
                containers: [null, { image: "nginx", args: [null], environmentVars: [null] }],
            },
        });
        expect(violations.map((v) => v.reason)).toEqual([
            "desiredConfiguration.containers[0] must be an object; got null",
            "desiredConfiguration.containers[1].args[0] must be a string; got null",
            "desiredConfiguration.containers[1].environmentVars[0] must be an object; got null",
            "checkpoints[0] must be an integer from 1 to 100; got null",
        ]);
        const overrides = validateInstanceRefresh({
            ...base,
            desiredConfiguration: { launchTemplateId: "lt-1", launchTemplateOverrides: [null] },
        });
        expect(overrides.violations.map((v) => v.reason)).toEqual([
            "desiredConfiguration.launchTemplateOverrides[0] must be an object; got null",
        ]);
    });

    // An own "__proto__" key (JSON.parse makes one) was assigned to the inputs object, which
    // replaced its prototype: its values then hid the defaults and skipped validation. Now it is
    // left out of the inputs and reported like any other unknown argument.
    test("an own __proto__ key is reported and does not replace the defaults", () => {
        const news = JSON.parse(
            '{"scalingGroupId":"a","desiredConfiguration":{"imageId":"m"},"__proto__":{"timeoutMinutes":"junk"}}',
        ) as Props;
        const { inputs, violations } = validateInstanceRefresh(news);
        expect(violations.map((v) => v.property)).toEqual(["__proto__"]);
        expect(violations[0]?.reason).toMatch(/^__proto__ is not a known property; the known/);
        expect(Object.getPrototypeOf(inputs)).toBe(Object.prototype);
        expect(Object.prototype.hasOwnProperty.call(inputs, "timeoutMinutes")).toBe(true);
        expect(inputs.timeoutMinutes).toBe(60);
    });
});
