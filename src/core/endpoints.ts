/** Hosts a plain-HTTP endpoint may point at: this machine only (local simulators). */
export function isLoopbackHost(hostname: string): boolean {
    const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Checks an endpoint URL: https://host[:port][/path], or http:// to a loopback host only, so that
 * signed requests never travel in the clear to another machine. Throws an error naming `property`.
 */
export function checkEndpointUrl(value: string, property = "endpoint"): URL {
    let url: URL;
    try {
        url = new URL(value);
    } catch {
        throw new Error(
            `${property} must be a URL such as https://host[:port]; got ${JSON.stringify(value)}`,
        );
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
        throw new Error(
            `${property} must use https:// (or http:// for 127.0.0.1); got ${JSON.stringify(value)}`,
        );
    }
    if (url.protocol === "http:" && !isLoopbackHost(url.hostname)) {
        throw new Error(
            `${property} ${JSON.stringify(value)} uses plain HTTP to a host that is not this machine; ` +
                "signed requests must use HTTPS (http:// is allowed only for 127.0.0.1, ::1 or localhost)",
        );
    }
    return url;
}
