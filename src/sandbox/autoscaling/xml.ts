/**
 * XML for AWS's Query protocols.
 * - Auto Scaling (awsQuery): `<XResponse xmlns="http://autoscaling.amazonaws.com/doc/2011-01-01/">
 *   <XResult>…</XResult><ResponseMetadata><RequestId>…</RequestId></ResponseMetadata>
 *   </XResponse>`, lists as `<Name><member>…</member></Name>`, errors as `<ErrorResponse>
 *   <Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * - EC2 (ec2Query): `<XResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>…
 *   </requestId>…</XResponse>` with lowerCamel names, lists as `<name><item>…</item></name>`,
 *   errors as `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/>
 *   </Response>`.
 */
import type { AwsApiError } from "./errors";

/** The XML namespace of Auto Scaling responses. */
export const AUTOSCALING_XMLNS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
/** The XML namespace of EC2 responses. */
export const EC2_XMLNS = "http://ec2.amazonaws.com/doc/2016-11-15/";

/** A value that serializes to XML: scalars, lists and structures (undefined is omitted). */
export type XmlValue =
    | string
    | number
    | boolean
    | undefined
    | readonly XmlValue[]
    | { readonly [name: string]: XmlValue };

/** Escapes text for element content. */
export function escapeXml(text: string): string {
    return text
        .replace(/&/g, "&amp;")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;")
        .replace(/"/g, "&quot;")
        .replace(/'/g, "&apos;");
}

/** One element `<name>…</name>`; lists wrap each entry in `<listItem>`. */
export function element(name: string, value: XmlValue, listItem: "member" | "item"): string {
    if (value === undefined) {
        return "";
    }
    if (Array.isArray(value)) {
        const items = (value as readonly XmlValue[])
            .map((v) => element(listItem, v, listItem))
            .join("");
        return items === "" ? `<${name}/>` : `<${name}>${items}</${name}>`;
    }
    if (typeof value === "object") {
        return `<${name}>${children(value as Record<string, XmlValue>, listItem)}</${name}>`;
    }
    return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** The elements of a structure, in its key order. */
export function children(struct: Record<string, XmlValue>, listItem: "member" | "item"): string {
    return Object.entries(struct)
        .map(([k, v]) => element(k, v, listItem))
        .join("");
}

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** A successful Auto Scaling answer (`result` undefined: an action without a result). */
export function autoScalingResponse(
    action: string,
    result: Record<string, XmlValue> | undefined,
    requestId: string,
): string {
    const body =
        result === undefined
            ? ""
            : `<${action}Result>${children(result, "member")}</${action}Result>`;
    return (
        `<${action}Response xmlns="${AUTOSCALING_XMLNS}">` +
        body +
        `<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata>` +
        `</${action}Response>\n`
    );
}

/** An Auto Scaling error answer. */
export function autoScalingError(err: AwsApiError, requestId: string): string {
    return (
        `<ErrorResponse xmlns="${AUTOSCALING_XMLNS}">` +
        `<Error><Type>${err.type}</Type><Code>${escapeXml(err.code)}</Code>` +
        `<Message>${escapeXml(err.message)}</Message></Error>` +
        `<RequestId>${escapeXml(requestId)}</RequestId>` +
        `</ErrorResponse>\n`
    );
}

/** A successful EC2 answer. */
export function ec2Response(
    action: string,
    body: Record<string, XmlValue>,
    requestId: string,
): string {
    return (
        DECLARATION +
        `<${action}Response xmlns="${EC2_XMLNS}">` +
        `<requestId>${escapeXml(requestId)}</requestId>` +
        children(body, "item") +
        `</${action}Response>`
    );
}

/** An EC2 error answer. */
export function ec2Error(err: AwsApiError, requestId: string): string {
    return (
        DECLARATION +
        `<Response><Errors><Error><Code>${escapeXml(err.code)}</Code>` +
        `<Message>${escapeXml(err.message)}</Message></Error></Errors>` +
        `<RequestID>${escapeXml(requestId)}</RequestID></Response>`
    );
}
