/**
 * The EC2 Auto Scaling simulator's HTTP server: SigV4 checks, faults, routing by the credential
 * scope's service (autoscaling or ec2), answers and errors in each service's XML, the call log
 * and the /_sandbox/ admin API. Binds 127.0.0.1 only.
 *
 * Order of checks for an API request: signature (scope, key, time window, session token,
 * signature), then faults (consumed one per matching request), then routing (action and
 * version), then the action itself. Every answer carries x-amzn-RequestId and a Date header
 * read from the simulator clock, which the AWS SDK uses to correct its clock skew.
 */
import { randomUUID } from "node:crypto";
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from "node:http";
import { type Listening, listening, type SimClock, wallOf, worldClock } from "../clock";
import { COMMON_FAULT_COUNTERS, FaultInjector } from "../common/faults";
import { parsePairs } from "../common/form";
import { RequestQuota, type SimQuota, type SimQuotaState } from "../common/quota";
import { logAction } from "../common/actionLog";
import { sandboxAnswer } from "../common/admin";
import { LoopbackServer, readBody, splitUrl, writeJson } from "../common/http";
import { httpDate, isoSeconds } from "../common/time";
import {
    AUTOSCALING_ACTIONS,
    AUTOSCALING_API_VERSION,
    EC2_ACTIONS,
    EC2_API_VERSION,
} from "./actions";
import { handleAsgAdmin } from "./admin";
import {
    AwsApiError,
    ec2AuthFailure,
    ec2InternalError,
    ec2RequestExpired,
    ec2RequestLimitExceeded,
    ec2Unavailable,
    internalFailure,
    invalidAction,
    limitExceeded,
    resourceContention,
    serviceUnavailable,
    throttling,
} from "./errors";
import { AsgRefreshEngine } from "./refreshEngine";
import { readClaims, SigV4Failure, verifySigV4 } from "./sigv4";
import type {
    AsgFaults,
    AsgGroupSeed,
    AsgLifecycleHookSeed,
    AsgScenario,
    AutoScalingSimulatorOptions,
    AwsCredentialPair,
    AwsService,
    LaunchTemplateSeed,
    RecordedAwsCall,
    SimAsgGroup,
    SimAsgRefresh,
    SimLaunchTemplate,
    SimLifecycleAction,
    SimLifecycleHook,
} from "./types";
import { autoScalingError, autoScalingResponse, ec2Error, ec2Response } from "./xml";

/** Access key id of the sandbox's default AWS credentials. */
export const SANDBOX_AWS_ACCESS_KEY_ID = "AKIASANDBOX0000000001";
/** Secret access key of the sandbox's default AWS credentials. */
export const SANDBOX_AWS_SECRET_ACCESS_KEY = "sandbox-aws-secret-not-for-production";

const ASG_ONLY_COUNTERS = ["resourceContentionNext", "limitExceededNext"] as const;
const FAULT_COUNTERS = [...COMMON_FAULT_COUNTERS, ...ASG_ONLY_COUNTERS] as const;
type AsgFaultCounter = (typeof FAULT_COUNTERS)[number];

function header(headers: IncomingHttpHeaders, name: string): string {
    const v = headers[name];
    return (Array.isArray(v) ? v.join(",") : v) ?? "";
}

/** The error a refused signature gets from each service. */
function signatureError(service: AwsService, failure: SigV4Failure): AwsApiError {
    if (service === "ec2") {
        switch (failure.kind) {
            case "incomplete":
                return new AwsApiError(400, "IncompleteSignature", failure.message);
            case "expired":
            case "notYetCurrent":
                return ec2RequestExpired();
            default:
                return ec2AuthFailure();
        }
    }
    switch (failure.kind) {
        case "missing":
            return new AwsApiError(403, "MissingAuthenticationToken", failure.message);
        case "incomplete":
            return new AwsApiError(400, "IncompleteSignature", failure.message);
        case "unknownKey":
        case "badToken":
            return new AwsApiError(403, "InvalidClientTokenId", failure.message);
        default:
            return new AwsApiError(403, "SignatureDoesNotMatch", failure.message);
    }
}

/** A stateful EC2 Auto Scaling (2011-01-01) + EC2 launch template server for tests. */
export class AutoScalingSimulator {
    /** Every API request received, in order (including rejected ones). */
    readonly calls: RecordedAwsCall[] = [];
    private readonly credentials = new Map<string, AwsCredentialPair>();
    private readonly clock: SimClock;
    /** Signatures, nonces, the quota and the Date header: the wall clock under a scaled world. */
    private readonly wall: SimClock;
    private readonly engine: AsgRefreshEngine;
    private readonly windowMs: number;
    private readonly region?: string;
    private readonly log?: (line: string) => void;
    private readonly faults = new FaultInjector<AsgFaultCounter>("AsgFaults", FAULT_COUNTERS);
    private readonly quota: RequestQuota;
    private readonly http = new LoopbackServer("AutoScalingSimulator", (req, res) =>
        this.handle(req, res),
    );

    constructor(opts: AutoScalingSimulatorOptions = {}) {
        const creds = opts.credentials ?? [
            {
                accessKeyId: SANDBOX_AWS_ACCESS_KEY_ID,
                secretAccessKey: SANDBOX_AWS_SECRET_ACCESS_KEY,
            },
        ];
        for (const c of creds) {
            this.credentials.set(c.accessKeyId, { ...c });
        }
        this.clock = worldClock(opts);
        this.wall = wallOf(this.clock);
        this.region = opts.region;
        this.engine = new AsgRefreshEngine({
            defaultScenario: opts.scenario,
            region: opts.region,
        });
        this.windowMs = (opts.signatureWindowMinutes ?? 15) * 60_000;
        this.log = opts.log;
        this.quota = new RequestQuota(opts.quota);
        for (const seed of opts.launchTemplates ?? []) {
            this.addLaunchTemplate(seed);
        }
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

    /** Adds an Auto Scaling group; throws if its name is taken. */
    addGroup(seed: AsgGroupSeed): void {
        this.engine.addGroup(seed, this.clock.now());
    }

    /** Adds a launch template; throws if its id or name is taken. */
    addLaunchTemplate(seed: LaunchTemplateSeed): void {
        this.engine.addLaunchTemplate(seed, this.clock.now());
    }

    /** Adds a version to a launch template (by id or name); returns the new version number. */
    addLaunchTemplateVersion(idOrName: string): number {
        return this.engine.addLaunchTemplateVersion(idOrName, this.clock.now());
    }

    /** Makes a version a launch template's default. */
    setDefaultLaunchTemplateVersion(idOrName: string, version: number): void {
        this.engine.setDefaultLaunchTemplateVersion(idOrName, version, this.clock.now());
    }

    /** Sets a group's scenario (merged over the default scenario). */
    setScenario(groupName: string, scenario: AsgScenario): void {
        this.engine.setScenario(groupName, scenario, this.clock.now());
    }

    /**
     * Cancels the group's active refresh as its owner would, outside any stack
     * (CancelInstanceRefresh); returns its id.
     */
    cancelRefresh(groupName: string): string {
        return this.engine.cancel(groupName, this.clock.now());
    }

    /**
     * Adds a lifecycle hook to a group, or replaces the one of the same name; returns whether
     * it was new. Throws if the group is unknown or the hook invalid.
     */
    addLifecycleHook(groupName: string, seed: AsgLifecycleHookSeed): boolean {
        return this.engine.putLifecycleHook(groupName, seed, this.clock.now());
    }

    /** The lifecycle hooks of a group (all groups' when no name is given). */
    lifecycleHooks(groupName?: string): SimLifecycleHook[] {
        const names = groupName === undefined ? this.engine.groupNames() : [groupName];
        return names.flatMap((n) => this.engine.lifecycleHooks(n));
    }

    /** Lifecycle actions with their heartbeats, oldest first, after advancing to now. */
    lifecycleActions(
        filter: {
            autoScalingGroupName?: string;
            instanceId?: string;
            lifecycleHookName?: string;
        } = {},
    ): SimLifecycleAction[] {
        this.engine.advance(this.clock.now());
        return this.engine.lifecycleActions(filter);
    }

    /** Replaces the request faults. */
    setFaults(faults: AsgFaults): void {
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
    callsTo(action: string): RecordedAwsCall[] {
        return this.calls.filter((c) => c.action === action);
    }

    /** Refresh snapshots (newest first) after advancing to the clock's now. */
    refreshes(groupName?: string): SimAsgRefresh[] {
        this.engine.advance(this.clock.now());
        return this.engine.list(groupName);
    }

    /** A group's current launch template and instances; throws if the group is unknown. */
    group(groupName: string): SimAsgGroup {
        this.engine.advance(this.clock.now());
        const group = this.engine.group(groupName);
        if (!group) {
            throw new Error(`unknown Auto Scaling group ${groupName}`);
        }
        return group;
    }

    /** All groups. */
    groups(): SimAsgGroup[] {
        this.engine.advance(this.clock.now());
        return this.engine
            .groupNames()
            .map((n) => this.engine.group(n))
            .filter((g): g is SimAsgGroup => g !== undefined);
    }

    /** All launch templates. */
    launchTemplates(): SimLaunchTemplate[] {
        return this.engine.launchTemplates();
    }

    /** Forgets the recorded calls (groups, templates and refreshes stay). */
    reset(): void {
        this.calls.splice(0);
    }

    private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
        const body = await readBody(req);
        const { path, query } = splitUrl(req.url);
        const answer = sandboxAnswer(
            this.clock,
            { method: req.method, path, query, body },
            (method, route, params, content) =>
                handleAsgAdmin(this, method, route, params, content),
        );
        if (answer) {
            writeJson(res, answer.status, answer.body);
            return;
        }
        const receivedAt = this.clock.now();
        const requestId = randomUUID();
        const all: Record<string, string> = {};
        const form = header(req.headers, "content-type").includes(
            "application/x-www-form-urlencoded",
        );
        for (const [k, v] of [
            ...parsePairs(query),
            ...(body && form ? parsePairs(body.toString("utf8")) : []),
        ]) {
            all[k] = v;
        }
        const { Action: action = "", Version: version = "", ...params } = all;
        const claims = readClaims(req.headers);
        const service: AwsService =
            claims.service === "ec2" ||
            (claims.service !== "autoscaling" && version === EC2_API_VERSION)
                ? "ec2"
                : "autoscaling";
        let status = 200;
        let errorCode: string | undefined;
        let xml: string;
        try {
            if (body === undefined) {
                throw new AwsApiError(413, "RequestEntityTooLarge", "Request entity too large.");
            }
            const result = this.execute(
                { method: req.method ?? "GET", path, query, headers: req.headers, body },
                service,
                action,
                version,
                params,
                receivedAt,
            );
            xml =
                service === "ec2"
                    ? ec2Response(action, result ?? {}, requestId)
                    : autoScalingResponse(action, result, requestId);
        } catch (e) {
            let err: AwsApiError;
            if (e instanceof AwsApiError) {
                err = e;
            } else {
                this.log?.(
                    `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
                );
                err = service === "ec2" ? ec2InternalError() : internalFailure();
            }
            status = err.httpStatus;
            errorCode = err.code;
            xml = service === "ec2" ? ec2Error(err, requestId) : autoScalingError(err, requestId);
        }
        const call: RecordedAwsCall = {
            service,
            action,
            params,
            httpStatus: status,
            requestId,
            receivedAt,
        };
        if (errorCode !== undefined) {
            call.errorCode = errorCode;
        }
        if (claims.accessKeyId !== undefined) {
            call.accessKeyId = claims.accessKeyId;
        }
        if (claims.region !== undefined) {
            call.region = claims.region;
        }
        const agent = [header(req.headers, "user-agent"), header(req.headers, "x-amz-user-agent")]
            .filter((h) => h !== "")
            .join(" ");
        if (agent !== "") {
            call.userAgent = agent;
        }
        this.calls.push(call);
        logAction(`${service}:${action}`, call.userAgent);
        this.log?.(this.describeCall(call, xml));
        const reset = this.faults.takeReset(action);
        this.http.later(this.faults.delayMs(action), () => {
            const headers = {
                "content-type": "text/xml",
                "x-amzn-requestid": requestId,
                date: httpDate(this.wall.now() + this.faults.clockSkewMs()),
            };
            if (reset) {
                LoopbackServer.cut(res, status, headers, xml);
                return;
            }
            res.writeHead(status, headers);
            res.end(xml);
        });
    }

    private execute(
        raw: {
            method: string;
            path: string;
            query: string;
            headers: IncomingHttpHeaders;
            body: Buffer;
        },
        service: AwsService,
        action: string,
        version: string,
        params: Record<string, string>,
        now: number,
    ): ReturnType<(typeof AUTOSCALING_ACTIONS)[string]> {
        let accessKeyId: string;
        try {
            ({ accessKeyId } = verifySigV4(raw, {
                credentialOf: (ak) => this.credentials.get(ak),
                nowMs: this.wall.now() + this.faults.clockSkewMs(),
                windowMs: this.windowMs,
                services: ["autoscaling", "ec2"],
                region: this.region,
            }));
        } catch (e) {
            throw e instanceof SigV4Failure ? signatureError(service, e) : e;
        }
        if (!this.quota.take(accessKeyId, this.wall.now())) {
            throw service === "ec2" ? ec2RequestLimitExceeded() : throttling();
        }
        this.applyFaults(service, action);
        const handlers = service === "ec2" ? EC2_ACTIONS : AUTOSCALING_ACTIONS;
        const expected = service === "ec2" ? EC2_API_VERSION : AUTOSCALING_API_VERSION;
        if (action === "") {
            throw new AwsApiError(
                400,
                "MissingAction",
                "The request must contain the parameter Action.",
            );
        }
        const handler = handlers[action];
        if (!handler || version !== expected) {
            throw invalidAction(action, version);
        }
        return handler(params, { engine: this.engine, now });
    }

    private applyFaults(service: AwsService, action: string): void {
        const fired = this.faults.take(
            action,
            (c) =>
                service === "autoscaling" || !(ASG_ONLY_COUNTERS as readonly string[]).includes(c),
        );
        switch (fired) {
            case "throttleNext":
                throw service === "ec2" ? ec2RequestLimitExceeded() : throttling();
            case "internalErrorNext":
                throw service === "ec2" ? ec2InternalError() : internalFailure();
            case "serviceUnavailableNext":
                throw service === "ec2" ? ec2Unavailable() : serviceUnavailable();
            case "resourceContentionNext":
                throw resourceContention();
            case "limitExceededNext":
                throw limitExceeded();
            default:
                return;
        }
    }

    private describeCall(call: RecordedAwsCall, xml: string): string {
        const when = isoSeconds(call.receivedAt);
        const target =
            call.params["AutoScalingGroupName"] ??
            call.params["LaunchTemplateId"] ??
            call.params["LaunchTemplateName"] ??
            call.params["LaunchTemplateId.1"] ??
            call.params["LaunchTemplateName.1"];
        const who = call.accessKeyId ? ` (${call.accessKeyId})` : "";
        const hook = call.params["LifecycleHookName"];
        const subject = call.params["InstanceId"] ?? call.params["LifecycleActionToken"];
        const detail = hook ? ` hook ${hook}${subject ? ` ${subject}` : ""}` : "";
        const head = `${when} ${call.service} ${call.action || "(no action)"}${target ? ` ${target}` : ""}${detail}${who}`;
        if (call.errorCode !== undefined) {
            const message = /<Message>([\s\S]*?)<\/Message>/.exec(xml)?.[1] ?? "";
            const firstLine = message.split("\n")[0] ?? "";
            return `${head} -> ${call.httpStatus} ${call.errorCode}: ${firstLine}`;
        }
        const id = /<InstanceRefreshId>([^<]*)<\/InstanceRefreshId>/.exec(xml)?.[1];
        return `${head} -> ${call.httpStatus}${id && call.action !== "DescribeInstanceRefreshes" ? ` ${id}` : ""}`;
    }
}
