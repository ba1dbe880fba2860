/** The ESS (Alibaba Cloud Auto Scaling, API 2022-02-22) simulator. */
export { EssSimulator, SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "./server";
export {
    type ActivityFilter,
    batchSizeFor,
    activeKey,
    desiredTarget,
    unsupportedBecause,
    DEFAULT_FAIL_DETAIL,
    DEFAULT_REGION,
    isTerminal,
    type LifecycleActionFilter,
    type LifecycleActionRef,
    lifecycleFailDetail,
    RefreshEngine,
    type RefreshEngineOptions,
    ROLLBACK_FAIL_DETAIL,
    type SimGroup,
    type StartRefreshInput,
} from "./refreshEngine";
export {
    HEARTBEAT_TIMEOUT_DEFAULT_SECONDS,
    HEARTBEAT_TIMEOUT_MAX_SECONDS,
    HEARTBEAT_TIMEOUT_MIN_SECONDS,
    MAX_HEARTBEATS_PER_PENDING,
    MAX_PENDING_MS,
} from "./lifecycle";
export { EssApiError } from "./errors";
export { ESS_API_VERSION } from "./actions";
export type {
    DesiredConfiguration,
    DesiredContainer,
    EssFaults,
    EssGroupSeed,
    EssLifecycleHookSeed,
    EssScenario,
    EssSimulatorOptions,
    LifecycleActionResult,
    LifecycleActionStatus,
    LifecycleTransition,
    RecordedCall,
    RefreshStatus,
    ScalingActivityStatus,
    SimHeartbeat,
    SimLifecycleAction,
    SimLifecycleHook,
    SimRefresh,
    SimScalingActivity,
} from "./types";
