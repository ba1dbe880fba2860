/**
 * The poller as it was before it became progress-aware (kept here only as a reference row for the
 * short profiles: "not much slower than before for a refresh of seconds"). The bench's clock
 * sleeps its delays instead of the poller's (see ScheduledClock in ./measure.ts); observations,
 * phases and the runner's flow stay the product's. Its rule: without a rate, 2 s × 1.5^n after
 * every phase change; with a rate (first to last sample of the phase), half the estimated time
 * left; a known pause, min(pause, 60 s); every delay within 2–60 s.
 */
import type { TaskSnapshot } from "../../src/core/refreshRunner";
import type { DelayScheduler, Strategy } from "./measure";

const MIN_MS = 2_000;
const MAX_MS = 60_000;
const MAX_QUIET_MS = 60_000;

class PreviousScheduler implements DelayScheduler {
    private phase?: string;
    private samples: { at: number; progress: number }[] = [];
    private idle = 0;
    private lastProgress?: number;
    private quietForMs?: number;
    private seen = false;

    observe(s: TaskSnapshot, now: number): void {
        const newPhase = !this.seen || s.status !== this.phase;
        this.seen = true;
        if (newPhase) {
            this.phase = s.status;
            this.samples = [];
        }
        const moved = newPhase || (s.progress !== undefined && s.progress !== this.lastProgress);
        this.idle = moved ? 0 : this.idle + 1;
        this.lastProgress = s.progress;
        if (s.progress !== undefined) {
            this.samples.push({ at: now, progress: s.progress });
        }
        this.quietForMs = s.quietForMs;
    }

    delay(): number {
        const clamp = (ms: number, max: number): number =>
            Math.round(Math.min(max, Math.max(MIN_MS, ms)));
        if (this.quietForMs !== undefined && this.quietForMs > 0) {
            return clamp(this.quietForMs, MAX_QUIET_MS);
        }
        const first = this.samples[0];
        const last = this.samples[this.samples.length - 1];
        if (
            first &&
            last &&
            last.progress < 1 &&
            last.at > first.at &&
            last.progress > first.progress
        ) {
            const rate = (last.progress - first.progress) / (last.at - first.at);
            return clamp((1 - last.progress) / rate / 2, MAX_MS);
        }
        return clamp(MIN_MS * 1.5 ** this.idle, MAX_MS);
    }
}

export const PREVIOUS: Strategy = {
    id: "previous",
    label: "previous",
    description:
        "the poller before this change, for the short profiles only (bench/polling/previous.ts): " +
        "2 s × 1.5^n without a rate, half the ETA over all samples, 60 s cap",
    bounds: {},
    scheduler: () => new PreviousScheduler(),
};
