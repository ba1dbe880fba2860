/** The sandbox's default Alibaba Cloud key pair, accepted by the ESS and ECS simulators. */

/** Access key id of the sandbox's default credentials. */
export const SANDBOX_ACCESS_KEY_ID = "sandbox-ak";
/** Access key secret of the sandbox's default credentials. */
export const SANDBOX_ACCESS_KEY_SECRET = "sandbox-secret-not-for-production";
