/**
 * Errors of Alibaba Cloud POP (RPC) APIs, shared by the ESS and ECS simulators: each is
 * answered as `{RequestId, HostId, Code, Message, Recommend}` with its HTTP status.
 */

/** An API error with its HTTP status, code and message. */
export class PopApiError extends Error {
    /** Builds an error answered as `{RequestId, HostId, Code, Message, Recommend}`. */
    constructor(
        readonly httpStatus: number,
        readonly code: string,
        message: string,
    ) {
        super(message);
        this.name = "PopApiError";
    }
}

/** 400 Missing<Param>: the POP gateway's answer to a missing required parameter. */
export function popMissingParameter(name: string): PopApiError {
    return new PopApiError(400, `Missing${name}`, `${name} is mandatory for this action.`);
}
