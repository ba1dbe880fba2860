/**
 * Part 5 of `npm run bench`: rehearsing faster than real time. One stack of REFRESHES
 * alicloud.InstanceRefresh resources against the ESS simulator at TIME_SCALE x real time (its
 * stackEndpoint carries the pace), each a refresh of about 50 minutes of the sandbox's time: 4
 * instances in batches of 2 of 10 minutes, a checkpoint pause of 10 minutes at 50 %. It reports
 * the sandbox's minutes each refresh took, the wall seconds of the whole `pulumi up`, the
 * speed-up, and how often each refresh was looked at (the poller keeps the sandbox's pace, so
 * about as often as it would in real time, not TIME_SCALE times more).
 */
import { EssSimulator, SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "../src/sandbox/ess";
import { BenchStack, median } from "./engine/stacks";
import type { BenchPart, PartResult } from "./report";

const REFRESHES = 5;
const TIME_SCALE = 120;
export const GOAL_WALL_SECONDS = 60;

export interface RehearsalRow {
    metric: string;
    value: number;
    unit: string;
    goal?: string;
    met?: boolean;
}

async function run(): Promise<PartResult<RehearsalRow>> {
    const groups = Array.from({ length: REFRESHES }, (_, i) => ({
        scalingGroupId: `asg-rehearsal-${i}`,
        capacity: 4,
    }));
    const sim = new EssSimulator({
        groups,
        timeScale: TIME_SCALE,
        scenario: { pendingSeconds: 60, batchSeconds: 600 },
    });
    const { stackEndpoint } = await sim.listen();
    const stack = new BenchStack(
        "rehearsal",
        "refreshes",
        {
            "alicloud:region": "cn-hangzhou",
            count: REFRESHES,
            groupPrefix: "asg-rehearsal-",
            checkpoints: "[50,100]",
            checkpointPauseMinutes: 10,
            timeoutMinutes: 120,
        },
        {
            ALIBABA_CLOUD_ESS_ENDPOINT: stackEndpoint,
            ALIBABA_CLOUD_ACCESS_KEY_ID: SANDBOX_ACCESS_KEY_ID,
            ALIBABA_CLOUD_ACCESS_KEY_SECRET: SANDBOX_ACCESS_KEY_SECRET,
        },
    );
    try {
        console.log(`rehearsal: ${REFRESHES} refreshes at ${TIME_SCALE}x real time`);
        const up = await stack.must("up", REFRESHES);
        const refreshes = sim.refreshes().filter((r) => r.Status === "Successful");
        if (refreshes.length !== REFRESHES) {
            throw new Error(`expected ${REFRESHES} successful refreshes:\n${up.output}`);
        }
        const minutes = median(
            refreshes.map((r) => (Date.parse(r.EndTime!) - Date.parse(r.StartTime)) / 60_000),
        );
        const looks = sim.calls.filter((c) => c.action === "DescribeInstanceRefreshes").length;
        const rows: RehearsalRow[] = [
            { metric: "each refresh, in the sandbox's time (median)", value: minutes, unit: "min" },
            {
                metric: `the whole pulumi up of ${REFRESHES} refreshes, wall clock`,
                value: up.seconds,
                unit: "s",
                goal: `≤ ${GOAL_WALL_SECONDS} s`,
                met: up.seconds <= GOAL_WALL_SECONDS,
            },
            {
                metric: "speed-up (sandbox minutes of one refresh per wall minute of the up)",
                value: minutes / (up.seconds / 60),
                unit: "x",
            },
            {
                metric: "DescribeInstanceRefreshes per refresh",
                value: looks / REFRESHES,
                unit: "calls",
            },
        ];
        return { rows, markdown: markdown(rows) };
    } finally {
        await sim.close();
        stack.dispose();
    }
}

function markdown(rows: RehearsalRow[]): string {
    const lines = [
        "## Part 5: rehearsing faster than real time (real Pulumi CLI)",
        "",
        `One stack of ${REFRESHES} \`alicloud.InstanceRefresh\` (bench/programs/refreshes.ts) against the ESS ` +
            `simulator at \`timeScale\` ${TIME_SCALE} (the endpoint carries \`?timeScale=${TIME_SCALE}&timeOrigin=…\`), ` +
            "each refresh 4 instances in batches of 2 of 10 minutes with a 10-minute checkpoint pause at 50 %, " +
            `all in one \`pulumi up --parallel ${REFRESHES}\`.`,
        "",
        "| metric | value | goal | met |",
        "|---|---|---|---|",
    ];
    for (const r of rows) {
        const v = r.value.toFixed(1);
        lines.push(
            `| ${r.metric} | ${v} ${r.unit} | ${r.goal ?? ""} | ${r.met === undefined ? "" : r.met ? "✓" : "✗"} |`,
        );
    }
    return lines.join("\n");
}

export const rehearsalPart: BenchPart<RehearsalRow> = {
    name: "rehearsal",
    title: "rehearsing faster than real time",
    run,
};
