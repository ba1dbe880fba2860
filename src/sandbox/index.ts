/** The local cloud simulators, for tests and offline rehearsals of a deploy. */
export * as ess from "./ess";
export * as ecs from "./ecs";
export * as autoscaling from "./autoscaling";
