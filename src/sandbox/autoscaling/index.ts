/** The EC2 Auto Scaling (API 2011-01-01) simulator, with EC2's launch template lookups. */
export {
    AutoScalingSimulator,
    SANDBOX_AWS_ACCESS_KEY_ID,
    SANDBOX_AWS_SECRET_ACCESS_KEY,
} from "./server";
export {
    AsgRefreshEngine,
    type AsgRefreshEngineOptions,
    batchSizeFor,
    DEFAULT_AWS_REGION,
    DEFAULT_FAIL_REASON,
    isTerminal,
    type LaunchTemplateSpec,
    launchTemplateIdFor,
    MANUAL_ROLLBACK_REASON,
    type RefreshSettings,
    ROLLBACK_FAIL_REASON,
    SANDBOX_ACCOUNT_ID,
    type StartRefreshInput,
} from "./refreshEngine";
export { parseStartInstanceRefresh } from "./startParams";
export { AwsApiError } from "./errors";
export { AUTOSCALING_API_VERSION, EC2_API_VERSION } from "./actions";
export type {
    AsgFaults,
    AsgGroupSeed,
    AsgRefreshStatus,
    AsgScenario,
    AutoScalingSimulatorOptions,
    AwsCredentialPair,
    AwsService,
    LaunchTemplateRef,
    LaunchTemplateSeed,
    RecordedAwsCall,
    SimAsgGroup,
    SimAsgInstance,
    SimAsgRefresh,
    SimLaunchTemplate,
    WireDesiredConfiguration,
    WireRefreshPreferences,
} from "./types";
