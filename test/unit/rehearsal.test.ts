/**
 * Rehearsing faster than real time: the pace a sandbox endpoint carries, how the providers read
 * it, and the clock their waits then keep; the simulators' scaled world and the pace they print.
 */
import { VirtualClock } from "../../src/core/clock";
import {
    checkRehearsableUrl,
    MAX_TIME_SCALE,
    pacedClock,
    rehearsalClock,
    splitRehearsalPace,
} from "../../src/core/rehearsal";
import { MAX_TIME_SCALE as SANDBOX_MAX_TIME_SCALE } from "../../src/sandbox/clock";
import { parseEndpoint } from "../../src/clouds/alicloud/connection";
import { awsTargetOf } from "../../src/resources/common/awsTarget";
import { validateInstanceRefresh } from "../../src/resources/alicloudInstanceRefresh/validate";
import { validateAwsInstanceRefresh } from "../../src/resources/awsInstanceRefresh/validate";
import { ManualClock, ScaledClock, wallOf, worldClock } from "../../src/sandbox/clock";
import { EssSimulator } from "../../src/sandbox/ess";

const ORIGIN = "2026-12-07T17:40:00.000Z";
const PACE = `?timeScale=60&timeOrigin=${ORIGIN}`;
const hostOf = (e: string): string | undefined => {
    try {
        return new URL(e).hostname;
    } catch {
        return undefined;
    }
};

describe("a sandbox endpoint's pace", () => {
    test("is split off the endpoint, which is then called without it", () => {
        expect(splitRehearsalPace(`http://127.0.0.1:8080/${PACE}`, "endpoint", hostOf)).toEqual({
            endpoint: "http://127.0.0.1:8080/",
            pace: { timeScale: 60, timeOrigin: Date.parse(ORIGIN) },
        });
        expect(splitRehearsalPace("http://127.0.0.1:8080", "endpoint", hostOf)).toEqual({
            endpoint: "http://127.0.0.1:8080",
        });
        expect(checkRehearsableUrl(`http://localhost:9/${PACE}`).pace?.timeScale).toBe(60);
    });

    test("is refused on an endpoint that is not this machine's, naming the property", () => {
        expect(() => checkRehearsableUrl(`https://autoscaling.example.com/${PACE}`)).toThrow(
            /^endpoint carries timeScale and timeOrigin, which only a sandbox on this machine/,
        );
        expect(() =>
            parseEndpoint(`ess.cn-hangzhou.aliyuncs.com/${PACE}`, "ALIBABA_CLOUD_ESS_ENDPOINT"),
        ).toThrow(/^ALIBABA_CLOUD_ESS_ENDPOINT carries timeScale and timeOrigin/);
    });

    test.each([
        ["?timeScale=60", /must give both timeScale and timeOrigin/],
        [`?timeOrigin=${ORIGIN}`, /must give both timeScale and timeOrigin/],
        [
            `?timeScale=0.5&timeOrigin=${ORIGIN}`,
            /has timeScale "0.5": it must be a number from 1 to 1000/,
        ],
        [`?timeScale=1001&timeOrigin=${ORIGIN}`, /it must be a number from 1 to 1000/],
        [`?timeScale=fast&timeOrigin=${ORIGIN}`, /it must be a number from 1 to 1000/],
        ["?timeScale=60&timeOrigin=yesterday", /: it must be a UTC time such as/],
        ["?timeScale=60&timeOrigin=2026-12-07", /: it must be a UTC time such as/],
        [`?timeScale=60&timeOrigin=${ORIGIN}&debug=1`, /takes no query but .* got "debug"/],
    ])("%s is refused with the allowed form", (query, why) => {
        expect(() => checkRehearsableUrl(`http://127.0.0.1:8080/${query}`)).toThrow(why);
        expect(() => parseEndpoint(`http://127.0.0.1:8080/${query}`)).toThrow(why);
    });

    test("is an error at preview, on the endpoint argument, for both refreshes", () => {
        const aws = validateAwsInstanceRefresh({
            autoScalingGroupName: "web",
            endpoint: `https://autoscaling.us-east-1.amazonaws.com/${PACE}`,
        }).violations;
        expect(aws).toEqual([
            expect.objectContaining({
                property: "endpoint",
                reason: expect.stringMatching(
                    /^endpoint carries timeScale and timeOrigin, which only a sandbox/,
                ),
            }),
        ]);
        const ess = validateInstanceRefresh({
            scalingGroupId: "asg-1",
            desiredConfiguration: { imageId: "m-1" },
            endpoint: `http://127.0.0.1:1/?timeScale=5000&timeOrigin=${ORIGIN}`,
        }).violations;
        expect(ess).toEqual([
            expect.objectContaining({
                property: "endpoint",
                reason: expect.stringContaining(`from 1 to ${MAX_TIME_SCALE}`),
            }),
        ]);
    });

    test("Alibaba Cloud endpoints keep their host and protocol and gain the pace", () => {
        expect(parseEndpoint(`http://127.0.0.1:8080/${PACE}`)).toEqual({
            host: "127.0.0.1:8080",
            protocol: "http",
            pace: {
                timeScale: 60,
                timeOrigin: Date.parse(ORIGIN),
                sandboxUrl: "http://127.0.0.1:8080",
            },
        });
        expect(parseEndpoint(`http://[::1]:8080${PACE}`).host).toBe("[::1]:8080");
        expect(parseEndpoint("127.0.0.1:8080")).toEqual({
            host: "127.0.0.1:8080",
            protocol: "https",
        });
    });

    test("AWS: from the argument or the environment, the SDK gets the endpoint without it", () => {
        const fromArg = awsTargetOf(
            { endpoint: `http://127.0.0.1:8080/${PACE}`, region: "us-east-1" },
            {},
            {},
        );
        expect(fromArg.target.endpoint).toBe("http://127.0.0.1:8080/");
        expect(fromArg.pace).toEqual({
            timeScale: 60,
            timeOrigin: Date.parse(ORIGIN),
            sandboxUrl: "http://127.0.0.1:8080",
        });
        const fromEnv = awsTargetOf(
            {},
            {},
            {
                AWS_ENDPOINT_URL_AUTO_SCALING: `http://127.0.0.1:8080/${PACE}`,
                AWS_ENDPOINT_URL_EC2: `http://127.0.0.1:8080/${PACE}`,
            },
        );
        expect(fromEnv.target.endpoint).toBe("http://127.0.0.1:8080/");
        expect(fromEnv.target.ec2Endpoint).toBe("http://127.0.0.1:8080/");
        expect(fromEnv.pace?.timeScale).toBe(60);
        // Without a pace, the SDK reads its environment itself, as before.
        const plain = awsTargetOf({}, {}, { AWS_ENDPOINT_URL_AUTO_SCALING: "http://127.0.0.1:1" });
        expect(plain.target.endpoint).toBeUndefined();
        expect(plain.pace).toBeUndefined();
    });
});

describe("the clock a rehearsing wait keeps", () => {
    test("reads the sandbox's time and sleeps timeScale times shorter", async () => {
        const wall = new VirtualClock(Date.parse(ORIGIN) + 10_000);
        const clock = rehearsalClock(wall, { timeScale: 60, timeOrigin: Date.parse(ORIGIN) });
        expect(clock.now()).toBe(Date.parse(ORIGIN) + 600_000);
        await clock.sleep(120_000);
        expect(wall.sleeps).toEqual([2_000]);
        expect(clock.now()).toBe(Date.parse(ORIGIN) + 600_000 + 120_000);
    });

    test("never sleeps less than 20 ms of real time, unless asked for less of the sandbox's", async () => {
        const wall = new VirtualClock(Date.parse(ORIGIN));
        const clock = rehearsalClock(wall, { timeScale: 1000, timeOrigin: Date.parse(ORIGIN) });
        await clock.sleep(2_000);
        await clock.sleep(5);
        await clock.sleep(60_000);
        expect(wall.sleeps).toEqual([20, 5, 60]);
    });

    test("is the base clock itself without a pace, or at pace 1", () => {
        const wall = new VirtualClock();
        expect(rehearsalClock(wall, undefined)).toBe(wall);
        expect(rehearsalClock(wall, { timeScale: 1, timeOrigin: 0 })).toBe(wall);
    });

    test("aborts its sleep like the base clock", async () => {
        const wall = new VirtualClock();
        const clock = rehearsalClock(wall, { timeScale: 10, timeOrigin: wall.now() });
        const abort = new AbortController();
        abort.abort();
        await expect(clock.sleep(1000, abort.signal)).rejects.toThrow("aborted");
    });
});

describe("a simulator's scaled world", () => {
    test("runs timeScale times faster than its wall clock from its origin", () => {
        const wall = new ManualClock(Date.parse(ORIGIN));
        const world = new ScaledClock(120, Date.parse(ORIGIN), wall);
        wall.advance(20_000);
        expect(world.now()).toBe(Date.parse(ORIGIN) + 40 * 60_000);
        expect(wallOf(world)).toBe(wall);
        expect(wallOf(wall)).toBe(wall);
    });

    test("prints the pace the client reads back to the same clock", () => {
        const wall = new ManualClock(Date.parse(ORIGIN) + 1234);
        const world = new ScaledClock(250, Date.parse(ORIGIN), wall);
        const { pace } = checkRehearsableUrl(`http://127.0.0.1:1/${world.paceQuery()}`);
        const client = rehearsalClock(
            { now: () => wall.now(), sleep: () => Promise.resolve() },
            pace,
        );
        expect(client.now()).toBe(world.now());
        wall.advance(9_876);
        expect(client.now()).toBe(world.now());
    });

    test("refuses a pace out of range, and a clock with a timeScale", () => {
        expect(() => new ScaledClock(0.5)).toThrow("timeScale must be a number from 1 to 1000");
        expect(() => new ScaledClock(1001)).toThrow("timeScale must be a number from 1 to 1000");
        expect(() => worldClock({ clock: new ManualClock(), timeScale: 2 })).toThrow(
            "either clock or timeScale",
        );
    });

    test("listen() gives the stack's endpoint with the pace, the plain one without", async () => {
        const scaled = new EssSimulator({ timeScale: 30 });
        const plain = new EssSimulator();
        try {
            const a = await scaled.listen();
            expect(a.stackEndpoint).toMatch(
                new RegExp(
                    `^${a.endpoint}/\\?timeScale=30&timeOrigin=\\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z$`,
                ),
            );
            expect(parseEndpoint(a.stackEndpoint).pace?.timeScale).toBe(30);
            const b = await plain.listen();
            expect(b.stackEndpoint).toBe(b.endpoint);
        } finally {
            await Promise.all([scaled.close(), plain.close()]);
        }
    });
});

describe("a deployment confirms the pace with the sandbox before it waits", () => {
    test("the sandbox's GET /_sandbox/clock says its pace; a matching pace gives the sandbox's clock", async () => {
        const sim = new EssSimulator({ timeScale: 50 });
        try {
            const { endpoint, stackEndpoint } = await sim.listen();
            const state = (await (await fetch(`${endpoint}/_sandbox/clock`)).json()) as {
                timeScale: number;
                timeOrigin: string;
                now: string;
            };
            expect(state.timeScale).toBe(50);
            const { pace } = parseEndpoint(stackEndpoint);
            expect(Date.parse(state.timeOrigin)).toBe(pace?.timeOrigin);
            const lines: string[] = [];
            const wall = { now: () => Date.now(), sleep: () => Promise.resolve() };
            const clock = await pacedClock(wall, pace, (l) => lines.push(l));
            expect(Math.abs(clock.now() - Date.parse(state.now))).toBeLessThan(60_000);
            expect(lines).toEqual([expect.stringContaining("runs 50x real time")]);
        } finally {
            await sim.close();
        }
    });

    test("a pace the sandbox no longer runs at (restarted, or at real time) is refused", async () => {
        const first = new EssSimulator({ timeScale: 50 });
        const { stackEndpoint } = await first.listen();
        const stale = parseEndpoint(stackEndpoint).pace!;
        await first.close();
        const again = new EssSimulator({ timeScale: 50 });
        const plain = new EssSimulator();
        try {
            const a = await again.listen();
            const b = await plain.listen();
            const wall = { now: () => Date.now(), sleep: () => Promise.resolve() };
            const restarted = {
                ...stale,
                timeOrigin: stale.timeOrigin - 1,
                sandboxUrl: a.endpoint,
            };
            await expect(pacedClock(wall, restarted, () => undefined)).rejects.toThrow(
                /says 50x from .*: was it restarted\? Give the stack the endpoint the sandbox printed/,
            );
            await expect(
                pacedClock(wall, { ...stale, sandboxUrl: b.endpoint }, () => undefined),
            ).rejects.toThrow(/says 1x from null/);
            await expect(
                pacedClock(wall, { ...stale, sandboxUrl: "http://127.0.0.1:9" }, () => undefined),
            ).rejects.toThrow(/did not say the sandbox's .*a pace is for a pulumi-rollout sandbox/);
        } finally {
            await Promise.all([again.close(), plain.close()]);
        }
    });

    test("the client and the simulators agree on the fastest pace", () => {
        expect(MAX_TIME_SCALE).toBe(SANDBOX_MAX_TIME_SCALE);
    });
});
