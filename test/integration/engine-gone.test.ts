/**
 * A provider process whose `pulumi up` was killed: its output pipes are closed, and it must exit
 * instead of spinning on failed writes (src/core/engineGone.ts). The child is a real Node process
 * with the compiled module (npm test builds dist/ first), writing a line every 20 ms as a waiting
 * provider logs its progress; Pulumi's provider host's handler of uncaught errors is installed the
 * same way (it reports each error on stderr).
 */
import { spawn } from "child_process";
import { EventEmitter } from "events";
import * as path from "path";
import { ENGINE_GONE_EXIT_CODE, exitWhenEngineGone } from "../../src/core/engineGone";

const MODULE = path.resolve(__dirname, "..", "..", "dist", "core", "engineGone.js");

function orphan(guarded: boolean) {
    const script = `
        process.on("uncaughtException", (err) => console.error(err.stack));
        ${guarded ? `require(${JSON.stringify(MODULE)}).exitWhenEngineGone();` : ""}
        setInterval(() => console.log("waiting: refresh 40% done"), 20);
        setTimeout(() => process.exit(0), 3000);
    `;
    const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "pipe"] });
    const exited = new Promise<number | null>((resolve) =>
        child.on("exit", (code) => resolve(code)),
    );
    return { child, exited };
}

describe("a provider process whose engine is gone", () => {
    test("exits at its first write once its output pipes are closed", async () => {
        const { child, exited } = orphan(true);
        await new Promise((r) => child.stdout.once("data", r));
        // The engine is killed: the read ends of the pipes close.
        child.stdout.destroy();
        child.stderr.destroy();
        expect(await exited).toBe(ENGINE_GONE_EXIT_CODE);
    });

    test("without it, the same process goes on writing into the closed pipes until its own end", async () => {
        const { child, exited } = orphan(false);
        await new Promise((r) => child.stdout.once("data", r));
        child.stdout.destroy();
        child.stderr.destroy();
        expect(await exited).toBe(0);
    });

    test("only EPIPE ends it, and it watches a process once", () => {
        const exits: number[] = [];
        const proc = {
            stdout: new EventEmitter(),
            stderr: new EventEmitter(),
            exit: (code: number) => void exits.push(code),
        };
        exitWhenEngineGone(proc);
        exitWhenEngineGone(proc);
        expect(proc.stdout.listenerCount("error")).toBe(1);
        proc.stdout.emit("error", Object.assign(new Error("EAGAIN"), { code: "EAGAIN" }));
        expect(exits).toEqual([]);
        proc.stderr.emit("error", Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
        expect(exits).toEqual([ENGINE_GONE_EXIT_CODE]);
    });
});
