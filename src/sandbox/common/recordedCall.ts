/** One request an Alibaba Cloud simulator (ESS, ECS) received, whatever its outcome. */
export interface RecordedCall {
    action: string;
    version: string;
    signatureVersion: "v3" | "v2";
    accessKeyId?: string;
    /** Flattened request params as received, without signature/common params. */
    params: Record<string, string>;
    httpStatus: number;
    errorCode?: string;
    requestId: string;
    /** Simulator-clock time the request arrived (ms since epoch). */
    receivedAt: number;
    /** The request's User-Agent header. */
    userAgent?: string;
}
