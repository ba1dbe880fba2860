/**
 * The Auto Scaling simulator against the REAL @aws-sdk/client-auto-scaling and
 * @aws-sdk/client-ec2 clients, over HTTP on 127.0.0.1.
 */
import { createHash, createHmac } from "node:crypto";
import { request } from "node:http";
import {
    ActiveInstanceRefreshNotFoundFault,
    AutoScalingClient,
    type AutoScalingClientConfig,
    AutoScalingServiceException,
    CancelInstanceRefreshCommand,
    DescribeAutoScalingGroupsCommand,
    DescribeInstanceRefreshesCommand,
    InstanceRefreshInProgressFault,
    IrreversibleInstanceRefreshFault,
    LimitExceededFault,
    ResourceContentionFault,
    RollbackInstanceRefreshCommand,
    StartInstanceRefreshCommand,
    type StartInstanceRefreshCommandInput,
} from "@aws-sdk/client-auto-scaling";
import {
    DescribeLaunchTemplatesCommand,
    DescribeLaunchTemplateVersionsCommand,
    EC2Client,
    type EC2ClientConfig,
} from "@aws-sdk/client-ec2";
import { ManualClock } from "../../src/sandbox/clock";
import {
    AutoScalingSimulator,
    type AutoScalingSimulatorOptions,
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
} from "../../src/sandbox/autoscaling";

const REGION = "us-east-1";
const LT = "lt-0abcdef1234567890";
const CREDENTIALS = {
    accessKeyId: SANDBOX_AWS_ACCESS_KEY_ID,
    secretAccessKey: SANDBOX_AWS_SECRET_ACCESS_KEY,
};

/** A simulator on a random port with two groups, plus real SDK client factories. */
async function boot(opts: AutoScalingSimulatorOptions = {}) {
    const sim = new AutoScalingSimulator({
        launchTemplates: [
            { launchTemplateId: LT, launchTemplateName: "web-template", versions: 3 },
        ],
        groups: [
            {
                autoScalingGroupName: "web",
                capacity: 4,
                launchTemplate: { launchTemplateId: LT, version: "1" },
            },
            {
                autoScalingGroupName: "api",
                capacity: 2,
                launchTemplate: { launchTemplateName: "web-template", version: "$Latest" },
            },
        ],
        ...opts,
    });
    const { port, endpoint } = await sim.listen(0);
    const asg = (o: Partial<AutoScalingClientConfig> = {}): AutoScalingClient =>
        new AutoScalingClient({
            endpoint,
            region: REGION,
            credentials: CREDENTIALS,
            maxAttempts: 1,
            ...o,
        });
    const ec2 = (o: Partial<EC2ClientConfig> = {}): EC2Client =>
        new EC2Client({ endpoint, region: REGION, credentials: CREDENTIALS, maxAttempts: 1, ...o });
    return { sim, port, endpoint, asg, ec2 };
}

/** The error a call rejects with. */
async function failure(promise: Promise<unknown>): Promise<AutoScalingServiceException> {
    try {
        await promise;
    } catch (e) {
        return e as AutoScalingServiceException;
    }
    throw new Error("expected the call to fail");
}

const START: StartInstanceRefreshCommandInput = {
    AutoScalingGroupName: "web",
    Strategy: "Rolling",
    DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: "2" } },
    Preferences: {
        MinHealthyPercentage: 50,
        MaxHealthyPercentage: 150,
        InstanceWarmup: 0,
        CheckpointPercentages: [50, 100],
        CheckpointDelay: 60,
        SkipMatching: true,
        AutoRollback: true,
        ScaleInProtectedInstances: "Refresh",
        StandbyInstances: "Terminate",
        AlarmSpecification: { Alarms: ["cpu-high"] },
        BakeTime: 30,
    },
};

const START_FLAT = {
    AutoScalingGroupName: "web",
    Strategy: "Rolling",
    "DesiredConfiguration.LaunchTemplate.LaunchTemplateId": LT,
    "DesiredConfiguration.LaunchTemplate.Version": "2",
    "Preferences.MinHealthyPercentage": "50",
    "Preferences.MaxHealthyPercentage": "150",
    "Preferences.InstanceWarmup": "0",
    "Preferences.CheckpointPercentages.member.1": "50",
    "Preferences.CheckpointPercentages.member.2": "100",
    "Preferences.CheckpointDelay": "60",
    "Preferences.SkipMatching": "true",
    "Preferences.AutoRollback": "true",
    "Preferences.ScaleInProtectedInstances": "Refresh",
    "Preferences.StandbyInstances": "Terminate",
    "Preferences.AlarmSpecification.Alarms.member.1": "cpu-high",
    "Preferences.BakeTime": "30",
};

/**
 * Signs a Query request independently of the SDK, following AWS's SigV4 documentation, so the
 * verifier is checked against the specification as well as against the SDK.
 */
function signed(
    port: number,
    body: string,
    opts: { service?: string; secret?: string; date?: Date; tamper?: string } = {},
): { headers: Record<string, string>; body: string } {
    const amzDate = (opts.date ?? new Date())
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/[-:]/g, "");
    const day = amzDate.slice(0, 8);
    const service = opts.service ?? "autoscaling";
    const headers: Record<string, string> = {
        "content-type": "application/x-www-form-urlencoded; charset=utf-8",
        host: `127.0.0.1:${port}`,
        "x-amz-date": amzDate,
    };
    const names = Object.keys(headers).sort();
    const canonical = [
        "POST",
        "/",
        "",
        names.map((h) => `${h}:${headers[h]}\n`).join(""),
        names.join(";"),
        createHash("sha256").update(body).digest("hex"),
    ].join("\n");
    const scope = `${day}/${REGION}/${service}/aws4_request`;
    const toSign = [
        "AWS4-HMAC-SHA256",
        amzDate,
        scope,
        createHash("sha256").update(canonical).digest("hex"),
    ].join("\n");
    let key: Buffer = createHmac("sha256", `AWS4${opts.secret ?? SANDBOX_AWS_SECRET_ACCESS_KEY}`)
        .update(day)
        .digest();
    for (const part of [REGION, service, "aws4_request"]) {
        key = createHmac("sha256", key).update(part).digest();
    }
    const signature = createHmac("sha256", key).update(toSign).digest("hex");
    headers["authorization"] =
        `AWS4-HMAC-SHA256 Credential=${SANDBOX_AWS_ACCESS_KEY_ID}/${scope}, ` +
        `SignedHeaders=${names.join(";")}, Signature=${signature}`;
    return { headers, body: opts.tamper ?? body };
}

/** Sends a raw request to the simulator. */
function send(
    port: number,
    req: { headers?: Record<string, string>; body?: string; path?: string },
): Promise<{
    status: number;
    text: string;
    headers: Record<string, string | string[] | undefined>;
}> {
    return new Promise((resolve, reject) => {
        const r = request(
            {
                host: "127.0.0.1",
                port,
                path: req.path ?? "/",
                method: "POST",
                headers: req.headers,
            },
            (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (c: string) => (text += c));
                res.on("end", () =>
                    resolve({ status: res.statusCode ?? 0, text, headers: res.headers }),
                );
            },
        );
        r.on("error", reject);
        r.end(req.body ?? "");
    });
}

describe("Auto Scaling simulator wire protocol (real AWS SDK v3 clients)", () => {
    let sim: AutoScalingSimulator;
    let port: number;
    let endpoint: string;
    let asg: (o?: Partial<AutoScalingClientConfig>) => AutoScalingClient;
    let ec2: (o?: Partial<EC2ClientConfig>) => EC2Client;

    async function start(opts: AutoScalingSimulatorOptions = {}): Promise<void> {
        ({ sim, port, endpoint, asg, ec2 } = await boot(opts));
    }

    afterEach(async () => {
        await sim?.close();
    });

    it("starts a refresh, answering the SDK, and records the flattened params as sent", async () => {
        await start();
        const out = await asg().send(new StartInstanceRefreshCommand(START));
        expect(out.InstanceRefreshId).toMatch(
            /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
        expect(out.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
        expect(endpoint).toBe(`http://127.0.0.1:${port}`);
        const [call] = sim.callsTo("StartInstanceRefresh");
        expect(call).toMatchObject({
            service: "autoscaling",
            action: "StartInstanceRefresh",
            httpStatus: 200,
            accessKeyId: SANDBOX_AWS_ACCESS_KEY_ID,
            region: REGION,
            requestId: out.$metadata.requestId,
        });
        expect(call?.params).toEqual(START_FLAT);
        expect(call?.errorCode).toBeUndefined();
    });

    it("describes refreshes with every field the SDK knows, newest first, paginated", async () => {
        const clock = new ManualClock(Date.now());
        await start({ clock, scenario: { batchSeconds: 5 } });
        const t0 = clock.now();
        const first = await asg().send(
            new StartInstanceRefreshCommand({
                ...START,
                AutoScalingGroupName: "api",
                DesiredConfiguration: {
                    LaunchTemplate: { LaunchTemplateName: "web-template", Version: "$Latest" },
                },
                Preferences: { SkipMatching: false },
            }),
        );
        const { InstanceRefreshId: id } = await asg().send(new StartInstanceRefreshCommand(START));
        clock.set(t0 + 6_000);
        const out = await asg().send(
            new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: "web" }),
        );
        expect(out.InstanceRefreshes).toHaveLength(1);
        const [r] = out.InstanceRefreshes ?? [];
        expect(r).toMatchObject({
            InstanceRefreshId: id,
            AutoScalingGroupName: "web",
            Status: "InProgress",
            PercentageComplete: 50,
            InstancesToUpdate: 2,
            ProgressDetails: { LivePoolProgress: { PercentageComplete: 50, InstancesToUpdate: 2 } },
            Preferences: {
                MinHealthyPercentage: 50,
                MaxHealthyPercentage: 150,
                InstanceWarmup: 0,
                CheckpointPercentages: [50, 100],
                CheckpointDelay: 60,
                SkipMatching: true,
                AutoRollback: true,
                ScaleInProtectedInstances: "Refresh",
                StandbyInstances: "Terminate",
                AlarmSpecification: { Alarms: ["cpu-high"] },
                BakeTime: 30,
            },
            DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: "2" } },
            Strategy: "Rolling",
        });
        expect(r?.StatusReason).toMatch(/Checkpoint 50% reached/);
        expect(r?.StartTime).toBeInstanceOf(Date);
        expect(r?.StartTime?.getTime()).toBe(Math.floor(t0 / 1000) * 1000);
        expect(r?.EndTime).toBeUndefined();
        expect(r).not.toHaveProperty("foreign");
        // the checkpoint (60 s), the last batch (5 s) and the bake time (30 s)
        clock.set(t0 + 6_000 + 60_000 + 5_000);
        const baking = await asg().send(
            new DescribeInstanceRefreshesCommand({
                AutoScalingGroupName: "web",
                InstanceRefreshIds: [id ?? ""],
            }),
        );
        expect(baking.InstanceRefreshes?.[0]).toMatchObject({
            Status: "Baking",
            PercentageComplete: 100,
        });
        clock.set(t0 + 6_000 + 60_000 + 5_000 + 30_000);
        const done = await asg().send(
            new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: "web" }),
        );
        expect(done.InstanceRefreshes?.[0]?.Status).toBe("Successful");
        expect(done.InstanceRefreshes?.[0]?.EndTime).toBeInstanceOf(Date);
        // pagination over the api group's two refreshes (the first one has finished)
        const second = await asg().send(
            new StartInstanceRefreshCommand({ AutoScalingGroupName: "api" }),
        );
        const page1 = await asg().send(
            new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: "api", MaxRecords: 1 }),
        );
        expect(page1.InstanceRefreshes?.map((x) => x.InstanceRefreshId)).toEqual([
            second.InstanceRefreshId,
        ]);
        expect(page1.NextToken).toEqual(expect.any(String));
        const page2 = await asg().send(
            new DescribeInstanceRefreshesCommand({
                AutoScalingGroupName: "api",
                MaxRecords: 1,
                NextToken: page1.NextToken,
            }),
        );
        expect(page2.InstanceRefreshes?.map((x) => x.InstanceRefreshId)).toEqual([
            first.InstanceRefreshId,
        ]);
        expect(page2.InstanceRefreshes?.[0]?.Status).toBe("Successful");
        expect(page2.NextToken).toBeUndefined();
        expect(sim.callsTo("DescribeInstanceRefreshes")[0]?.params).toEqual({
            AutoScalingGroupName: "web",
        });
    });

    it("cancels, and answers ActiveInstanceRefreshNotFoundFault when nothing is running", async () => {
        await start();
        const { InstanceRefreshId: id } = await asg().send(new StartInstanceRefreshCommand(START));
        const out = await asg().send(
            new CancelInstanceRefreshCommand({ AutoScalingGroupName: "web" }),
        );
        expect(out.InstanceRefreshId).toBe(id);
        expect(sim.refreshes("web")[0]?.Status).toBe("Cancelling");
        const err = await failure(
            asg().send(new CancelInstanceRefreshCommand({ AutoScalingGroupName: "api" })),
        );
        expect(err).toBeInstanceOf(ActiveInstanceRefreshNotFoundFault);
        expect(err.$metadata.httpStatusCode).toBe(400);
        expect(err.message).toMatch(/api/);
    });

    it("rolls back, reporting RollbackDetails, and refuses irreversible rollbacks", async () => {
        const clock = new ManualClock(Date.now());
        await start({ clock, scenario: { batchSeconds: 5 } });
        await asg().send(
            new StartInstanceRefreshCommand({
                ...START,
                Preferences: { MinHealthyPercentage: 50 },
            }),
        );
        clock.set(clock.now() + 6_000);
        const out = await asg().send(
            new RollbackInstanceRefreshCommand({ AutoScalingGroupName: "web" }),
        );
        expect(out.InstanceRefreshId).toEqual(expect.any(String));
        const [r] =
            (
                await asg().send(
                    new DescribeInstanceRefreshesCommand({ AutoScalingGroupName: "web" }),
                )
            ).InstanceRefreshes ?? [];
        expect(r).toMatchObject({
            Status: "RollbackInProgress",
            RollbackDetails: {
                RollbackReason: expect.stringMatching(/RollbackInstanceRefresh/),
                PercentageCompleteOnRollback: 0,
                InstancesToUpdateOnRollback: 2,
                ProgressDetailsOnRollback: {
                    LivePoolProgress: { PercentageComplete: 0, InstancesToUpdate: 2 },
                },
            },
        });
        expect(r?.RollbackDetails?.RollbackStartTime).toBeInstanceOf(Date);
        clock.set(clock.now() + 5_000);
        expect(sim.refreshes("web")[0]?.Status).toBe("RollbackSuccessful");
        expect(sim.group("web").instances.map((i) => i.launchTemplate?.version)).toEqual([
            "1",
            "1",
            "1",
            "1",
        ]);
        // the api group is on $Latest: AWS cannot roll it back
        await asg().send(
            new StartInstanceRefreshCommand({
                AutoScalingGroupName: "api",
                DesiredConfiguration: { LaunchTemplate: { LaunchTemplateId: LT, Version: "2" } },
            }),
        );
        const err = await failure(
            asg().send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: "api" })),
        );
        expect(err).toBeInstanceOf(IrreversibleInstanceRefreshFault);
        expect(err.$metadata.httpStatusCode).toBe(400);
        const none = await failure(
            asg().send(new RollbackInstanceRefreshCommand({ AutoScalingGroupName: "web" })),
        );
        expect(none).toBeInstanceOf(ActiveInstanceRefreshNotFoundFault);
    });

    it("answers InstanceRefreshInProgress as the SDK's InstanceRefreshInProgressFault", async () => {
        await start();
        await asg().send(new StartInstanceRefreshCommand(START));
        const err = await failure(asg().send(new StartInstanceRefreshCommand(START)));
        expect(err).toBeInstanceOf(InstanceRefreshInProgressFault);
        expect(err).toBeInstanceOf(AutoScalingServiceException);
        expect(err.name).toBe("InstanceRefreshInProgressFault");
        expect(err.$fault).toBe("client");
        expect(err.$metadata.httpStatusCode).toBe(400);
        expect(sim.calls.map((c) => c.errorCode)).toEqual([undefined, "InstanceRefreshInProgress"]);
    });

    it("answers bad values with ValidationError in AWS's wording", async () => {
        await start();
        const cases: [StartInstanceRefreshCommandInput, RegExp][] = [
            [
                { ...START, Preferences: { MinHealthyPercentage: 101 } },
                /Value '101' at 'preferences\.minHealthyPercentage' failed to satisfy constraint: Member must have value less than or equal to 100/,
            ],
            [
                { ...START, Preferences: { MaxHealthyPercentage: 150 } },
                /must also specify MinHealthyPercentage/,
            ],
            [{ ...START, Preferences: { CheckpointPercentages: [60, 40] } }, /ascending/],
            [
                {
                    ...START,
                    DesiredConfiguration: {
                        LaunchTemplate: { LaunchTemplateId: "lt-0missing", Version: "1" },
                    },
                },
                /lt-0missing, does not exist/,
            ],
            [
                {
                    ...START,
                    DesiredConfiguration: {
                        LaunchTemplate: { LaunchTemplateId: LT, Version: "7" },
                    },
                },
                /version 7/,
            ],
            [{ ...START, AutoScalingGroupName: "nope" }, /AutoScalingGroup name not found/],
        ];
        for (const [input, message] of cases) {
            const err = await failure(asg().send(new StartInstanceRefreshCommand(input)));
            expect(err.name).toBe("ValidationError");
            expect(err.$fault).toBe("client");
            expect(err.$metadata.httpStatusCode).toBe(400);
            expect(err.message).toMatch(message);
        }
    });

    it("throttles with Throttling (400, Sender, 'Rate exceeded'), which the SDK retries", async () => {
        await start();
        sim.setFaults({ throttleNext: 1 });
        const err = await failure(asg().send(new DescribeAutoScalingGroupsCommand({})));
        expect(err.name).toBe("Throttling");
        expect(err.message).toBe("Rate exceeded");
        expect(err.$metadata.httpStatusCode).toBe(400);
        expect(err.$fault).toBe("client");
        expect((err as unknown as { Type: string }).Type).toBe("Sender");
        sim.setFaults({ throttleNext: 2 });
        const ok = await asg({ maxAttempts: 3 }).send(new DescribeAutoScalingGroupsCommand({}));
        expect(ok.AutoScalingGroups).toHaveLength(2);
        expect(ok.$metadata.attempts).toBe(3);
        expect(sim.calls.map((c) => c.httpStatus)).toEqual([400, 400, 400, 200]);
    });

    it("answers ResourceContention (500) and LimitExceeded (400) faults as their SDK classes", async () => {
        await start();
        sim.setFaults({
            resourceContentionNext: 1,
            limitExceededNext: 1,
            actions: ["StartInstanceRefresh"],
        });
        const ok = await asg().send(new DescribeAutoScalingGroupsCommand({}));
        expect(ok.AutoScalingGroups).toHaveLength(2);
        const contention = await failure(asg().send(new StartInstanceRefreshCommand(START)));
        expect(contention).toBeInstanceOf(ResourceContentionFault);
        expect(contention.$fault).toBe("server");
        expect(contention.$metadata.httpStatusCode).toBe(500);
        const limit = await failure(asg().send(new StartInstanceRefreshCommand(START)));
        expect(limit).toBeInstanceOf(LimitExceededFault);
        sim.setFaults({ internalErrorNext: 1, serviceUnavailableNext: 1 });
        const e500 = await failure(asg().send(new DescribeAutoScalingGroupsCommand({})));
        expect(e500).toMatchObject({ name: "InternalFailure", $fault: "server" });
        const e503 = await failure(asg().send(new DescribeAutoScalingGroupsCommand({})));
        expect(e503.name).toBe("ServiceUnavailable");
        expect(e503.$metadata.httpStatusCode).toBe(503);
    });

    it("rejects a wrong secret with SignatureDoesNotMatch (403)", async () => {
        await start();
        const err = await failure(
            asg({ credentials: { ...CREDENTIALS, secretAccessKey: "wrong" } }).send(
                new DescribeAutoScalingGroupsCommand({}),
            ),
        );
        expect(err.name).toBe("SignatureDoesNotMatch");
        expect(err.$metadata.httpStatusCode).toBe(403);
        expect(err.message).toMatch(
            /^The request signature we calculated does not match the signature you provided\./,
        );
        expect(sim.calls[0]).toMatchObject({
            httpStatus: 403,
            errorCode: "SignatureDoesNotMatch",
            accessKeyId: SANDBOX_AWS_ACCESS_KEY_ID,
        });
    });

    it("rejects an unknown access key with InvalidClientTokenId (403)", async () => {
        await start();
        const err = await failure(
            asg({
                credentials: { accessKeyId: "AKIAUNKNOWN000000000", secretAccessKey: "x" },
            }).send(new DescribeAutoScalingGroupsCommand({})),
        );
        expect(err.name).toBe("InvalidClientTokenId");
        expect(err.$metadata.httpStatusCode).toBe(403);
        expect(err.message).toBe("The security token included in the request is invalid.");
        expect(sim.calls[0]?.accessKeyId).toBe("AKIAUNKNOWN000000000");
    });

    it("refuses a request signed 20 minutes off its clock; the SDK corrects the skew and retries", async () => {
        const clock = new ManualClock(Date.now() + 20 * 60_000);
        await start({ clock });
        const err = await failure(asg().send(new DescribeAutoScalingGroupsCommand({})));
        expect(err.name).toBe("SignatureDoesNotMatch");
        expect(err.$metadata.httpStatusCode).toBe(403);
        expect(err.message).toMatch(
            /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
        );
        // a client allowed to retry reads the server's Date header, corrects its clock, retries
        const ok = await asg({ maxAttempts: 3 }).send(new DescribeAutoScalingGroupsCommand({}));
        expect(ok.AutoScalingGroups).toHaveLength(2);
        expect(ok.$metadata.attempts).toBe(2);
        // a clock behind the client's: "not yet current"; EC2 says RequestExpired
        clock.set(Date.now() - 20 * 60_000);
        const future = await failure(asg().send(new DescribeAutoScalingGroupsCommand({})));
        expect(future.message).toMatch(/^Signature not yet current: /);
        const e = await failure(ec2().send(new DescribeLaunchTemplatesCommand({})));
        expect(e.name).toBe("RequestExpired");
        expect(e.$metadata.httpStatusCode).toBe(400);
    });

    it("checks the session token and the region of the credential scope", async () => {
        await start({
            credentials: [{ ...CREDENTIALS, sessionToken: "session-token-1" }],
            region: REGION,
        });
        const ok = await asg({
            credentials: { ...CREDENTIALS, sessionToken: "session-token-1" },
        }).send(new DescribeAutoScalingGroupsCommand({}));
        expect(ok.AutoScalingGroups).toHaveLength(2);
        const missing = await failure(asg().send(new DescribeAutoScalingGroupsCommand({})));
        expect(missing.name).toBe("InvalidClientTokenId");
        const wrong = await failure(
            asg({ credentials: { ...CREDENTIALS, sessionToken: "other" } }).send(
                new DescribeAutoScalingGroupsCommand({}),
            ),
        );
        expect(wrong.name).toBe("InvalidClientTokenId");
        const region = await failure(
            asg({
                region: "eu-west-1",
                credentials: { ...CREDENTIALS, sessionToken: "session-token-1" },
            }).send(new DescribeAutoScalingGroupsCommand({})),
        );
        expect(region.name).toBe("SignatureDoesNotMatch");
        expect(region.message).toMatch(/scoped to a valid region, not 'eu-west-1'/);
    });

    it("describes groups, their launch template and instances", async () => {
        await start();
        const out = await asg().send(
            new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["web", "missing"] }),
        );
        expect(out.AutoScalingGroups).toHaveLength(1);
        const [g] = out.AutoScalingGroups ?? [];
        expect(g).toMatchObject({
            AutoScalingGroupName: "web",
            AutoScalingGroupARN: expect.stringMatching(
                /^arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:[0-9a-f-]{36}:autoScalingGroupName\/web$/,
            ),
            MinSize: 0,
            MaxSize: 8,
            DesiredCapacity: 4,
            LaunchTemplate: {
                LaunchTemplateId: LT,
                LaunchTemplateName: "web-template",
                Version: "1",
            },
            AvailabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
            HealthCheckType: "EC2",
            LoadBalancerNames: [],
        });
        expect(g?.CreatedTime).toBeInstanceOf(Date);
        expect(g?.Instances).toHaveLength(4);
        expect(g?.Instances?.[0]).toMatchObject({
            InstanceId: expect.stringMatching(/^i-[0-9a-f]{17}$/),
            LifecycleState: "InService",
            HealthStatus: "Healthy",
            AvailabilityZone: "us-east-1a",
            ProtectedFromScaleIn: false,
            LaunchTemplate: {
                LaunchTemplateId: LT,
                LaunchTemplateName: "web-template",
                Version: "1",
            },
        });
        expect(sim.calls[0]?.params).toEqual({
            "AutoScalingGroupNames.member.1": "web",
            "AutoScalingGroupNames.member.2": "missing",
        });
        const api = await asg().send(
            new DescribeAutoScalingGroupsCommand({ AutoScalingGroupNames: ["api"] }),
        );
        expect(api.AutoScalingGroups?.[0]?.LaunchTemplate?.Version).toBe("$Latest");
        expect(api.AutoScalingGroups?.[0]?.Instances?.[0]?.LaunchTemplate?.Version).toBe("3");
    });

    it("serves EC2's launch template lookups to the EC2 client", async () => {
        await start();
        const byId = await ec2().send(
            new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: [LT] }),
        );
        expect(byId.LaunchTemplates).toEqual([
            expect.objectContaining({
                LaunchTemplateId: LT,
                LaunchTemplateName: "web-template",
                DefaultVersionNumber: 1,
                LatestVersionNumber: 3,
            }),
        ]);
        expect(byId.LaunchTemplates?.[0]?.CreateTime).toBeInstanceOf(Date);
        expect(sim.calls[0]).toMatchObject({
            service: "ec2",
            action: "DescribeLaunchTemplates",
            params: { "LaunchTemplateId.1": LT },
            httpStatus: 200,
        });
        sim.addLaunchTemplateVersion("web-template");
        const byName = await ec2().send(
            new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["web-template"] }),
        );
        expect(byName.LaunchTemplates?.[0]?.LatestVersionNumber).toBe(4);
        const versions = await ec2().send(
            new DescribeLaunchTemplateVersionsCommand({
                LaunchTemplateId: LT,
                Versions: ["$Latest", "$Default", "2"],
            }),
        );
        expect(
            versions.LaunchTemplateVersions?.map((v) => [v.VersionNumber, v.DefaultVersion]),
        ).toEqual([
            [4, false],
            [1, true],
            [2, false],
        ]);
        expect(versions.LaunchTemplateVersions?.[0]?.LaunchTemplateData?.ImageId).toMatch(
            /^ami-0[0-9a-f]{16}$/,
        );
        expect(sim.callsTo("DescribeLaunchTemplateVersions")[0]?.params).toEqual({
            LaunchTemplateId: LT,
            "LaunchTemplateVersion.1": "$Latest",
            "LaunchTemplateVersion.2": "$Default",
            "LaunchTemplateVersion.3": "2",
        });
        const all = await ec2().send(
            new DescribeLaunchTemplateVersionsCommand({ LaunchTemplateName: "web-template" }),
        );
        expect(all.LaunchTemplateVersions?.map((v) => v.VersionNumber)).toEqual([4, 3, 2, 1]);
        const noId = await failure(
            ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateIds: ["lt-0nope"] })),
        );
        expect(noId.name).toBe("InvalidLaunchTemplateId.NotFound");
        expect(noId.$metadata.httpStatusCode).toBe(400);
        expect(noId.message).toBe(
            "The specified launch template, with template ID lt-0nope, does not exist.",
        );
        const noName = await failure(
            ec2().send(new DescribeLaunchTemplatesCommand({ LaunchTemplateNames: ["nope"] })),
        );
        expect(noName.name).toBe("InvalidLaunchTemplateName.NotFoundException");
        const noVersion = await failure(
            ec2().send(
                new DescribeLaunchTemplateVersionsCommand({
                    LaunchTemplateId: LT,
                    Versions: ["9"],
                }),
            ),
        );
        expect(noVersion.name).toBe("InvalidLaunchTemplateId.VersionNotFound");
    });

    it("answers EC2's AuthFailure (401) to a wrong EC2 secret, and EC2's throttling", async () => {
        await start();
        const err = await failure(
            ec2({ credentials: { ...CREDENTIALS, secretAccessKey: "wrong" } }).send(
                new DescribeLaunchTemplatesCommand({}),
            ),
        );
        expect(err.name).toBe("AuthFailure");
        expect(err.$metadata.httpStatusCode).toBe(401);
        sim.setFaults({ throttleNext: 1 });
        const throttled = await failure(ec2().send(new DescribeLaunchTemplatesCommand({})));
        expect(throttled.name).toBe("RequestLimitExceeded");
        expect(sim.calls.map((c) => c.service)).toEqual(["ec2", "ec2"]);
    });

    it("verifies an independently computed signature, and refuses a tampered body", async () => {
        const clock = new ManualClock(Date.now());
        await start({ clock });
        const body =
            "Action=DescribeAutoScalingGroups&Version=2011-01-01&AutoScalingGroupNames.member.1=api";
        const ok = await send(port, signed(port, body));
        expect(ok.status).toBe(200);
        expect(ok.text).toMatch(
            /^<DescribeAutoScalingGroupsResponse xmlns="http:\/\/autoscaling\.amazonaws\.com\/doc\/2011-01-01\/"><DescribeAutoScalingGroupsResult><AutoScalingGroups><member><AutoScalingGroupName>api<\/AutoScalingGroupName>/,
        );
        expect(ok.text).toMatch(
            /<ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/DescribeAutoScalingGroupsResponse>/,
        );
        expect(ok.headers["content-type"]).toBe("text/xml");
        expect(ok.headers["x-amzn-requestid"]).toEqual(expect.any(String));
        expect(ok.headers["date"]).toBe(new Date(clock.now()).toUTCString());
        const tampered = await send(
            port,
            signed(port, body, { tamper: body.replace("api", "web") }),
        );
        expect(tampered.status).toBe(403);
        expect(tampered.text).toMatch(/<Type>Sender<\/Type><Code>SignatureDoesNotMatch<\/Code>/);
        const unknown = await send(port, signed(port, "Action=DescribeNothing&Version=2011-01-01"));
        expect(unknown.status).toBe(400);
        expect(unknown.text).toMatch(/<Code>InvalidAction<\/Code>/);
        const ec2Body = "Action=DescribeLaunchTemplates&Version=2016-11-15";
        const ec2Ok = await send(port, signed(port, ec2Body, { service: "ec2" }));
        expect(ec2Ok.text).toMatch(
            /<DescribeLaunchTemplatesResponse xmlns="http:\/\/ec2\.amazonaws\.com\/doc\/2016-11-15\/"><requestId>[0-9a-f-]{36}<\/requestId><launchTemplates><item><launchTemplateId>/,
        );
        const ec2Bad = await send(port, signed(port, ec2Body, { service: "ec2", secret: "wrong" }));
        expect(ec2Bad.status).toBe(401);
        expect(ec2Bad.text).toMatch(
            /<Response><Errors><Error><Code>AuthFailure<\/Code><Message>[^<]+<\/Message><\/Error><\/Errors><RequestID>[0-9a-f-]{36}<\/RequestID><\/Response>$/,
        );
        const noAuth = await send(port, {
            headers: { "content-type": "application/x-www-form-urlencoded" },
            body,
        });
        expect(noAuth.status).toBe(403);
        expect(noAuth.text).toMatch(/<Code>MissingAuthenticationToken<\/Code>/);
        const wrongService = await send(port, signed(port, body, { service: "sts" }));
        expect(wrongService.status).toBe(403);
        expect(wrongService.text).toMatch(/scoped to correct service/);
    });

    it("delays responses and limits faults to the listed actions", async () => {
        await start();
        // A delay far longer than an undelayed answer takes on a loaded machine (hundreds of ms).
        sim.setFaults({ throttleNext: 5, actions: ["StartInstanceRefresh"], latencyMs: 2000 });
        const t0 = Date.now();
        await asg().send(new DescribeAutoScalingGroupsCommand({}));
        expect(Date.now() - t0).toBeLessThan(1990);
        const t1 = Date.now();
        const err = await failure(asg().send(new StartInstanceRefreshCommand(START)));
        expect(err.name).toBe("Throttling");
        expect(Date.now() - t1).toBeGreaterThanOrEqual(1990);
    });

    it("serves the /_sandbox/ admin API", async () => {
        await start();
        const post = (path: string, json: unknown) =>
            fetch(`${endpoint}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(json) });
        const get = async (path: string): Promise<unknown> =>
            (await fetch(`${endpoint}/_sandbox/${path}`)).json();
        expect(
            (
                await post("launch-templates", {
                    launchTemplateId: "lt-0new",
                    launchTemplateName: "new",
                    versions: 1,
                })
            ).status,
        ).toBe(201);
        expect(
            (
                await post("launch-templates", {
                    launchTemplateId: "lt-0new",
                    launchTemplateName: "new",
                    versions: 1,
                })
            ).status,
        ).toBe(409);
        const version = await post("launch-template-versions", { launchTemplate: "new" });
        expect(await version.json()).toEqual({ versionNumber: 2 });
        expect((await post("launch-template-versions", { launchTemplate: "nope" })).status).toBe(
            404,
        );
        const seed = {
            autoScalingGroupName: "batch",
            capacity: 2,
            launchTemplate: { launchTemplateId: "lt-0new", version: "1" },
        };
        expect((await post("groups", seed)).status).toBe(201);
        expect((await post("groups", seed)).status).toBe(409);
        expect((await post("scenario", { autoScalingGroupName: "nope" })).status).toBe(404);
        expect(
            (await post("scenario", { autoScalingGroupName: "batch", foreignRefresh: true }))
                .status,
        ).toBe(200);
        expect(await get("refreshes?autoScalingGroupName=batch")).toEqual([
            expect.objectContaining({
                AutoScalingGroupName: "batch",
                foreign: true,
                Status: "Pending",
            }),
        ]);
        expect(await get("groups")).toEqual(
            expect.arrayContaining([
                expect.objectContaining({ autoScalingGroupName: "batch", capacity: 2 }),
            ]),
        );
        expect(await get("launch-templates")).toEqual(
            expect.arrayContaining([
                {
                    launchTemplateId: "lt-0new",
                    launchTemplateName: "new",
                    defaultVersionNumber: 1,
                    latestVersionNumber: 2,
                },
            ]),
        );
        // The code a start on the busy group gets (AWS's documented one unless the scenario says).
        const busy = await failure(
            asg().send(new StartInstanceRefreshCommand({ AutoScalingGroupName: "batch" })),
        );
        expect(busy.name).toBe("InstanceRefreshInProgressFault"); // the SDK's modelled error
        expect(
            (
                await post("scenario", {
                    autoScalingGroupName: "batch",
                    busyCode: "SandboxUnknown.GroupBusy",
                })
            ).status,
        ).toBe(200);
        const unknown = await failure(
            asg().send(new StartInstanceRefreshCommand({ AutoScalingGroupName: "batch" })),
        );
        expect(unknown.name).toBe("SandboxUnknown.GroupBusy");
        expect((await post("reset", {})).status).toBe(200);
        expect((await post("faults", { throttleNext: 1 })).status).toBe(200);
        const err = await failure(
            asg().send(new StartInstanceRefreshCommand({ AutoScalingGroupName: "web" })),
        );
        expect(err.name).toBe("Throttling");
        expect(await get("calls")).toEqual([
            expect.objectContaining({
                action: "StartInstanceRefresh",
                httpStatus: 400,
                errorCode: "Throttling",
            }),
        ]);
        expect((await post("reset", {})).status).toBe(200);
        expect(sim.calls).toHaveLength(0);
        expect((await post("faults", { throttleNext: -1 })).status).toBe(400);
        expect((await fetch(`${endpoint}/_sandbox/nothing`)).status).toBe(404);
    });
});
