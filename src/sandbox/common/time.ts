/** Timestamp formats shared by the simulators. */

/** ISO 8601 in UTC at second precision, e.g. "2024-08-22T01:09:00Z". */
export function isoSeconds(ms: number): string {
    return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}

/** ISO 8601 in UTC with milliseconds, e.g. "2024-08-22T01:09:00.123Z". */
export function isoMillis(ms: number): string {
    return new Date(ms).toISOString();
}

/** The HTTP Date header form (RFC 7231), e.g. "Thu, 22 Aug 2024 01:09:00 GMT". */
export function httpDate(ms: number): string {
    return new Date(ms).toUTCString();
}
