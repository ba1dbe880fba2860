/** ECS's time formats. */
import { isoSeconds } from "../common/time";

/** Events and disks: ISO 8601 UTC at second precision, e.g. "2019-04-09T04:18:26Z". */
export function ecsSeconds(ms: number): string {
    return isoSeconds(ms);
}

/** Instances and tasks: ISO 8601 UTC at minute precision, e.g. "2015-11-23T02:13Z". */
export function ecsMinute(ms: number): string {
    return new Date(ms).toISOString().slice(0, 16) + "Z";
}

/** A notification's eventTime: compact, in UTC+8, e.g. "20190409T121826.922+0800". */
export function notificationTime(ms: number): string {
    const d = new Date(ms + 8 * 3600_000).toISOString(); // 2019-04-09T12:18:26.922Z
    return `${d.slice(0, 19).replace(/[-:]/g, "")}.${d.slice(20, 23)}+0800`;
}

/** Parses a yyyy-MM-ddTHH:mm:ssZ (or minute-precision) UTC time; undefined when malformed. */
export function parseUtc(value: string): number | undefined {
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?Z$/.test(value)) {
        return undefined;
    }
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? undefined : ms;
}
