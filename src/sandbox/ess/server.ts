/**
 * The ESS simulator's HTTP server: signature checks, faults, routing, errors in ESS's JSON shape,
 * the call log and the /_sandbox/ admin API. Binds 127.0.0.1 only.
 *
 * Order of checks for an API request: signature (key id, timestamp window, signature, nonce),
 * then faults (throttling / 500 / 503, consumed one per matching request), then routing
 * (missing or unknown action, version), then the action itself.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Listening, listening, type SimClock, wallOf, worldClock } from "../clock";
import { SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "../common/credentials";
import { COMMON_FAULT_COUNTERS, FaultInjector } from "../common/faults";
import { RequestQuota, type SimQuota, type SimQuotaState } from "../common/quota";
import { logAction } from "../common/actionLog";
import { sandboxAnswer } from "../common/admin";
import { LoopbackServer, readBody, splitUrl, writeJson } from "../common/http";
import { PopApiError } from "../common/popError";
import { ACTIONS, ESS_API_VERSION, wireGroup } from "./actions";
import { handleAdmin } from "./admin";
import {
    actionNotFound,
    EssApiError,
    internalError,
    invalidVersion,
    missingParameter,
    serviceUnavailable,
    throttlingUser,
} from "./errors";
import { type ActivityFilter, type LifecycleActionFilter, RefreshEngine } from "./refreshEngine";
import {
    describeRequest,
    NonceCache,
    type RawRequest,
    type RequestInfo,
    verifyRequest,
} from "./signature";
import type {
    EssFaults,
    EssGroupSeed,
    EssLifecycleHookSeed,
    EssScenario,
    EssSimulatorOptions,
    RecordedCall,
    SimLifecycleAction,
    SimLifecycleHook,
    SimRefresh,
    SimScalingInstance,
    SimScalingActivity,
} from "./types";

export { SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET };

const HOST_ID = "ess.aliyuncs.com";

type EssFaultCounter = (typeof COMMON_FAULT_COUNTERS)[number];

/** A stateful ESS (Auto Scaling 2022-02-22) server for tests and offline rehearsals. */
export class EssSimulator {
    /** Every API request received, in order (including rejected ones). */
    readonly calls: RecordedCall[] = [];
    private readonly secrets = new Map<string, string>();
    private readonly clock: SimClock;
    /** Signatures, nonces, the quota and the Date header: the wall clock under a scaled world. */
    private readonly wall: SimClock;
    private readonly engine: RefreshEngine;
    private readonly windowMs: number;
    private readonly log?: (line: string) => void;
    private readonly nonces = new NonceCache();
    private readonly faults = new FaultInjector<EssFaultCounter>(
        "EssFaults",
        COMMON_FAULT_COUNTERS,
    );
    private readonly quota: RequestQuota;
    private readonly http = new LoopbackServer("EssSimulator", (req, res) => this.handle(req, res));

    constructor(opts: EssSimulatorOptions = {}) {
        const creds = opts.credentials ?? [
            { accessKeyId: SANDBOX_ACCESS_KEY_ID, accessKeySecret: SANDBOX_ACCESS_KEY_SECRET },
        ];
        for (const c of creds) {
            this.secrets.set(c.accessKeyId, c.accessKeySecret);
        }
        this.clock = worldClock(opts);
        this.wall = wallOf(this.clock);
        this.engine = new RefreshEngine({ defaultScenario: opts.scenario });
        this.windowMs = (opts.signatureWindowMinutes ?? 15) * 60_000;
        this.log = opts.log;
        this.quota = new RequestQuota(opts.quota);
        for (const seed of opts.groups ?? []) {
            this.addGroup(seed);
        }
    }

    /** Starts listening on 127.0.0.1 (port 0 = a random free port). */
    async listen(port = 0): Promise<Listening> {
        return listening(await this.http.listen(port), this.clock);
    }

    /** Stops listening and drops open connections (pending delayed responses are abandoned). */
    close(): Promise<void> {
        return this.http.close();
    }

    /** Adds a scaling group; throws if its id is taken. */
    addGroup(seed: EssGroupSeed): void {
        this.engine.addGroup(seed, this.clock.now());
    }

    /** Adds a lifecycle hook to a group (throws if the group is unknown or the id/name taken). */
    addLifecycleHook(seed: EssLifecycleHookSeed): SimLifecycleHook {
        return this.engine.addLifecycleHook(seed, this.clock.now());
    }

    /** Lifecycle hooks (all, or one group's), shaped like DescribeLifecycleHooks returns them. */
    lifecycleHooks(scalingGroupId?: string): SimLifecycleHook[] {
        return this.engine.lifecycleHooks({ scalingGroupId });
    }

    /**
     * Lifecycle actions, oldest first, after advancing to the clock's now: the
     * DescribeLifecycleActions fields plus their activity, refresh task, Pending window,
     * how they ended and every heartbeat they received.
     */
    lifecycleActions(filter: LifecycleActionFilter = {}): SimLifecycleAction[] {
        this.engine.advance(this.clock.now());
        return this.engine.lifecycleActions(filter);
    }

    /** Scaling activities, newest first, after advancing to the clock's now. */
    scalingActivities(filter: ActivityFilter = {}): SimScalingActivity[] {
        this.engine.advance(this.clock.now());
        return this.engine.scalingActivities(filter);
    }

    /** Sets a group's scenario (merged over the default scenario). */
    setScenario(scalingGroupId: string, scenario: EssScenario): void {
        this.engine.setScenario(scalingGroupId, scenario, this.clock.now());
    }

    /**
     * Cancels a running refresh as its owner would, outside any stack (CancelInstanceRefresh):
     * Cancelling, then Cancelled one batch of the group's scenario later.
     */
    cancelRefresh(scalingGroupId: string, instanceRefreshTaskId: string): void {
        const task = this.refreshes(scalingGroupId).find(
            (r) => r.InstanceRefreshTaskId === instanceRefreshTaskId,
        );
        if (!task) {
            throw new Error(`group ${scalingGroupId} has no refresh ${instanceRefreshTaskId}`);
        }
        this.engine.cancel(scalingGroupId, task.RegionId, instanceRefreshTaskId, this.clock.now());
    }

    /** Replaces the request faults. */
    setFaults(faults: EssFaults): void {
        this.faults.set(faults);
    }

    /** Replaces the account-wide request quota (undefined: none) and zeroes its counters. */
    setQuota(quota: SimQuota | undefined): void {
        this.quota.set(quota);
    }

    /** The request quota's settings and counters. */
    quotaState(): SimQuotaState {
        return this.quota.state();
    }

    /** The calls made to one action. */
    callsTo(action: string): RecordedCall[] {
        return this.calls.filter((c) => c.action === action);
    }

    /** Refresh snapshots (newest first) after advancing to the clock's now. */
    refreshes(scalingGroupId?: string): SimRefresh[] {
        this.engine.advance(this.clock.now());
        return this.engine.list(scalingGroupId);
    }

    /** A group's instances now, as DescribeScalingInstances lists them (none for an unknown group). */
    instances(scalingGroupId: string): SimScalingInstance[] {
        const group = this.engine.group(scalingGroupId);
        return group ? this.engine.instances(group, this.clock.now()) : [];
    }

    /** The groups, shaped like DescribeScalingGroups returns them. */
    groupSummaries(): Record<string, unknown>[] {
        this.engine.advance(this.clock.now());
        return this.engine.groups().map(wireGroup);
    }

    /** Forgets the recorded calls (groups and refreshes stay). */
    reset(): void {
        this.calls.splice(0);
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const body = await readBody(req);
        const { path, query } = splitUrl(req.url);
        const answer = sandboxAnswer(
            this.clock,
            { method: req.method, path, query, body },
            (method, route, params, content) => handleAdmin(this, method, route, params, content),
        );
        if (answer) {
            writeJson(res, answer.status, answer.body);
            return;
        }
        const raw: RawRequest = {
            method: req.method ?? "GET",
            path,
            query,
            headers: req.headers,
            body: body ?? Buffer.alloc(0),
        };
        const info = describeRequest(raw);
        const requestId = randomUUID().toUpperCase();
        const receivedAt = this.clock.now();
        let status = 200;
        let errorCode: string | undefined;
        let payload: Record<string, unknown>;
        try {
            if (body === undefined) {
                throw new EssApiError(400, "InvalidParameter", "The request body is too large.");
            }
            payload = { RequestId: requestId, ...this.execute(raw, info, receivedAt) };
        } catch (e) {
            const err = e instanceof PopApiError ? e : internalError();
            if (!(e instanceof PopApiError)) {
                const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
                this.log?.(`internal error: ${detail}`);
            }
            status = err.httpStatus;
            errorCode = err.code;
            payload = {
                RequestId: requestId,
                HostId: HOST_ID,
                Code: err.code,
                Message: err.message,
                Recommend:
                    `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(err.code)}` +
                    `&product=Ess&requestId=${requestId}`,
            };
        }
        this.record(info, { status, errorCode, requestId, receivedAt }, payload);
        this.respond(res, info.action, status, requestId, payload);
    }

    private execute(raw: RawRequest, info: RequestInfo, now: number): Record<string, unknown> {
        const verified = verifyRequest(raw, info, {
            secretOf: (ak) => this.secrets.get(ak),
            nowMs: this.wall.now() + this.faults.clockSkewMs(),
            windowMs: this.windowMs,
        });
        if (verified.nonce) {
            this.nonces.use(verified.accessKeyId, verified.nonce, this.wall.now(), this.windowMs);
        }
        if (!this.quota.take(verified.accessKeyId, this.wall.now())) {
            throw throttlingUser();
        }
        this.applyFaults(info.action);
        if (info.action === "") {
            throw missingParameter("Action");
        }
        const handler = ACTIONS[info.action];
        if (!handler) {
            throw actionNotFound();
        }
        if (info.version === "") {
            throw missingParameter("Version");
        }
        if (info.version !== ESS_API_VERSION) {
            throw invalidVersion();
        }
        return handler(info.params, { engine: this.engine, now });
    }

    private applyFaults(action: string): void {
        switch (this.faults.take(action)) {
            case "throttleNext":
                throw throttlingUser();
            case "internalErrorNext":
                throw internalError();
            case "serviceUnavailableNext":
                throw serviceUnavailable();
            default:
                return;
        }
    }

    private record(
        info: RequestInfo,
        outcome: { status: number; errorCode?: string; requestId: string; receivedAt: number },
        payload: Record<string, unknown>,
    ): void {
        const call: RecordedCall = {
            action: info.action,
            version: info.version,
            signatureVersion: info.signatureVersion,
            params: { ...info.params },
            httpStatus: outcome.status,
            requestId: outcome.requestId,
            receivedAt: outcome.receivedAt,
        };
        if (info.userAgent !== undefined) {
            call.userAgent = info.userAgent;
        }
        if (info.accessKeyId !== undefined) {
            call.accessKeyId = info.accessKeyId;
        }
        if (outcome.errorCode !== undefined) {
            call.errorCode = outcome.errorCode;
        }
        this.calls.push(call);
        logAction(`ess:${call.action}`, call.userAgent);
        this.log?.(this.describeCall(call, payload));
    }

    private describeCall(call: RecordedCall, payload: Record<string, unknown>): string {
        const when = new Date(call.receivedAt).toISOString().replace(/\.\d{3}Z$/, "Z");
        const target = [
            call.params["ScalingGroupId"],
            call.params["InstanceRefreshTaskId"],
            call.params["ScalingActivityId"],
            call.params["lifecycleHookId"] ?? call.params["LifecycleHookId"],
        ]
            .filter((s) => s !== undefined && s !== "")
            .join(" ");
        const who = `${call.signatureVersion}${call.accessKeyId ? `, ${call.accessKeyId}` : ""}`;
        const action = call.action || "(no action)";
        const head = `${when} ${action}${target ? ` ${target}` : ""} (${who})`;
        if (call.errorCode !== undefined) {
            const message = String(payload["Message"]).replace(/\n/g, "\\n");
            return `${head} -> ${call.httpStatus} ${call.errorCode}: ${message}`;
        }
        const taskId = payload["InstanceRefreshTaskId"];
        return `${head} -> ${call.httpStatus}${typeof taskId === "string" ? ` ${taskId}` : ""}`;
    }

    private respond(
        res: ServerResponse,
        action: string,
        status: number,
        requestId: string,
        payload: Record<string, unknown>,
    ): void {
        const reset = this.faults.takeReset(action);
        const write = (): void => {
            const headers = {
                "content-type": "application/json;charset=utf-8",
                "x-acs-request-id": requestId,
            };
            if (reset) {
                LoopbackServer.cut(res, status, headers, JSON.stringify(payload));
                return;
            }
            res.writeHead(status, headers);
            res.end(JSON.stringify(payload));
        };
        this.http.later(this.faults.delayMs(action), write);
    }
}
