/** Types of userProject.js, for the tests that drive a user's project. */
export interface Run {
    code: number | null;
    signal: NodeJS.Signals | null;
    output: string;
}
export interface RunControl {
    onOutput?: (text: string) => void;
    interruptWhen?: (output: string) => boolean;
    signal?: "SIGKILL" | "SIGINT";
}
export declare const DEV_DEPENDENCIES: Record<string, string>;
export declare function pack(destDir: string): string;
export declare function createProject(o: {
    example: string;
    dir: string;
    tarball: string;
    pulumiVersion: string;
    nodeDir: string;
    onOutput?: (text: string) => void;
}): Promise<{ dir: string; install: Run; seconds: number }>;
export declare function installedCopies(dir: string, name?: string): string[];
export declare function backendEnv(stateDir: string): Record<string, string>;
export declare function pulumi(
    o: {
        dir: string;
        args: string[];
        nodeDir: string;
        binDirs: string[];
        stateDir: string;
        env?: Record<string, string>;
    } & RunControl,
): Promise<Run>;
