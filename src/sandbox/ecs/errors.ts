/**
 * ECS (2014-05-26) error codes the simulator answers with, as `PopApiError`s.
 *
 * Sources:
 * - RedeployInstance's codes, HTTP statuses and messages are seed 000's error table (the vendor's
 *   RedeployInstance page); its "%s" messages are filled with an explanation.
 * - InvalidTaskId.NotFound (400, `The specified "TaskId" is not found.`) is DescribeTaskAttribute's
 *   documented error.
 * - Gateway codes (signature, MissingParameter, InvalidAction.NotFound, InvalidVersion,
 *   Throttling.User, ServiceUnavailable) are those of the ESS simulator (common to POP APIs);
 *   InternalError uses the message of seed 000.
 */
import { PopApiError, popMissingParameter } from "../common/popError";

export { PopApiError } from "../common/popError";

/** 400 MissingParameter: a required parameter is absent (the shape Alibaba Cloud documents). */
export const missingParameter = popMissingParameter;

/** 400 InvalidParameter naming the parameter (and its valid values when given). */
export function invalidParameter(name: string, detail?: string): PopApiError {
    const base = `The specified value of parameter "${name}" is not valid.`;
    return new PopApiError(400, "InvalidParameter", detail ? `${base} ${detail}` : base);
}

/**
 * 403 EventIdLimitExceeded: more than 100 EventId.N in DescribeInstanceHistoryEvents (its page
 * names the code and the status; the message here is the simulator's).
 */
export function eventIdLimitExceeded(): PopApiError {
    return new PopApiError(403, "EventIdLimitExceeded", "The number of EventId.N exceeds 100.");
}

/** 404 InvalidInstanceId.NotFound. */
export function instanceNotFound(): PopApiError {
    return new PopApiError(
        404,
        "InvalidInstanceId.NotFound",
        "The InstanceId provided does not exist in our records.",
    );
}

/** 403 InstanceExpiredOrInArrears. */
export function instanceExpired(): PopApiError {
    return new PopApiError(
        403,
        "InstanceExpiredOrInArrears",
        "The specified operation is denied as your prepay instance is expired (prepay mode) " +
            "or in arrears (afterpay mode).",
    );
}

/** 403 InstanceLockedForSecurity. */
export function lockedForSecurity(): PopApiError {
    return new PopApiError(
        403,
        "InstanceLockedForSecurity",
        "The specified operation is denied as your instance is locked for security reasons.",
    );
}

/** 403 IncorrectInstanceStatus, with the fixed message or an explanation ("%s"). */
export function incorrectInstanceStatus(detail?: string): PopApiError {
    return new PopApiError(
        403,
        "IncorrectInstanceStatus",
        detail ?? "The current status of the resource does not support this operation.",
    );
}

/** 403 InvalidOperation.RedeployInstance ("%s" in seed 000). */
export function invalidRedeploy(message: string): PopApiError {
    return new PopApiError(403, "InvalidOperation.RedeployInstance", message);
}

/** 403 DiskError. */
export function diskError(): PopApiError {
    return new PopApiError(403, "DiskError", "IncorrectDiskStatus.");
}

/** 400 InvalidTaskId.NotFound. */
export function taskNotFound(): PopApiError {
    return new PopApiError(400, "InvalidTaskId.NotFound", 'The specified "TaskId" is not found.');
}

/** 400 Throttling.User. */
export function throttlingUser(): PopApiError {
    return new PopApiError(400, "Throttling.User", "Request was denied due to user flow control.");
}

/** 500 InternalError (seed 000's message). */
export function internalError(): PopApiError {
    return new PopApiError(
        500,
        "InternalError",
        "The request processing has failed due to some unknown error.",
    );
}

/** 503 ServiceUnavailable. */
export function serviceUnavailable(): PopApiError {
    return new PopApiError(
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
    );
}

/** 404 InvalidAction.NotFound. */
export function actionNotFound(): PopApiError {
    return new PopApiError(
        404,
        "InvalidAction.NotFound",
        "Specified api is not found, please check your url and method.",
    );
}

/** 400 InvalidVersion. */
export function invalidVersion(): PopApiError {
    return new PopApiError(400, "InvalidVersion", "Specified parameter Version is not valid.");
}
