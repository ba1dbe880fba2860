/** Types of ensure-pulumi.js. */
export interface Cli {
    dir: string;
    version: string;
    source: "PATH" | "cache" | "built";
}
export declare function pinnedVersion(): string;
export declare function ensurePulumi(log?: (line: string) => void): Cli;
export declare function ensureLanguageHost(log?: (line: string) => void): {
    dir: string;
    version: string;
    source: string;
    cli: Cli;
};
