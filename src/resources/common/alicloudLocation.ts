import type { Checker } from "../../core/validation";
import { parseEndpoint } from "../../clouds/alicloud/connection";

/**
 * Checks the `region` and `endpoint` arguments every Alibaba Cloud resource takes: a region id,
 * and an endpoint that parses (HTTPS, or plain HTTP only for a loopback host).
 */
export function checkAlicloudLocation(c: Checker, news: Record<string, unknown>): void {
    c.optionalString("region", news.region, {
        pattern: /^[a-z]{2,}(-[a-z0-9]+)+$/,
        patternText: "a region id such as cn-hangzhou",
    });
    if (c.optionalString("endpoint", news.endpoint)) {
        try {
            parseEndpoint(news.endpoint);
        } catch (err) {
            c.fail("endpoint", (err as Error).message.replace(/^endpoint /, ""));
        }
    }
}
