/** What every failed cloud call is turned into: the cloud's own code, message and request id. */
export class CloudError extends Error {
    override readonly name = "CloudError";
    /** e.g. "ESS" or "Auto Scaling". */
    readonly service: string;
    /** The API operation, e.g. "StartInstanceRefresh". */
    readonly operation: string;
    /** The cloud's error code, e.g. "Throttling.User"; "NetworkError" when no answer came. */
    readonly code: string;
    /** The cloud's own message. */
    readonly cloudMessage: string;
    /** The request id the cloud gave, if any. */
    readonly requestId?: string;
    /** HTTP status, if an answer came. */
    readonly httpStatus?: number;
    /** Whether trying the same request again may succeed (throttling, 5xx, network). */
    readonly transient: boolean;

    constructor(init: {
        service: string;
        operation: string;
        code: string;
        cloudMessage: string;
        requestId?: string;
        httpStatus?: number;
        transient: boolean;
    }) {
        const rid = init.requestId ? ` (request id ${init.requestId})` : "";
        const status = init.httpStatus ? `HTTP ${init.httpStatus} ` : "";
        super(
            `${init.service} ${init.operation} failed: ${status}${init.code}: ${init.cloudMessage}${rid}`,
        );
        this.service = init.service;
        this.operation = init.operation;
        this.code = init.code;
        this.cloudMessage = init.cloudMessage;
        this.requestId = init.requestId;
        this.httpStatus = init.httpStatus;
        this.transient = init.transient;
    }
}

/** Whether `err` is a CloudError with one of `codes`. */
export function hasCloudCode(err: unknown, ...codes: string[]): err is CloudError {
    return err instanceof CloudError && codes.includes(err.code);
}

/** Network-level failures worth retrying: no answer, or a broken one. */
const NETWORK_CODES = new Set([
    "ECONNRESET",
    "ECONNREFUSED",
    "ECONNABORTED",
    "EPIPE",
    "ETIMEDOUT",
    "EAI_AGAIN",
    "ENETUNREACH",
    "EHOSTUNREACH",
    "UND_ERR_SOCKET",
    "UND_ERR_CONNECT_TIMEOUT",
]);

/** Whether `err` (anything thrown by an HTTP stack) is a transient network failure. */
export function isNetworkError(err: unknown): boolean {
    if (!err || typeof err !== "object") {
        return false;
    }
    const e = err as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof e.code === "string" && NETWORK_CODES.has(e.code)) {
        return true;
    }
    if (typeof e.message === "string" && /socket hang up|ECONNRESET|ECONNREFUSED/.test(e.message)) {
        return true;
    }
    return e.cause !== undefined && e.cause !== err && isNetworkError(e.cause);
}

/** The message of anything thrown. */
export function messageOf(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}
