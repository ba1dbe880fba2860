import { MISSING_PARAMETER, PopApiError, missingParameterMessage } from "../common/popError";

/**
 * ESS / Alibaba Cloud POP error codes the simulator answers with.
 *
 * Sources:
 * - Gateway codes and messages (SignatureDoesNotMatch, IncompleteSignature,
 *   InvalidAccessKeyId.NotFound, InvalidTimeStamp.Expired, SignatureNonceUsed, InvalidVersion,
 *   InvalidAction.NotFound, Throttling.User, InternalError, ServiceUnavailable,
 *   IdempotentParameterMismatch) follow Alibaba Cloud's common error tables and the V3 signature
 *   document ("Specified signature does not match our calculation.").
 * - MissingParameter (400, "The input parameter ... is not supplied") is ESS's documented answer
 *   to a missing required parameter (../common/popError.ts).
 * - InvalidScalingGroupId.NotFound (404) and OperationDenied are documented ESS codes.
 * - InstanceRefreshInProgress, InvalidInstanceRefreshTaskId.NotFound and
 *   IncorrectInstanceRefreshTaskStatus are NOT confirmed: no public source lists ESS's codes for
 *   these cases. They are modelled on ESS's own naming (ScalingActivityInProgress,
 *   Invalid<X>Id.NotFound, Incorrect<X>Status).
 */
export class EssApiError extends PopApiError {
    /** Builds an error answered as `{RequestId, HostId, Code, Message, Recommend}`. */
    constructor(httpStatus: number, code: string, message: string) {
        super(httpStatus, code, message);
        this.name = "EssApiError";
    }
}

/** 400 MissingParameter: a required parameter is absent (the shape ESS documents). */
export function missingParameter(name: string): EssApiError {
    return new EssApiError(400, MISSING_PARAMETER, missingParameterMessage(name));
}

/** 400 InvalidParameter naming the parameter (and its valid range when given). */
export function invalidParameter(name: string, detail?: string): EssApiError {
    const base = `The specified value of parameter "${name}" is not valid.`;
    return new EssApiError(400, "InvalidParameter", detail ? `${base} ${detail}` : base);
}

/** 404 InvalidScalingGroupId.NotFound. */
export function scalingGroupNotFound(): EssApiError {
    return new EssApiError(
        404,
        "InvalidScalingGroupId.NotFound",
        "The specified scaling group does not exist.",
    );
}

/** 404: the refresh task does not exist in that group (code unconfirmed, see above). */
export function refreshTaskNotFound(id: string): EssApiError {
    return new EssApiError(
        404,
        "InvalidInstanceRefreshTaskId.NotFound",
        `The specified instance refresh task "${id}" does not exist.`,
    );
}

/**
 * 400: the group already has a running refresh. ESS documents no code for it (see above): the
 * scenario's `busyCode` chooses the answer (default InstanceRefreshInProgress), so that tests can
 * prove the client does not depend on the guess.
 */
export function refreshInProgress(taskId: string, code: string = DEFAULT_BUSY_CODE): EssApiError {
    return new EssApiError(
        400,
        code,
        `The specified scaling group already has a running instance refresh task (${taskId}).`,
    );
}

/** The code of {@link refreshInProgress} unless a scenario chooses another. */
export const DEFAULT_BUSY_CODE = "InstanceRefreshInProgress";

/**
 * 400: no instance of the group needs a refresh. ESS documents no code: the default is the one
 * Terraform's alicloud provider handles; the scenario's `nothingToRefreshCode` chooses another.
 */
export function nothingToRefresh(code: string = DEFAULT_NOTHING_TO_REFRESH_CODE): EssApiError {
    return new EssApiError(400, code, "No instance need be refreshed.");
}

/** The code of {@link nothingToRefresh} unless a scenario chooses another. */
export const DEFAULT_NOTHING_TO_REFRESH_CODE = "InvalidInstance.NoInstanceNeedBeRefreshed";

/**
 * 400: the group is of a kind StartInstanceRefresh does not support (the page's Description names
 * them, no code): `reason` says which. The scenario's `unsupportedCode` chooses the code.
 */
export function refreshUnsupported(reason: string, code = "OperationDenied"): EssApiError {
    return new EssApiError(400, code, `The instance refresh feature is not available: ${reason}`);
}

/** 400: the task's status does not allow the operation (code unconfirmed, see above). */
export function incorrectRefreshStatus(status: string, action: string): EssApiError {
    return new EssApiError(
        400,
        "IncorrectInstanceRefreshTaskStatus",
        `The current status of the specified instance refresh task (${status}) ` +
            `does not support this action (${action}).`,
    );
}

/** 400 OperationDenied with an explanation. */
export function operationDenied(message: string): EssApiError {
    return new EssApiError(400, "OperationDenied", message);
}

/** 400 IdempotentParameterMismatch: a ClientToken reused with other parameters. */
export function idempotentParameterMismatch(): EssApiError {
    return new EssApiError(
        400,
        "IdempotentParameterMismatch",
        "Request uses a client token in a previous request but is not identical to that request.",
    );
}

/** 400 Throttling.User. */
export function throttlingUser(): EssApiError {
    return new EssApiError(400, "Throttling.User", "Request was denied due to user flow control.");
}

/** 500 InternalError. */
export function internalError(): EssApiError {
    return new EssApiError(
        500,
        "InternalError",
        "The request processing has failed due to some unknown error, exception or failure.",
    );
}

/** 503 ServiceUnavailable. */
export function serviceUnavailable(): EssApiError {
    return new EssApiError(
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
    );
}

/** 404 InvalidAction.NotFound. */
export function actionNotFound(): EssApiError {
    return new EssApiError(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    );
}

/** 400 InvalidVersion. */
export function invalidVersion(): EssApiError {
    return new EssApiError(400, "InvalidVersion", "Specified parameter Version is not valid.");
}

/*
 * Lifecycle errors. RecordLifecycleActionHeartbeat's four codes, their HTTP status (400) and their
 * messages are the vendor page's (seed 004), including its spelling "InvalidParamter".
 * CompleteLifecycleAction answers a token that matches no pending action with the same
 * LifecycleHookIdAndLifecycleActionToken.Invalid (not confirmed for that action).
 */

/** 400 InvalidParamter (sic): RecordLifecycleActionHeartbeat's answer to an invalid value. */
export function invalidParamter(name: string, detail: string): EssApiError {
    return new EssApiError(
        400,
        "InvalidParamter",
        `The specified value of parameter is not valid. (${name}: ${detail})`,
    );
}

/** 400: the hook id and action token match no lifecycle action in process. */
export function lifecycleTokenInvalid(): EssApiError {
    return new EssApiError(
        400,
        "LifecycleHookIdAndLifecycleActionToken.Invalid",
        "The specified lifecycleActionToken and LifecycleHookId you provided does not match any " +
            "in process lifecycle action.",
    );
}

/** 400: the new window would end more than 6 hours after the action entered Pending. */
export function lifecycleTimeExceeded(): EssApiError {
    return new EssApiError(
        400,
        "LifecycleAction.TimeExceeded",
        "The specified parameter heartbeatTime exceed lifecycleAction max suspend time.",
    );
}

/** 400: the action already received its 20 heartbeats of this Pending period. */
export function lifecycleRecordTimesExceeded(): EssApiError {
    return new EssApiError(
        400,
        "LifecycleAction.RecordTimesExceeded",
        "The specified lifecycleAction exceed lifecycleAction max record times.",
    );
}
