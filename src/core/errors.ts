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
        const advice = adviceFor(init.code);
        super(
            `${init.service} ${init.operation} failed: ${status}${init.code}: ${init.cloudMessage}${rid}` +
                (advice ? `. ${advice}` : ""),
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

const CREDENTIALS_ADVICE =
    "The credentials were refused: check the access key the provider process uses " +
    "(the resource's or stack's profile, or the environment: ALIBABA_CLOUD_ACCESS_KEY_ID / " +
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET, AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)";
const CLOCK_ADVICE =
    "This machine's clock is too far from the cloud's (requests are accepted within 15 minutes): " +
    "synchronize it (NTP)";
const PERMISSION_ADVICE =
    "The caller lacks a permission: grant the actions listed for this resource in the README " +
    "(policies/alicloud-ram.json, policies/aws-iam.json)";

const NO_AWS_CREDENTIALS_ADVICE =
    "No AWS credentials were found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a profile " +
    "(the resource's `profile`, the stack's aws:profile, AWS_PROFILE), SSO, web identity or an " +
    "instance role, in the environment of `pulumi up`";

/** What to do about a cloud error code that no retry can mend, if the code says. */
const ADVICE: Readonly<Record<string, string>> = {
    "InvalidAccessKeyId.NotFound": CREDENTIALS_ADVICE,
    "InvalidAccessKeyId.Inactive": CREDENTIALS_ADVICE,
    InvalidAccessKeyId: CREDENTIALS_ADVICE,
    SignatureDoesNotMatch: CREDENTIALS_ADVICE,
    IncompleteSignature: CREDENTIALS_ADVICE,
    InvalidClientTokenId: CREDENTIALS_ADVICE,
    UnrecognizedClientException: CREDENTIALS_ADVICE,
    MissingAuthenticationToken: CREDENTIALS_ADVICE,
    ExpiredToken: CREDENTIALS_ADVICE,
    "InvalidSecurityToken.Expired": CREDENTIALS_ADVICE,
    CredentialsProviderError: NO_AWS_CREDENTIALS_ADVICE,
    "InvalidTimeStamp.Expired": CLOCK_ADVICE,
    RequestExpired: CLOCK_ADVICE,
    RequestTimeTooSkewed: CLOCK_ADVICE,
    "Forbidden.RAM": PERMISSION_ADVICE,
    NoPermission: PERMISSION_ADVICE,
    AccessDenied: PERMISSION_ADVICE,
    AccessDeniedException: PERMISSION_ADVICE,
    UnauthorizedOperation: PERMISSION_ADVICE,
};

/** What to do about a cloud error `code`, when it is a credentials, clock or permission error. */
export function adviceFor(code: string): string | undefined {
    return Object.prototype.hasOwnProperty.call(ADVICE, code) ? ADVICE[code] : undefined;
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
