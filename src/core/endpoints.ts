/** Hosts a plain-HTTP endpoint may point at: this machine only (local simulators). */
export function isLoopbackHost(hostname: string): boolean {
    const h = hostname.replace(/^\[|\]$/g, "").toLowerCase();
    return h === "localhost" || h === "::1" || /^127(\.\d{1,3}){3}$/.test(h);
}

/**
 * Checks an endpoint URL: https://host[:port][/path], or http:// to a loopback host only, so that
 * signed requests never travel in the clear to another machine. Throws an error naming `property`.
 */
export function checkEndpointUrl(raw: string, property = "endpoint"): URL {
    // What an error may echo: never the user:password part of a URL.
    const value = redactUserinfo(raw);
    let url: URL;
    try {
        url = new URL(raw);
    } catch {
        throw new Error(
            `${property} must be a URL such as https://host[:port]; got ${JSON.stringify(value)}`,
        );
    }
    if (url.username !== "" || url.password !== "") {
        throw credentialsInEndpoint(property, value);
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

/** The error for an endpoint that carries user:password@ (`value` already redacted). */
export function credentialsInEndpoint(property: string, value: string): Error {
    return new Error(
        `${property} must not carry credentials (user:password@ in ${JSON.stringify(value)}); ` +
            "give credentials through the environment, a profile or the provider's credential chain",
    );
}

/** `value` with any user:password@ part of a URL replaced by "***@". */
export function redactUserinfo(value: string): string {
    return value.replace(/^((?:[a-zA-Z][a-zA-Z0-9+.-]*:\/\/)?)[^/?#\s]*@/, "$1***@");
}
