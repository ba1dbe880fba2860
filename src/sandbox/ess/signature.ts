/** Request parsing and signature verification: shared with the ECS simulator (common/). */
export * from "../common/popSignature";
