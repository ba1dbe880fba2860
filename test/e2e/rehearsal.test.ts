/**
 * Rehearsing faster than real time, with the real Pulumi CLI on both clouds' sandbox examples: the
 * simulator's world runs 120 times faster (listen()'s stackEndpoint carries the pace), and a
 * refresh of more than 40 minutes of the sandbox's time — a checkpoint pause of 10 minutes and
 * bootstraps of 25 minutes behind a 10-minute lifecycle hook — succeeds, kept alive by heartbeats.
 * What proves the waiting side keeps the sandbox's pace: no instance is abandoned (heartbeats on
 * wall-clock time would come 120 times too late), and the looks at the refresh come as the poller
 * spaces them in the sandbox's time, most of them within its bound of 2 minutes (sleeps on the
 * wall clock, at least 2 s each, would leave 4 minutes of the sandbox's time or more between any
 * two). The machine's own latency counts 120 times over, so the largest gap is allowed more.
 * Its wall time is a benchmark (`npm run bench -- rehearsal`).
 */
import type { RecordedAwsCall } from "../../src/sandbox/autoscaling";
import type { RecordedCall } from "../../src/sandbox/ess";
import { AWS_GROUP, AwsSandbox, type CliRun, Sandbox, SECRET } from "./harness";

jest.setTimeout(600_000);

const TIME_SCALE = 120;
const GROUP = "asg-sandbox-web";
const HOOK = "ash-sandbox-bootstrap";
const MINUTE = 60_000;

/** The gaps, in the sandbox's ms and ascending, between consecutive looks at the refreshes. */
function gaps(calls: (RecordedCall | RecordedAwsCall)[], from: number, to: number): number[] {
    const times = calls
        .filter((c) => c.httpStatus === 200 && c.receivedAt >= from && c.receivedAt <= to)
        .map((c) => c.receivedAt);
    return times
        .slice(1)
        .map((t, i) => t - times[i]!)
        .sort((a, b) => a - b);
}

/** The poller kept the sandbox's pace: see the file's comment. */
function expectSandboxPace(
    calls: (RecordedCall | RecordedAwsCall)[],
    from: number,
    to: number,
): void {
    const g = gaps(calls, from, to);
    expect(g.length).toBeGreaterThanOrEqual(10);
    expect(g[Math.floor(g.length / 2)]).toBeLessThanOrEqual(150_000);
    expect(g[g.length - 1]).toBeLessThanOrEqual(10 * MINUTE);
}

/** The "succeeded in 47m 12s" of the provider's last line, in minutes. */
function succeededInMinutes(output: string): number {
    const m = /succeeded in (?:(\d+)h ?)?(\d+)m/.exec(output);
    return m ? Number(m[1] ?? 0) * 60 + Number(m[2]) : NaN;
}

/** What both clouds' rehearsals show: a successful refresh of over 40 sandbox minutes, heartbeats. */
function expectRehearsed(
    up: CliRun,
    refresh: { Status: string; StartTime: string; EndTime?: string } | undefined,
    hook: string,
): { start: number; end: number } {
    expect(up.code).toBe(0);
    expect(up.output).toContain(`rehearsal: the sandbox's clock runs ${TIME_SCALE}x real time`);
    expect(up.output).toContain(`heartbeat 1 of at most 10 in hook ${hook}`);
    expect(refresh?.Status).toBe("Successful");
    const start = Date.parse(refresh!.StartTime);
    const end = Date.parse(refresh!.EndTime!);
    expect(end - start).toBeGreaterThanOrEqual(40 * MINUTE);
    expect(succeededInMinutes(up.output)).toBeGreaterThanOrEqual(40);
    return { start, end };
}

/** Each of an action's heartbeats came before the deadline the one before it (or the hook) set. */
function expectHeartbeatsInTime(count: number, first: number, deadlines: [number, number][]): void {
    expect(count).toBeGreaterThanOrEqual(2);
    let deadline = first;
    for (const [at, next] of deadlines) {
        expect(at).toBeLessThan(deadline);
        deadline = next;
    }
}

describe("rehearsing at 120x real time", () => {
    test.concurrent(
        "alicloud.InstanceRefresh: a 40-minute refresh with a checkpoint pause and heartbeats",
        async () => {
            const box = await new Sandbox(
                [
                    {
                        scalingGroupId: GROUP,
                        capacity: 4,
                        lifecycleHooks: [
                            {
                                lifecycleHookId: HOOK,
                                lifecycleHookName: "bootstrap",
                                heartbeatTimeout: 600,
                                defaultResult: "ABANDON",
                            },
                        ],
                    },
                ],
                { pendingSeconds: 60, batchSeconds: 300, bootstrapSeconds: 1500 },
                { timeScale: TIME_SCALE },
            ).start();
            try {
                expect(box.endpoint).toContain(`?timeScale=${TIME_SCALE}&timeOrigin=`);
                const up = await box.pulumi("up", {
                    lifecycleHookId: HOOK,
                    heartbeatTimeoutSeconds: 600,
                    maxHeartbeats: 10,
                    maxPendingMinutes: 40,
                    minHealthyPercentage: 50,
                    maxHealthyPercentage: 100,
                    checkpoints: [50, 100],
                    checkpointPauseMinutes: 10,
                    timeoutMinutes: 120,
                });
                expect(up.output).toMatch(/CheckpointPause/);
                const state = box.refreshState();
                expect(state.outputs.status).toBe("Successful");
                const taskId = state.outputs.instanceRefreshTaskId;
                const refresh = box.sim
                    .refreshes(GROUP)
                    .find((r) => r.InstanceRefreshTaskId === taskId);
                const { start, end } = expectRehearsed(up, refresh, HOOK);
                // Every new instance bootstrapped behind the hook, kept by heartbeats within it.
                const actions = box.sim
                    .lifecycleActions({ scalingGroupId: GROUP })
                    .filter((a) => a.instanceRefreshTaskId === taskId);
                // One action per batch of two.
                expect(actions.flatMap((a) => a.InstanceIds)).toHaveLength(4);
                for (const a of actions) {
                    expect(a.endedBy).toBe("bootstrap");
                    expectHeartbeatsInTime(
                        a.heartbeats.length,
                        a.pendingSince + 600_000,
                        a.heartbeats.map((h) => [h.at, h.deadline]),
                    );
                }
                // Looks spaced by the poller in the sandbox's time, through the pause as well.
                expectSandboxPace(box.sim.callsTo("DescribeInstanceRefreshes"), start, end);
                expect(box.stateText()).not.toContain(SECRET);
                expect(up.output).not.toContain(SECRET);
            } finally {
                await box.stop();
            }
        },
    );

    test.concurrent(
        "aws.InstanceRefresh: a 40-minute refresh with a checkpoint delay and heartbeats",
        async () => {
            const box = await new AwsSandbox(
                { pendingSeconds: 60, batchSeconds: 300, bootstrapSeconds: 1500 },
                {
                    capacity: 4,
                    lifecycleHooks: [
                        {
                            lifecycleHookName: "bootstrap",
                            lifecycleTransition: "autoscaling:EC2_INSTANCE_LAUNCHING",
                            heartbeatTimeout: 600,
                            defaultResult: "ABANDON",
                        },
                    ],
                },
                { timeScale: TIME_SCALE },
            ).start();
            try {
                const up = await box.pulumi("up", {
                    lifecycleHookName: "bootstrap",
                    maxHeartbeats: 10,
                    maxPendingMinutes: 40,
                    minHealthyPercentage: 50,
                    checkpointPercentages: [50, 100],
                    checkpointDelaySeconds: 600,
                    timeoutMinutes: 120,
                });
                const state = box.refreshState();
                expect(state.outputs.status).toBe("Successful");
                const refresh = box.sim
                    .refreshes(AWS_GROUP)
                    .find((r) => r.InstanceRefreshId === state.outputs.instanceRefreshId);
                const { start, end } = expectRehearsed(up, refresh, "bootstrap");
                expect(box.starts()).toBe(1);
                const kept = box.sim
                    .lifecycleActions({ autoScalingGroupName: AWS_GROUP })
                    .filter((a) => a.startedAt >= start);
                expect(kept.length).toBe(4);
                for (const a of kept) {
                    expect(a.endedBy).toBe("Bootstrap");
                    expectHeartbeatsInTime(
                        a.heartbeats.length,
                        a.startedAt + 600_000,
                        a.heartbeats.map((h) => [h.at, Date.parse(h.timeoutAt)]),
                    );
                }
                expectSandboxPace(box.sim.callsTo("DescribeInstanceRefreshes"), start, end);
                expect(box.stateText()).not.toContain(SECRET);
            } finally {
                await box.stop();
            }
        },
    );
});
