/** The ECS (Alibaba Cloud Elastic Compute Service, API 2014-05-26) simulator. */
export { EcsSimulator, SANDBOX_ACCESS_KEY_ID, SANDBOX_ACCESS_KEY_SECRET } from "./server";
export {
    DEFAULT_INSTANCE_TYPE,
    DEFAULT_NOT_BEFORE_SECONDS,
    DEFAULT_REGION,
    EcsEngine,
    type EcsEngineOptions,
    type IdKind,
    snapshotEvent,
    snapshotInstance,
    snapshotTask,
} from "./engine";
export { SANDBOX_ACCOUNT_ID } from "./notifications";
export { PopApiError as EcsApiError } from "../common/popError";
export { ECS_API_VERSION } from "./actions";
export type {
    EcsEventCycleStatus,
    EcsEventSeed,
    EcsFaults,
    EcsInstanceSeed,
    EcsInstanceStatus,
    EcsNotification,
    EcsScenario,
    EcsSimulatorOptions,
    EcsTaskStatus,
    RecordedCall,
    SimEvent,
    SimInstance,
    SimLocalDisk,
    SimTask,
} from "./types";
