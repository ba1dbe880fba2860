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
    DEFAULT_BOOTSTRAP_SECONDS,
    DEFAULT_PROCEED_SECONDS,
    DEFAULT_FAIL_REASON,
    isTerminal,
    type LaunchTemplateSpec,
    launchTemplateIdFor,
    type LifecycleActionRef,
    MANUAL_ROLLBACK_REASON,
    type RefreshSettings,
    ROLLBACK_FAIL_REASON,
    SANDBOX_ACCOUNT_ID,
    type StartRefreshInput,
} from "./refreshEngine";
export { parseStartInstanceRefresh } from "./startParams";
export {
    DEFAULT_HEARTBEAT_TIMEOUT,
    DEFAULT_LIFECYCLE_RESULT,
    globalTimeoutFor,
    LAUNCHING_TRANSITION,
    MAX_GLOBAL_TIMEOUT,
    MAX_HEARTBEAT_TIMEOUT,
    MIN_HEARTBEAT_TIMEOUT,
    TERMINATING_TRANSITION,
} from "./lifecycle";
export { AwsApiError } from "./errors";
export { AUTOSCALING_API_VERSION, EC2_API_VERSION } from "./actions";
export type {
    AsgFaults,
    AsgGroupSeed,
    AsgInstanceLifecycleState,
    AsgLifecycleActionEnd,
    AsgLifecycleActionResult,
    AsgLifecycleHookSeed,
    AsgLifecycleTransition,
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
    SimLifecycleAction,
    SimLifecycleHeartbeat,
    SimLifecycleHook,
    WireDesiredConfiguration,
    WireRefreshPreferences,
} from "./types";
