/**
 * "Nothing to refresh" decided by what the group reports, not by a code ESS does not document:
 * alicloud.InstanceRefresh's provider with the real ESS client over HTTP against the simulator,
 * which answers a start with nothing to replace in each of its ways (the code Terraform's
 * provider handles, a code no client knows, or a task that is Successful at once).
 */
import { createEssClient } from "../../src/clouds/alicloud/ess";
import { InstanceRefreshProvider } from "../../src/resources/alicloudInstanceRefresh/provider";
import { validateInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/validate";
import { VirtualClock } from "../../src/core/clock";
import { userAgentFor } from "../../src/core/userAgent";
import {
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "../../src/sandbox/ess";
import type { EssScenario } from "../../src/sandbox/ess";

const GROUP = "asg-web";
const saved = { ...process.env };

beforeAll(() => {
    process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = SANDBOX_ACCESS_KEY_ID;
    process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = SANDBOX_ACCESS_KEY_SECRET;
});
afterAll(() => {
    process.env = saved;
});

/** A group of 4 already on asc-web (image m-web-v1), answering "nothing to refresh" with `code`. */
async function boot(code?: string, scenario: EssScenario = {}) {
    const sim = new EssSimulator({
        groups: [{ scalingGroupId: GROUP, capacity: 4, standbyInstances: 1 }],
        scenario: { pendingSeconds: 0, batchSeconds: 1, nothingToRefreshCode: code, ...scenario },
    });
    const { endpoint } = await sim.listen();
    const lines: string[] = [];
    const provider = new InstanceRefreshProvider({
        // As the provider's own: the User-Agent names the resource (for check-policies).
        ess: (t) =>
            createEssClient({
                regionId: t.region,
                endpoint: t.endpoint,
                userAgent: userAgentFor("alicloud.InstanceRefresh"),
            }),
        clock: new VirtualClock(),
        log: (l) => lines.push(l),
        env: { ALIBABA_CLOUD_REGION_ID: "cn-hangzhou", ALIBABA_CLOUD_ESS_ENDPOINT: endpoint },
    });
    const create = (args: Record<string, unknown>) =>
        provider.create(
            validateInstanceRefresh({ scalingGroupId: GROUP, ...args }).inputs as unknown as Record<
                string,
                unknown
            >,
        );
    return { sim, lines, create };
}

describe.each([
    ["InvalidInstance.NoInstanceNeedBeRefreshed (the default)", undefined],
    ["a code no client knows", "SandboxUnknown.NothingToDo"],
])("ESS answers %s", (_, code) => {
    test("the group's active scaling configuration again: NotNeeded, nothing started", async () => {
        const { sim, create } = await boot(code);
        try {
            const r = await create({ desiredConfiguration: { scalingConfigurationId: "asc-web" } });
            expect(r.outs).toMatchObject({ status: "NotNeeded", instanceRefreshTaskId: null });
            expect(String(r.outs.detail)).toContain(code ?? "No instance need be refreshed");
            // Without a desired configuration: the active one, which every instance runs.
            const none = await create({});
            expect(none.outs).toMatchObject({ status: "NotNeeded" });
            expect(sim.refreshes(GROUP)).toEqual([]);
            if (code) {
                // Decided from DescribeScalingInstances, not from the code.
                expect(sim.callsTo("DescribeScalingInstances").length).toBeGreaterThan(0);
                expect(String(none.outs.detail)).toContain(
                    "each of the group's 3 instances a refresh would replace already runs scaling configuration asc-web",
                );
            }
        } finally {
            await sim.close();
        }
    });
});

test("an image the group cannot be compared by: a code no client knows fails with ESS's words", async () => {
    const { sim, create } = await boot("SandboxUnknown.NothingToDo");
    try {
        const first = await create({ desiredConfiguration: { imageId: "m-2" } });
        expect(first.outs).toMatchObject({ status: "Successful" });
        // ESS lists no image per instance: its refusal stands, with its code and request id.
        // (A new trigger: a new ClientToken, so a new start, not the first one's answer again.)
        await expect(
            create({ desiredConfiguration: { imageId: "m-2" }, triggers: { release: "2" } }),
        ).rejects.toThrow(/SandboxUnknown\.NothingToDo.*No instance need be refreshed.*request id/);
    } finally {
        await sim.close();
    }
});

test("a task that is Successful at once with nothing to update is reported as it is", async () => {
    const { sim, create } = await boot("accept");
    try {
        expect((await create({ desiredConfiguration: { imageId: "m-2" } })).outs).toMatchObject({
            status: "Successful",
            totalNeedUpdateCapacity: 3,
        });
        const again = await create({
            desiredConfiguration: { imageId: "m-2" },
            triggers: { release: "2" },
        });
        expect(again.outs).toMatchObject({
            status: "Successful",
            totalNeedUpdateCapacity: 0,
            finishedUpdateCapacity: 0,
        });
        expect(sim.refreshes(GROUP)).toHaveLength(2);
    } finally {
        await sim.close();
    }
});

describe("ESS's nothing-to-refresh code is not believed against the group", () => {
    const NOTHING = "InvalidInstance.NoInstanceNeedBeRefreshed";

    test("a running refresh behind it: onConflict decides, nothing is taken as NotNeeded", async () => {
        // A simulator that refuses a start on a busy group with the nothing-to-refresh code.
        const { sim, create } = await boot(undefined, {
            foreignRefresh: true,
            batchSeconds: 3600,
            busyCode: NOTHING,
        });
        try {
            await expect(
                create({
                    desiredConfiguration: { scalingConfigurationId: "asc-web" },
                    onConflict: "fail",
                }),
            ).rejects.toThrow(/another refresh, .* is running on the group; nothing was started/);
            expect(sim.refreshes(GROUP).filter((r) => !r.foreign)).toEqual([]);
        } finally {
            await sim.close();
        }
    });
});
