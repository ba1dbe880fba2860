/**
 * The ECS simulator against the real generated SDK `@alicloud/ecs20140526` client, over HTTP on
 * 127.0.0.1: the SDK builds and signs the requests and parses (casts) the responses into its
 * models, so a wrong field name or type shows up here.
 */
import { createHash, createHmac, randomUUID } from "node:crypto";
import { request } from "node:http";
import Client, * as $Ecs from "@alicloud/ecs20140526";
import { $OpenApiUtil, ClientError, ServerError, ThrottlingError } from "@alicloud/openapi-core";
import { ManualClock } from "../../src/sandbox/clock";
import {
    type EcsInstanceSeed,
    type EcsSimulatorOptions,
    EcsSimulator,
    SANDBOX_ACCESS_KEY_ID,
    SANDBOX_ACCESS_KEY_SECRET,
} from "../../src/sandbox/ecs";

const REGION = "cn-hangzhou";

const INSTANCES: EcsInstanceSeed[] = [
    {
        instanceId: "i-web1",
        localDisks: 2,
        events: [{ eventId: "e-web1reboot", eventType: "SystemMaintenance.Reboot" }],
    },
    { instanceId: "i-web2", status: "Stopped" },
    { instanceId: "i-ddh", dedicatedHostId: "dh-bp1ddh" },
    { instanceId: "i-locked", securityLocked: true },
    { instanceId: "i-expired", expired: true },
    {
        instanceId: "i-sim",
        events: [{ eventId: "e-sim", eventType: "SystemMaintenance.Reboot", simulated: true }],
    },
    { instanceId: "i-bj", regionId: "cn-beijing" },
];

interface ClientOptions {
    accessKeyId?: string;
    accessKeySecret?: string;
    v2?: boolean;
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

/** Hand-signs a V3 request (per Alibaba's V3 signature document) for raw-protocol tests. */
function signedV3(
    port: number,
    action: string,
    query: string,
    opts: { version?: string } = {},
): { path: string; headers: Record<string, string> } {
    const headers: Record<string, string> = {
        host: `127.0.0.1:${port}`,
        "x-acs-action": action,
        "x-acs-version": opts.version ?? "2014-05-26",
        "x-acs-date": new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
        "x-acs-signature-nonce": randomUUID(),
        "x-acs-content-sha256": createHash("sha256").update("").digest("hex"),
    };
    const signed = Object.keys(headers).sort();
    const canonical = [
        "POST",
        "/",
        query.split("&").sort().join("&"),
        signed.map((h) => `${h}:${headers[h]}\n`).join(""),
        signed.join(";"),
        headers["x-acs-content-sha256"],
    ].join("\n");
    const toSign = `ACS3-HMAC-SHA256\n${createHash("sha256").update(canonical).digest("hex")}`;
    const signature = createHmac("sha256", SANDBOX_ACCESS_KEY_SECRET).update(toSign).digest("hex");
    headers["authorization"] =
        `ACS3-HMAC-SHA256 Credential=${SANDBOX_ACCESS_KEY_ID},` +
        `SignedHeaders=${signed.join(";")},Signature=${signature}`;
    return { path: `/?${query}`, headers };
}

/** Sends a raw request to the simulator. */
function send(
    port: number,
    req: { path: string; headers: Record<string, string> },
): Promise<{ status: number; json: Record<string, unknown> }> {
    return new Promise((resolve, reject) => {
        const r = request(
            { host: "127.0.0.1", port, path: req.path, method: "POST", headers: req.headers },
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
        r.end();
    });
}

describe("ECS simulator wire protocol (real @alicloud/ecs20140526 client)", () => {
    let sim: EcsSimulator;
    let port: number;
    let endpoint: string;

    async function start(opts: EcsSimulatorOptions = {}): Promise<void> {
        sim = new EcsSimulator({ instances: INSTANCES, ...opts });
        ({ port, endpoint } = await sim.listen(0));
    }

    function client(o: ClientOptions = {}): Client {
        const config = new $OpenApiUtil.Config({
            accessKeyId: o.accessKeyId ?? SANDBOX_ACCESS_KEY_ID,
            accessKeySecret: o.accessKeySecret ?? SANDBOX_ACCESS_KEY_SECRET,
            endpoint: `127.0.0.1:${port}`,
            protocol: "http",
            regionId: REGION,
        });
        if (o.v2) {
            config.signatureAlgorithm = "v2";
        }
        return new Client(config);
    }

    const redeploy = (c: Client, instanceId: string, forceStop?: boolean) =>
        c.redeployInstance(new $Ecs.RedeployInstanceRequest({ instanceId, forceStop }));

    const describeTasks = (c: Client, taskIds: string) =>
        c.describeTasks(
            new $Ecs.DescribeTasksRequest({
                regionId: REGION,
                taskIds,
                taskAction: "RedeployInstance",
            }),
        );

    afterEach(async () => {
        await sim?.close();
    });

    it("describes instances with the SDK's fields (V3 signature)", async () => {
        await start();
        const res = await client().describeInstances(
            new $Ecs.DescribeInstancesRequest({
                regionId: REGION,
                instanceIds: JSON.stringify(["i-web1", "i-ddh", "i-locked", "i-nope"]),
            }),
        );
        expect(res.statusCode).toBe(200);
        const body = res.body!;
        expect(body).toMatchObject({ totalCount: 3, pageNumber: 1, pageSize: 10 });
        expect(body.requestId).toMatch(/^[0-9A-F-]{36}$/);
        const [web1, ddh, locked] = body.instances!.instance!;
        expect(web1).toMatchObject({
            instanceId: "i-web1",
            regionId: REGION,
            status: "Running",
            instanceType: "ecs.g7.large",
            localStorageAmount: 2,
            dedicatedHostAttribute: {
                dedicatedHostId: "",
                dedicatedHostName: "",
                dedicatedHostClusterId: "",
            },
        });
        expect(web1!.operationLocks!.lockReason).toEqual([]);
        expect(web1!.creationTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
        expect(ddh!.dedicatedHostAttribute!.dedicatedHostId).toBe("dh-bp1ddh");
        expect(locked!.operationLocks!.lockReason![0]).toMatchObject({ lockReason: "security" });
        const [call] = sim.callsTo("DescribeInstances");
        expect(call).toMatchObject({
            version: "2014-05-26",
            signatureVersion: "v3",
            accessKeyId: SANDBOX_ACCESS_KEY_ID,
            httpStatus: 200,
            requestId: body.requestId,
        });
        expect(call?.params["InstanceIds"]).toBe('["i-web1","i-ddh","i-locked","i-nope"]');
        expect(endpoint).toBe(`http://127.0.0.1:${port}`);
    });

    it("pages DescribeInstances by PageNumber/PageSize and by NextToken/MaxResults", async () => {
        await start();
        const c = client();
        const byPage = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({ regionId: REGION, pageNumber: 2, pageSize: 4 }),
        );
        expect(byPage.body).toMatchObject({ totalCount: 6, pageNumber: 2, pageSize: 4 });
        expect(byPage.body!.instances!.instance!.map((i) => i.instanceId)).toEqual([
            "i-expired",
            "i-sim",
        ]);
        // MaxResults below 10 counts as 10 (the SDK model's documented behaviour).
        const small = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({ regionId: REGION, maxResults: 5 }),
        );
        expect(small.body!.instances!.instance).toHaveLength(6);
        expect(small.body!.nextToken).toBeUndefined();
        for (let n = 1; n <= 6; n++) {
            sim.addInstance({ instanceId: `i-extra${n}` });
        }
        const first = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({ regionId: REGION, maxResults: 10 }),
        );
        expect(first.body!.instances!.instance).toHaveLength(10);
        expect(first.body!.nextToken).toEqual(expect.any(String));
        const second = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({
                regionId: REGION,
                maxResults: 10,
                nextToken: first.body!.nextToken,
            }),
        );
        expect(second.body!.instances!.instance!.map((i) => i.instanceId)).toEqual([
            "i-extra5",
            "i-extra6",
        ]);
        expect(second.body!.nextToken).toBeUndefined();
        const beijing = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({ regionId: "cn-beijing" }),
        );
        expect(beijing.body!.instances!.instance!.map((i) => i.instanceId)).toEqual(["i-bj"]);
        const none = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({
                regionId: REGION,
                instanceIds: JSON.stringify(["i-unknown"]),
            }),
        );
        expect(none.body).toMatchObject({ totalCount: 0, instances: { instance: [] } });
    });

    it("accepts V2 (HMAC-SHA1) signatures", async () => {
        await start();
        const res = await client({ v2: true }).describeInstances(
            new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: '["i-web2"]' }),
        );
        expect(res.body!.instances!.instance![0]).toMatchObject({
            instanceId: "i-web2",
            status: "Stopped",
        });
        expect(sim.calls[0]).toMatchObject({
            signatureVersion: "v2",
            accessKeyId: SANDBOX_ACCESS_KEY_ID,
            params: { RegionId: REGION, InstanceIds: '["i-web2"]' },
        });
    });

    it("serves every action under both signature versions", async () => {
        await start();
        for (const v2 of [false, true]) {
            const c = client({ v2 });
            const instanceId = v2 ? "i-web2" : "i-web1";
            const { taskId } = (await redeploy(c, instanceId)).body!;
            await c.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION }));
            await c.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: REGION }));
            await c.describeInstanceHistoryEvents(
                new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: REGION, instanceId }),
            );
            const tasks = await describeTasks(c, `${taskId}`);
            expect(tasks.body!.taskSet!.task![0]?.resourceId).toBe(instanceId);
            const attr = await c.describeTaskAttribute(
                new $Ecs.DescribeTaskAttributeRequest({ regionId: REGION, taskId }),
            );
            expect(attr.body!.taskStatus).toBe("Processing");
        }
        const byVersion = (v: string) =>
            sim.calls.filter((c) => c.signatureVersion === v).map((c) => c.action);
        const actions = [
            "RedeployInstance",
            "DescribeInstances",
            "DescribeDisks",
            "DescribeInstanceHistoryEvents",
            "DescribeTasks",
            "DescribeTaskAttribute",
        ];
        expect(byVersion("v3")).toEqual(actions);
        expect(byVersion("v2")).toEqual(actions);
        expect(sim.calls.every((c) => c.httpStatus === 200)).toBe(true);
    });

    it("rejects a wrong secret, an unknown key and a stale timestamp (V3 and V2)", async () => {
        const clock = new ManualClock(Date.now());
        await start({ clock });
        const req = new $Ecs.DescribeInstancesRequest({ regionId: REGION });
        for (const v2 of [false, true]) {
            const bad = await failure(
                client({ v2, accessKeySecret: "wrong" }).describeInstances(req),
            );
            expect(bad).toBeInstanceOf(ClientError);
            expect(bad).toMatchObject({ code: "SignatureDoesNotMatch", statusCode: 400 });
            const unknown = await failure(
                client({ v2, accessKeyId: "LTAI-unknown" }).describeInstances(req),
            );
            expect(unknown).toMatchObject({ code: "InvalidAccessKeyId.NotFound", statusCode: 404 });
        }
        clock.set(Date.now() + 20 * 60_000);
        for (const v2 of [false, true]) {
            const stale = await failure(client({ v2 }).describeInstances(req));
            expect(stale).toMatchObject({ code: "InvalidTimeStamp.Expired", statusCode: 400 });
        }
        expect(sim.calls.map((c) => c.errorCode)).toEqual([
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId.NotFound",
            "SignatureDoesNotMatch",
            "InvalidAccessKeyId.NotFound",
            "InvalidTimeStamp.Expired",
            "InvalidTimeStamp.Expired",
        ]);
        const bad = await failure(client({ accessKeySecret: "wrong" }).describeInstances(req));
        expect(bad.data?.["HostId"]).toBe("ecs.aliyuncs.com");
        expect(String(bad.data?.["Recommend"])).toContain("product=Ecs");
    });

    it("describes disks: a cloud_essd system disk and local_ssd_pro data disks", async () => {
        await start();
        const c = client();
        const all = await c.describeDisks(
            new $Ecs.DescribeDisksRequest({ regionId: REGION, instanceId: "i-web1" }),
        );
        expect(all.body!.totalCount).toBe(3);
        const disks = all.body!.disks!.disk!;
        expect(disks[0]).toMatchObject({
            instanceId: "i-web1",
            category: "cloud_essd",
            type: "system",
            status: "In_use",
            portable: true,
        });
        expect(disks.slice(1).map((d) => [d.category, d.type, d.portable])).toEqual([
            ["local_ssd_pro", "data", false],
            ["local_ssd_pro", "data", false],
        ]);
        const local = await c.describeDisks(
            new $Ecs.DescribeDisksRequest({
                regionId: REGION,
                instanceId: "i-web1",
                category: "local_ssd_pro",
            }),
        );
        expect(local.body!.totalCount).toBe(2);
        const byId = await c.describeDisks(
            new $Ecs.DescribeDisksRequest({
                regionId: REGION,
                diskIds: JSON.stringify([disks[1]!.diskId]),
            }),
        );
        expect(byId.body!.disks!.disk!.map((d) => d.diskId)).toEqual([disks[1]!.diskId]);
    });

    it("describes history events: finished ones by default, open ones on request", async () => {
        await start();
        const c = client();
        const byDefault = await c.describeInstanceHistoryEvents(
            new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: REGION }),
        );
        expect(byDefault.body).toMatchObject({ totalCount: 0, pageNumber: 1, pageSize: 10 });
        const open = await c.describeInstanceHistoryEvents(
            new $Ecs.DescribeInstanceHistoryEventsRequest({
                regionId: REGION,
                instanceEventCycleStatus: ["Scheduled", "Inquiring", "Executing"],
            }),
        );
        const events = open.body!.instanceSystemEventSet!.instanceSystemEventType!;
        expect(events.map((e) => e.eventId)).toEqual(["e-sim", "e-web1reboot"]);
        const [sim1, web1] = events;
        expect(web1).toMatchObject({
            eventId: "e-web1reboot",
            instanceId: "i-web1",
            resourceType: "instance",
            eventType: { code: 1, name: "SystemMaintenance.Reboot" },
            eventCycleStatus: { code: 24, name: "Scheduled" },
        });
        expect(web1!.eventPublishTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(web1!.notBefore).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
        expect(web1!.eventFinishTime).toBeUndefined();
        expect(web1!.reason).not.toMatch(/simulated/i);
        expect(sim1!.reason).toBe("A simulated event.");
        const filtered = await c.describeInstanceHistoryEvents(
            new $Ecs.DescribeInstanceHistoryEventsRequest({
                regionId: REGION,
                instanceId: "i-web1",
                eventId: ["e-web1reboot"],
                instanceEventType: ["SystemMaintenance.Reboot"],
                eventCycleStatus: "Scheduled",
                pageSize: 100,
            }),
        );
        expect(filtered.body!.totalCount).toBe(1);
        const params = sim.calls[2]?.params;
        expect(params).toMatchObject({
            "EventId.1": "e-web1reboot",
            "InstanceEventType.1": "SystemMaintenance.Reboot",
            EventCycleStatus: "Scheduled",
        });
        const tooBig = await failure(
            c.describeInstanceHistoryEvents(
                new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: REGION, pageSize: 101 }),
            ),
        );
        expect(tooBig).toMatchObject({ code: "InvalidParameter", statusCode: 400 });
    });

    it("answers every RedeployInstance precondition error with seed 000's code and status", async () => {
        await start();
        const c = client();
        const cases: [string, string, number, RegExp][] = [
            ["i-nope", "InvalidInstanceId.NotFound", 404, /does not exist in our records/],
            ["i-expired", "InstanceExpiredOrInArrears", 403, /expired \(prepay mode\)/],
            ["i-locked", "InstanceLockedForSecurity", 403, /locked for security reasons/],
            ["i-ddh", "InvalidOperation.RedeployInstance", 403, /dedicated host/],
            ["i-sim", "InvalidOperation.RedeployInstance", 403, /simulated/],
        ];
        for (const [instanceId, code, statusCode, message] of cases) {
            const err = await failure(redeploy(c, instanceId));
            expect(err).toBeInstanceOf(ClientError);
            expect(err).toMatchObject({ code, statusCode });
            expect(String(err.data?.["Message"])).toMatch(message);
        }
        await redeploy(c, "i-web1");
        const busy = await failure(redeploy(c, "i-web1"));
        expect(busy).toMatchObject({ code: "IncorrectInstanceStatus", statusCode: 403 });
        sim.setScenario("i-web2", { diskError: true });
        const disk = await failure(redeploy(c, "i-web2"));
        expect(disk).toMatchObject({ code: "DiskError", statusCode: 403 });
        expect(disk.data?.["Message"]).toBe("IncorrectDiskStatus.");
        sim.setScenario("i-web2", {});
        sim.setFaults({ internalErrorNext: 1, actions: ["RedeployInstance"] });
        const internal = await failure(redeploy(c, "i-web2"));
        expect(internal).toBeInstanceOf(ServerError);
        expect(internal).toMatchObject({ code: "InternalError", statusCode: 500 });
        expect(internal.data?.["Message"]).toBe(
            "The request processing has failed due to some unknown error.",
        );
        const missing = await failure(c.redeployInstance(new $Ecs.RedeployInstanceRequest({})));
        expect(missing).toMatchObject({ code: "MissingParameter", statusCode: 400 });
        expect(missing.data?.["Message"]).toMatch(
            /^The input parameter "InstanceId" that is mandatory/,
        );
        expect((await redeploy(c, "i-web2")).body!.taskId).toMatch(/^t-/);
    });

    it("follows a redeploy to Finished with DescribeTasks (ManualClock)", async () => {
        const clock = new ManualClock(Date.UTC(2025, 4, 16, 6, 0, 0));
        await start({ clock, signatureWindowMinutes: Infinity });
        const c = client({ v2: true });
        const res = await redeploy(c, "i-web1", true);
        const taskId = res.body!.taskId!;
        expect(taskId).toMatch(/^t-[0-9a-f]{20}$/);
        expect(sim.callsTo("RedeployInstance")[0]?.params).toEqual({
            InstanceId: "i-web1",
            ForceStop: "true",
        });
        const processing = await describeTasks(c, taskId);
        expect(processing.body).toMatchObject({
            totalCount: 1,
            regionId: REGION,
            taskSet: {
                task: [
                    {
                        taskId,
                        taskAction: "RedeployInstance",
                        taskStatus: "Processing",
                        resourceId: "i-web1",
                        supportCancel: "false",
                        creationTime: "2025-05-16T06:00Z",
                    },
                ],
            },
        });
        const stopping = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: '["i-web1"]' }),
        );
        expect(stopping.body!.instances!.instance![0]!.status).toBe("Stopping");
        const attr = await c.describeTaskAttribute(
            new $Ecs.DescribeTaskAttributeRequest({ regionId: REGION, taskId }),
        );
        expect(attr.body).toMatchObject({ taskStatus: "Processing", taskProcess: "0%" });
        clock.advance(20_000);
        const done = await describeTasks(c, taskId);
        expect(done.body!.taskSet!.task![0]).toMatchObject({
            taskStatus: "Finished",
            finishedTime: "2025-05-16T06:00Z",
        });
        const finished = await c.describeTaskAttribute(
            new $Ecs.DescribeTaskAttributeRequest({ regionId: REGION, taskId }),
        );
        expect(finished.body).toMatchObject({
            taskId,
            taskAction: "RedeployInstance",
            taskStatus: "Finished",
            regionId: REGION,
            supportCancel: "false",
            totalCount: 1,
            successCount: 1,
            failedCount: 0,
            taskProcess: "100%",
        });
        const running = await c.describeInstances(
            new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: '["i-web1"]' }),
        );
        expect(running.body!.instances!.instance![0]!.status).toBe("Running");
        const history = await c.describeInstanceHistoryEvents(
            new $Ecs.DescribeInstanceHistoryEventsRequest({
                regionId: REGION,
                instanceId: "i-web1",
            }),
        );
        expect(history.body!.instanceSystemEventSet!.instanceSystemEventType![0]).toMatchObject({
            eventId: "e-web1reboot",
            eventCycleStatus: { code: 8, name: "Avoided" },
            eventFinishTime: "2025-05-16T06:00:20Z",
        });
        expect(sim.instance("i-web1")).toMatchObject({ redeployCount: 1, lastStop: "forced" });
        expect(sim.instance("i-web1").localDisks.every((d) => d.dataErased)).toBe(true);
    });

    it("reports a failed redeploy's code and message in DescribeTaskAttribute", async () => {
        const clock = new ManualClock(Date.now());
        await start({ clock, signatureWindowMinutes: Infinity });
        sim.setScenario("i-web2", {
            failWith: { code: "NoStock", message: "The resource is out of stock." },
        });
        const c = client();
        const taskId = (await redeploy(c, "i-web2")).body!.taskId!;
        clock.advance(60_000);
        const failed = await c.describeTasks(
            new $Ecs.DescribeTasksRequest({ regionId: REGION, taskStatus: "Failed" }),
        );
        expect(failed.body!.taskSet!.task!.map((t) => [t.taskId, t.taskStatus])).toEqual([
            [taskId, "Failed"],
        ]);
        const attr = await c.describeTaskAttribute(
            new $Ecs.DescribeTaskAttributeRequest({ regionId: REGION, taskId }),
        );
        expect(attr.body).toMatchObject({ taskStatus: "Failed", successCount: 0, failedCount: 1 });
        expect(attr.body!.operationProgressSet!.operationProgress![0]).toMatchObject({
            operationStatus: "Failed",
            errorCode: "NoStock",
            errorMsg: "The resource is out of stock.",
            relatedItemSet: { relatedItem: [{ name: "InstanceId", value: "i-web2" }] },
        });
        expect(sim.instance("i-web2").status).toBe("Stopped");
    });

    it("answers unknown task ids as the real API does", async () => {
        await start();
        const c = client();
        const none = await describeTasks(c, "t-nope1,t-nope2");
        expect(none.body).toMatchObject({ totalCount: 0, taskSet: { task: [] } });
        const err = await failure(
            c.describeTaskAttribute(
                new $Ecs.DescribeTaskAttributeRequest({ regionId: REGION, taskId: "t-nope" }),
            ),
        );
        expect(err).toMatchObject({ code: "InvalidTaskId.NotFound", statusCode: 400 });
        expect(err.data?.["Message"]).toBe('The specified "TaskId" is not found.');
        const noRegion = await failure(
            c.describeTasks(new $Ecs.DescribeTasksRequest({ taskIds: "t-x" })),
        );
        expect(noRegion).toMatchObject({ code: "MissingParameter", statusCode: 400 });
        expect(noRegion.data?.["Message"]).toMatch(/"RegionId"/);
    });

    it("takes the id lists' documented limits: 100 TaskIds, 100 EventId.N (EventIdLimitExceeded)", async () => {
        await start();
        const c = client();
        const ids = (n: number, p: string): string[] =>
            Array.from({ length: n }, (_, i) => `${p}-${i}`);
        expect((await describeTasks(c, ids(100, "t").join(","))).statusCode).toBe(200);
        const tasks = await failure(describeTasks(c, ids(101, "t").join(",")));
        expect(tasks).toMatchObject({ code: "InvalidParameter", statusCode: 400 });
        expect(tasks.data?.["Message"]).toMatch(/"TaskIds".*up to 100 items/);
        const events = (eventId: string[]) =>
            c.describeInstanceHistoryEvents(
                new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: REGION, eventId }),
            );
        expect((await events(ids(100, "e"))).statusCode).toBe(200);
        expect(await failure(events(ids(101, "e")))).toMatchObject({
            code: "EventIdLimitExceeded",
            statusCode: 403,
        });
    });

    it("throttles (ThrottlingError) and answers 503 as ServerError", async () => {
        await start();
        sim.setFaults({ throttleNext: 1, serviceUnavailableNext: 1 });
        const req = new $Ecs.DescribeTasksRequest({ regionId: REGION });
        const throttled = await failure(client().describeTasks(req));
        expect(throttled).toBeInstanceOf(ThrottlingError);
        expect(throttled).toMatchObject({ code: "Throttling.User", statusCode: 400 });
        const unavailable = await failure(client().describeTasks(req));
        expect(unavailable).toBeInstanceOf(ServerError);
        expect(unavailable).toMatchObject({ code: "ServiceUnavailable", statusCode: 503 });
        expect((await client().describeTasks(req)).body!.totalCount).toBe(0);
    });

    it("refuses unknown actions and other API versions", async () => {
        await start();
        const action = await send(port, signedV3(port, "DescribeNothing", `RegionId=${REGION}`));
        expect(action).toMatchObject({ status: 404, json: { Code: "InvalidAction.NotFound" } });
        const version = await send(
            port,
            signedV3(port, "DescribeInstances", `RegionId=${REGION}`, { version: "2022-02-22" }),
        );
        expect(version).toMatchObject({ status: 400, json: { Code: "InvalidVersion" } });
    });

    it("serves the /_sandbox/ admin API", async () => {
        await start();
        const post = (path: string, json: unknown) =>
            fetch(`${endpoint}/_sandbox/${path}`, { method: "POST", body: JSON.stringify(json) });
        const get = async (path: string): Promise<unknown> =>
            (await fetch(`${endpoint}/_sandbox/${path}`)).json();
        expect((await post("instances", { instanceId: "i-new", localDisks: 1 })).status).toBe(201);
        expect((await post("instances", { instanceId: "i-new" })).status).toBe(409);
        expect((await post("instances", { status: "Running" })).status).toBe(400);
        const ev = await post("events", {
            instanceId: "i-new",
            eventType: "SystemFailure.Redeploy",
            notBeforeSeconds: 3600,
        });
        expect(ev.status).toBe(201);
        const { eventId } = (await ev.json()) as { eventId: string };
        expect(eventId).toMatch(/^e-/);
        expect((await post("events", { instanceId: "i-nope", eventType: "X" })).status).toBe(404);
        expect((await post("scenario", { instanceId: "i-new", stopSeconds: -1 })).status).toBe(400);
        expect((await post("scenario", { instanceId: "i-new", diskError: true })).status).toBe(200);
        expect((await failure(redeploy(client(), "i-new"))).code).toBe("DiskError");
        const instances = (await get("instances")) as { instanceId: string }[];
        expect(instances.map((i) => i.instanceId)).toContain("i-new");
        const events = (await get("events?instanceId=i-new")) as { EventId: string }[];
        expect(events.map((e) => e.EventId)).toEqual([eventId]);
        const notifications = (await get("notifications")) as { name: string }[];
        expect(notifications.map((n) => n.name)).toContain(
            "Instance:SystemFailure.Redeploy:Scheduled",
        );
        expect(await get("tasks")).toEqual([]);
        const calls = (await get("calls")) as { action: string; httpStatus: number }[];
        expect(calls).toEqual([
            expect.objectContaining({ action: "RedeployInstance", httpStatus: 403 }),
        ]);
        expect((await post("faults", { throttleNext: 1 })).status).toBe(200);
        expect((await post("faults", { throttleNext: -1 })).status).toBe(400);
        expect((await post("reset", {})).status).toBe(200);
        expect(await get("calls")).toEqual([]);
        expect(await get("notifications")).toEqual([]);
        expect((await fetch(`${endpoint}/_sandbox/nothing`)).status).toBe(404);
    });
});
