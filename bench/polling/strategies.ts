/** The polling strategies part 1 compares. */
import type { Strategy } from "./measure";

/** The library's poller exactly as the resources use it: no bounds given, its defaults apply. */
export const LIBRARY: Strategy = {
    id: "library",
    label: "library",
    description:
        "the product poller (`poll` via `runRefresh`) with the defaults the resources use " +
        "(min 2 s, max 120 s, max quiet 120 s): keeps the window of ends its observations allow " +
        "(a steady pace, one step at a time: `src/core/progressModel.ts`), places each look where its " +
        "answer narrows that window most, looks once just after the window's end when it is 3 s " +
        "wide, closes in 2, 4, 8 … s when the operation is late, backs off from 10 s without a rate " +
        "(at most the time waited at the start of a wait), sleeps through a known pause in looks 120 s apart",
    bounds: {},
};

/** A fixed-interval loop: the same runner with every poller bound pinned to `seconds`. */
export function fixed(seconds: number): Strategy {
    const ms = seconds * 1000;
    return {
        id: `fixed-${seconds}s`,
        label: `fixed ${seconds} s`,
        description:
            `a fixed ${seconds} s loop: the same runner with minDelayMs = maxDelayMs = ` +
            `maxQuietDelayMs = ${ms}, so every delay is ${seconds} s`,
        bounds: { minDelayMs: ms, maxDelayMs: ms, maxQuietDelayMs: ms },
    };
}
