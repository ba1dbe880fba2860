/**
 * The errors the Auto Scaling / EC2 simulator answers with.
 *
 * Sources (see the module README in the report for what is unverified):
 * - Auto Scaling's modelled faults and their HTTP statuses come from the SDK's own schema
 *   (@aws-sdk/client-auto-scaling: awsQueryError codes InstanceRefreshInProgress 400,
 *   ActiveInstanceRefreshNotFound 400, IrreversibleInstanceRefresh 400, LimitExceeded 400,
 *   ResourceContention 500) and the StartInstanceRefresh page.
 * - Common errors (InvalidClientTokenId 403, IncompleteSignature 400, InternalFailure 500,
 *   ServiceUnavailable 503, ValidationError 400, InvalidAction 400, MissingAuthenticationToken
 *   403) follow the Auto Scaling API reference's "Common Errors" page.
 * - A request signed too long ago (or in the future) is answered as AWS's query services do
 *   in practice: 403 SignatureDoesNotMatch "Signature expired: ..." / "Signature not yet
 *   current: ..." (seen from Auto Scaling in aws-sdk-ruby#522), not the documented
 *   RequestExpired; EC2 answers 400 RequestExpired "Request has expired." (aws-sdk-java#1443).
 * - Throttling is 400 Throttling "Rate exceeded" (Type Sender); EC2's is RequestLimitExceeded.
 * - EC2 answers unknown or badly signed credentials with 401 AuthFailure "AWS was not able to
 *   validate the provided access credentials"; launch template lookups fail with
 *   InvalidLaunchTemplateId.NotFound / InvalidLaunchTemplateName.NotFoundException /
 *   InvalidLaunchTemplateId.VersionNotFound (messages as reported in public issues).
 */

/** An error answered in the service's XML error shape. */
export class AwsApiError extends Error {
    constructor(
        readonly httpStatus: number,
        readonly code: string,
        message: string,
        /** Who is at fault, as <Type> says in Auto Scaling's error shape. */
        readonly type: "Sender" | "Receiver" = httpStatus >= 500 ? "Receiver" : "Sender",
    ) {
        super(message);
        this.name = "AwsApiError";
    }
}

/** 400 ValidationError. */
export function validationError(message: string): AwsApiError {
    return new AwsApiError(400, "ValidationError", message);
}

/** 400 ValidationError in the form AWS uses for a modelled constraint ("1 validation error…"). */
export function constraintError(value: string, member: string, constraint: string): AwsApiError {
    return validationError(
        `1 validation error detected: Value '${value}' at '${member}' failed to satisfy ` +
            `constraint: ${constraint}`,
    );
}

/** 400 ValidationError: the group does not exist. */
export function groupNotFound(name: string): AwsApiError {
    return validationError(
        `AutoScalingGroup name not found - AutoScalingGroup '${name}' not found`,
    );
}

/** The code of {@link instanceRefreshInProgress} unless a scenario chooses another. */
export const DEFAULT_BUSY_CODE = "InstanceRefreshInProgress";

/** 400 InstanceRefreshInProgress (or the scenario's `busyCode`). */
export function instanceRefreshInProgress(code: string = DEFAULT_BUSY_CODE): AwsApiError {
    return new AwsApiError(
        400,
        code,
        "An Instance Refresh is already in progress and blocks the execution of this Instance Refresh.",
    );
}

/** 400 ActiveInstanceRefreshNotFound. */
export function activeInstanceRefreshNotFound(groupName: string): AwsApiError {
    return new AwsApiError(
        400,
        "ActiveInstanceRefreshNotFound",
        `No in progress or pending Instance Refresh found for Auto Scaling group ${groupName}`,
    );
}

/** 400 IrreversibleInstanceRefresh. */
export function irreversibleInstanceRefresh(reason: string): AwsApiError {
    return new AwsApiError(400, "IrreversibleInstanceRefresh", reason);
}

/** 400 LimitExceeded. */
export function limitExceeded(): AwsApiError {
    return new AwsApiError(
        400,
        "LimitExceeded",
        "You have reached the limit of instance refreshes for this Auto Scaling group.",
    );
}

/** 500 ResourceContention. */
export function resourceContention(): AwsApiError {
    return new AwsApiError(
        500,
        "ResourceContention",
        "You already have a pending update to an Auto Scaling resource (for example, a group, " +
            "instance, or load balancer).",
    );
}

/** 400 Throttling "Rate exceeded". */
export function throttling(): AwsApiError {
    return new AwsApiError(400, "Throttling", "Rate exceeded");
}

/** 500 InternalFailure. */
export function internalFailure(): AwsApiError {
    return new AwsApiError(
        500,
        "InternalFailure",
        "The request processing has failed because of an unknown error, exception or failure.",
    );
}

/** 503 ServiceUnavailable. */
export function serviceUnavailable(): AwsApiError {
    return new AwsApiError(
        503,
        "ServiceUnavailable",
        "The request has failed due to a temporary failure of the server.",
    );
}

/** 400 InvalidAction (unknown action or wrong API version). */
export function invalidAction(action: string, version: string): AwsApiError {
    return new AwsApiError(
        400,
        "InvalidAction",
        action === ""
            ? "The request must contain the parameter Action."
            : `Could not find operation ${action} for version ${version || "(none)"}`,
    );
}

// ---- EC2 ------------------------------------------------------------------------------------

/** 401 AuthFailure (EC2's answer to unknown keys and bad signatures). */
export function ec2AuthFailure(): AwsApiError {
    return new AwsApiError(
        401,
        "AuthFailure",
        "AWS was not able to validate the provided access credentials",
    );
}

/** 400 RequestExpired (EC2's answer to a request outside the time window). */
export function ec2RequestExpired(): AwsApiError {
    return new AwsApiError(400, "RequestExpired", "Request has expired.");
}

/** 503 RequestLimitExceeded (EC2 throttling). */
export function ec2RequestLimitExceeded(): AwsApiError {
    return new AwsApiError(503, "RequestLimitExceeded", "Request limit exceeded.");
}

/** 500 InternalError (EC2). */
export function ec2InternalError(): AwsApiError {
    return new AwsApiError(500, "InternalError", "An internal error has occurred");
}

/** 503 Unavailable (EC2). */
export function ec2Unavailable(): AwsApiError {
    return new AwsApiError(
        503,
        "Unavailable",
        "The server is overloaded and can't handle the request.",
    );
}

/** 400 InvalidLaunchTemplateId.NotFound. */
export function launchTemplateIdNotFound(id: string): AwsApiError {
    return new AwsApiError(
        400,
        "InvalidLaunchTemplateId.NotFound",
        `The specified launch template, with template ID ${id}, does not exist.`,
    );
}

/** 400 InvalidLaunchTemplateName.NotFoundException. */
export function launchTemplateNameNotFound(name: string): AwsApiError {
    return new AwsApiError(
        400,
        "InvalidLaunchTemplateName.NotFoundException",
        `The specified launch template, with template name ${name}, does not exist.`,
    );
}

/** 400 InvalidLaunchTemplateId.VersionNotFound. */
export function launchTemplateVersionNotFound(version: string, id: string): AwsApiError {
    return new AwsApiError(
        400,
        "InvalidLaunchTemplateId.VersionNotFound",
        `Could not find the specified version ${version} for the launch template with ID ${id}.`,
    );
}

/** 400 InvalidParameterValue / MissingParameter / InvalidParameterCombination (EC2). */
export function ec2InvalidParameter(
    code: "InvalidParameterValue" | "MissingParameter" | "InvalidParameterCombination",
    message: string,
): AwsApiError {
    return new AwsApiError(400, code, message);
}

// ---- lifecycle actions ------------------------------------------------------------------------

/**
 * 400 ValidationError: no lifecycle action in progress matches (as AWS answers a heartbeat or a
 * completion after the action ended, or for an unknown hook, token or instance).
 */
export function noActiveLifecycleAction(ref: { instanceId?: string; token?: string }): AwsApiError {
    return validationError(
        ref.instanceId !== undefined
            ? `No active Lifecycle Action found with instance ID ${ref.instanceId}`
            : `No active Lifecycle Action found with token ${ref.token ?? ""}`,
    );
}
