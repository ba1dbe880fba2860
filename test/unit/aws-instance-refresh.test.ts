import { VirtualClock } from "../../src/core/clock";
import {
    AwsInstanceRefreshProvider,
    AwsProviderDeps,
    diffAwsInstanceRefresh,
} from "../../src/resources/awsInstanceRefresh/provider";
import { samePreferences } from "../../src/resources/awsInstanceRefresh/taskApi";
import { validateAwsInstanceRefresh } from "../../src/resources/awsInstanceRefresh/validate";
import { asgError, FakeAsg } from "./fakeAsg";

const LT = "lt-0123456789abcdef0";
const base = {
    autoScalingGroupName: "web",
    desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "7" } },
};
const paths = (news: Record<string, unknown>): string[] =>
    validateAwsInstanceRefresh(news).violations.map((v) => v.property);

describe("aws.InstanceRefresh validation", () => {
    test("a minimal refresh is valid and gets this library's defaults", () => {
        const { inputs, violations } = validateAwsInstanceRefresh(base);
        expect(violations).toEqual([]);
        expect(inputs).toMatchObject({
            strategy: "Rolling",
            timeoutMinutes: 60,
            onFailure: "fail",
            onTimeout: "cancel",
            onConflict: "wait",
            preferences: {},
        });
    });

    test.each([
        ["minHealthyPercentage", 0, true],
        ["minHealthyPercentage", 100, true],
        ["minHealthyPercentage", 101, false],
        ["minHealthyPercentage", -1, false],
        ["checkpointDelaySeconds", 172_800, true],
        ["checkpointDelaySeconds", 172_801, false],
        ["bakeTimeSeconds", 0, true],
        ["bakeTimeSeconds", 172_801, false],
        ["instanceWarmupSeconds", -1, false],
        ["scaleInProtectedInstances", "Wait", true],
        ["scaleInProtectedInstances", "Skip", false],
        ["standbyInstances", "Terminate", true],
        ["standbyInstances", "Keep", false],
    ])("preferences.%s = %p valid: %p", (key, value, ok) => {
        const extra = key === "checkpointDelaySeconds" ? { checkpointPercentages: [50, 100] } : {};
        expect(paths({ ...base, preferences: { [key]: value, ...extra } })).toEqual(
            ok ? [] : [`preferences.${key}`],
        );
    });

    test("max healthy needs min healthy and may exceed it by at most 100", () => {
        expect(paths({ ...base, preferences: { maxHealthyPercentage: 150 } })).toEqual([
            "preferences.maxHealthyPercentage",
        ]);
        expect(
            paths({
                ...base,
                preferences: { minHealthyPercentage: 40, maxHealthyPercentage: 150 },
            }),
        ).toEqual(["preferences.maxHealthyPercentage"]);
        expect(
            paths({
                ...base,
                preferences: { minHealthyPercentage: 90, maxHealthyPercentage: 190 },
            }),
        ).toEqual([]);
        expect(
            paths({
                ...base,
                preferences: { minHealthyPercentage: 90, maxHealthyPercentage: 201 },
            }),
        ).toEqual(["preferences.maxHealthyPercentage"]);
    });

    test("a moving launch template version needs triggers", () => {
        const latest = {
            ...base,
            desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "$Latest" } },
        };
        const v = validateAwsInstanceRefresh(latest).violations;
        expect(v.map((x) => x.property)).toEqual(["desiredConfiguration"]);
        expect(v[0]?.reason).toContain(
            '"$Latest", which moves without Pulumi seeing it: set triggers',
        );
        expect(paths({ ...latest, triggers: { version: 8 } })).toEqual([]);
    });

    test("exactly one template reference and one configuration source", () => {
        expect(
            paths({
                ...base,
                desiredConfiguration: {
                    launchTemplate: {
                        launchTemplateId: LT,
                        launchTemplateName: "web",
                        version: "1",
                    },
                },
            }),
        ).toEqual(["desiredConfiguration.launchTemplate"]);
        expect(
            paths({
                ...base,
                desiredConfiguration: { launchTemplate: { launchTemplateId: "web", version: "1" } },
            }),
        ).toEqual(["desiredConfiguration.launchTemplate.launchTemplateId"]);
        expect(paths({ ...base, desiredConfiguration: {} })).toEqual(["desiredConfiguration"]);
    });

    test("rollback rules: AutoRollback is not written into the preferences; explicit false and no configuration are refused", () => {
        expect(
            validateAwsInstanceRefresh({ ...base, onFailure: "rollback" }).inputs.preferences,
        ).toEqual({});
        expect(
            paths({ ...base, onFailure: "rollback", preferences: { autoRollback: false } }),
        ).toEqual(["preferences.autoRollback"]);
        expect(paths({ autoScalingGroupName: "web", onFailure: "rollback" })).toEqual([
            "desiredConfiguration",
        ]);
        expect(paths({ autoScalingGroupName: "web", onTimeout: "rollback" })).toEqual([
            "desiredConfiguration",
        ]);
    });

    test("a last checkpoint below 100 is accepted, as AWS accepts it (only that share is replaced)", () => {
        expect(paths({ ...base, preferences: { checkpointPercentages: [20, 50] } })).toEqual([]);
        expect(paths({ ...base, preferences: { checkpointPercentages: [50] } })).toEqual([]);
        expect(paths({ ...base, preferences: { checkpointPercentages: [20, 50, 100] } })).toEqual(
            [],
        );
    });

    test("mixed instances policies: unknown keys and moving versions in overrides are caught", () => {
        const mixed = (launchTemplate: object) => ({
            autoScalingGroupName: "web",
            desiredConfiguration: { mixedInstancesPolicy: { launchTemplate } },
        });
        expect(
            paths(
                mixed({
                    launchTemplateSpecification: { launchTemplateId: LT, version: "3" },
                    overrides: [{ instanceType: "t3.large", weightCapacity: "2" }],
                }),
            ),
        ).toEqual([
            "desiredConfiguration.mixedInstancesPolicy.launchTemplate.overrides[0].weightCapacity",
        ]);
        expect(
            paths(
                mixed({
                    launchTemplateSpecification: { launchTemplateId: LT, version: "3" },
                    overrides: [
                        {
                            instanceType: "m7g.large",
                            launchTemplateSpecification: {
                                launchTemplateName: "arm",
                                version: "$Latest",
                            },
                        },
                    ],
                }),
            ),
        ).toEqual(["desiredConfiguration"]);
    });

    test("plain HTTP endpoints only to this machine", () => {
        expect(paths({ ...base, endpoint: "http://127.0.0.1:4566" })).toEqual([]);
        expect(paths({ ...base, endpoint: "http://autoscaling.example.com" })).toEqual([
            "endpoint",
        ]);
    });

    test("an endpoint carrying user:password@ is refused without echoing the password", () => {
        const endpoint = "https://AKIDEXAMPLE:s3cr3t-pw@autoscaling.example.com";
        expect(paths({ ...base, endpoint })).toEqual(["endpoint"]);
        const message = validateAwsInstanceRefresh({ ...base, endpoint })
            .violations.map((v) => v.reason)
            .join("\n");
        expect(message).toContain("must not carry credentials");
        expect(message).not.toContain("s3cr3t-pw");
        expect(message).not.toContain("AKIDEXAMPLE");
    });
});

describe("aws.InstanceRefresh diff", () => {
    const olds = {
        ...validateAwsInstanceRefresh(base).inputs,
        instanceRefreshId: "ir-1",
        status: "Successful",
    } as Record<string, unknown>;
    const news = validateAwsInstanceRefresh(base).inputs as unknown as Record<string, unknown>;
    test("no change, a waiting option, a new version, a failure to retry, a refresh left running", () => {
        expect(diffAwsInstanceRefresh(olds, news).changes).toBe(false);
        expect(diffAwsInstanceRefresh(olds, { ...news, timeoutMinutes: 5 })).toMatchObject({
            changes: true,
            startsRefresh: false,
        });
        expect(
            diffAwsInstanceRefresh(olds, {
                ...news,
                desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "8" } },
            }),
        ).toMatchObject({ startsRefresh: true });
        expect(
            diffAwsInstanceRefresh({ ...olds, status: "RollbackSuccessful" }, news),
        ).toMatchObject({ startsRefresh: true });
        expect(diffAwsInstanceRefresh({ ...olds, status: "Baking" }, news)).toMatchObject({
            resumesWait: true,
            startsRefresh: false,
        });
    });
});

describe("aws.InstanceRefresh provider", () => {
    function setup() {
        const asg = new FakeAsg();
        const lines: string[] = [];
        const targets: unknown[] = [];
        const deps: AwsProviderDeps = {
            autoscaling: (t) => {
                targets.push(t);
                return asg;
            },
            clock: new VirtualClock(),
            log: (l) => lines.push(l),
            env: {},
        };
        return { asg, lines, targets, provider: new AwsInstanceRefreshProvider(deps) };
    }
    const inputs = (extra: Record<string, unknown> = {}) =>
        ({
            ...validateAwsInstanceRefresh({
                ...base,
                __resourceName: "web",
                __provider: "p",
                ...extra,
            }).inputs,
        }) as unknown as Record<string, unknown>;

    test("create starts one refresh with AWS's request, waits through Baking and reports Successful", async () => {
        const { asg, lines, provider } = setup();
        asg.nextScripts.push([
            { status: "Pending" },
            { status: "InProgress", percentageComplete: 50, instancesToUpdate: 2 },
            { status: "Baking", percentageComplete: 100, instancesToUpdate: 0 },
            { status: "Successful", percentageComplete: 100, instancesToUpdate: 0 },
        ]);
        const r = await provider.create(
            inputs({ preferences: { minHealthyPercentage: 50, skipMatching: true } }),
        );
        expect(asg.ops()).toEqual([
            "DescribeAutoScalingGroups",
            // A refresh like ours that ended after a lost answer? (none)
            "Describe",
            "Start",
            "Describe",
            "Describe",
            "Describe",
            "Describe",
        ]);
        expect(asg.calls.find((c) => c.op === "Start")?.args).toEqual({
            autoScalingGroupName: "web",
            strategy: "Rolling",
            desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "7" } },
            preferences: { minHealthyPercentage: 50, skipMatching: true },
        });
        expect(r.outs).toMatchObject({
            instanceRefreshId: "ir-1",
            status: "Successful",
            percentageComplete: 100,
        });
        expect(lines.some((l) => l.includes("Baking 100%"))).toBe(true);
    });

    test("$Latest is resolved to the version it stands for, so AWS can roll back to what ran before", async () => {
        const { asg, lines, provider } = setup();
        await provider.create(
            inputs({
                desiredConfiguration: {
                    launchTemplate: { launchTemplateId: LT, version: "$Latest" },
                },
                triggers: { v: 7 },
            }),
        );
        expect(asg.calls.find((c) => c.op === "Start")?.args).toMatchObject({
            desiredConfiguration: { launchTemplate: { launchTemplateId: LT, version: "7" } },
        });
        expect(lines).toContain(
            `aws.InstanceRefresh web: launch template ${LT} $Latest is version 7`,
        );
    });

    test("changing only onFailure starts nothing", () => {
        const olds = { ...inputs(), instanceRefreshId: "ir-1", status: "Successful" };
        expect(diffAwsInstanceRefresh(olds, inputs({ onFailure: "rollback" }))).toMatchObject({
            changes: true,
            startsRefresh: false,
        });
    });

    test("a running refresh with no StartTime cannot be placed in the attempt's window: not ours", async () => {
        const { asg, provider } = setup();
        // Like ours in every other way (no desired configuration, default preferences).
        asg.addRefresh("ir-other", [
            { status: "InProgress", percentageComplete: 10 },
            { status: "Successful", percentageComplete: 100 },
        ]);
        asg.startErrors.push(
            asgError("InstanceRefreshInProgress", "An Instance Refresh is already in progress"),
        );
        const err = (await provider
            .create({ ...inputs({ onConflict: "fail" }), desiredConfiguration: undefined })
            .catch((e: unknown) => e)) as Error;
        expect(err.message).toContain("another refresh, ir-other");
    });

    test("a timeout during AWS's rollback waits for the rollback instead of cancelling it", async () => {
        const { asg, provider } = setup();
        asg.nextScripts.push([
            ...Array.from({ length: 3 }, () => ({ status: "InProgress", percentageComplete: 40 })),
            ...Array.from({ length: 10 }, () => ({
                status: "RollbackInProgress",
                statusReason: "health checks failed",
            })),
            { status: "RollbackSuccessful", statusReason: "health checks failed" },
        ]);
        const err = (await provider
            .create(inputs({ onFailure: "rollback", timeoutMinutes: 5 }))
            .catch((e: unknown) => e)) as {
            message: string;
            properties: Record<string, unknown>;
        };
        expect(asg.ops()).not.toContain("Cancel");
        expect(err.message).toContain(
            "(last seen RollbackInProgress: health checks failed); the rollback ended RollbackSuccessful",
        );
        expect(err.properties.status).toBe("RollbackSuccessful");
    });

    test("a group on $Latest cannot be rolled back: refused before anything starts", async () => {
        const { asg, provider } = setup();
        asg.describeAutoScalingGroup = async (name: string) => ({
            autoScalingGroupName: name,
            instances: 4,
            launchTemplate: { launchTemplateId: LT, version: "$Latest" },
        });
        await expect(provider.create(inputs({ onFailure: "rollback" }))).rejects.toThrow(
            "cannot roll back",
        );
        expect(asg.ops()).not.toContain("Start");
    });

    test("a failure with onFailure rollback: AutoRollback is sent and the rollback is waited through", async () => {
        const { asg, provider } = setup();
        asg.nextScripts.push([
            { status: "InProgress", percentageComplete: 25 },
            {
                status: "RollbackInProgress",
                statusReason: "instances failed health checks",
                rollbackDetails: { rollbackReason: "instances failed health checks" },
            },
            {
                status: "RollbackSuccessful",
                statusReason: "instances failed health checks",
                rollbackDetails: { rollbackReason: "instances failed health checks" },
            },
        ]);
        const err = (await provider
            .create(inputs({ onFailure: "rollback" }))
            .catch((e: unknown) => e)) as {
            message: string;
            properties: Record<string, unknown>;
        };
        expect(
            (
                asg.calls.find((c) => c.op === "Start")?.args as {
                    preferences: { autoRollback: boolean };
                }
            ).preferences.autoRollback,
        ).toBe(true);
        expect(asg.ops()).not.toContain("Rollback");
        expect(err.message).toContain("ended RollbackSuccessful: instances failed health checks");
        expect(err.properties).toMatchObject({
            instanceRefreshId: "ir-1",
            status: "RollbackSuccessful",
            rollbackDetails: { rollbackReason: "instances failed health checks" },
        });
    });

    test("InstanceRefreshInProgress for the very refresh asked for (a lost answer) is waited on, not duplicated", async () => {
        const { asg, lines, provider } = setup();
        const startTime = new Date(Date.UTC(2026, 0, 1) - 60_000).toISOString();
        asg.addRefresh(
            "ir-lost",
            [
                { status: "InProgress", percentageComplete: 40, startTime },
                { status: "Successful", percentageComplete: 100, startTime },
            ],
            {
                launchTemplate: { launchTemplateId: LT, version: "7" },
            },
        );
        asg.startErrors.push(
            asgError("InstanceRefreshInProgress", "An Instance Refresh is already in progress"),
        );
        const r = await provider.create(inputs({ onConflict: "fail" }));
        expect(asg.ops().filter((o) => o === "Start")).toHaveLength(1);
        expect(r.outs).toMatchObject({ instanceRefreshId: "ir-lost", status: "Successful" });
        expect(lines.some((l) => l.includes("is the very refresh this deployment asks for"))).toBe(
            true,
        );
    });

    /** A refresh running on the group since `agoMs` (VirtualClock time), as a killed attempt leaves it. */
    const running = (
        asg: FakeAsg,
        id: string,
        agoMs: number,
        desired: Parameters<FakeAsg["addRefresh"]>[2],
        preferences?: Parameters<FakeAsg["addRefresh"]>[3],
    ): void => {
        const startTime = new Date(Date.UTC(2026, 0, 1) - agoMs).toISOString();
        asg.addRefresh(
            id,
            [
                { status: "InProgress", percentageComplete: 40, startTime },
                { status: "Successful", percentageComplete: 100, startTime },
            ],
            desired,
            preferences,
        );
        asg.startErrors.push(
            asgError("InstanceRefreshInProgress", "An Instance Refresh is already in progress"),
        );
    };
    /** Inputs without a desired configuration (AWS refreshes to the group's own). */
    const withoutDesired = (extra: Record<string, unknown> = {}) =>
        validateAwsInstanceRefresh({
            autoScalingGroupName: "web",
            __resourceName: "web",
            __provider: "p",
            ...extra,
        }).inputs as unknown as Record<string, unknown>;

    test.each([
        ["no desiredConfiguration, no preferences", withoutDesired(), undefined, undefined],
        [
            "no desiredConfiguration, with preferences",
            withoutDesired({ preferences: { minHealthyPercentage: 50, skipMatching: false } }),
            undefined,
            { minHealthyPercentage: 50, skipMatching: false },
        ],
        [
            "a desiredConfiguration, no preferences",
            inputs(),
            { launchTemplate: { launchTemplateId: LT, version: "7" } },
            undefined,
        ],
    ])(
        "%s: the refresh a killed attempt left running is adopted, never started twice",
        async (_, props, desired, preferences) => {
            const { asg, lines, provider } = setup();
            // AWS echoes the preferences it applied, the documented defaults included.
            running(asg, "ir-lost", 60_000, desired, {
                ...preferences,
                autoRollback: false,
                scaleInProtectedInstances: "Wait",
                standbyInstances: "Wait",
                ...(preferences?.minHealthyPercentage ? {} : { minHealthyPercentage: 90 }),
            });
            const r = await provider.create({ ...props, onConflict: "fail" });
            expect(asg.ops().filter((o) => o === "Start")).toHaveLength(1);
            expect(r.outs).toMatchObject({ instanceRefreshId: "ir-lost", status: "Successful" });
            expect(
                lines.some((l) => l.includes("is the very refresh this deployment asks for")),
            ).toBe(true);
        },
    );

    test.each([
        [
            "another's refresh to the same version with other preferences, the resource declaring none",
            inputs(),
            { launchTemplate: { launchTemplateId: LT, version: "7" } },
            { skipMatching: true, minHealthyPercentage: 100 },
            60_000,
        ],
        [
            "another's refresh with a desired configuration, the resource declaring none",
            withoutDesired(),
            { launchTemplate: { launchTemplateId: LT, version: "7" } },
            undefined,
            60_000,
        ],
        [
            "another's refresh without a desired configuration, the resource declaring one",
            inputs(),
            undefined,
            undefined,
            60_000,
        ],
        [
            "an identical refresh started before the attempt's window (timeoutMinutes, 60)",
            withoutDesired(),
            undefined,
            undefined,
            61 * 60_000,
        ],
    ])("%s is not ours: onConflict applies", async (_, props, desired, preferences, agoMs) => {
        const { asg, provider } = setup();
        running(asg, "ir-other", agoMs, desired, preferences);
        await expect(provider.create({ ...props, onConflict: "fail" })).rejects.toThrow(
            /another refresh, ir-other .* is running on the group; nothing was started/,
        );
        expect(asg.ops().filter((o) => o === "Start")).toHaveLength(1);
    });

    test("a refresh exactly like ours that ended after a lost answer is reported, not started again; an old one is not ours", async () => {
        const { asg, lines, provider } = setup();
        const now = Date.UTC(2026, 0, 1); // the VirtualClock's start
        const ended = (id: string, agoMs: number) =>
            asg.addRefresh(
                id,
                [
                    {
                        status: "Successful",
                        percentageComplete: 100,
                        startTime: new Date(now - agoMs).toISOString(),
                    },
                ],
                { launchTemplate: { launchTemplateId: LT, version: "7" } },
            );
        ended("ir-lost", 60_000);
        const r = await provider.create(inputs());
        expect(asg.ops().filter((o) => o === "Start")).toHaveLength(0);
        expect(r.outs).toMatchObject({ instanceRefreshId: "ir-lost", status: "Successful" });
        expect(
            lines.some((l) => l.includes("started by an earlier attempt whose answer was lost")),
        ).toBe(true);

        const old = setup();
        old.asg.addRefresh(
            "ir-old",
            [
                {
                    status: "Successful",
                    percentageComplete: 100,
                    startTime: new Date(now - 61 * 60_000).toISOString(), // before timeoutMinutes (60)
                },
            ],
            { launchTemplate: { launchTemplateId: LT, version: "7" } },
        );
        const again = await old.provider.create(inputs());
        expect(old.asg.ops().filter((o) => o === "Start")).toHaveLength(1);
        expect(again.outs.instanceRefreshId).not.toBe("ir-old");
    });

    test("a triggers bump starts a new refresh even right after an identical one (recorded, or older)", async () => {
        const { asg, provider } = setup();
        const now = Date.UTC(2026, 0, 1);
        for (const [id, ago] of [
            ["ir-older", 10 * 60_000],
            ["ir-recorded", 5 * 60_000],
        ] as const) {
            asg.addRefresh(
                id,
                [
                    {
                        status: "Successful",
                        percentageComplete: 100,
                        startTime: new Date(now - ago).toISOString(),
                    },
                ],
                { launchTemplate: { launchTemplateId: LT, version: "7" } },
            );
        }
        const olds = { ...inputs(), instanceRefreshId: "ir-recorded", status: "Successful" };
        const r = await provider.update("id", olds, inputs({ triggers: { release: "2" } }));
        expect(asg.ops().filter((o) => o === "Start")).toHaveLength(1);
        expect(r.outs?.instanceRefreshId).not.toMatch(/ir-older|ir-recorded/);
    });

    test("onConflict cancel cancels a foreign refresh and then starts ours (Terraform's cancel-then-start)", async () => {
        const { asg, provider } = setup();
        asg.addRefresh("ir-foreign", [{ status: "InProgress", percentageComplete: 10 }], {
            launchTemplate: { launchTemplateId: LT, version: "5" },
        });
        asg.startErrors.push(
            asgError("InstanceRefreshInProgress", "An Instance Refresh is already in progress"),
        );
        const r = await provider.create(inputs({ onConflict: "cancel" }));
        expect(asg.ops().filter((o) => o === "Cancel")).toHaveLength(1);
        expect(asg.ops().filter((o) => o === "Start")).toHaveLength(2);
        expect(r.outs).toMatchObject({ instanceRefreshId: "ir-1", status: "Successful" });
    });

    test("a start refused with a code AWS does not document while another refresh runs is a conflict, decided by the group's refreshes", async () => {
        const { asg, lines, provider } = setup();
        asg.addRefresh("ir-foreign", [
            { status: "InProgress", percentageComplete: 10 },
            { status: "Successful", percentageComplete: 100 },
        ]);
        asg.startErrors.push(asgError("SomethingNew.GroupBusy", "the group is busy"));
        const r = await provider.create(inputs({ onConflict: "wait" }));
        expect(asg.ops().filter((o) => o === "Start")).toHaveLength(2);
        expect(lines.some((l) => l.includes("taking the refusal for that conflict"))).toBe(true);
        expect(r.outs).toMatchObject({ instanceRefreshId: "ir-1", status: "Successful" });
    });

    test("LimitExceeded is reported with AWS's words and nothing is retried", async () => {
        const { asg, provider } = setup();
        asg.startErrors.push(asgError("LimitExceeded", "You have reached the limit"));
        await expect(provider.create(inputs())).rejects.toThrow(
            "aws.InstanceRefresh web: Auto Scaling StartInstanceRefresh failed: HTTP 400 LimitExceeded: You have reached the limit",
        );
        expect(asg.ops().filter((o) => o === "Start")).toHaveLength(1);
    });

    test("region and profile: the argument, else the stack's aws:region / aws:profile", async () => {
        const { targets, provider } = setup();
        await provider.configure({
            config: { get: (k: string) => ({ "aws:region": "eu-west-1", "aws:profile": "ci" })[k] },
        } as never);
        await provider.create(inputs());
        await provider.create(
            inputs({ region: "us-west-2", profile: "ops", endpoint: "http://127.0.0.1:4566" }),
        );
        // Each create builds a client for its plan's reads, then one for the refresh.
        const ci = { region: "eu-west-1", profile: "ci", endpoint: undefined };
        const ops = { region: "us-west-2", profile: "ops", endpoint: "http://127.0.0.1:4566" };
        expect(targets).toEqual([ci, ci, ops, ops]);
    });

    test("delete cancels the group's refresh only when it is this resource's", async () => {
        const { asg, provider } = setup();
        asg.addRefresh("ir-9", [{ status: "InProgress", percentageComplete: 30 }]);
        await provider.delete("ir-9", {
            ...inputs(),
            instanceRefreshId: "ir-9",
            status: "InProgress",
        });
        expect(asg.ops().filter((o) => o === "Cancel")).toHaveLength(1);
    });
});

describe("aws.InstanceRefresh: preferences AWS echoes against the ones sent", () => {
    test("an echo with AWS's documented defaults filled in matches a start that sent none", () => {
        const echoed = {
            minHealthyPercentage: 90,
            instanceWarmupSeconds: 300,
            skipMatching: false,
            autoRollback: false,
            scaleInProtectedInstances: "Wait",
            standbyInstances: "Wait",
        } as const;
        expect(samePreferences(echoed, {})).toBe(true);
        expect(samePreferences({}, {})).toBe(true);
        expect(samePreferences(echoed, { minHealthyPercentage: 90, skipMatching: false })).toBe(
            true,
        );
    });

    test("a preference sent and echoed otherwise, or not sent and echoed off its default, differs", () => {
        expect(samePreferences({ minHealthyPercentage: 90 }, { minHealthyPercentage: 50 })).toBe(
            false,
        );
        expect(samePreferences({ skipMatching: true }, {})).toBe(false);
        expect(samePreferences({ scaleInProtectedInstances: "Refresh" }, {})).toBe(false);
        expect(samePreferences({ standbyInstances: "Ignore" }, {})).toBe(false);
        expect(samePreferences({ scaleInProtectedInstances: "Ignore" }, {})).toBe(false);
        expect(samePreferences({ autoRollback: true }, { autoRollback: false })).toBe(false);
        expect(samePreferences({ checkpointPercentages: [50] }, {})).toBe(false);
        expect(samePreferences({ bakeTimeSeconds: 600 }, {})).toBe(false);
        // Sent, but AWS echoes nothing for it: not what was asked for.
        expect(samePreferences({}, { minHealthyPercentage: 50 })).toBe(false);
    });

    test("CheckpointDelay defaults to 3600 with checkpoints and counts only with them", () => {
        expect(
            samePreferences(
                { checkpointPercentages: [50, 100], checkpointDelaySeconds: 3600 },
                { checkpointPercentages: [50, 100] },
            ),
        ).toBe(true);
        expect(
            samePreferences(
                { checkpointPercentages: [50, 100], checkpointDelaySeconds: 600 },
                { checkpointPercentages: [50, 100] },
            ),
        ).toBe(false);
    });
});
