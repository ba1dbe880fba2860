/**
 * Server-side verification of AWS Signature Version 4 (`AWS4-HMAC-SHA256` in the Authorization
 * header), mirroring what @smithy/signature-v4 computes on the client side (SignatureV4Base /
 * SignatureV4.signRequest):
 * - canonical request = METHOD \n canonical path (normalized, then URI-escaped) \n canonical
 *   query (keys and values escaped with encodeURIComponent plus !'()*, sorted) \n
 *   `name:value` for each signed header (lower-case, whitespace collapsed, trimmed) \n \n signed
 *   header list \n hex SHA-256 of the payload;
 * - string to sign = "AWS4-HMAC-SHA256" \n x-amz-date \n date/region/service/aws4_request \n hex
 *   SHA-256 of the canonical request;
 * - signing key = HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request".
 * The payload hash is always computed from the body received (a non-S3 service does not trust
 * x-amz-content-sha256), so a tampered body fails like a wrong secret.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import type { AwsCredentialPair } from "./types";

/** The signing algorithm the simulator accepts. */
export const SIGV4_ALGORITHM = "AWS4-HMAC-SHA256";

/** The raw parts of an HTTP request the verifier needs. */
export interface SigV4Request {
    method: string;
    /** The path as received, without the query string. */
    path: string;
    /** The query string as received, without "?". */
    query: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
}

/** What an Authorization header claims, read without verifying anything. */
export interface SigV4Claims {
    accessKeyId?: string;
    region?: string;
    service?: string;
}

/** Why a request was refused; the server turns this into the service's own error. */
export type SigV4FailureKind =
    /** No Authorization header at all. */
    | "missing"
    /** The header is malformed or lacks a required part (IncompleteSignature). */
    | "incomplete"
    /** The credential scope is wrong (service, region, date or terminator). */
    | "scope"
    /** The access key id is unknown. */
    | "unknownKey"
    /** The session token is missing, unexpected or wrong. */
    | "badToken"
    /** x-amz-date is too far in the past. */
    | "expired"
    /** x-amz-date is too far in the future. */
    | "notYetCurrent"
    /** The signature does not match. */
    | "mismatch";

/** A refused request. */
export class SigV4Failure extends Error {
    constructor(
        readonly kind: SigV4FailureKind,
        message: string,
        /** The claims read from the request, for the call log. */
        readonly claims: SigV4Claims = {},
    ) {
        super(message);
        this.name = "SigV4Failure";
    }
}

/** A verified request. */
export interface VerifiedSigV4 {
    accessKeyId: string;
    region: string;
    service: string;
}

/** Verification settings. */
export interface SigV4Options {
    /** The key pair of an access key id, or undefined when unknown. */
    credentialOf(accessKeyId: string): AwsCredentialPair | undefined;
    /** Simulator-clock now (ms). */
    nowMs: number;
    /** Allowed |x-amz-date - now| (ms). */
    windowMs: number;
    /** Services a scope may name. */
    services: readonly string[];
    /** When set, the only region a scope may name. */
    region?: string;
}

interface ParsedAuthorization {
    algorithm: string;
    credential?: string;
    signedHeaders?: string;
    signature?: string;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const v = headers[name];
    return Array.isArray(v) ? v.join(",") : v;
}

/** URI escaping as the SDK does it (encodeURIComponent plus !'()*). */
export function escapeUri(value: string): string {
    return encodeURIComponent(value).replace(
        /[!'()*]/g,
        (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
    );
}

function parseAuthorization(value: string): ParsedAuthorization {
    const trimmed = value.trim();
    const space = trimmed.indexOf(" ");
    const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
    const out: ParsedAuthorization = { algorithm };
    if (space < 0) {
        return out;
    }
    for (const part of trimmed.slice(space + 1).split(",")) {
        const eq = part.indexOf("=");
        if (eq <= 0) {
            continue;
        }
        const key = part.slice(0, eq).trim();
        const v = part.slice(eq + 1).trim();
        if (key === "Credential") {
            out.credential = v;
        } else if (key === "SignedHeaders") {
            out.signedHeaders = v;
        } else if (key === "Signature") {
            out.signature = v;
        }
    }
    return out;
}

/** Reads key id, region and service from the Authorization header (never throws). */
export function readClaims(headers: IncomingHttpHeaders): SigV4Claims {
    const authorization = header(headers, "authorization");
    if (!authorization) {
        return {};
    }
    const parts = (parseAuthorization(authorization).credential ?? "").split("/");
    const claims: SigV4Claims = {};
    if (parts[0]) {
        claims.accessKeyId = parts[0];
    }
    if (parts.length === 5) {
        claims.region = parts[2];
        claims.service = parts[3];
    }
    return claims;
}

function sha256Hex(data: Buffer | string): string {
    return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
    return createHmac("sha256", key).update(data).digest();
}

/** The SigV4 signing key of a secret for one day, region and service. */
export function signingKey(secret: string, date: string, region: string, service: string): Buffer {
    let key: Buffer = hmac(`AWS4${secret}`, date);
    for (const part of [region, service, "aws4_request"]) {
        key = hmac(key, part);
    }
    return key;
}

function safeDecode(s: string): string {
    try {
        return decodeURIComponent(s);
    } catch {
        return s;
    }
}

/** The canonical path the SDK signs for a path received on the wire. */
export function canonicalPath(path: string): string {
    const segments: string[] = [];
    for (const segment of path.split("/")) {
        if (segment === "" || segment === ".") {
            continue;
        }
        if (segment === "..") {
            segments.pop();
        } else {
            segments.push(segment);
        }
    }
    const normalized =
        `${path.startsWith("/") ? "/" : ""}${segments.join("/")}` +
        `${segments.length > 0 && path.endsWith("/") ? "/" : ""}`;
    return escapeUri(normalized).replace(/%2F/g, "/");
}

/** The canonical query string the SDK signs for a query received on the wire. */
export function canonicalQuery(query: string): string {
    const byKey = new Map<string, string[]>();
    for (const part of query.split("&")) {
        if (part === "") {
            continue;
        }
        const eq = part.indexOf("=");
        const key = safeDecode(eq < 0 ? part : part.slice(0, eq));
        if (key.toLowerCase() === "x-amz-signature") {
            continue;
        }
        const value = safeDecode(eq < 0 ? "" : part.slice(eq + 1));
        const encodedKey = escapeUri(key);
        const list = byKey.get(encodedKey) ?? [];
        list.push(`${encodedKey}=${escapeUri(value)}`);
        byKey.set(encodedKey, list);
    }
    return [...byKey.keys()]
        .sort()
        .map((k) => (byKey.get(k) ?? []).sort().join("&"))
        .join("&");
}

/** The canonical request for the headers named in `signedHeaders` (lower-case, sorted). */
export function canonicalRequest(req: SigV4Request, signedHeaders: string[]): string {
    const canonicalHeaders = signedHeaders
        .map((h) => {
            const value = (header(req.headers, h) ?? "")
                .replace(/[\r\n]/g, " ")
                .replace(/[ \t]+/g, " ")
                .trim();
            return `${h}:${value}\n`;
        })
        .join("");
    return [
        req.method.toUpperCase(),
        canonicalPath(req.path),
        canonicalQuery(req.query),
        canonicalHeaders,
        signedHeaders.join(";"),
        sha256Hex(req.body),
    ].join("\n");
}

/** The string to sign for a canonical request. */
export function stringToSign(amzDate: string, scope: string, canonical: string): string {
    return [SIGV4_ALGORITHM, amzDate, scope, sha256Hex(canonical)].join("\n");
}

const AMZ_DATE_RE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

function parseAmzDate(value: string): number {
    const m = AMZ_DATE_RE.exec(value);
    if (!m) {
        return NaN;
    }
    const [, y, mo, d, h, mi, s] = m.map(Number) as [number, ...number[]];
    return Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0, s ?? 0);
}

/** The basic ISO 8601 form SigV4 uses, e.g. "20240822T010900Z". */
export function formatAmzDate(ms: number): string {
    return new Date(Math.floor(ms / 1000) * 1000)
        .toISOString()
        .replace(/\.\d{3}Z$/, "Z")
        .replace(/[-:]/g, "");
}

function sameText(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}

function checkTime(amzDate: string, amzMs: number, opts: SigV4Options, claims: SigV4Claims): void {
    const minutes = opts.windowMs / 60_000;
    if (amzMs < opts.nowMs - opts.windowMs) {
        throw new SigV4Failure(
            "expired",
            `Signature expired: ${amzDate} is now earlier than ` +
                `${formatAmzDate(opts.nowMs - opts.windowMs)} ` +
                `(${formatAmzDate(opts.nowMs)} - ${minutes} min.)`,
            claims,
        );
    }
    if (amzMs > opts.nowMs + opts.windowMs) {
        throw new SigV4Failure(
            "notYetCurrent",
            `Signature not yet current: ${amzDate} is still later than ` +
                `${formatAmzDate(opts.nowMs + opts.windowMs)} ` +
                `(${formatAmzDate(opts.nowMs)} + ${minutes} min.)`,
            claims,
        );
    }
}

/** Verifies the request's SigV4 signature; throws a SigV4Failure saying why it is refused. */
export function verifySigV4(req: SigV4Request, opts: SigV4Options): VerifiedSigV4 {
    const authorization = header(req.headers, "authorization");
    if (!authorization) {
        throw new SigV4Failure("missing", "Request is missing Authentication Token");
    }
    const claims = readClaims(req.headers);
    const auth = parseAuthorization(authorization);
    const incomplete = (message: string): SigV4Failure =>
        new SigV4Failure("incomplete", message, claims);
    if (auth.algorithm !== SIGV4_ALGORITHM) {
        throw incomplete(`Unsupported AWS 'algorithm': '${auth.algorithm}'`);
    }
    const missing = (["Credential", "Signature", "SignedHeaders"] as const).filter(
        (k) =>
            (k === "Credential"
                ? auth.credential
                : k === "Signature"
                  ? auth.signature
                  : auth.signedHeaders) === undefined,
    );
    if (missing.length > 0) {
        throw incomplete(
            missing.map((k) => `Authorization header requires '${k}' parameter.`).join(" ") +
                ` Authorization=${authorization}`,
        );
    }
    const credential = auth.credential ?? "";
    const parts = credential.split("/");
    if (parts.length !== 5) {
        throw incomplete(
            "Credential must have exactly 5 slash-delimited elements, e.g. " +
                `keyid/date/region/service/term, got '${credential}'`,
        );
    }
    const [accessKeyId = "", scopeDate = "", region = "", service = "", terminator = ""] = parts;
    if (terminator !== "aws4_request") {
        throw new SigV4Failure(
            "scope",
            `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'.`,
            claims,
        );
    }
    if (!opts.services.includes(service)) {
        throw new SigV4Failure(
            "scope",
            `Credential should be scoped to correct service: '${opts.services.join("' or '")}'.`,
            claims,
        );
    }
    const amzDate = header(req.headers, "x-amz-date");
    if (amzDate === undefined) {
        throw incomplete(
            "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' " +
                `header. Authorization=${authorization}`,
        );
    }
    const amzMs = parseAmzDate(amzDate);
    if (Number.isNaN(amzMs)) {
        throw incomplete(`Invalid X-Amz-Date '${amzDate}': use the form yyyyMMdd'T'HHmmss'Z'.`);
    }
    if (scopeDate !== amzDate.slice(0, 8)) {
        throw new SigV4Failure(
            "scope",
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date " +
                `from HTTP: '${scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
            claims,
        );
    }
    if (opts.region !== undefined && region !== opts.region) {
        throw new SigV4Failure(
            "scope",
            `Credential should be scoped to a valid region, not '${region}'.`,
            claims,
        );
    }
    const signedHeaders = (auth.signedHeaders ?? "").split(";").map((h) => h.trim().toLowerCase());
    for (const required of ["host", "x-amz-date"]) {
        if (!signedHeaders.includes(required)) {
            throw incomplete(
                `'${required === "host" ? "Host" : "X-Amz-Date"}' must be a 'SignedHeader' in ` +
                    "the AWS Authorization.",
            );
        }
    }
    const pair = opts.credentialOf(accessKeyId);
    if (!pair) {
        throw new SigV4Failure(
            "unknownKey",
            "The security token included in the request is invalid.",
            claims,
        );
    }
    checkTime(amzDate, amzMs, opts, claims);
    const token = header(req.headers, "x-amz-security-token");
    if ((pair.sessionToken ?? undefined) !== token) {
        throw new SigV4Failure(
            "badToken",
            "The security token included in the request is invalid.",
            claims,
        );
    }
    if (token !== undefined && !signedHeaders.includes("x-amz-security-token")) {
        throw incomplete(
            "'X-Amz-Security-Token' must be a 'SignedHeader' in the AWS Authorization.",
        );
    }
    const canonical = canonicalRequest(req, signedHeaders);
    const scope = `${scopeDate}/${region}/${service}/aws4_request`;
    const toSign = stringToSign(amzDate, scope, canonical);
    const expected = createHmac(
        "sha256",
        signingKey(pair.secretAccessKey, scopeDate, region, service),
    )
        .update(toSign)
        .digest("hex");
    if (!sameText(expected, (auth.signature ?? "").toLowerCase())) {
        throw new SigV4Failure(
            "mismatch",
            "The request signature we calculated does not match the signature you provided. " +
                "Check your AWS Secret Access Key and signing method. Consult the service " +
                "documentation for details.\n\nThe Canonical String for this request should have " +
                `been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${toSign}'\n`,
            claims,
        );
    }
    return { accessKeyId, region, service };
}
