import { credentialsInEndpoint, isLoopbackHost, redactUserinfo } from "../../core/endpoints";
import { type RehearsalPace, splitRehearsalPace } from "../../core/rehearsal";

/** Where and how to reach an Alibaba Cloud API. */
export interface AlicloudEndpoint {
    /** host[:port], as openapi-core's `endpoint` wants it. */
    host: string;
    protocol: "http" | "https";
    /** A sandbox's pace, when the endpoint carries `?timeScale=K&timeOrigin=…` (loopback only). */
    pace?: RehearsalPace;
}

const ENDPOINT_FORM = /^(?:(https?):\/\/)?([^/\s:@?]+|\[[0-9a-fA-F:]+\])(?::(\d{1,5}))?\/?$/;

/**
 * Parses an endpoint argument: `host`, `host:port`, `https://host[:port]` or, for a loopback host
 * only, `http://host[:port]`. Throws an error naming `property` when it is malformed or would send
 * signed requests in the clear to another machine. A sandbox's endpoint on this machine may carry
 * a rehearsal pace, `?timeScale=K&timeOrigin=…` (see {@link splitRehearsalPace}).
 */
export function parseEndpoint(raw: string, property = "endpoint"): AlicloudEndpoint {
    // What an error may echo: never the user:password part.
    const whole = redactUserinfo(raw.trim());
    if (whole !== raw.trim()) {
        throw credentialsInEndpoint(property, whole);
    }
    const { endpoint: value, pace } = splitRehearsalPace(whole, property, (e) =>
        ENDPOINT_FORM.exec(e)?.[2]?.replace(/^\[|\]$/g, ""),
    );
    const m = ENDPOINT_FORM.exec(value);
    if (!m || !m[2]) {
        throw new Error(
            `${property} must be host[:port], https://host[:port] or http://127.0.0.1:port; got ${JSON.stringify(value)}`,
        );
    }
    const protocol = m[1] === "http" ? "http" : "https";
    const hostname = m[2];
    if (m[3] !== undefined && (Number(m[3]) < 1 || Number(m[3]) > 65535)) {
        throw new Error(`${property} has an invalid port ${m[3]}; ports are 1 to 65535`);
    }
    if (protocol === "http" && !isLoopbackHost(hostname)) {
        throw new Error(
            `${property} ${JSON.stringify(value)} uses plain HTTP to a host that is not this machine; ` +
                "signed requests must use HTTPS (http:// is allowed only for 127.0.0.1, ::1 or localhost)",
        );
    }
    const host = m[3] ? `${hostname}:${m[3]}` : hostname;
    return pace
        ? { host, protocol, pace: { ...pace, sandboxUrl: `${protocol}://${host}` } }
        : { host, protocol };
}

/** What the resource's region and endpoint come from, most specific first. */
export interface AlicloudLocationSources {
    /** The resource's `region` argument. */
    region?: string;
    /** The resource's `endpoint` argument. */
    endpoint?: string;
    /** The stack's `alicloud:region` config. */
    configRegion?: string;
    /** The environment (default process.env). */
    env?: NodeJS.ProcessEnv;
}

/**
 * The region: the resource's argument, else the stack's `alicloud:region`, else
 * `ALIBABA_CLOUD_REGION_ID`. Throws an error saying how to set one when there is none.
 */
export function resolveRegion(src: AlicloudLocationSources): string {
    const env = src.env ?? process.env;
    const region = src.region || src.configRegion || env.ALIBABA_CLOUD_REGION_ID;
    if (!region) {
        throw new Error(
            "no Alibaba Cloud region: set the resource's `region` argument, the stack config " +
                "`alicloud:region` (pulumi config set alicloud:region cn-hangzhou), or ALIBABA_CLOUD_REGION_ID",
        );
    }
    return region;
}

/**
 * A service endpoint: the resource's `endpoint` argument, else the environment variable
 * `envName` (e.g. ALIBABA_CLOUD_ESS_ENDPOINT), else the public regional endpoint over HTTPS.
 */
export function resolveEndpoint(
    src: AlicloudLocationSources,
    product: string,
    envName: string,
    region: string,
): AlicloudEndpoint {
    const given = givenEndpoint(src, envName);
    if (given) {
        return parseEndpoint(given.raw, given.property);
    }
    return { host: `${product}.${region}.aliyuncs.com`, protocol: "https" };
}

/** A sandbox's pace, when the endpoint resolveEndpoint would take carries one. */
export function resolvePace(
    src: AlicloudLocationSources,
    envName: string,
): RehearsalPace | undefined {
    const given = givenEndpoint(src, envName);
    return given ? parseEndpoint(given.raw, given.property).pace : undefined;
}

/** The endpoint given (the argument, else the environment variable), and what it is called. */
function givenEndpoint(
    src: AlicloudLocationSources,
    envName: string,
): { raw: string; property: string } | undefined {
    if (src.endpoint) {
        return { raw: src.endpoint, property: "endpoint" };
    }
    const fromEnv = (src.env ?? process.env)[envName];
    return fromEnv ? { raw: fromEnv, property: envName } : undefined;
}
