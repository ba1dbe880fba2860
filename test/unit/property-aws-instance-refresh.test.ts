/**
 * Property-based tests of aws.InstanceRefresh's check (issue 6, "Bad input"): generated argument
 * objects, valid and not; see arbitraries.ts for the properties.
 */
import fc from "fast-check";
import { AutoScalingApi } from "../../src/clouds/aws/autoscaling";
import { AwsInstanceRefreshProvider } from "../../src/resources/awsInstanceRefresh/provider";
import {
    AWS_LIMITS,
    AWS_REFRESH_KEYS,
    AWS_WAIT_KEYS,
} from "../../src/resources/awsInstanceRefresh/types";
import { validateAwsInstanceRefresh } from "../../src/resources/awsInstanceRefresh/validate";
import {
    awsEndpoint,
    awsRegion,
    badAwsEndpoint,
    badAwsRegion,
    badBoolean,
    badEnum,
    badInteger,
    boundedString,
    Calls,
    awsCheckpointList,
    checkProperties,
    countingClock,
    intIn,
    Mutation,
    notAList,
    notAnObject,
    notAString,
    opt,
    parsePath,
    Path,
    pathText,
    Props,
    setAt,
    UNKNOWN,
    unknownKey,
} from "./arbitraries";

const KEYS = [...AWS_REFRESH_KEYS, ...AWS_WAIT_KEYS] as const;
const PREFERENCE_KEYS = [
    "minHealthyPercentage",
    "maxHealthyPercentage",
    "instanceWarmupSeconds",
    "checkpointPercentages",
    "checkpointDelaySeconds",
    "skipMatching",
    "autoRollback",
    "scaleInProtectedInstances",
    "standbyInstances",
    "alarmSpecification",
    "bakeTimeSeconds",
];
const TEMPLATE_KEYS = ["launchTemplateId", "launchTemplateName", "version"];
const ON_FAILURE = ["rollback", "fail"] as const;
const ON_TIMEOUT = ["cancel", "rollback", "leave"] as const;
const ON_CONFLICT = ["wait", "cancel", "fail"] as const;
const SCALE_IN = ["Refresh", "Ignore", "Wait"] as const;
const STANDBY = ["Terminate", "Ignore", "Wait"] as const;
const L = AWS_LIMITS;

const given = (v: unknown): boolean => v !== undefined && v !== null;
const isRecord = (v: unknown): v is Props =>
    typeof v === "object" && v !== null && !Array.isArray(v);

// ---------------------------------------------------------------------------------------------
// Valid arguments
// ---------------------------------------------------------------------------------------------

const templateId = fc.stringMatching(/^lt-[0-9a-f]{8,17}$/);
const templateVersion = fc.oneof(
    fc.constantFrom("$Latest", "$Default", "1"),
    fc.integer({ min: 1 }).map(String),
    fc.stringMatching(/^[1-9][0-9]{0,20}$/),
);
const templateSpec: fc.Arbitrary<Props> = fc.oneof(
    fc.record(
        { launchTemplateId: templateId, version: opt(templateVersion) },
        { requiredKeys: ["launchTemplateId"] },
    ),
    fc.record(
        { launchTemplateName: boundedString(128), version: opt(templateVersion) },
        { requiredKeys: ["launchTemplateName"] },
    ),
);
const override = fc.record(
    {
        instanceType: opt(fc.stringMatching(/^[a-z][a-z0-9]{1,4}\.[a-z0-9]{2,10}$/)),
        weightedCapacity: opt(intIn(1, 999).map(String)),
        launchTemplateSpecification: opt(templateSpec),
    },
    { requiredKeys: [] },
);
const mixedInstancesPolicy = fc.record(
    {
        launchTemplate: fc.record(
            {
                launchTemplateSpecification: opt(templateSpec),
                overrides: opt(fc.array(override, { maxLength: 40 })),
            },
            { requiredKeys: [] },
        ),
        instancesDistribution: opt(
            fc.record(
                {
                    onDemandAllocationStrategy: opt(fc.constantFrom("prioritized", "lowest-price")),
                    onDemandBaseCapacity: opt(fc.nat(100)),
                    onDemandPercentageAboveBaseCapacity: opt(fc.nat(100)),
                    spotAllocationStrategy: opt(fc.constantFrom("capacity-optimized")),
                    spotInstancePools: opt(fc.integer({ min: 1, max: 20 })),
                    spotMaxPrice: opt(fc.constantFrom("", "0.05")),
                },
                { requiredKeys: [] },
            ),
        ),
    },
    { requiredKeys: ["launchTemplate"] },
);
const desiredConfiguration: fc.Arbitrary<Props> = fc.oneof(
    templateSpec.map((launchTemplate) => ({ launchTemplate })),
    mixedInstancesPolicy.map((m) => ({ mixedInstancesPolicy: m })),
);

const preferences: fc.Arbitrary<Props> = fc
    .record(
        {
            minHealthyPercentage: opt(intIn(...L.minHealthyPercentage)),
            maxHealthyPercentage: opt(intIn(...L.maxHealthyPercentage)),
            instanceWarmupSeconds: opt(intIn(...L.instanceWarmupSeconds)),
            checkpointPercentages: opt(awsCheckpointList),
            checkpointDelaySeconds: opt(intIn(...L.checkpointDelaySeconds)),
            skipMatching: opt(fc.boolean()),
            autoRollback: opt(fc.boolean()),
            scaleInProtectedInstances: opt(fc.constantFrom(...SCALE_IN)),
            standbyInstances: opt(fc.constantFrom(...STANDBY)),
            alarmSpecification: opt(
                fc.record(
                    {
                        alarms: opt(
                            fc.array(boundedString(255), { minLength: 1, maxLength: L.alarms[1] }),
                        ),
                    },
                    { requiredKeys: [] },
                ),
            ),
            bakeTimeSeconds: opt(intIn(...L.bakeTimeSeconds)),
        },
        { requiredKeys: [] },
    )
    .map((p) => {
        const q: Props = { ...p };
        // AWS wants minHealthyPercentage with maxHealthyPercentage, at most 100 apart.
        if (given(q.maxHealthyPercentage)) {
            const max = q.maxHealthyPercentage as number;
            if (!given(q.minHealthyPercentage)) q.minHealthyPercentage = max - 100;
            else if (max - (q.minHealthyPercentage as number) > 100) {
                q.maxHealthyPercentage = (q.minHealthyPercentage as number) + 100;
            }
        }
        // A checkpoint delay needs checkpoints.
        if (given(q.checkpointDelaySeconds) && !given(q.checkpointPercentages)) {
            delete q.checkpointDelaySeconds;
        }
        return q;
    });

/** Whether a template reference uses a version that moves ("$Latest", "$Default", none). */
function movingVersion(spec: unknown): boolean {
    if (!isRecord(spec)) return false;
    return spec.version === "$Latest" || spec.version === "$Default" || !given(spec.version);
}

/** Whether a desired configuration names a moving template version anywhere. */
function aliased(desired: unknown): boolean {
    if (!isRecord(desired)) return false;
    if (given(desired.launchTemplate)) return movingVersion(desired.launchTemplate);
    const lt = (desired.mixedInstancesPolicy as Props).launchTemplate as Props;
    const overrides = Array.isArray(lt.overrides) ? (lt.overrides as Props[]) : [];
    return [lt.launchTemplateSpecification, ...overrides.map((o) => o.launchTemplateSpecification)]
        .filter(given)
        .some(movingVersion);
}

const validAws: fc.Arbitrary<Props> = fc
    .tuple(
        fc.record(
            {
                autoScalingGroupName: boundedString(255),
                region: opt(awsRegion),
                endpoint: opt(awsEndpoint),
                profile: opt(boundedString(30)),
                strategy: opt(fc.constant("Rolling")),
                desiredConfiguration: opt(desiredConfiguration),
                preferences: opt(preferences),
                triggers: opt(fc.jsonValue({ maxDepth: 2 })),
                timeoutMinutes: opt(intIn(...L.timeoutMinutes)),
                onFailure: opt(fc.constantFrom(...ON_FAILURE)),
                onTimeout: opt(fc.constantFrom(...ON_TIMEOUT)),
                onConflict: opt(fc.constantFrom(...ON_CONFLICT)),
                __provider: opt(fc.string({ maxLength: 10 })),
            },
            { requiredKeys: ["autoScalingGroupName"] },
        ),
        desiredConfiguration,
        fc.jsonValue({ maxDepth: 1 }).filter(given),
    )
    .map(([v, fallbackDesired, fallbackTriggers]) => {
        const out: Props = { ...v };
        const prefs = isRecord(out.preferences) ? { ...out.preferences } : undefined;
        if (prefs) out.preferences = prefs;
        // A rollback needs a desired configuration; onFailure "rollback" is AutoRollback.
        if (out.onFailure === "rollback" && prefs?.autoRollback === false)
            delete prefs.autoRollback;
        const rollback =
            out.onFailure === "rollback" ||
            out.onTimeout === "rollback" ||
            prefs?.autoRollback === true;
        if (rollback && !given(out.desiredConfiguration))
            out.desiredConfiguration = fallbackDesired;
        // A moving template version needs triggers.
        if (aliased(out.desiredConfiguration) && !given(out.triggers)) {
            out.triggers = fallbackTriggers;
        }
        return out;
    });

// ---------------------------------------------------------------------------------------------
// One invalid value
// ---------------------------------------------------------------------------------------------

function at(
    v: Props,
    kind: string,
    path: string | Path,
    arb: fc.Arbitrary<unknown>,
    more: Partial<Mutation> = {},
): fc.Arbitrary<Mutation> {
    const p = typeof path === "string" ? parsePath(path) : path;
    return arb.map((value) => ({
        kind,
        path: pathText(p),
        value,
        news: setAt(v, p, value) as Props,
        ...more,
    }));
}

const tooLong = (max: number): fc.Arbitrary<string> =>
    fc.integer({ min: max + 1, max: max + 3000 }).map((n) => "z".repeat(n));

const FIXED_DESIRED: Props = {
    launchTemplate: { launchTemplateId: "lt-0123456789abcdef0", version: "3" },
};

/** Mutations of a launch template reference at `p` (which holds `spec`, valid). */
function templateMutations(v: Props, p: Path, spec: Props): fc.Arbitrary<Mutation>[] {
    const version = spec.version;
    const keep = given(version) ? { version } : {};
    const put = (kind: string, sub: string, value: fc.Arbitrary<Props>): fc.Arbitrary<Mutation> =>
        value.map((s) => ({
            kind,
            path: pathText(p) + sub,
            news: setAt(v, p, s) as Props,
        }));
    return [
        at(v, "launch template not an object", p, notAnObject),
        put("launch template without id or name", "", fc.constant({ ...keep })),
        put(
            "launch template with id and name",
            "",
            fc
                .tuple(templateId, boundedString(128))
                .map(([id, name]) => ({ launchTemplateId: id, launchTemplateName: name, ...keep })),
        ),
        put(
            "launch template id invalid",
            ".launchTemplateId",
            fc
                .oneof(
                    fc.constantFrom(
                        "lt-123",
                        "lt-0123456789ABCDEF",
                        "lt-0123456789abcdef01",
                        "0123456789abcdef",
                        "lt-0123456789abcdeg",
                        "",
                    ),
                    notAString,
                )
                .map((id) => ({ launchTemplateId: id, ...keep })),
        ),
        put(
            "launch template name invalid",
            ".launchTemplateName",
            fc
                .oneof(fc.constant(""), notAString, tooLong(128))
                .map((name) => ({ launchTemplateName: name, ...keep })),
        ),
        put(
            "launch template version invalid",
            ".version",
            fc
                .tuple(
                    templateId,
                    fc.oneof(
                        fc.constantFrom("0", "01", "$latest", "Latest", "$Default ", "1.0", ""),
                        notAString,
                    ),
                )
                .map(([id, bad]) => ({ launchTemplateId: id, version: bad })),
        ),
        unknownKey(TEMPLATE_KEYS).map((k) => ({
            kind: "launch template unknown key",
            path: `${pathText(p)}.${k}`,
            news: setAt(v, [...p, k], "x") as Props,
            unknownAt: false as const,
        })),
    ];
}

function mutateAws(v: Props): fc.Arbitrary<Mutation> {
    const list: fc.Arbitrary<Mutation>[] = [
        at(
            v,
            "autoScalingGroupName missing",
            "autoScalingGroupName",
            fc.constantFrom(undefined, null, ""),
        ),
        at(
            v,
            "autoScalingGroupName invalid",
            "autoScalingGroupName",
            fc.oneof(notAString, tooLong(255)),
        ),
        at(v, "region invalid", "region", badAwsRegion),
        at(v, "endpoint invalid", "endpoint", badAwsEndpoint),
        at(v, "profile invalid", "profile", fc.oneof(fc.constant(""), notAString)),
        at(v, "strategy not allowed", "strategy", badEnum(["Rolling"])),
        at(v, "timeoutMinutes out of range", "timeoutMinutes", badInteger(...L.timeoutMinutes), {
            range: L.timeoutMinutes,
        }),
        at(v, "onFailure not allowed", "onFailure", badEnum(ON_FAILURE)),
        at(v, "onTimeout not allowed", "onTimeout", badEnum(ON_TIMEOUT)),
        at(v, "onConflict not allowed", "onConflict", badEnum(ON_CONFLICT)),
        fc.tuple(unknownKey(KEYS), fc.jsonValue()).map(([key, value]) => ({
            kind: "unknown argument",
            path: key,
            news: setAt(v, [key], value) as Props,
            unknownAt: false as const,
        })),
        ...desiredMutations(v),
        ...preferenceMutations(v),
    ];
    return fc.oneof(...list);
}

function desiredMutations(v: Props): fc.Arbitrary<Mutation>[] {
    const desired = given(v.desiredConfiguration)
        ? (v.desiredConfiguration as Props)
        : FIXED_DESIRED;
    const base: Props = { ...v, desiredConfiguration: desired };
    const d = "desiredConfiguration";
    const out: fc.Arbitrary<Mutation>[] = [
        at(base, "desiredConfiguration not an object", d, notAnObject),
        at(base, "desiredConfiguration empty", d, fc.constant({})),
        // A moving version without triggers.
        fc
            .tuple(
                templateSpec,
                fc.constantFrom<string | undefined>("$Latest", "$Default", undefined),
            )
            .map(([spec, version]) => {
                const news: Props = {
                    ...base,
                    desiredConfiguration: { launchTemplate: { ...spec, version } },
                };
                delete news.triggers;
                return { kind: "moving template version without triggers", path: d, news };
            }),
        // A rollback without a desired configuration.
        fc.constantFrom("onTimeout", "autoRollback").map((how) => {
            const news: Props = { ...v };
            delete news.desiredConfiguration;
            if (how === "onTimeout") news.onTimeout = "rollback";
            else {
                news.preferences = {
                    ...(isRecord(v.preferences) ? v.preferences : {}),
                    autoRollback: true,
                };
                if (news.onFailure === "rollback") news.onFailure = "fail";
            }
            return { kind: "rollback without desiredConfiguration", path: d, news };
        }),
        // onFailure "rollback" is AutoRollback: autoRollback false contradicts it.
        fc.constant({
            kind: "onFailure rollback with autoRollback false",
            path: "preferences.autoRollback",
            news: {
                ...base,
                onFailure: "rollback",
                preferences: {
                    ...(isRecord(v.preferences) ? v.preferences : {}),
                    autoRollback: false,
                },
            },
        }),
    ];
    if (given(desired.launchTemplate)) {
        out.push(
            mixedInstancesPolicy.map((m) => ({
                kind: "desiredConfiguration with both",
                path: d,
                news: setAt(base, [d, "mixedInstancesPolicy"], m) as Props,
                unknownAt: [d, "mixedInstancesPolicy"],
            })),
            ...templateMutations(base, [d, "launchTemplate"], desired.launchTemplate as Props),
        );
    } else {
        const m = desired.mixedInstancesPolicy as Props;
        const q: Path = [d, "mixedInstancesPolicy"];
        const lt = m.launchTemplate as Props;
        const overrides = Array.isArray(lt.overrides) ? (lt.overrides as Props[]) : [];
        const spec = isRecord(lt.launchTemplateSpecification)
            ? lt.launchTemplateSpecification
            : { launchTemplateId: "lt-0123456789abcdef0", version: "2" };
        const withSpec = setAt(
            base,
            [...q, "launchTemplate", "launchTemplateSpecification"],
            spec,
        ) as Props;
        const o = [...q, "launchTemplate", "overrides"];
        out.push(
            templateSpec.map((t) => ({
                kind: "desiredConfiguration with both",
                path: d,
                news: setAt(base, [d, "launchTemplate"], t) as Props,
                unknownAt: [d, "launchTemplate"],
            })),
            at(base, "mixedInstancesPolicy not an object", q, notAnObject),
            at(
                base,
                "mixedInstancesPolicy launchTemplate missing",
                [...q, "launchTemplate"],
                fc.constantFrom(undefined, null),
            ),
            at(
                base,
                "mixedInstancesPolicy launchTemplate not an object",
                [...q, "launchTemplate"],
                notAnObject,
            ),
            at(base, "overrides not a list", o, notAList),
            at(base, "overrides too many", o, fc.array(override, { minLength: 41, maxLength: 45 })),
            at(
                base,
                "instancesDistribution not an object",
                [...q, "instancesDistribution"],
                notAnObject,
            ),
            unknownKey([
                "onDemandAllocationStrategy",
                "onDemandBaseCapacity",
                "onDemandPercentageAboveBaseCapacity",
                "spotAllocationStrategy",
                "spotInstancePools",
                "spotMaxPrice",
            ]).map((k) => ({
                kind: "instancesDistribution unknown key",
                path: `${pathText(q)}.instancesDistribution.${k}`,
                news: setAt(base, [...q, "instancesDistribution"], { [k]: 1 }) as Props,
                unknownAt: false as const,
            })),
            unknownKey(["launchTemplate", "instancesDistribution"]).map((k) => ({
                kind: "mixedInstancesPolicy unknown key",
                path: `${pathText(q)}.${k}`,
                news: setAt(base, [...q, k], 1) as Props,
                unknownAt: false as const,
            })),
            ...templateMutations(
                withSpec,
                [...q, "launchTemplate", "launchTemplateSpecification"],
                spec,
            ),
        );
        // One override (appended, so its index is known).
        const i = overrides.length < 40 ? overrides.length : 0;
        const op: Path = [...o, i];
        const withOverride = setAt(
            base,
            o,
            overrides.length < 40 ? [...overrides, {}] : overrides,
        ) as Props;
        out.push(
            at(withOverride, "override not an object", op, notAnObject),
            at(
                withOverride,
                "override instanceType invalid",
                [...op, "instanceType"],
                fc.oneof(fc.constant(""), notAString),
            ),
            at(
                withOverride,
                "override weightedCapacity invalid",
                [...op, "weightedCapacity"],
                fc.oneof(fc.constantFrom("0", "1000", "01", "1.5", "", " 1", "-1"), notAString),
            ),
            unknownKey(["instanceType", "weightedCapacity", "launchTemplateSpecification"]).map(
                (k) => ({
                    kind: "override unknown key",
                    path: `${pathText(op)}.${k}`,
                    news: setAt(withOverride, [...op, k], 1) as Props,
                    unknownAt: false as const,
                }),
            ),
            // An invalid override template is reported also after a moving version.
            ...templateMutations(
                setAt(withOverride, [...op, "launchTemplateSpecification"], {
                    launchTemplateId: "lt-0123456789abcdef0",
                    version: "7",
                }) as Props,
                [...op, "launchTemplateSpecification"],
                { launchTemplateId: "lt-0123456789abcdef0", version: "7" },
            ),
        );
    }
    return out;
}

function preferenceMutations(v: Props): fc.Arbitrary<Mutation>[] {
    const prefs: Props = isRecord(v.preferences) ? { ...v.preferences } : {};
    const base: Props = { ...v, preferences: prefs };
    const p = "preferences";
    const cps = Array.isArray(prefs.checkpointPercentages)
        ? (prefs.checkpointPercentages as number[])
        : [25, 100];
    const withCps: Props = { ...v, preferences: { ...prefs, checkpointPercentages: cps } };
    const int = (k: keyof typeof L, b: Props = base): fc.Arbitrary<Mutation> =>
        at(b, `${k} out of range`, `${p}.${k}`, badInteger(L[k][0], L[k][1]), { range: L[k] });
    const out: fc.Arbitrary<Mutation>[] = [
        at(v, "preferences not an object", p, notAnObject),
        int("minHealthyPercentage"),
        int("maxHealthyPercentage"),
        int("instanceWarmupSeconds"),
        int("checkpointDelaySeconds", withCps),
        int("bakeTimeSeconds"),
        fc
            .integer({ min: 0, max: 99 })
            .chain((min) => fc.integer({ min: min + 101, max: 200 }).map((max) => ({ min, max })))
            .map(({ min, max }) => ({
                kind: "maxHealthyPercentage more than 100 above min",
                path: `${p}.maxHealthyPercentage`,
                news: {
                    ...base,
                    preferences: { ...prefs, minHealthyPercentage: min, maxHealthyPercentage: max },
                },
            })),
        intIn(...L.maxHealthyPercentage).map((max) => {
            const q: Props = { ...prefs, maxHealthyPercentage: max };
            delete q.minHealthyPercentage;
            return {
                kind: "maxHealthyPercentage without min",
                path: `${p}.maxHealthyPercentage`,
                news: { ...base, preferences: q },
            };
        }),
        intIn(...L.checkpointDelaySeconds).map((delay) => {
            const q: Props = { ...prefs, checkpointDelaySeconds: delay };
            delete q.checkpointPercentages;
            return {
                kind: "checkpointDelaySeconds without checkpoints",
                path: `${p}.checkpointDelaySeconds`,
                news: { ...base, preferences: q },
            };
        }),
        at(base, "skipMatching not a boolean", `${p}.skipMatching`, badBoolean),
        at(base, "autoRollback not a boolean", `${p}.autoRollback`, badBoolean),
        at(
            base,
            "scaleInProtectedInstances not allowed",
            `${p}.scaleInProtectedInstances`,
            badEnum(SCALE_IN),
        ),
        at(base, "standbyInstances not allowed", `${p}.standbyInstances`, badEnum(STANDBY)),
        at(base, "alarmSpecification not an object", `${p}.alarmSpecification`, notAnObject),
        at(base, "alarms not a list", `${p}.alarmSpecification.alarms`, notAList),
        at(base, "alarms empty", `${p}.alarmSpecification.alarms`, fc.constant([])),
        at(
            base,
            "alarms too many",
            `${p}.alarmSpecification.alarms`,
            fc.array(boundedString(20), { minLength: 11, maxLength: 20 }),
        ),
        fc
            .tuple(
                fc.array(boundedString(255), { maxLength: 9 }),
                fc.oneof(fc.constantFrom(undefined, null, ""), notAString, tooLong(255)),
            )
            .map(([alarms, bad]) => ({
                kind: "alarm invalid",
                path: `${p}.alarmSpecification.alarms[${alarms.length}]`,
                news: {
                    ...base,
                    preferences: { ...prefs, alarmSpecification: { alarms: [...alarms, bad] } },
                },
            })),
        unknownKey(["alarms"]).map((k) => ({
            kind: "alarmSpecification unknown key",
            path: `${p}.alarmSpecification.${k}`,
            news: { ...base, preferences: { ...prefs, alarmSpecification: { [k]: [] } } },
            unknownAt: false as const,
        })),
        unknownKey(PREFERENCE_KEYS).map((k) => ({
            kind: "preferences unknown key",
            path: `${p}.${k}`,
            news: setAt(base, [p, k], 1) as Props,
            unknownAt: false as const,
        })),
        at(withCps, "checkpointPercentages not a list", `${p}.checkpointPercentages`, notAList),
        at(withCps, "checkpointPercentages empty", `${p}.checkpointPercentages`, fc.constant([])),
        at(
            withCps,
            "checkpointPercentages too many",
            `${p}.checkpointPercentages`,
            fc
                .integer({ min: 101, max: 130 })
                .map((n) => Array.from({ length: n }, (_, i) => i + 1)),
        ),
        fc.tuple(fc.nat(), badInteger(...L.checkpointPercentage)).map(([n, bad]) => {
            const i = n % cps.length;
            return {
                kind: "checkpoint out of range",
                path: `${p}.checkpointPercentages[${i}]`,
                range: L.checkpointPercentage,
                value: bad,
                news: setAt(withCps, [p, "checkpointPercentages", i], bad) as Props,
            };
        }),
    ];
    if (cps.length >= 2) {
        out.push(
            fc.nat().chain((n) => {
                const i = 1 + (n % (cps.length - 1));
                return fc.integer({ min: 1, max: cps[i - 1] as number }).map((bad) => ({
                    kind: "checkpoint not ascending",
                    path: `${p}.checkpointPercentages[${i}]`,
                    news: setAt(withCps, [p, "checkpointPercentages", i], bad) as Props,
                }));
            }),
        );
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// The properties
// ---------------------------------------------------------------------------------------------

function provider(calls: Calls): AwsInstanceRefreshProvider {
    return new AwsInstanceRefreshProvider({
        autoscaling: (): AutoScalingApi => {
            calls.clients++;
            throw new Error("check must not build an Auto Scaling client");
        },
        clock: countingClock(calls),
        log: () => {
            calls.logs++;
        },
        env: {},
    });
}

checkProperties({
    label: "aws.InstanceRefresh",
    provider,
    keys: KEYS,
    valid: validAws,
    mutate: mutateAws,
    runs: { junk: 5000, valid: 3000, invalid: 5000, unknown: 2000 },
});

describe("aws.InstanceRefresh check: bugs found by the properties (fixed)", () => {
    const base = { autoScalingGroupName: "web" };

    // An unknown preferences object (e.g. built from another resource's outputs) became {} in
    // check's inputs, so preview planned with no preferences at all.
    test("an unknown preferences stays unknown in the inputs", () => {
        const { inputs, violations } = validateAwsInstanceRefresh({
            ...base,
            preferences: UNKNOWN,
        });
        expect(violations).toEqual([]);
        expect(inputs.preferences).toBe(UNKNOWN);
    });

    // Unknown values are to be accepted; these failed in preview.
    test("an unknown checkpointDelaySeconds without checkpoints is accepted", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            preferences: { checkpointDelaySeconds: UNKNOWN },
        });
        expect(violations).toEqual([]);
    });

    test("an unknown mixedInstancesPolicy next to a launchTemplate is accepted", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            desiredConfiguration: {
                launchTemplate: { launchTemplateId: "lt-0123456789abcdef0", version: "1" },
                mixedInstancesPolicy: UNKNOWN,
            },
        });
        expect(violations).toEqual([]);
    });

    test("an unknown launchTemplate next to a mixedInstancesPolicy: the policy is checked", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            desiredConfiguration: {
                launchTemplate: UNKNOWN,
                mixedInstancesPolicy: { launchTemplate: { overrides: "x" } },
            },
        });
        expect(violations.map((v) => v.property)).toEqual([
            "desiredConfiguration.mixedInstancesPolicy.launchTemplate.overrides",
        ]);
    });

    test("known values still need each other", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            triggers: { v: 1 },
            desiredConfiguration: {
                launchTemplate: { launchTemplateId: "lt-0123456789abcdef0", version: "1" },
                mixedInstancesPolicy: { launchTemplate: {} },
            },
            preferences: { checkpointDelaySeconds: 60 },
        });
        expect(violations.map((v) => v.property)).toEqual([
            "desiredConfiguration",
            "preferences.checkpointDelaySeconds",
        ]);
    });

    // `alias ??= checkTemplate(...)` skipped the check of every override's template once an
    // earlier template of the mixed instances policy used a moving version.
    test("an override's template is checked after a template without a version", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            triggers: { v: 1 },
            desiredConfiguration: {
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: { launchTemplateId: "lt-0123456789abcdef0" },
                        overrides: [{ launchTemplateSpecification: { launchTemplateName: 0 } }],
                    },
                },
            },
        });
        expect(violations.map((v) => v.property)).toEqual([
            "desiredConfiguration.mixedInstancesPolicy.launchTemplate.overrides[0].launchTemplateSpecification.launchTemplateName",
        ]);
    });

    test("the first moving version is the one reported without triggers", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            desiredConfiguration: {
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: {
                            launchTemplateId: "lt-0123456789abcdef0",
                            version: "$Latest",
                        },
                        overrides: [{ launchTemplateSpecification: { launchTemplateName: "b" } }],
                    },
                },
            },
        });
        expect(violations.map((v) => v.property)).toEqual(["desiredConfiguration"]);
        expect(violations[0]?.reason).toMatch(/uses launch template version "\$Latest"/);
    });

    test("a NaN or null checkpoint is reported as such", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            preferences: { checkpointPercentages: [null, NaN] },
        });
        expect(violations.map((v) => v.reason)).toEqual([
            "preferences.checkpointPercentages[0] must be an integer from 1 to 100; got null",
            "preferences.checkpointPercentages[1] must be an integer from 1 to 100; got NaN",
        ]);
    });

    test("a null override is reported at its path", () => {
        const { violations } = validateAwsInstanceRefresh({
            ...base,
            desiredConfiguration: {
                mixedInstancesPolicy: {
                    launchTemplate: {
                        launchTemplateSpecification: {
                            launchTemplateId: "lt-0123456789abcdef0",
                            version: "1",
                        },
                        overrides: [null],
                    },
                },
            },
        });
        expect(violations.map((v) => v.reason)).toEqual([
            "desiredConfiguration.mixedInstancesPolicy.launchTemplate.overrides[0] must be an object; got null",
        ]);
    });

    // An own "__proto__" key (JSON.parse makes one) was assigned to the inputs object, which
    // replaced its prototype: its values then hid the defaults and skipped validation. Now it is
    // left out of the inputs and reported like any other unknown argument.
    test("an own __proto__ key is reported and does not replace the defaults", () => {
        const news = JSON.parse(
            '{"autoScalingGroupName":"g","__proto__":{"timeoutMinutes":"junk"}}',
        ) as Props;
        const { inputs, violations } = validateAwsInstanceRefresh(news);
        expect(violations.map((v) => v.property)).toEqual(["__proto__"]);
        expect(Object.getPrototypeOf(inputs)).toBe(Object.prototype);
        expect(Object.prototype.hasOwnProperty.call(inputs, "timeoutMinutes")).toBe(true);
        expect(inputs.timeoutMinutes).toBe(60);
    });
});
