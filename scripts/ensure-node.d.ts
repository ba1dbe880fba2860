/** Types of ensure-node.js. */
export declare function ensureNode(
    major: number | string,
    log?: (line: string) => void,
): { dir: string; version: string; source: "PATH" | "cache" | "installed" };
export declare function majorOf(version: string | undefined): number;
