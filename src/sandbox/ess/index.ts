/** The ESS (Alibaba Cloud Auto Scaling, API 2022-02-22) simulator. */
export { EssSimulator, SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "./server";
export {
    batchSizeFor,
    configurationKey,
    DEFAULT_FAIL_DETAIL,
    DEFAULT_REGION,
    isTerminal,
    RefreshEngine,
    type RefreshEngineOptions,
    ROLLBACK_FAIL_DETAIL,
    type SimGroup,
    type StartRefreshInput,
} from "./refreshEngine";
export { EssApiError } from "./errors";
export { ESS_API_VERSION } from "./actions";
export type {
    DesiredConfiguration,
    DesiredContainer,
    EssFaults,
    EssGroupSeed,
    EssScenario,
    EssSimulatorOptions,
    RecordedCall,
    RefreshStatus,
    SimRefresh,
} from "./types";
