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

/**
 * 400 MissingParameter: a required parameter is absent. One shape for every POP API simulated
 * here, the one Alibaba Cloud documents: ESS's client-error table
 * (help.aliyun.com/en/auto-scaling/developer-reference/client-errors) gives the code
 * `MissingParameter`, HTTP 400, and the message "The input parameter <name> that is mandatory for
 * processing this request is not supplied"; ECS's per-API tables name the same code.
 */
export function popMissingParameter(name: string): PopApiError {
    return new PopApiError(400, MISSING_PARAMETER, missingParameterMessage(name));
}

/** The code of {@link popMissingParameter}. */
export const MISSING_PARAMETER = "MissingParameter";

/** The message of {@link popMissingParameter}, naming the parameter. */
export function missingParameterMessage(name: string): string {
    return `The input parameter "${name}" that is mandatory for processing this request is not supplied.`;
}
