/**
 * What the StartInstanceRefresh reference says a group must be, checked read-only before a start:
 * the Priority scale-out policy, no Stop-billing reclaim mode, no ImageId on a group whose active
 * configuration comes from a launch template. Refused before any start call, naming the field.
 */
import {
    alreadyOnDesired,
    refusalBeforeStart,
    groupContradictsNothing,
} from "../../src/resources/alicloudInstanceRefresh/preconditions";
import {
    InstanceRefreshProvider,
    ProviderDeps,
} from "../../src/resources/alicloudInstanceRefresh/provider";
import { validateInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/validate";
import { VirtualClock } from "../../src/core/clock";
import { FakeEss } from "./fakeEss";

const group = { scalingGroupId: "asg-1" };

describe("alicloud.InstanceRefresh: the group's preconditions", () => {
    test.each([
        [
            { multiAZPolicy: "COST_OPTIMIZED" },
            /COST_OPTIMIZED scale-out policy \(MultiAZPolicy\).*Priority/,
        ],
        [{ multiAZPolicy: "BALANCE" }, /BALANCE scale-out policy/],
        [{ multiAZPolicy: "COMPOSABLE" }, /COMPOSABLE scale-out policy/],
        [{ scalingPolicy: "recycle" }, /Stop-billing mode \(ScalingPolicy recycle\)/],
        [
            { scalingPolicy: "forceRecycle" },
            /Force Stop-billing mode \(ScalingPolicy forceRecycle\)/,
        ],
    ])("%j is refused", (fields, why) => {
        expect(refusalBeforeStart({ ...group, ...fields }, { imageId: "m-2" })).toMatch(why);
    });

    test("ImageId on a group whose active configuration comes from a launch template is refused", () => {
        const lt = { ...group, launchTemplateId: "lt-1", launchTemplateVersion: "3" };
        expect(refusalBeforeStart(lt, { imageId: "m-2" })).toMatch(
            /comes from launch template lt-1, and ESS does not take desiredConfiguration.imageId/,
        );
        expect(
            refusalBeforeStart(lt, { launchTemplateId: "lt-1", launchTemplateVersion: "4" }),
        ).toBeUndefined();
        expect(refusalBeforeStart(lt, undefined)).toBeUndefined();
    });

    test("a group that is fine, or reports none of these fields, is not held back", () => {
        expect(
            refusalBeforeStart(
                {
                    ...group,
                    multiAZPolicy: "PRIORITY",
                    scalingPolicy: "release",
                    activeScalingConfigurationId: "asc-1",
                },
                { imageId: "m-2", scalingConfigurationId: "asc-1" },
            ),
        ).toBeUndefined();
        expect(
            refusalBeforeStart({ ...group, scalingPolicy: "forcerelease" }, { imageId: "m-2" }),
        ).toBeUndefined();
        expect(refusalBeforeStart(group, { imageId: "m-2" })).toBeUndefined();
    });

    test("up refuses such a group before any start, with the reason; nothing is started", async () => {
        const ess = new FakeEss();
        ess.groupFields = { multiAZPolicy: "BALANCE" };
        const lines: string[] = [];
        const deps: ProviderDeps = {
            ess: () => ess,
            clock: new VirtualClock(),
            log: (l) => lines.push(l),
            env: { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" },
        };
        const provider = new InstanceRefreshProvider(deps);
        const inputs = validateInstanceRefresh({
            scalingGroupId: "asg-1",
            desiredConfiguration: { imageId: "m-2" },
        }).inputs as unknown as Record<string, unknown>;
        await expect(provider.create(inputs)).rejects.toThrow(
            /alicloud\.InstanceRefresh.*BALANCE scale-out policy \(MultiAZPolicy\).*nothing was started/,
        );
        expect(ess.ops()).toEqual(["DescribeScalingGroups"]);
    });

    test("up says which instances ESS will not refresh", async () => {
        const ess = new FakeEss();
        ess.groupFields = { standbyCapacity: 1, protectedCapacity: 2 };
        ess.nextScripts = [
            [{ status: "Successful", totalNeedUpdateCapacity: 1, finishedUpdateCapacity: 1 }],
        ];
        const lines: string[] = [];
        const provider = new InstanceRefreshProvider({
            ess: () => ess,
            clock: new VirtualClock(),
            log: (l) => lines.push(l),
            env: { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou" },
        });
        const inputs = validateInstanceRefresh({ scalingGroupId: "asg-1" })
            .inputs as unknown as Record<string, unknown>;
        await provider.create(inputs);
        expect(lines.join("\n")).toContain(
            "instances 1 in Standby and 2 protected are not refreshed",
        );
        // Without a desired configuration, none is sent.
        const start = ess.calls.find((c) => c.op === "Start")?.args as Record<string, unknown>;
        expect(start.desiredConfiguration).toBeUndefined();
    });

    describe("whether the group already is where the refresh would take it", () => {
        const on = (sc: string, extra: object = {}) => ({
            instanceId: `i-${sc}-${Math.random()}`,
            lifecycleState: "InService",
            creationType: "AutoCreated",
            scalingConfigurationId: sc,
            ...extra,
        });
        const g = { scalingGroupId: "asg-1", activeScalingConfigurationId: "asc-2" };

        test("every instance a refresh replaces runs the desired scaling configuration", () => {
            const instances = [
                on("asc-2"),
                on("asc-2"),
                on("asc-1", { lifecycleState: "Standby" }),
            ];
            expect(alreadyOnDesired(g, instances, { scalingConfigurationId: "asc-2" }, true)).toBe(
                "each of the group's 2 instances a refresh would replace already runs scaling " +
                    "configuration asc-2 (DescribeScalingInstances)",
            );
            expect(
                alreadyOnDesired(
                    g,
                    [on("asc-2"), on("asc-1")],
                    { scalingConfigurationId: "asc-2" },
                    true,
                ),
            ).toBeUndefined();
            // Instances added by hand are not refreshed: they do not count.
            expect(
                alreadyOnDesired(
                    g,
                    [on("asc-2"), on("asc-1", { creationType: "Attached" })],
                    { scalingConfigurationId: "asc-2" },
                    true,
                ),
            ).toBeDefined();
        });

        test("a refresh still has the group's active configuration to change, or instances to settle", () => {
            const all = [on("asc-2"), on("asc-2")];
            // A refresh would make asc-3 active: it has something to do.
            expect(
                alreadyOnDesired(g, [on("asc-3")], { scalingConfigurationId: "asc-3" }, true),
            ).toBeUndefined();
            // Nothing to replace at all, instances still Pending or Removing, or fewer listed
            // than the group counts: not decided.
            expect(alreadyOnDesired(g, [], undefined, true)).toBeUndefined();
            expect(
                alreadyOnDesired(
                    g,
                    [...all, on("asc-2", { lifecycleState: "Pending" })],
                    undefined,
                    true,
                ),
            ).toBeUndefined();
            expect(
                alreadyOnDesired(
                    g,
                    [...all, on("asc-1", { lifecycleState: "Removing:Wait" })],
                    undefined,
                    true,
                ),
            ).toBeUndefined();
            expect(
                alreadyOnDesired({ ...g, totalCapacity: 3 }, all, undefined, true),
            ).toBeUndefined();
            expect(
                alreadyOnDesired({ ...g, totalCapacity: 2 }, all, undefined, true),
            ).toBeDefined();
        });

        test("without a desired configuration, the group's active one; launch templates by version", () => {
            expect(alreadyOnDesired(g, [on("asc-2")], undefined, true)).toContain("asc-2");
            const lt = {
                scalingGroupId: "asg-1",
                launchTemplateId: "lt-1",
                launchTemplateVersion: "3",
            };
            const v = (version: string) => ({
                instanceId: "i-1",
                lifecycleState: "InService",
                launchTemplateId: "lt-1",
                launchTemplateVersion: version,
            });
            expect(alreadyOnDesired(lt, [v("3")], undefined, true)).toContain(
                "launch template lt-1 version 3",
            );
            expect(alreadyOnDesired(lt, [v("2")], undefined, true)).toBeUndefined();
            expect(
                alreadyOnDesired(
                    { ...lt, launchTemplateVersion: "4" },
                    [v("4")],
                    { launchTemplateId: "lt-1", launchTemplateVersion: "4" },
                    true,
                ),
            ).toBeDefined();
        });

        test("what ESS's answers cannot tell is not decided", () => {
            const all = [on("asc-2")];
            expect(alreadyOnDesired(g, all, undefined, true)).toBeDefined();
            expect(alreadyOnDesired(g, all, { imageId: "m-1" }, true)).toBeUndefined();
            expect(
                alreadyOnDesired(g, all, { containers: [{ name: "web" }] }, true),
            ).toBeUndefined();
            expect(
                alreadyOnDesired(g, all, { scalingConfigurationId: "asc-2" }, false),
            ).toBeUndefined();
            expect(alreadyOnDesired(undefined, all, undefined, true)).toBeUndefined();
            expect(
                alreadyOnDesired(
                    g,
                    all,
                    {
                        launchTemplateId: "lt-1",
                        launchTemplateOverrides: [{ instanceType: "ecs.g7.large" }],
                    },
                    true,
                ),
            ).toBeUndefined();
        });
    });
});

describe("groupContradictsNothing: what the group says against ESS's nothing-to-refresh", () => {
    const inService = (id: string, over: Record<string, string> = {}) => ({
        instanceId: id,
        lifecycleState: "InService",
        creationType: "AutoCreated",
        ...over,
    });
    const group = { scalingGroupId: "asg-1", activeScalingConfigurationId: "asc-1" };

    test("without skipMatching, any instance in service contradicts it", () => {
        expect(
            groupContradictsNothing(
                group,
                [inService("i-1", { scalingConfigurationId: "asc-1" })],
                undefined,
                false,
            ),
        ).toMatch(/1 instances in service, which a refresh without skipMatching replaces/);
        expect(
            groupContradictsNothing(
                group,
                [inService("i-1", { creationType: "Attached" })],
                undefined,
                false,
            ),
        ).toBeUndefined();
    });

    test("a moving launch template version cannot be told apart per instance: no verdict", () => {
        const lt = { ...group, launchTemplateId: "lt-1", launchTemplateVersion: "Default" };
        const onThree = [
            inService("i-1", { launchTemplateId: "lt-1", launchTemplateVersion: "3" }),
        ];
        expect(groupContradictsNothing(lt, onThree, undefined, true)).toBeUndefined();
        expect(
            groupContradictsNothing(
                lt,
                onThree,
                { launchTemplateId: "lt-1", launchTemplateVersion: "Latest" },
                true,
            ),
        ).toBeUndefined();
        // A fixed version can.
        expect(
            groupContradictsNothing(
                lt,
                onThree,
                { launchTemplateId: "lt-1", launchTemplateVersion: "4" },
                true,
            ),
        ).toMatch(
            /1 of the group's instances in service do not run launch template lt-1 version 4/,
        );
    });

    test("an image, which no instance reports: no verdict", () => {
        expect(
            groupContradictsNothing(
                group,
                [inService("i-1", { scalingConfigurationId: "asc-0" })],
                { imageId: "m-2" },
                true,
            ),
        ).toBeUndefined();
    });
});
