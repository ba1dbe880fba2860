import { checkRehearsableUrl } from "../../core/rehearsal";
import type { Checker } from "../../core/validation";

/**
 * Checks the `region`, `endpoint` and `profile` arguments every AWS resource takes: a region such
 * as us-east-1, and an endpoint URL (HTTPS, or plain HTTP only for a loopback host).
 */
export function checkAwsLocation(c: Checker, news: Record<string, unknown>): void {
    c.optionalString("region", news.region, {
        pattern: /^[a-z]{2}(-[a-z]+)+-\d+$/,
        patternText: "a region such as us-east-1",
    });
    if (c.optionalString("endpoint", news.endpoint)) {
        try {
            checkRehearsableUrl(news.endpoint);
        } catch (err) {
            c.fail("endpoint", (err as Error).message.replace(/^endpoint /, ""));
        }
    }
    c.optionalString("profile", news.profile);
}
