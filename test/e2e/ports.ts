/**
 * Ports for the e2e simulators. A simulator that an outage row takes off the network must get
 * its port back two minutes later, while the other workers' CLIs, providers and simulators keep
 * binding `listen(0)` ports and opening connections. Those all come from the kernel's ephemeral
 * range (net.ipv4.ip_local_port_range), so these ports are taken from just below it, where
 * nothing but an explicit bind lands; among the suite's own workers a port is held by a lock
 * file that names its process (a dead holder's lock is taken over).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const LOCKS = path.join(os.tmpdir(), "pulumi-rollout-e2e-ports");

/** The range [from, to) below the ephemeral ports. */
function range(): { from: number; to: number } {
    let low = 32768;
    try {
        const [first] = fs
            .readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
            .split(/\s+/);
        low = Number(first) || low;
    } catch {
        // not Linux: the IANA dynamic range starts at 49152, 32768 is Linux's default
    }
    const from = Math.max(1024, low - 12_000);
    if (low - from < 100) {
        throw new Error(
            `the ephemeral port range starts at ${low}: too low to hold e2e ports below it`,
        );
    }
    return { from, to: low };
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        return true;
    } catch (e) {
        return (e as NodeJS.ErrnoException).code === "EPERM";
    }
}

/** A port held for this process until `release()`. */
export interface HeldPort {
    port: number;
    release(): void;
}

/** Holds a free-looking port from below the ephemeral range (the caller still binds it). */
export function holdPort(): HeldPort {
    fs.mkdirSync(LOCKS, { recursive: true });
    const { from, to } = range();
    for (let attempt = 0; attempt < 1000; attempt++) {
        const port = from + Math.floor(Math.random() * (to - from));
        const lock = path.join(LOCKS, String(port));
        try {
            fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
        } catch {
            let text: string;
            try {
                text = fs.readFileSync(lock, "utf8");
            } catch {
                continue; // released meanwhile: another attempt
            }
            const holder = Number(text);
            // Empty: being written by its holder right now. Only a dead holder's lock is taken over.
            if (text !== "" && Number.isInteger(holder) && holder > 0 && !alive(holder)) {
                fs.rmSync(lock, { force: true });
            }
            continue;
        }
        return { port, release: () => fs.rmSync(lock, { force: true }) };
    }
    throw new Error(`no free port in ${from}-${to} after 1000 attempts (locks in ${LOCKS})`);
}

/**
 * Binds `listen` to a held port, trying another when the port is in use by something outside
 * the suite; the port stays held (and the simulator can come back on it) until `release()`.
 */
export async function listenOnHeldPort<T>(
    listen: (port: number) => Promise<T>,
): Promise<{ listening: T; held: HeldPort }> {
    for (let attempt = 0; ; attempt++) {
        const held = holdPort();
        try {
            return { listening: await listen(held.port), held };
        } catch (e) {
            held.release();
            if ((e as NodeJS.ErrnoException).code !== "EADDRINUSE" || attempt >= 20) {
                throw e;
            }
        }
    }
}
