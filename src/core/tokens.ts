import { createHash } from "crypto";
import { stableStringify } from "./stable";

/**
 * An idempotency token derived only from `parts`: the same intended operation always yields the
 * same token, so a retried or resumed deploy never starts it twice, and any change of the parts
 * yields a new one. The result is `prefix` + hex, ASCII, at most `maxLength` characters (ESS's
 * ClientToken allows 64).
 */
export function deriveIdempotencyToken(
    parts: unknown,
    prefix = "rollout-",
    maxLength = 64,
): string {
    const digest = createHash("sha256").update(stableStringify(parts)).digest("hex");
    return (prefix + digest).slice(0, maxLength);
}
