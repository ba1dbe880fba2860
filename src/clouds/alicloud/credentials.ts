/**
 * The Alibaba Cloud credentials the provider process signs with: the @alicloud/credentials default
 * chain (environment, OIDC, CLI profile, credentials file, ECS RAM role,
 * ALIBABA_CLOUD_CREDENTIALS_URI), with two repairs:
 * - the chain always ends with its URI provider, which without ALIBABA_CLOUD_CREDENTIALS_URI asks
 *   `https://undefined/` (a DNS lookup of "undefined"): it is left out unless the variable is set;
 * - when no source has credentials, the error says what to set, instead of the chain's list of
 *   every provider's failure.
 */
import Credential, {
    DefaultCredentialsProvider,
    URICredentialsProvider,
} from "@alicloud/credentials";

/** The chain found no credentials. Not transient: nothing changes until the user sets some. */
export class NoCredentialsError extends Error {
    override readonly name = "NoCredentialsError";
    readonly code = "NoCredentials";
}

type Provider = ConstructorParameters<typeof Credential>[1];
type Credentials = Awaited<ReturnType<DefaultCredentialsProvider["getCredentials"]>>;

/** The default chain, repaired as the module comment says. */
export function defaultCredentialsProvider(env: NodeJS.ProcessEnv = process.env): Provider {
    const chain = DefaultCredentialsProvider.builder().build();
    const inner = chain as unknown as { providers?: unknown[] };
    if (!env.ALIBABA_CLOUD_CREDENTIALS_URI && Array.isArray(inner.providers)) {
        inner.providers = inner.providers.filter((p) => !(p instanceof URICredentialsProvider));
    }
    const provider: Provider = {
        getProviderName: () => chain.getProviderName(),
        getCredentials: async (): Promise<Credentials> => {
            try {
                return await chain.getCredentials();
            } catch (err) {
                throw new NoCredentialsError(
                    "no Alibaba Cloud credentials found: set ALIBABA_CLOUD_ACCESS_KEY_ID and " +
                        "ALIBABA_CLOUD_ACCESS_KEY_SECRET (and ALIBABA_CLOUD_SECURITY_TOKEN for STS), " +
                        "or configure an OIDC role, an Alibaba Cloud CLI profile, a credentials file " +
                        "or an ECS instance RAM role, in the environment of `pulumi up` " +
                        `(the credentials chain said: ${err instanceof Error ? err.message : String(err)})`,
                );
            }
        },
    };
    return provider;
}

let shared: Credential | undefined;

/** The process's default credential (one chain, so what it resolves is cached once). */
export function defaultAlicloudCredential(): Credential {
    return (shared ??= new Credential(null, defaultCredentialsProvider()));
}
