import Client, {
    $OpenApiUtil,
    AlibabaCloudError,
    OpenApiUtil,
    ServerError,
    ThrottlingError,
} from "@alicloud/openapi-core";
import Credential from "@alicloud/credentials";
import { CloudError, isNetworkError } from "../../core/errors";
import { withRetry } from "../../core/retry";
import { Clock, systemClock } from "../../core/clock";
import { type RateLimiterRegistry, sharedRateLimiters } from "../../core/rateLimiter";
import { AlicloudEndpoint } from "./connection";
import { defaultAlicloudCredential } from "./credentials";

/**
 * `items` in lists of at most `size`: what one call of an API whose id lists are limited takes
 * (ECS's 100 ids, ESS's 20).
 */
export function chunks<T>(items: readonly T[], size: number): T[][] {
    const out: T[][] = [];
    for (let i = 0; i < items.length; i += size) {
        out.push(items.slice(i, i + size));
    }
    return out;
}

/** How to reach one Alibaba Cloud RPC-style API. */
export interface RpcClientOptions {
    /** Product name in errors, e.g. "ESS". */
    service: string;
    /** API version, e.g. "2022-02-22". */
    version: string;
    regionId: string;
    endpoint: AlicloudEndpoint;
    /** Credentials; default: the @alicloud/credentials default chain. */
    credential?: Credential;
    /** "v3" (ACS3-HMAC-SHA256, the default) or "v2" (HMAC-SHA1 RPC signatures). */
    signatureAlgorithm?: "v3" | "v2";
    /** Attempts per call for throttling, 5xx and network failures (default 6). */
    maxAttempts?: number;
    /** Per-request read timeout, ms (default 20000). */
    readTimeoutMs?: number;
    clock?: Clock;
    /** Called when a call is retried. */
    onRetry?: (operation: string, err: CloudError, delayMs: number) => void;
    /** Added to the User-Agent (default "pulumi-rollout"). */
    userAgent?: string;
    /** The rate limiters every attempt waits on (default: the process's shared ones); false: none. */
    limiters?: RateLimiterRegistry | false;
}

/** How to reach an Alibaba Cloud API, the part every client shares. */
export type AlicloudClientOptions = Omit<RpcClientOptions, "service" | "version">;

/** openapi-core's Config for these options (also what the generated SDK clients take). */
export function openApiConfig(opts: AlicloudClientOptions): $OpenApiUtil.Config {
    return new $OpenApiUtil.Config({
        endpoint: opts.endpoint.host,
        protocol: opts.endpoint.protocol,
        regionId: opts.regionId,
        credential: opts.credential ?? defaultAlicloudCredential(),
        signatureAlgorithm: opts.signatureAlgorithm === "v2" ? "v2" : undefined,
        readTimeout: opts.readTimeoutMs ?? 20_000,
        // httpx gives this to http.request as the socket's idle timeout, so it also bounds the
        // wait for the answer's first byte: as long as the read timeout, or a slow answer fails.
        connectTimeout: opts.readTimeoutMs ?? 20_000,
        userAgent: opts.userAgent ?? "pulumi-rollout",
    });
}

/** One RPC-style API over openapi-core's `callApi`: signs, sends, retries, maps errors. */
export class RpcClient {
    private readonly client: Client;

    constructor(private readonly opts: RpcClientOptions) {
        this.client = new Client(openApiConfig(opts));
    }

    /**
     * Calls `action` with `params` (nested objects and arrays are flattened as the API expects:
     * `A.B=…`, `L.1.X=…`) and returns the JSON body. Throttling, 5xx and network failures are
     * retried with backoff and jitter; any other failure is thrown at once as a CloudError.
     */
    async call<T>(action: string, params: Record<string, unknown>): Promise<T> {
        const request = new $OpenApiUtil.OpenApiRequest({
            query: OpenApiUtil.query({ RegionId: this.opts.regionId, ...params }),
        });
        const apiParams = new $OpenApiUtil.Params({
            action,
            version: this.opts.version,
            protocol: this.opts.endpoint.protocol.toUpperCase(),
            pathname: "/",
            method: "POST",
            authType: "AK",
            style: "RPC",
            reqBodyType: "formData",
            bodyType: "json",
        });
        return callAlicloud(
            this.opts.service,
            action,
            async () => {
                const res = (await this.client.callApi(apiParams, request, {
                    autoretry: false,
                } as never)) as { body?: T };
                return (res.body ?? {}) as T;
            },
            this.opts,
        );
    }
}

/** How {@link callAlicloud} retries. */
export interface AlicloudRetryOptions {
    /** Attempts per call for throttling, 5xx and network failures (default 6). */
    maxAttempts?: number;
    clock?: Clock;
    /** Called when a call is retried. */
    onRetry?: (operation: string, err: CloudError, delayMs: number) => void;
    /** The endpoint called: with the access key, it names the rate limiter every attempt waits on. */
    endpoint?: AlicloudEndpoint;
    /** The credential the call signs with (default: the default chain's). */
    credential?: Credential;
    /** The rate limiters (default: the process's shared ones); false: none. */
    limiters?: RateLimiterRegistry | false;
}

/** Access key ids by credential: resolved once per credential object (the bucket stays put). */
const accessKeyIds = new WeakMap<Credential, Promise<string | undefined>>();

/** The access key id `credential` (or the default chain) signs with; undefined if it has none. */
function accessKeyIdOf(credential: Credential | undefined): Promise<string | undefined> {
    const c = credential ?? defaultAlicloudCredential();
    let id = accessKeyIds.get(c);
    if (!id) {
        id = c.getCredential().then(
            (m) => m.accessKeyId || undefined,
            () => undefined,
        );
        accessKeyIds.set(c, id);
    }
    return id;
}

/** Alibaba Cloud's throttling codes: Throttling, Throttling.User, Throttling.Api, ... */
function isThrottling(err: CloudError): boolean {
    return /^Throttling/i.test(err.code);
}

/**
 * Runs one SDK call of `service`'s `operation`: every attempt first waits for a token of the rate
 * limiter of its endpoint and access key (a throttling answer slows that limiter down); failures
 * become CloudErrors, and the transient ones (throttling, 5xx, network) are retried with backoff
 * and full jitter.
 */
export function callAlicloud<T>(
    service: string,
    operation: string,
    call: () => Promise<T>,
    opts: AlicloudRetryOptions = {},
): Promise<T> {
    const endpoint = opts.endpoint;
    const registry =
        opts.limiters === false || endpoint === undefined
            ? undefined
            : (opts.limiters ?? sharedRateLimiters());
    return withRetry(
        async () => {
            // Every attempt takes a token from the endpoint's and account's bucket first.
            const limiter = registry?.get(
                `${endpoint!.protocol}://${endpoint!.host}`,
                await accessKeyIdOf(opts.credential),
            );
            await limiter?.acquire();
            try {
                return await call();
            } catch (err) {
                const e = toAlicloudError(service, operation, err);
                if (limiter && isThrottling(e)) {
                    limiter.onThrottle();
                }
                throw e;
            }
        },
        {
            maxAttempts: opts.maxAttempts ?? 6,
            clock: opts.clock ?? systemClock,
            classify: (err) => ({ retry: (err as CloudError).transient }),
            onRetry: (err, _attempt, delay) => opts.onRetry?.(operation, err as CloudError, delay),
        },
    );
}

/**
 * An Alibaba Cloud SDK failure as a CloudError: the API's code and message, its request id and HTTP
 * status; throttling, 5xx, network failures, timeouts and non-JSON error pages are transient.
 */
export function toAlicloudError(service: string, operation: string, err: unknown): CloudError {
    const base = { service, operation };
    if (err instanceof AlibabaCloudError) {
        const data = (err as unknown as { data?: Record<string, unknown> }).data ?? {};
        const msg = typeof data.Message === "string" ? data.Message : err.message;
        return new CloudError({
            ...base,
            code: err.code || "Unknown",
            cloudMessage: msg,
            requestId:
                err.requestId ?? (typeof data.RequestId === "string" ? data.RequestId : undefined),
            httpStatus: err.statusCode,
            transient:
                err instanceof ThrottlingError ||
                err instanceof ServerError ||
                (err.statusCode !== undefined && err.statusCode >= 500),
        });
    }
    if (isNetworkError(err)) {
        const e = err as { code?: string; message?: string };
        return new CloudError({
            ...base,
            code: "NetworkError",
            cloudMessage: `${e.code ?? ""} ${e.message ?? String(err)}`.trim(),
            transient: true,
        });
    }
    if (err instanceof SyntaxError) {
        // A body that is not JSON: a proxy's or load balancer's error page, not the API's answer.
        return new CloudError({
            ...base,
            code: "InvalidResponse",
            cloudMessage: err.message,
            transient: true,
        });
    }
    const e = err as { name?: string; message?: string; code?: string };
    const timeout =
        e.name === "ReadTimeoutError" ||
        e.name === "ConnectTimeoutError" ||
        /timeout/i.test(e.message ?? "");
    return new CloudError({
        ...base,
        code: timeout ? "Timeout" : (e.code ?? e.name ?? "Error"),
        cloudMessage: e.message ?? String(err),
        transient: timeout,
    });
}
