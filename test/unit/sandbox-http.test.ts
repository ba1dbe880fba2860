/**
 * The simulators' HTTP server: a listen() that fails (its port is taken) leaves the server
 * closed, so close() ends cleanly and the failure is what the caller sees, and a later listen()
 * works. An outage row re-listens on its old port; this is what it relies on.
 */
import * as fs from "node:fs";
import { createServer } from "node:http";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import { LoopbackServer } from "../../src/sandbox/common/http";
import { holdPort } from "../e2e/ports";

test("a listen on a taken port rejects with EADDRINUSE, and close() and a new listen() work", async () => {
    const other = createServer();
    await new Promise<void>((r) => other.listen(0, "127.0.0.1", r));
    const taken = (other.address() as AddressInfo).port;
    const sim = new LoopbackServer("sim", async (_req, res) => {
        res.end("ok");
    });
    try {
        await expect(sim.listen(taken)).rejects.toMatchObject({ code: "EADDRINUSE" });
        await expect(sim.close()).resolves.toBeUndefined();
        const { endpoint } = await sim.listen(0);
        expect(await (await fetch(endpoint)).text()).toBe("ok");
    } finally {
        await sim.close();
        await new Promise((r) => other.close(r));
    }
});

test("held ports are distinct, below the ephemeral range, and free again once released", () => {
    const lock = (port: number): string =>
        path.join(os.tmpdir(), "pulumi-rollout-e2e-ports", String(port));
    const a = holdPort();
    const b = holdPort();
    try {
        expect(a.port).not.toBe(b.port);
        const [low] = fs
            .readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8")
            .split(/\s+/);
        expect(a.port).toBeLessThan(Number(low));
        expect(a.port).toBeGreaterThanOrEqual(1024);
        expect(fs.readFileSync(lock(a.port), "utf8")).toBe(String(process.pid));
    } finally {
        a.release();
        b.release();
    }
    expect(fs.existsSync(lock(a.port))).toBe(false);
    expect(fs.existsSync(lock(b.port))).toBe(false);
});
