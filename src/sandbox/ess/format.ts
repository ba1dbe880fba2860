import { isoSeconds } from "../common/time";

/** ESS's timestamp format for refresh tasks, e.g. "2024-08-22T01:09:00Z" (UTC, seconds). */
export function formatEssTime(ms: number): string {
    return isoSeconds(ms);
}

/** ESS's minute-precision format used for scaling groups, e.g. "2014-08-14T10:58Z". */
export function formatEssMinute(ms: number): string {
    return new Date(ms).toISOString().slice(0, 16) + "Z";
}
