import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import Credential from "@alicloud/credentials";
import {
    defaultCredentialsProvider,
    NoCredentialsError,
} from "../../src/clouds/alicloud/credentials";

describe("the Alibaba Cloud default credentials", () => {
    const saved = { ...process.env };
    afterEach(() => {
        process.env = { ...saved };
    });

    function bare(): void {
        for (const k of Object.keys(process.env)) {
            if (k.startsWith("ALIBABA_CLOUD_")) {
                delete process.env[k];
            }
        }
        process.env.ALIBABA_CLOUD_ECS_METADATA_DISABLED = "true";
        process.env.HOME = fs.mkdtempSync(path.join(os.tmpdir(), "rollout-home-"));
    }

    test("none anywhere: a NoCredentialsError saying what to set, and no request to https://undefined/", async () => {
        bare();
        const credential = new Credential(null, defaultCredentialsProvider());
        const err = await credential.getCredential().then(
            () => undefined,
            (e: unknown) => e,
        );
        expect(err).toBeInstanceOf(NoCredentialsError);
        const message = (err as Error).message;
        expect(message).toContain(
            "no Alibaba Cloud credentials found: set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET",
        );
        // The chain's URI provider is left out without ALIBABA_CLOUD_CREDENTIALS_URI.
        expect(message).not.toMatch(/undefined|ENOTFOUND/);
    });

    test("the environment's key pair is used", async () => {
        bare();
        process.env.ALIBABA_CLOUD_ACCESS_KEY_ID = "LTAIexample";
        process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET = "example-secret";
        const credential = new Credential(null, defaultCredentialsProvider());
        expect((await credential.getCredential()).accessKeyId).toBe("LTAIexample");
    });
});
