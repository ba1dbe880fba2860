/**
 * The ECS simulator's HTTP server: signature checks, faults, routing, errors in Alibaba Cloud's
 * JSON shape, the call log and the /_sandbox/ admin API. Binds 127.0.0.1 only.
 *
 * Order of checks for an API request (as the ESS simulator): signature (key id, timestamp window,
 * signature, nonce), then faults (throttling / 500 / 503, consumed one per matching request), then
 * routing (missing or unknown action, version), then the action itself.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Listening, listening, type SimClock, wallOf, worldClock } from "../clock";
import { SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "../common/credentials";
import { COMMON_FAULT_COUNTERS, FaultInjector } from "../common/faults";
import { logAction } from "../common/actionLog";
import { sandboxAnswer } from "../common/admin";
import { LoopbackServer, readBody, splitUrl, writeJson } from "../common/http";
import { PopApiError } from "../common/popError";
import {
    describeRequest,
    NonceCache,
    type RawRequest,
    type RequestInfo,
    verifyRequest,
} from "../common/popSignature";
import { ACTIONS, ECS_API_VERSION } from "./actions";
import { handleAdmin } from "./admin";
import { EcsEngine, snapshotEvent, snapshotInstance, snapshotTask } from "./engine";
import {
    actionNotFound,
    internalError,
    invalidVersion,
    missingParameter,
    serviceUnavailable,
    throttlingUser,
} from "./errors";
import type {
    EcsEventSeed,
    EcsFaults,
    EcsInstanceSeed,
    EcsNotification,
    EcsScenario,
    EcsSimulatorOptions,
    RecordedCall,
    SimEvent,
    SimInstance,
    SimTask,
} from "./types";

export { SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET };

const HOST_ID = "ecs.aliyuncs.com";

type EcsFaultCounter = (typeof COMMON_FAULT_COUNTERS)[number];

/** A stateful ECS (2014-05-26) server for tests and offline rehearsals of redeploys. */
export class EcsSimulator {
    /** Every API request received, in order (including rejected ones). */
    readonly calls: RecordedCall[] = [];
    private readonly secrets = new Map<string, string>();
    private readonly clock: SimClock;
    /** Signatures, nonces, the quota and the Date header: the wall clock under a scaled world. */
    private readonly wall: SimClock;
    private readonly engine: EcsEngine;
    private readonly windowMs: number;
    private readonly log?: (line: string) => void;
    private readonly nonces = new NonceCache();
    private readonly faults = new FaultInjector<EcsFaultCounter>(
        "EcsFaults",
        COMMON_FAULT_COUNTERS,
    );
    private readonly http = new LoopbackServer("EcsSimulator", (req, res) => this.handle(req, res));

    constructor(opts: EcsSimulatorOptions = {}) {
        const creds = opts.credentials ?? [
            { accessKeyId: SANDBOX_ACCESS_KEY_ID, accessKeySecret: SANDBOX_ACCESS_KEY_SECRET },
        ];
        for (const c of creds) {
            this.secrets.set(c.accessKeyId, c.accessKeySecret);
        }
        this.clock = worldClock(opts);
        this.wall = wallOf(this.clock);
        this.engine = new EcsEngine({ defaultScenario: opts.scenario, accountId: opts.accountId });
        this.windowMs = (opts.signatureWindowMinutes ?? 15) * 60_000;
        this.log = opts.log;
        for (const seed of opts.instances ?? []) {
            this.addInstance(seed);
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

    /** Adds an instance (and its events); throws on a bad seed or a taken id. */
    addInstance(seed: EcsInstanceSeed): void {
        this.engine.addInstance(seed, this.clock.now());
    }

    /** Publishes a system event on an instance; returns its EventId. */
    addEvent(instanceId: string, seed: EcsEventSeed): string {
        return this.engine.addEvent(instanceId, seed, this.clock.now());
    }

    /** Sets an instance's scenario (merged over the default scenario). */
    setScenario(instanceId: string, scenario: EcsScenario): void {
        this.engine.setScenario(instanceId, scenario, this.clock.now());
    }

    /** Replaces the request faults. */
    setFaults(faults: EcsFaults): void {
        this.faults.set(faults);
    }

    /** The calls made to one action. */
    callsTo(action: string): RecordedCall[] {
        return this.calls.filter((c) => c.action === action);
    }

    /** A snapshot of one instance at the clock's now; throws for an unknown id. */
    instance(instanceId: string): SimInstance {
        this.engine.advance(this.clock.now());
        const inst = this.engine.instance(instanceId);
        if (!inst) {
            throw new Error(`unknown instance ${instanceId}`);
        }
        return snapshotInstance(inst);
    }

    /** Snapshots of every instance, in insertion order. */
    instances(): SimInstance[] {
        this.engine.advance(this.clock.now());
        return this.engine.instances().map(snapshotInstance);
    }

    /** Task snapshots, newest first. */
    tasks(): SimTask[] {
        this.engine.advance(this.clock.now());
        return this.engine.tasks().map(snapshotTask);
    }

    /** Event snapshots (of one instance, or all), newest first. */
    events(instanceId?: string): SimEvent[] {
        this.engine.advance(this.clock.now());
        return this.engine.events(instanceId).map(snapshotEvent);
    }

    /** The notifications sent so far, oldest first, in seed 002's envelope. */
    notifications(): EcsNotification[] {
        this.engine.advance(this.clock.now());
        return this.engine.notifications();
    }

    /** Forgets the recorded calls and the notifications sent (instances, events, tasks stay). */
    reset(): void {
        this.calls.splice(0);
        this.engine.clearNotifications();
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
                throw new PopApiError(400, "InvalidParameter", "The request body is too large.");
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
                    `&product=Ecs&requestId=${requestId}`,
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
        if (info.version !== ECS_API_VERSION) {
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
        logAction(`ecs:${call.action}`, call.userAgent);
        this.log?.(this.describeCall(call, payload));
    }

    private describeCall(call: RecordedCall, payload: Record<string, unknown>): string {
        const when = new Date(call.receivedAt).toISOString().replace(/\.\d{3}Z$/, "Z");
        const target = [call.params["InstanceId"], call.params["TaskId"], call.params["TaskIds"]]
            .filter((s) => s !== undefined && s !== "")
            .join(" ");
        const who = `${call.signatureVersion}${call.accessKeyId ? `, ${call.accessKeyId}` : ""}`;
        const action = call.action || "(no action)";
        const head = `${when} ECS ${action}${target ? ` ${target}` : ""} (${who})`;
        if (call.errorCode !== undefined) {
            const message = String(payload["Message"]).replace(/\n/g, "\\n");
            return `${head} -> ${call.httpStatus} ${call.errorCode}: ${message}`;
        }
        const taskId = call.action === "RedeployInstance" ? payload["TaskId"] : undefined;
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
