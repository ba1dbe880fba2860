/**
 * The rollout plan a refresh resource prints at preview (and records as its `plan` output at up):
 * made from read-only calls, shared between the resources of one group, bounded in time, and
 * never a reason for preview to fail: when it cannot be made, one line says why.
 */
import { CloudError, messageOf } from "../../core/errors";
import { planLines, type RolloutPlan } from "../../core/rolloutPlan";
import { stableStringify } from "../../core/stable";
import { isUnknown } from "../../core/validation";

type Props = Record<string, unknown>;

/** Reads shared by the plans the provider process makes at the same time (and READ_TTL_MS after), by key. */
export type SharedRead = <T>(key: string, read: () => Promise<T>) => Promise<T>;

/** What the `plan` output holds: the plan and its lines, or why there is none. */
export type PlanOutput = (RolloutPlan & { lines: string[] }) | { unavailable: string };

/** How long one plan may take before preview goes on without it. */
export const PLAN_BUDGET_MS = 30_000;
/** How long after it is answered a read is still shared between the plans of one group. */
const READ_TTL_MS = 5_000;
/** How long a plan made by diff is the one up records (up's create follows its diff at once). */
const PLAN_TTL_MS = 120_000;
/** How long "no plan" stands before the next diff or up tries again. */
const NO_PLAN_TTL_MS = 10_000;

/** The IAM or RAM action of a cloud operation, as the policies in policies/ name it. */
export function actionOf(err: CloudError): string {
    const prefix = /auto ?scaling/i.test(err.service)
        ? "autoscaling"
        : /ec2/i.test(err.service)
          ? "ec2"
          : err.service.toLowerCase();
    return `${prefix}:${err.operation}`;
}

const PERMISSION_CODES = /^(Forbidden|NoPermission|AccessDenied|UnauthorizedOperation)/;

/** Why there is no plan, in one line that names no secret. */
export function noPlanReason(err: unknown): string {
    if (err instanceof CloudError && PERMISSION_CODES.test(err.code)) {
        return `${err.operation} was refused (${err.code}): the plan needs ${actionOf(err)}`;
    }
    if (err instanceof CloudError) {
        return `${err.operation} failed: ${err.code}: ${err.cloudMessage}`
            .split("\n")[0]!
            .slice(0, 300);
    }
    return messageOf(err).split("\n")[0]!.slice(0, 300);
}

/** Makes, caches and prints the plans of one provider process. */
export class PlanPreviewer {
    private readonly reads = new Map<string, { at: number; value: Promise<unknown> }>();
    private readonly plans = new Map<string, { at: number; value: Promise<PlanOutput> }>();

    constructor(private readonly now: () => number = Date.now) {}

    /** A read shared by the plans of the same group for READ_TTL_MS; a failed one is not kept. */
    readonly shared: SharedRead = <T>(key: string, read: () => Promise<T>): Promise<T> => {
        const hit = this.reads.get(key);
        if (hit && (hit.at === Infinity || this.now() - hit.at < READ_TTL_MS)) {
            return hit.value as Promise<T>;
        }
        const value = read();
        // In flight, it is shared; answered, for READ_TTL_MS more (a preview's diffs come together).
        this.reads.set(key, { at: Infinity, value });
        value.then(
            () => this.reads.set(key, { at: this.now(), value }),
            () => this.reads.delete(key),
        );
        return value;
    };

    /**
     * The plan of `inputs` (made by `make`, or the one made for the same inputs moments ago), printed
     * once through `log` when it is new. Never rejects.
     */
    async planOf(
        inputs: Props,
        ownTaskId: string | undefined,
        log: (line: string) => void,
        make: () => Promise<RolloutPlan>,
    ): Promise<PlanOutput> {
        const { __provider: _code, ...defining } = inputs;
        const key = stableStringify({ inputs: defining, ownTaskId: ownTaskId ?? null });
        const hit = this.plans.get(key);
        if (hit && this.now() - hit.at < PLAN_TTL_MS) {
            return hit.value;
        }
        const value = this.make(make).then((out) => {
            const lines = "unavailable" in out ? [`no plan: ${out.unavailable}`] : out.lines;
            lines.forEach((l) => log(l));
            if ("unavailable" in out) {
                // Kept only for the create or update that follows this diff at once; later
                // ones try again.
                this.plans.set(key, { at: this.now() - PLAN_TTL_MS + NO_PLAN_TTL_MS, value });
            }
            return out;
        });
        this.plans.set(key, { at: this.now(), value });
        return value;
    }

    private async make(make: () => Promise<RolloutPlan>): Promise<PlanOutput> {
        let timer: NodeJS.Timeout | undefined;
        const budget = new Promise<never>((_, reject) => {
            timer = setTimeout(
                () =>
                    reject(new Error(`the cloud did not answer within ${PLAN_BUDGET_MS / 1000} s`)),
                PLAN_BUDGET_MS,
            );
            timer.unref();
        });
        try {
            const plan = await Promise.race([make(), budget]);
            // Plain JSON (no undefined anywhere): what an output property can hold.
            return JSON.parse(JSON.stringify({ ...plan, lines: planLines(plan) })) as PlanOutput;
        } catch (err) {
            return { unavailable: noPlanReason(err) };
        } finally {
            clearTimeout(timer);
        }
    }
}

/** The first input among `keys` that preview does not know yet (its value comes from another resource). */
export function unknownInput(inputs: Props, keys: readonly string[]): string | undefined {
    const deep = (v: unknown): boolean =>
        isUnknown(v) ||
        (Array.isArray(v) && v.some(deep)) ||
        (typeof v === "object" && v !== null && Object.values(v).some(deep));
    return keys.find((k) => deep(inputs[k]));
}
