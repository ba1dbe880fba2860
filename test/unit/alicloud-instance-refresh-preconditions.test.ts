/**
 * What the StartInstanceRefresh reference says a group must be, checked read-only before a start:
 * the Priority scale-out policy, no Stop-billing reclaim mode, no ImageId on a group whose active
 * configuration comes from a launch template. Refused before any start call, naming the field.
 */
import { refusalBeforeStart } from "../../src/resources/alicloudInstanceRefresh/preconditions";
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
});
