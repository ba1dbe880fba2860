/** Reading `application/x-www-form-urlencoded` text (query strings and form bodies). */

function safeDecode(s: string): string {
    const spaced = s.replace(/\+/g, " ");
    try {
        return decodeURIComponent(spaced);
    } catch {
        return spaced;
    }
}

/** Decodes `a=b&c=d` into ordered pairs ("+" is a space, as in form encoding). */
export function parsePairs(raw: string): [string, string][] {
    const pairs: [string, string][] = [];
    if (raw === "") {
        return pairs;
    }
    for (const part of raw.split("&")) {
        if (part === "") {
            continue;
        }
        const eq = part.indexOf("=");
        const rawKey = eq < 0 ? part : part.slice(0, eq);
        const rawValue = eq < 0 ? "" : part.slice(eq + 1);
        pairs.push([safeDecode(rawKey), safeDecode(rawValue)]);
    }
    return pairs;
}
