import { checkEndpointUrl } from "../../core/endpoints";
import type { AwsTarget } from "../../clouds/aws/autoscaling";
import { StackConfig, stringOr } from "./refreshProvider";

/**
 * Where an AWS resource's Auto Scaling client points: its `region` / `endpoint` / `profile`
 * arguments, else the stack config (`aws:region`, `aws:profile`), else the SDK's own chain.
 * Plain-HTTP endpoints from the environment are refused for non-loopback hosts.
 */
export function awsTargetOf(
    inputs: Record<string, unknown>,
    config: StackConfig,
    env: NodeJS.ProcessEnv,
): { target: AwsTarget; region: string } {
    const endpoint = stringOr(inputs.endpoint);
    const fromEnv = env.AWS_ENDPOINT_URL_AUTO_SCALING;
    if (!endpoint && fromEnv) {
        checkEndpointUrl(fromEnv, "AWS_ENDPOINT_URL_AUTO_SCALING");
    }
    if (env.AWS_ENDPOINT_URL_EC2) {
        checkEndpointUrl(env.AWS_ENDPOINT_URL_EC2, "AWS_ENDPOINT_URL_EC2");
    }
    const region = stringOr(inputs.region) ?? config["aws:region"];
    const profile = stringOr(inputs.profile) ?? config["aws:profile"];
    return {
        target: { region, endpoint, profile },
        region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "(from the AWS profile)",
    };
}
