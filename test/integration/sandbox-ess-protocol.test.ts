/**
 * The ESS simulator against the real `@alicloud/openapi-core` client, over HTTP on 127.0.0.1.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { request } from "node:http";
import Credential, { Config as CredentialConfig } from "@alicloud/credentials";
import Client, {
    $OpenApiUtil,
    ClientError,
    OpenApiUtil,
    ServerError,
    ThrottlingError,
} from "@alicloud/openapi-core";
import { RuntimeOptions } from "@darabonba/typescript";
import { ManualClock } from "../../src/sandbox/clock";
import {
    type EssSimulatorOptions,
    EssSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "../../src/sandbox/ess";

const REGION = "cn-hangzhou";

interface ClientOptions {
    accessKeyId?: string;
    accessKeySecret?: string;
    v2?: boolean;
    credential?: Credential;
}

/** A simulator listening on a random port, plus a real ESS-style client factory. */
async function boot(opts: EssSimulatorOptions = {}) {
    const sim = new EssSimulator({
        groups: [
            { scalingGroupId: "asg-web", capacity: 6 },
            { scalingGroupId: "asg-api", capacity: 4 },
        ],
        ...opts,
    });
    const { port, endpoint } = await sim.listen(0);
    const client = (o: ClientOptions = {}): Client => {
        const config = new $OpenApiUtil.Config({
            endpoint: `127.0.0.1:${port}`,
            protocol: "http",
            regionId: REGION,
        });
        if (o.credential) {
            config.credential = o.credential;
        } else {
            config.accessKeyId = o.accessKeyId ?? SANDBOX_ACCESS_KEY_ID;
            config.accessKeySecret = o.accessKeySecret ?? SANDBOX_ACCESS_KEY_SECRET;
        }
        if (o.v2) {
            config.signatureAlgorithm = "v2";
        }
        return new Client(config);
    };
    return { sim, port, endpoint, client };
}

/** Calls an ESS action the way the generated SDK does (RPC, flattened query). */
async function call(
    client: Client,
    action: string,
    query: Record<string, unknown>,
): Promise<Record<string, unknown>> {
    const params = new $OpenApiUtil.Params({
        action,
        version: "2022-02-22",
        protocol: "HTTP",
        pathname: "/",
        method: "POST",
        authType: "AK",
        style: "RPC",
        reqBodyType: "formData",
        bodyType: "json",
    });
    const req = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
    const res = await client.callApi(params, req, new RuntimeOptions({}));
    return res["body"] as Record<string, unknown>;
}

/** The error a call rejects with. */
async function failure(promise: Promise<unknown>): Promise<ClientError> {
    try {
        await promise;
    } catch (e) {
        return e as ClientError;
    }
    throw new Error("expected the call to fail");
}

const START = {
    RegionId: REGION,
    ScalingGroupId: "asg-web",
    MinHealthyPercentage: 80,
    MaxHealthyPercentage: 120,
    SkipMatching: true,
    CheckpointPauseTime: 5,
    DesiredConfiguration: { ImageId: "m-bp1 new(image)*" },
    Checkpoints: [{ Percentage: 50 }, { Percentage: 100 }],
};

const START_FLAT = {
    RegionId: REGION,
    ScalingGroupId: "asg-web",
    MinHealthyPercentage: "80",
    MaxHealthyPercentage: "120",
    SkipMatching: "true",
    CheckpointPauseTime: "5",
    "DesiredConfiguration.ImageId": "m-bp1 new(image)*",
    "Checkpoints.1.Percentage": "50",
    "Checkpoints.2.Percentage": "100",
};

/** Hand-signs a V3 request per Alibaba's V3 signature document, for replay tests. */
function signedV3(
    port: number,
    action: string,
    query: string,
    opts: { nonce?: string; body?: string; version?: string } = {},
): { path: string; headers: Record<string, string>; body: string } {
    const body = opts.body ?? "";
    const headers: Record<string, string> = {
        host: `127.0.0.1:${port}`,
        "x-acs-action": action,
        "x-acs-version": opts.version ?? "2022-02-22",
        "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        "x-acs-signature-nonce": opts.nonce ?? randomUUID(),
        "x-acs-content-sha256": createHash("sha256").update(body).digest("hex"),
    };
    if (body !== "") {
        headers["content-type"] = "application/x-www-form-urlencoded";
    }
    const signed = Object.keys(headers).sort();
    const canonicalQuery = query
        .split("&")
        .filter((s) => s !== "")
        .sort()
        .join("&");
    const canonical = [
        "POST",
        "/",
        canonicalQuery,
        signed.map((h) => `${h}:${headers[h]}\n`).join(""),
        signed.join(";"),
        headers["x-acs-content-sha256"],
    ].join("\n");
    const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
    const signature = createHmac("sha256", SANDBOX_ACCESS_KEY_SECRET).update(toSign).digest("hex");
    headers["authorization"] =
        `ACS3-HMAC-SHA256 Credential=${SANDBOX_ACCESS_KEY_ID},` +
        `SignedHeaders=${signed.join(";")},Signature=${signature}`;
    return { path: query === "" ? "/" : `/?${query}`, headers, body };
}

/** Sends a raw request to the simulator. */
function send(
    port: number,
    req: { path: string; method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; json: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
        const r = request(
            {
                host: "127.0.0.1",
                port,
                path: req.path,
                method: req.method ?? "POST",
                headers: req.headers,
            },
            (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (c: string) => (text += c));
                res.on("end", () =>
                    resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) as never }),
                );
            },
        );
        r.on("error", reject);
        r.end(req.body ?? "");
    });
}

describe("ESS simulator wire protocol (real openapi-core client)", () => {
    let sim: EssSimulator;
    let port: number;
    let endpoint: string;
    let client: (o?: ClientOptions) => Client;

    async function start(opts: EssSimulatorOptions = {}): Promise<void> {
        ({ sim, port, endpoint, client } = await boot(opts));
    }

    afterEach(async () => {
        await sim?.close();
    });

    it("accepts a V3-signed StartInstanceRefresh and records its flattened params", async () => {
        await start();
        const body = await call(client(), "StartInstanceRefresh", START);
        expect(body["InstanceRefreshTaskId"]).toMatch(/^ir-/);
        expect(body["RequestId"]).toMatch(/^[0-9A-F-]{36}$/);
        expect(endpoint).toBe(`http://127.0.0.1:${port}`);
        const [recorded] = sim.callsTo("StartInstanceRefresh");
        expect(recorded).toMatchObject({
            action: "StartInstanceRefresh",
            version: "2022-02-22",
            signatureVersion: "v3",
            accessKeyId: SANDBOX_ACCESS_KEY_ID,
            httpStatus: 200,
            requestId: body["RequestId"],
        });
        expect(recorded?.params).toEqual(START_FLAT);
        expect(recorded?.errorCode).toBeUndefined();
    });

    it("accepts a V2-signed (classic RPC) StartInstanceRefresh", async () => {
        await start();
        const body = await call(client({ v2: true }), "StartInstanceRefresh", START);
        expect(body["InstanceRefreshTaskId"]).toMatch(/^ir-/);
        const [recorded] = sim.calls;
        expect(recorded).toMatchObject({ signatureVersion: "v2", httpStatus: 200 });
        expect(recorded?.accessKeyId).toBe(SANDBOX_ACCESS_KEY_ID);
        expect(recorded?.params).toEqual(START_FLAT);
    });

    it("accepts a client built from an @alicloud/credentials Credential", async () => {
        await start();
        const credential = new Credential(
            new CredentialConfig({
                type: "access_key",
                accessKeyId: SANDBOX_ACCESS_KEY_ID,
                accessKeySecret: SANDBOX_ACCESS_KEY_SECRET,
            }),
        );
        const body = await call(client({ credential }), "DescribeScalingGroups", {
            RegionId: REGION,
        });
        expect(body["TotalCount"]).toBe(2);
    });

    it("rejects a wrong secret with SignatureDoesNotMatch (V3 and V2)", async () => {
        await start();
        for (const v2 of [false, true]) {
            const err = await failure(
                call(client({ accessKeySecret: "wrong", v2 }), "DescribeScalingGroups", {
                    RegionId: REGION,
                }),
            );
            expect(err).toBeInstanceOf(ClientError);
            expect(err.code).toBe("SignatureDoesNotMatch");
            expect(err.statusCode).toBe(400);
            expect(err.data?.["Message"]).toMatch(
                /^Specified signature (is not matched with|does not match) our calculation\./,
            );
        }
        expect(sim.calls.map((c) => c.errorCode)).toEqual([
            "SignatureDoesNotMatch",
            "SignatureDoesNotMatch",
        ]);
        expect(sim.calls.map((c) => c.signatureVersion)).toEqual(["v3", "v2"]);
    });

    it("rejects an unknown access key with 404 InvalidAccessKeyId.NotFound", async () => {
        await start();
        const err = await failure(
            call(client({ accessKeyId: "LTAI-unknown" }), "DescribeScalingGroups", {
                RegionId: REGION,
            }),
        );
        expect(err).toBeInstanceOf(ClientError);
        expect(err.code).toBe("InvalidAccessKeyId.NotFound");
        expect(err.statusCode).toBe(404);
        expect(sim.calls[0]).toMatchObject({ accessKeyId: "LTAI-unknown", httpStatus: 404 });
    });

    it("rejects a request whose timestamp is 20 minutes off the simulator clock", async () => {
        const clock = new ManualClock(Date.now() + 20 * 60_000);
        await start({ clock });
        for (const v2 of [false, true]) {
            const err = await failure(
                call(client({ v2 }), "DescribeScalingGroups", { RegionId: REGION }),
            );
            expect(err.code).toBe("InvalidTimeStamp.Expired");
            expect(err.statusCode).toBe(400);
        }
        clock.set(Date.now() + 10 * 60_000);
        const ok = await call(client(), "DescribeScalingGroups", { RegionId: REGION });
        expect(ok["TotalCount"]).toBe(2);
    });

    it("rejects a replayed signature nonce with SignatureNonceUsed", async () => {
        await start();
        const req = signedV3(port, "DescribeScalingGroups", `RegionId=${REGION}`, {
            nonce: "nonce-1",
        });
        expect((await send(port, req)).status).toBe(200);
        const replay = await send(port, req);
        expect(replay.status).toBe(400);
        expect(replay.json["Code"]).toBe("SignatureNonceUsed");
    });

    it("reads params from a form-encoded body (V3, hand-signed)", async () => {
        await start();
        const req = signedV3(port, "DescribeScalingGroups", "", {
            body: `RegionId=${REGION}&ScalingGroupIds.1=asg-api`,
        });
        const res = await send(port, req);
        expect(res.status).toBe(200);
        expect(res.json["TotalCount"]).toBe(1);
        expect(sim.calls[0]?.params).toEqual({ RegionId: REGION, "ScalingGroupIds.1": "asg-api" });
    });

    it("answers a request without any signature with IncompleteSignature", async () => {
        await start();
        const res = await send(port, {
            path: `/?RegionId=${REGION}`,
            headers: { "x-acs-action": "DescribeScalingGroups", "x-acs-version": "2022-02-22" },
        });
        expect(res.status).toBe(400);
        expect(res.json).toMatchObject({ Code: "IncompleteSignature", HostId: "ess.aliyuncs.com" });
        expect(typeof res.json["RequestId"]).toBe("string");
    });

    it("throttles with Throttling.User (ThrottlingError), then recovers", async () => {
        await start();
        sim.setFaults({ throttleNext: 1 });
        const err = await failure(call(client(), "DescribeScalingGroups", { RegionId: REGION }));
        expect(err).toBeInstanceOf(ThrottlingError);
        expect(err.code).toBe("Throttling.User");
        expect(err.statusCode).toBe(400);
        expect(err.data?.["Message"]).toBe("Request was denied due to user flow control.");
        const ok = await call(client(), "DescribeScalingGroups", { RegionId: REGION });
        expect(ok["TotalCount"]).toBe(2);
    });

    it("answers 500 InternalError and 503 ServiceUnavailable as ServerError", async () => {
        await start();
        sim.setFaults({ internalErrorNext: 1, serviceUnavailableNext: 1 });
        const e500 = await failure(call(client(), "DescribeScalingGroups", { RegionId: REGION }));
        expect(e500).toBeInstanceOf(ServerError);
        expect(e500).toMatchObject({ code: "InternalError", statusCode: 500 });
        const e503 = await failure(call(client(), "DescribeScalingGroups", { RegionId: REGION }));
        expect(e503).toBeInstanceOf(ServerError);
        expect(e503).toMatchObject({ code: "ServiceUnavailable", statusCode: 503 });
    });

    it("applies faults only to the listed actions, and delays responses", async () => {
        await start();
        sim.setFaults({ throttleNext: 5, actions: ["StartInstanceRefresh"], latencyMs: 150 });
        const t0 = Date.now();
        const ok = await call(client(), "DescribeScalingGroups", { RegionId: REGION });
        expect(ok["TotalCount"]).toBe(2);
        const err = await failure(call(client(), "StartInstanceRefresh", START));
        expect(err.code).toBe("Throttling.User");
        expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    });

    it("is idempotent per ClientToken, and refuses a reused token with other params", async () => {
        await start();
        const withToken = { ...START, ClientToken: "deploy-42" };
        const first = await call(client(), "StartInstanceRefresh", withToken);
        const again = await call(client({ v2: true }), "StartInstanceRefresh", withToken);
        expect(again["InstanceRefreshTaskId"]).toBe(first["InstanceRefreshTaskId"]);
        const err = await failure(
            call(client(), "StartInstanceRefresh", { ...withToken, MinHealthyPercentage: 50 }),
        );
        expect(err.code).toBe("IdempotentParameterMismatch");
        expect(err.statusCode).toBe(400);
        expect(sim.refreshes("asg-web")).toHaveLength(1);
    });

    it("allows one running refresh per group", async () => {
        await start();
        await call(client(), "StartInstanceRefresh", START);
        const err = await failure(call(client(), "StartInstanceRefresh", START));
        expect(err).toBeInstanceOf(ClientError);
        expect(err.code).toBe("InstanceRefreshInProgress");
        const other = await call(client(), "StartInstanceRefresh", {
            ...START,
            ScalingGroupId: "asg-api",
        });
        expect(other["InstanceRefreshTaskId"]).toMatch(/^ir-/);
    });

    it("names the offending parameter and its range in InvalidParameter", async () => {
        await start();
        const cases: [Record<string, unknown>, RegExp][] = [
            [{ MinHealthyPercentage: 101 }, /"MinHealthyPercentage".*0 to 100/],
            [{ MaxHealthyPercentage: 99 }, /"MaxHealthyPercentage".*100 to 200/],
            [{ CheckpointPauseTime: 2881 }, /"CheckpointPauseTime".*1 to 2880/],
            [{ Checkpoints: [{ Percentage: 50 }] }, /"Checkpoints\.1\.Percentage".*100/],
            [
                { DesiredConfiguration: { ImageId: "m-1", LaunchTemplateId: "lt-1" } },
                /"DesiredConfiguration".*not several of them/,
            ],
            [
                { DesiredConfiguration: { LaunchTemplateId: "lt-1", LaunchTemplateVersion: "v8" } },
                /"DesiredConfiguration\.LaunchTemplateVersion".*fixed version number, Default or Latest/,
            ],
            [
                {
                    DesiredConfiguration: {
                        Containers: [{ Name: "web", Commands: ["x".repeat(257)] }],
                    },
                },
                /"DesiredConfiguration\.Containers\.1\.Commands\.1".*256 characters/,
            ],
            [
                {
                    DesiredConfiguration: {
                        Containers: [
                            { Name: "web", EnvironmentVars: [{ Key: "1PATH", Value: "x" }] },
                        ],
                    },
                },
                /"DesiredConfiguration\.Containers\.1\.EnvironmentVars\.1\.Key".*cannot start with a digit/,
            ],
            [
                {
                    DesiredConfiguration: {
                        Containers: [
                            {
                                Name: "web",
                                EnvironmentVars: [{ Key: "PATH", Value: "x".repeat(257) }],
                            },
                        ],
                    },
                },
                /"DesiredConfiguration\.Containers\.1\.EnvironmentVars\.1\.Value".*0 to 256/,
            ],
            [
                {
                    DesiredConfiguration: {
                        Containers: [
                            {
                                Name: "web",
                                EnvironmentVars: [{ Key: "POD", FieldRefFieldPath: "x" }],
                            },
                        ],
                    },
                },
                /"DesiredConfiguration\.Containers\.1\.EnvironmentVars\.1\.FieldRefFieldPath".*not available/,
            ],
        ];
        for (const [override, message] of cases) {
            const params = { ...START, ...override };
            const err = await failure(call(client(), "StartInstanceRefresh", params));
            expect(err.code).toBe("InvalidParameter");
            expect(err.statusCode).toBe(400);
            expect(String(err.data?.["Message"])).toMatch(message);
        }
    });

    it("reports missing parameters, unknown groups, unknown actions and versions", async () => {
        await start();
        const { ScalingGroupId: _omit, ...noGroup } = START;
        const missing = await failure(call(client(), "StartInstanceRefresh", noGroup));
        // ESS's documented shape for any missing parameter, naming it.
        expect(missing).toMatchObject({ code: "MissingParameter", statusCode: 400 });
        expect(missing.data?.["Message"]).toBe(
            'The input parameter "ScalingGroupId" that is mandatory for processing this request is not supplied.',
        );
        const unknown = await failure(
            call(client(), "StartInstanceRefresh", { ...START, ScalingGroupId: "asg-nope" }),
        );
        expect(unknown).toMatchObject({ code: "InvalidScalingGroupId.NotFound", statusCode: 404 });
        const region = await failure(
            call(client(), "StartInstanceRefresh", { ...START, RegionId: "cn-beijing" }),
        );
        expect(region).toMatchObject({ code: "InvalidScalingGroupId.NotFound", statusCode: 404 });
        const action = await failure(call(client(), "DescribeNothing", { RegionId: REGION }));
        expect(action).toMatchObject({ code: "InvalidAction.NotFound", statusCode: 404 });
        const old = signedV3(port, "DescribeScalingGroups", `RegionId=${REGION}`, {
            version: "2014-08-28",
        });
        const version = await send(port, old);
        expect(version).toMatchObject({ status: 400, json: { Code: "InvalidVersion" } });
    });

    it("describes refreshes with ESS's fields, newest first, paginated", async () => {
        await start();
        const a = await call(client(), "StartInstanceRefresh", START);
        await call(client(), "StartInstanceRefresh", { ...START, ScalingGroupId: "asg-api" });
        const page1 = await call(client(), "DescribeInstanceRefreshes", {
            RegionId: REGION,
            MaxResults: 1,
        });
        expect(page1).toMatchObject({ TotalCount: 2, MaxResults: 1 });
        const tasks1 = page1["InstanceRefreshTasks"] as Record<string, unknown>[];
        expect(tasks1[0]?.["ScalingGroupId"]).toBe("asg-api");
        expect(typeof page1["NextToken"]).toBe("string");
        const page2 = await call(client(), "DescribeInstanceRefreshes", {
            RegionId: REGION,
            MaxResults: 1,
            NextToken: page1["NextToken"],
        });
        const tasks2 = page2["InstanceRefreshTasks"] as Record<string, unknown>[];
        expect(tasks2[0]).toMatchObject({
            InstanceRefreshTaskId: a["InstanceRefreshTaskId"],
            ScalingGroupId: "asg-web",
            RegionId: REGION,
            Status: "Pending",
            TotalNeedUpdateCapacity: 6,
            FinishedUpdateCapacity: 0,
            MinHealthyPercentage: 80,
            MaxHealthyPercentage: 120,
            SkipMatching: true,
            CheckpointPauseTime: 5,
            Checkpoints: [{ Percentage: 50 }, { Percentage: 100 }],
            DesiredConfiguration: { ImageId: "m-bp1 new(image)*" },
        });
        expect(tasks2[0]?.["StartTime"]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(tasks2[0]).not.toHaveProperty("foreign");
        expect(page2["NextToken"]).toBeUndefined();
        const byId = await call(client(), "DescribeInstanceRefreshes", {
            RegionId: REGION,
            ScalingGroupId: "asg-web",
            InstanceRefreshTaskIds: [a["InstanceRefreshTaskId"]],
        });
        expect(byId["TotalCount"]).toBe(1);
        const tooMany = await failure(
            call(client(), "DescribeInstanceRefreshes", { RegionId: REGION, MaxResults: 51 }),
        );
        expect(String(tooMany.data?.["Message"])).toMatch(/"MaxResults".*1 to 50/);
    });

    it("suspends, resumes, cancels and refuses a rollback of a Cancelling task", async () => {
        await start();
        const { InstanceRefreshTaskId: id } = await call(client(), "StartInstanceRefresh", START);
        const target = { RegionId: REGION, ScalingGroupId: "asg-web", InstanceRefreshTaskId: id };
        await call(client(), "SuspendInstanceRefresh", target);
        expect(sim.refreshes("asg-web")[0]?.Status).toBe("Paused");
        await call(client(), "ResumeInstanceRefresh", target);
        expect(sim.refreshes("asg-web")[0]?.Status).toBe("InProgress");
        const body = await call(client(), "CancelInstanceRefresh", target);
        expect(Object.keys(body)).toEqual(["RequestId"]);
        expect(sim.refreshes("asg-web")[0]?.Status).toBe("Cancelling");
        const err = await failure(call(client(), "RollbackInstanceRefresh", target));
        expect(err.code).toBe("IncorrectInstanceRefreshTaskStatus");
        const gone = await failure(
            call(client(), "CancelInstanceRefresh", { ...target, InstanceRefreshTaskId: "ir-x" }),
        );
        expect(gone).toMatchObject({
            code: "InvalidInstanceRefreshTaskId.NotFound",
            statusCode: 404,
        });
    });

    it("describes scaling groups", async () => {
        await start();
        const body = await call(client(), "DescribeScalingGroups", {
            RegionId: REGION,
            ScalingGroupIds: ["asg-web"],
        });
        expect(body).toMatchObject({ TotalCount: 1, PageNumber: 1, PageSize: 10 });
        expect((body["ScalingGroups"] as unknown[])[0]).toMatchObject({
            ScalingGroupId: "asg-web",
            RegionId: REGION,
            LifecycleState: "Active",
            TotalCapacity: 6,
            ActiveScalingConfigurationId: "asc-web",
        });
    });

    it("progresses refreshes on the simulator clock", async () => {
        const clock = new ManualClock(Date.now());
        await start({ clock, scenario: { batchSeconds: 5 } });
        const t0 = clock.now();
        await call(client(), "StartInstanceRefresh", START);
        clock.set(t0 + 60_000);
        const body = await call(client(), "DescribeInstanceRefreshes", {
            RegionId: REGION,
            ScalingGroupId: "asg-web",
        });
        const [task] = body["InstanceRefreshTasks"] as Record<string, unknown>[];
        expect(task).toMatchObject({ Status: "CheckpointPause", FinishedUpdateCapacity: 4 });
    });

    it("serves the /_sandbox/ admin API", async () => {
        await start();
        const post = (path: string, json: unknown) =>
            fetch(`${endpoint}/_sandbox/${path}`, {
                method: "POST",
                body: JSON.stringify(json),
            });
        expect((await post("groups", { scalingGroupId: "asg-new", capacity: 2 })).status).toBe(201);
        expect((await post("groups", { scalingGroupId: "asg-new", capacity: 2 })).status).toBe(409);
        expect((await post("scenario", { scalingGroupId: "asg-nope" })).status).toBe(404);
        const scenario = await post("scenario", {
            scalingGroupId: "asg-new",
            foreignRefresh: true,
        });
        expect(scenario.status).toBe(200);
        const refreshes = (await (await fetch(`${endpoint}/_sandbox/refreshes`)).json()) as {
            ScalingGroupId: string;
            foreign: boolean;
        }[];
        expect(refreshes).toEqual([
            expect.objectContaining({ ScalingGroupId: "asg-new", foreign: true }),
        ]);
        expect((await post("faults", { throttleNext: 1 })).status).toBe(200);
        const err = await failure(call(client(), "DescribeScalingGroups", { RegionId: REGION }));
        expect(err.code).toBe("Throttling.User");
        const calls = (await (await fetch(`${endpoint}/_sandbox/calls`)).json()) as unknown[];
        expect(calls).toHaveLength(1);
        expect(calls[0]).toMatchObject({ action: "DescribeScalingGroups", httpStatus: 400 });
        expect((await post("faults", { throttleNext: -1 })).status).toBe(400);
        expect((await fetch(`${endpoint}/_sandbox/nothing`)).status).toBe(404);
    });
});
