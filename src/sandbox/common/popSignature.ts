/**
 * Request parsing and signature verification for Alibaba Cloud RPC APIs (ESS, ECS), mirroring what `@alicloud/openapi-core` 1.0.x
 * computes on the client side:
 * - V3 (`ACS3-HMAC-SHA256`, the default): `OpenApiUtil.getAuthorization` in
 *   openapi-core/src/utils.ts (canonical request = method, URI, sorted query with raw keys and
 *   RFC 3986-encoded values, the signed headers `name:trimmed-value`, the signed header list,
 *   the hex SHA-256 of the body; signature = hex HMAC-SHA256(secret, algorithm + "\n" + hex
 *   SHA-256(canonical request))).
 * - V2 (classic RPC, `signatureAlgorithm: "v2"`): `OpenApiUtil.getRPCSignature` (sorted,
 *   percent-encoded params; `METHOD&%2F&encode(canonicalized)`; base64 HMAC-SHA1 with
 *   secret + "&").
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { parsePairs } from "./form";
import { PopApiError, popMissingParameter } from "./popError";

export { parsePairs } from "./form";

/** The raw parts of an HTTP request the verifier needs. */
export interface RawRequest {
    method: string;
    /** Path without the query string, as received (e.g. "/"). */
    path: string;
    /** The query string without "?", as received. */
    query: string;
    headers: IncomingHttpHeaders;
    body: Buffer;
}

/** What the request claims to be, read without verifying anything. */
export interface RequestInfo {
    signatureVersion: "v3" | "v2";
    action: string;
    version: string;
    accessKeyId?: string;
    /** Business params (query + form body), without the V2 common/signature params. */
    params: Record<string, string>;
    /** Every query + form body param, as received (V2 signs them all). */
    allParams: Record<string, string>;
    /** The User-Agent header. */
    userAgent?: string;
}

/** Params of the classic RPC protocol that are not business params. */
const V2_COMMON_PARAMS = new Set([
    "Action",
    "Version",
    "Format",
    "Timestamp",
    "SignatureNonce",
    "SignatureMethod",
    "SignatureVersion",
    "AccessKeyId",
    "Signature",
    "SecurityToken",
    "SignatureType",
    "BearerToken",
]);

/** Headers a V3 signature must cover. */
const V3_REQUIRED_SIGNED = ["host", "x-acs-action", "x-acs-version", "x-acs-date"];

const V3_ALGORITHM = "ACS3-HMAC-SHA256";
const TIMESTAMP_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;

/** RFC 3986 percent-encoding as the SDK does it (`encodeURIComponent` plus `!'()*`). */
export function percentEncode(value: string): string {
    return encodeURIComponent(value)
        .replace(/!/g, "%21")
        .replace(/'/g, "%27")
        .replace(/\(/g, "%28")
        .replace(/\)/g, "%29")
        .replace(/\*/g, "%2A");
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
    const v = headers[name];
    return Array.isArray(v) ? v.join(",") : v;
}

function isForm(headers: IncomingHttpHeaders): boolean {
    return (header(headers, "content-type") ?? "").includes("application/x-www-form-urlencoded");
}

/** Query pairs followed by form-body pairs (if the body is form-encoded). */
function requestPairs(req: RawRequest): [string, string][] {
    const pairs = parsePairs(req.query);
    if (req.body.length > 0 && isForm(req.headers)) {
        pairs.push(...parsePairs(req.body.toString("utf8")));
    }
    return pairs;
}

interface ParsedAuthorization {
    algorithm: string;
    accessKeyId: string;
    signedHeaders: string[];
    signature: string;
}

/** Parses `ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=a;b,Signature=hex`. */
function parseAuthorization(value: string): ParsedAuthorization | undefined {
    const space = value.indexOf(" ");
    if (space < 0) {
        return undefined;
    }
    const algorithm = value.slice(0, space).trim();
    const fields = new Map<string, string>();
    for (const part of value.slice(space + 1).split(",")) {
        const eq = part.indexOf("=");
        if (eq > 0) {
            fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
        }
    }
    const accessKeyId = fields.get("Credential");
    const signedHeaders = fields.get("SignedHeaders");
    const signature = fields.get("Signature");
    if (!accessKeyId || !signedHeaders || !signature) {
        return undefined;
    }
    return {
        algorithm,
        accessKeyId,
        signedHeaders: signedHeaders.split(";").map((h) => h.trim().toLowerCase()),
        signature,
    };
}

/** Reads action, version, key id and params without verifying anything (never throws). */
export function describeRequest(req: RawRequest): RequestInfo {
    const allParams: Record<string, string> = {};
    for (const [k, v] of requestPairs(req)) {
        allParams[k] = v;
    }
    const authorization = header(req.headers, "authorization");
    const looksV2 =
        authorization === undefined &&
        ("Signature" in allParams || "SignatureMethod" in allParams || "AccessKeyId" in allParams);
    if (looksV2) {
        const params: Record<string, string> = {};
        for (const [k, v] of Object.entries(allParams)) {
            if (!V2_COMMON_PARAMS.has(k)) {
                params[k] = v;
            }
        }
        return {
            signatureVersion: "v2",
            action: allParams["Action"] ?? header(req.headers, "x-acs-action") ?? "",
            version: allParams["Version"] ?? header(req.headers, "x-acs-version") ?? "",
            accessKeyId: allParams["AccessKeyId"],
            params,
            allParams,
            userAgent: header(req.headers, "user-agent"),
        };
    }
    const parsed = authorization ? parseAuthorization(authorization) : undefined;
    return {
        signatureVersion: "v3",
        action: header(req.headers, "x-acs-action") ?? allParams["Action"] ?? "",
        version: header(req.headers, "x-acs-version") ?? allParams["Version"] ?? "",
        accessKeyId: parsed?.accessKeyId,
        params: { ...allParams },
        allParams,
        userAgent: header(req.headers, "user-agent"),
    };
}

function sha256Hex(data: Buffer | string): string {
    return createHash("sha256").update(data).digest("hex");
}

function sameText(a: string, b: string): boolean {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
}

/** The V3 canonical request the client built for this request. */
export function canonicalRequestV3(req: RawRequest, signedHeaders: string[]): string {
    const pairs = parsePairs(req.query).sort(([ka, va], [kb, vb]) =>
        ka < kb ? -1 : ka > kb ? 1 : va < vb ? -1 : va > vb ? 1 : 0,
    );
    const canonicalQuery = pairs.map(([k, v]) => `${k}=${percentEncode(v)}`).join("&");
    const canonicalHeaders = signedHeaders
        .map((h) => `${h}:${(header(req.headers, h) ?? "").trim()}\n`)
        .join("");
    const canonicalUri = req.path.replace(/\+/g, "%20").replace(/\*/g, "%2A").replace(/%7E/g, "~");
    return [
        req.method.toUpperCase(),
        canonicalUri,
        canonicalQuery,
        canonicalHeaders,
        signedHeaders.join(";"),
        sha256Hex(req.body),
    ].join("\n");
}

/** The V2 string to sign for these params (all params but Signature). */
export function stringToSignV2(method: string, allParams: Record<string, string>): string {
    const canonicalized = Object.keys(allParams)
        .filter((k) => k !== "Signature")
        .sort()
        .map((k) => `${percentEncode(k)}=${percentEncode(allParams[k] ?? "")}`)
        .join("&");
    return `${method.toUpperCase()}&${percentEncode("/")}&${percentEncode(canonicalized)}`;
}

/** The result of a successful verification. */
export interface VerifiedRequest {
    accessKeyId: string;
    /** The signature nonce, if the request carried one (V2 always does). */
    nonce?: string;
}

/** Verification settings. */
export interface VerifyOptions {
    /** Returns the secret of an access key id, or undefined when unknown. */
    secretOf(accessKeyId: string): string | undefined;
    /** Simulator-clock now. */
    nowMs: number;
    /** Allowed |request time - now|. */
    windowMs: number;
}

function incompleteSignature(detail?: string): PopApiError {
    const base = "The request signature does not conform to Aliyun standards.";
    return new PopApiError(400, "IncompleteSignature", detail ? `${base} ${detail}` : base);
}

function accessKeyNotFound(): PopApiError {
    const message = "Specified access key is not found.";
    return new PopApiError(404, "InvalidAccessKeyId.NotFound", message);
}

function checkTimestamp(value: string | undefined, name: string, opts: VerifyOptions): void {
    const ms = value !== undefined && TIMESTAMP_RE.test(value) ? Date.parse(value) : NaN;
    if (Number.isNaN(ms)) {
        throw new PopApiError(
            400,
            "InvalidTimeStamp.Format",
            `Specified time stamp or date value is not well formatted (${name}).`,
        );
    }
    if (Math.abs(ms - opts.nowMs) > opts.windowMs) {
        throw new PopApiError(
            400,
            "InvalidTimeStamp.Expired",
            "Specified time stamp or date value is expired.",
        );
    }
}

/** Verifies a V3 (ACS3-HMAC-SHA256) request; throws the error the POP gateway would answer. */
function verifyV3(req: RawRequest, opts: VerifyOptions): VerifiedRequest {
    const authorization = header(req.headers, "authorization");
    if (!authorization) {
        throw incompleteSignature("The Authorization header is missing.");
    }
    const auth = parseAuthorization(authorization);
    if (!auth) {
        throw incompleteSignature("The Authorization header is malformed.");
    }
    if (auth.algorithm !== V3_ALGORITHM) {
        throw incompleteSignature(`Unsupported signature algorithm "${auth.algorithm}".`);
    }
    const secret = opts.secretOf(auth.accessKeyId);
    if (secret === undefined) {
        throw accessKeyNotFound();
    }
    const unsigned = V3_REQUIRED_SIGNED.filter((h) => !auth.signedHeaders.includes(h));
    if (unsigned.length > 0) {
        throw incompleteSignature(`SignedHeaders must include ${unsigned.join(", ")}.`);
    }
    checkTimestamp(header(req.headers, "x-acs-date"), "x-acs-date", opts);
    const canonical = canonicalRequestV3(req, auth.signedHeaders);
    const stringToSign = `${V3_ALGORITHM}\n${sha256Hex(canonical)}`;
    const expected = createHmac("sha256", secret).update(stringToSign).digest("hex");
    if (!sameText(expected, auth.signature.toLowerCase())) {
        throw new PopApiError(
            400,
            "SignatureDoesNotMatch",
            "Specified signature does not match our calculation. " +
                `server string to sign is:${stringToSign}`,
        );
    }
    return { accessKeyId: auth.accessKeyId, nonce: header(req.headers, "x-acs-signature-nonce") };
}

/** Verifies a classic RPC (V2, HMAC-SHA1) request; throws the error the POP gateway would answer. */
function verifyV2(req: RawRequest, info: RequestInfo, opts: VerifyOptions): VerifiedRequest {
    const p = info.allParams;
    const required = ["AccessKeyId", "Signature", "SignatureMethod", "Timestamp", "SignatureNonce"];
    for (const name of required) {
        if (!p[name]) {
            throw popMissingParameter(name);
        }
    }
    if (p["SignatureMethod"] !== "HMAC-SHA1") {
        throw new PopApiError(
            400,
            "InvalidSignatureMethod",
            "Specified signature method is not supported.",
        );
    }
    const accessKeyId = p["AccessKeyId"] ?? "";
    const secret = opts.secretOf(accessKeyId);
    if (secret === undefined) {
        throw accessKeyNotFound();
    }
    checkTimestamp(p["Timestamp"], "Timestamp", opts);
    const stringToSign = stringToSignV2(req.method, p);
    const expected = createHmac("sha1", `${secret}&`).update(stringToSign).digest("base64");
    if (!sameText(expected, p["Signature"] ?? "")) {
        throw new PopApiError(
            400,
            "SignatureDoesNotMatch",
            "Specified signature is not matched with our calculation. " +
                `server string to sign is:${stringToSign}`,
        );
    }
    return { accessKeyId, nonce: p["SignatureNonce"] };
}

/** Verifies the request's signature (V3 or V2 per `info`); throws the error the POP gateway would answer. */
export function verifyRequest(
    req: RawRequest,
    info: RequestInfo,
    opts: VerifyOptions,
): VerifiedRequest {
    return info.signatureVersion === "v3" ? verifyV3(req, opts) : verifyV2(req, info, opts);
}

/** Remembers signature nonces for the signature window, refusing a reuse. */
export class NonceCache {
    private readonly seen = new Map<string, number>();

    /** Records `nonce` for `accessKeyId`; throws 400 SignatureNonceUsed if it was seen. */
    use(accessKeyId: string, nonce: string, nowMs: number, windowMs: number): void {
        for (const [key, at] of this.seen) {
            if (Math.abs(nowMs - at) > 2 * windowMs) {
                this.seen.delete(key);
            }
        }
        const key = `${accessKeyId}\n${nonce}`;
        if (this.seen.has(key)) {
            throw new PopApiError(
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.",
            );
        }
        this.seen.set(key, nowMs);
    }
}
