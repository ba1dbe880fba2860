/**
 * HTTP plumbing shared by the sandbox simulators: a server bound to 127.0.0.1 only, bounded
 * request bodies, and responses that can be delayed (latency faults) and are abandoned on close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** Largest request body a simulator reads (bigger bodies are answered as an API error). */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Reads the whole body; resolves undefined when it exceeds MAX_BODY_BYTES. */
export function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    return new Promise((resolve, reject) => {
        const chunks: Buffer[] = [];
        let size = 0;
        req.on("data", (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_BODY_BYTES) {
                chunks.push(chunk);
            }
        });
        req.on("end", () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks)));
        req.on("error", reject);
    });
}

/** Splits a request target into its path and its query string (without "?"). */
export function splitUrl(url: string | undefined): { path: string; query: string } {
    const target = url ?? "/";
    const q = target.indexOf("?");
    return q < 0
        ? { path: target, query: "" }
        : { path: target.slice(0, q), query: target.slice(q + 1) };
}

/** Writes a JSON answer (used by the unsigned /_sandbox/ admin APIs). */
export function writeJson(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json;charset=utf-8" });
    res.end(JSON.stringify(body));
}

/** Handles one request; a rejection is answered as a plain-text 500. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** An HTTP server on 127.0.0.1 whose delayed responses are dropped when it closes. */
export class LoopbackServer {
    private server?: Server;
    private readonly timers = new Set<NodeJS.Timeout>();

    /** `name` appears in the error of a second listen(). */
    constructor(
        private readonly name: string,
        private readonly handler: RequestHandler,
    ) {}

    /** Starts listening on 127.0.0.1 (port 0 = a random free port). */
    listen(port = 0): Promise<{ port: number; endpoint: string }> {
        if (this.server) {
            return Promise.reject(new Error(`${this.name} is already listening`));
        }
        const server = createServer((req, res) => {
            this.handler(req, res).catch((e: unknown) => {
                if (!res.headersSent) {
                    res.writeHead(500, { "content-type": "text/plain" });
                }
                res.end(String(e));
            });
        });
        this.server = server;
        return new Promise((resolve, reject) => {
            const failed = (err: Error): void => {
                // Not listening: a later close() has nothing to close, a later listen() may retry.
                if (this.server === server) {
                    this.server = undefined;
                }
                reject(err);
            };
            server.once("error", failed);
            server.listen(port, "127.0.0.1", () => {
                server.off("error", failed);
                const bound = (server.address() as AddressInfo).port;
                resolve({ port: bound, endpoint: `http://127.0.0.1:${bound}` });
            });
        });
    }

    /** Stops listening and drops open connections (pending delayed responses are abandoned). */
    close(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        for (const t of this.timers) {
            clearTimeout(t);
        }
        this.timers.clear();
        if (!server) {
            return Promise.resolve();
        }
        return new Promise((resolve, reject) => {
            server.close((err) => (err ? reject(err) : resolve()));
            server.closeAllConnections();
        });
    }

    /**
     * Answers `status` with `headers`, but resets the connection halfway through `body`: what a
     * client sees when a connection drops mid-response.
     */
    static cut(
        res: ServerResponse,
        status: number,
        headers: Record<string, string>,
        body: string,
    ): void {
        res.writeHead(status, headers);
        res.write(body.slice(0, Math.floor(body.length / 2)), () => {
            res.socket?.resetAndDestroy();
        });
    }

    /** Runs `write` now, or after `delayMs` real milliseconds unless the server closes first. */
    later(delayMs: number, write: () => void): void {
        if (delayMs <= 0) {
            write();
            return;
        }
        const timer = setTimeout(() => {
            this.timers.delete(timer);
            write();
        }, delayMs);
        this.timers.add(timer);
    }
}
