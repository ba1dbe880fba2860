/**
 * Watches Pulumi's dynamic provider processes among this process's descendants (the Automation
 * API starts the pulumi CLI, which starts `pulumi-resource-pulumi-nodejs`, a shell script that runs
 * node on @pulumi/pulumi's cmd/dynamic-provider): when each started and its peak memory, read
 * from /proc (Linux only; elsewhere nothing is found).
 */
import { readdirSync, readFileSync } from "node:fs";

/** One dynamic provider process, as observed. */
export interface ProviderProcess {
    pid: number;
    /** When it started, ms since the epoch (from /proc/<pid>/stat starttime, 10 ms precision). */
    startMs: number;
    /** Peak resident set size (VmHWM), KiB, at the last sample. */
    peakRssKiB: number;
    /** Resident set size at the last sample, KiB. */
    rssKiB: number;
    samples: number;
}

const TICKS_PER_SECOND = 100;

function read(path: string): string | undefined {
    try {
        return readFileSync(path, "utf8");
    } catch {
        return undefined;
    }
}

/** ppid and starttime (clock ticks since boot) of a process. */
function statOf(pid: number): { ppid: number; startTicks: number } | undefined {
    const stat = read(`/proc/${pid}/stat`);
    if (!stat) {
        return undefined;
    }
    // The command name (field 2) may hold spaces: fields are counted after its closing ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { ppid: Number(fields[1]), startTicks: Number(fields[19]) };
}

function statusKiB(pid: number, key: "VmHWM" | "VmRSS"): number | undefined {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(read(`/proc/${pid}/status`) ?? "");
    return m ? Number(m[1]) : undefined;
}

function isDescendant(pid: number, ancestor: number): boolean {
    for (let p = pid, hops = 0; p > 1 && hops < 32; hops++) {
        const s = statOf(p);
        if (!s) {
            return false;
        }
        if (s.ppid === ancestor) {
            return true;
        }
        p = s.ppid;
    }
    return false;
}

/** Samples every `intervalMs` until stopped; returns what it saw, oldest process first. */
export function watchProviders(intervalMs = 100): { stop(): ProviderProcess[] } {
    const seen = new Map<number, ProviderProcess>();
    const self = process.pid;
    const sample = (): void => {
        let pids: string[];
        try {
            pids = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
        } catch {
            return;
        }
        const uptime = Number((read("/proc/uptime") ?? "0").split(" ")[0]);
        const now = Date.now();
        for (const d of pids) {
            const pid = Number(d);
            let p = seen.get(pid);
            if (!p) {
                const cmd = (read(`/proc/${pid}/cmdline`) ?? "").replace(/\0/g, " ");
                if (!cmd.startsWith(process.execPath) && !/^node /.test(cmd)) {
                    continue;
                }
                // Not the `node -e "require.resolve(...)"` the plugin script runs first.
                if (
                    !/dynamic-provider/.test(cmd) ||
                    /require\.resolve/.test(cmd) ||
                    !isDescendant(pid, self)
                ) {
                    continue;
                }
                const s = statOf(pid);
                if (!s) {
                    continue;
                }
                const ageMs = (uptime - s.startTicks / TICKS_PER_SECOND) * 1000;
                p = { pid, startMs: now - ageMs, peakRssKiB: 0, rssKiB: 0, samples: 0 };
                seen.set(pid, p);
            }
            const hwm = statusKiB(pid, "VmHWM");
            const rss = statusKiB(pid, "VmRSS");
            if (hwm !== undefined) {
                p.peakRssKiB = Math.max(p.peakRssKiB, hwm);
                p.rssKiB = rss ?? p.rssKiB;
                p.samples++;
            }
        }
    };
    sample();
    const timer = setInterval(sample, intervalMs);
    return {
        stop() {
            clearInterval(timer);
            sample();
            return [...seen.values()].sort((a, b) => a.startMs - b.startMs);
        },
    };
}
