import { type RehearsalPace, checkRehearsableUrl } from "../../core/rehearsal";
import type { AwsTarget } from "../../clouds/aws/autoscaling";
import { StackConfig, stringOr } from "./refreshProvider";

/**
 * Where an AWS resource's Auto Scaling client points: its `region` / `endpoint` / `profile`
 * arguments, else the stack config (`aws:region`, `aws:profile`), else the SDK's own chain.
 * Plain-HTTP endpoints from the environment are refused for non-loopback hosts. A sandbox's
 * endpoint may carry a rehearsal pace (`?timeScale=K&timeOrigin=…`): it is split off here, and the
 * endpoint is then given to the SDK without it.
 */
export function awsTargetOf(
    inputs: Record<string, unknown>,
    config: StackConfig,
    env: NodeJS.ProcessEnv,
): { target: AwsTarget; region: string; pace?: RehearsalPace } {
    const given = stringOr(inputs.endpoint);
    const fromEnv = env.AWS_ENDPOINT_URL_AUTO_SCALING;
    const asg = given
        ? checkRehearsableUrl(given)
        : fromEnv
          ? checkRehearsableUrl(fromEnv, "AWS_ENDPOINT_URL_AUTO_SCALING")
          : undefined;
    const ec2 = env.AWS_ENDPOINT_URL_EC2
        ? checkRehearsableUrl(env.AWS_ENDPOINT_URL_EC2, "AWS_ENDPOINT_URL_EC2")
        : undefined;
    const region = stringOr(inputs.region) ?? config["aws:region"];
    const profile = stringOr(inputs.profile) ?? config["aws:profile"];
    const target: AwsTarget = { region, profile };
    // Without a pace the SDK reads the environment itself, as it always has.
    if (given || asg?.pace) {
        target.endpoint = asg?.endpoint;
    }
    if (ec2?.pace) {
        target.ec2Endpoint = ec2.endpoint;
    }
    return {
        target,
        region: region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? "(from the AWS profile)",
        pace: asg?.pace,
    };
}
