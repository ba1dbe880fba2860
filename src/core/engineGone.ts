/**
 * A provider process whose engine is gone. When `pulumi up` is killed (SIGKILL: a CI runner's hard
 * stop, an OOM kill), its provider processes live on, orphaned, with their stdout and stderr pipes
 * closed. Their next log line fails with EPIPE; Pulumi's provider host then reports that error on
 * stderr, which fails with EPIPE again, for ever: a core's worth of CPU per orphan, and a wait
 * (heartbeats included) that goes on for nobody. The first EPIPE ends the process instead; the next
 * `pulumi up` finds the operation in the cloud and adopts it.
 */

/** The parts of a process this needs (tests pass their own). */
export interface ProcessLike {
    stdout: NodeJS.EventEmitter;
    stderr: NodeJS.EventEmitter;
    exit(code: number): never | void;
}

const watched = new WeakSet<object>();

/** Exit code of a provider that found its engine gone. */
export const ENGINE_GONE_EXIT_CODE = 70;

/** Makes `proc` exit at the first EPIPE on its stdout or stderr (once per process). */
export function exitWhenEngineGone(proc: ProcessLike = process): void {
    if (watched.has(proc)) {
        return;
    }
    watched.add(proc);
    const onError = (err: NodeJS.ErrnoException): void => {
        if (err.code === "EPIPE") {
            proc.exit(ENGINE_GONE_EXIT_CODE);
        }
    };
    proc.stdout.on("error", onError);
    proc.stderr.on("error", onError);
}
