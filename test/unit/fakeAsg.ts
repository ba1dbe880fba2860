import { CloudError } from "../../src/core/errors";
import type {
    AsgDesiredConfiguration,
    AsgRefresh,
    AsgRefreshPreferences,
    AutoScalingApi,
    LaunchTemplateSpec,
} from "../../src/clouds/aws/autoscaling";

/** A scripted Auto Scaling: each Describe of a refresh returns the next step of its script. */
export class FakeAsg implements AutoScalingApi {
    readonly calls: { op: string; args: unknown }[] = [];
    readonly refreshes: {
        r: Omit<AsgRefresh, "status">;
        script: Partial<AsgRefresh>[];
        i: number;
    }[] = [];
    nextScripts: Partial<AsgRefresh>[][] = [];
    startErrors: CloudError[] = [];
    latest = 7;
    private n = 0;

    ops(): string[] {
        return this.calls.map((c) => c.op);
    }

    addRefresh(
        id: string,
        script: Partial<AsgRefresh>[],
        desiredConfiguration?: AsgDesiredConfiguration,
        preferences?: AsgRefreshPreferences,
    ): void {
        this.refreshes.unshift({
            r: {
                instanceRefreshId: id,
                autoScalingGroupName: "web",
                desiredConfiguration,
                preferences,
            },
            script,
            i: 0,
        });
    }

    private view(x: FakeAsg["refreshes"][number], advance: boolean): AsgRefresh {
        const step = x.script[Math.min(x.i, x.script.length - 1)]!;
        if (advance) {
            x.i++;
        }
        return { ...x.r, status: "InProgress", ...step };
    }

    async startInstanceRefresh(req: {
        autoScalingGroupName: string;
        desiredConfiguration?: AsgDesiredConfiguration;
        preferences?: AsgRefreshPreferences;
    }): Promise<string> {
        this.calls.push({ op: "Start", args: req });
        const err = this.startErrors.shift();
        if (err) {
            throw err;
        }
        const id = `ir-${++this.n}`;
        this.addRefresh(
            id,
            this.nextScripts.shift() ?? [{ status: "Successful", percentageComplete: 100 }],
            req.desiredConfiguration,
            req.preferences,
        );
        return id;
    }

    async describeInstanceRefreshes(req: {
        autoScalingGroupName: string;
        instanceRefreshIds?: string[];
    }): Promise<AsgRefresh[]> {
        this.calls.push({ op: "Describe", args: req });
        const ids = req.instanceRefreshIds;
        return this.refreshes
            .filter((x) => !ids || ids.includes(x.r.instanceRefreshId))
            .map((x) => this.view(x, !!ids));
    }

    private active(): FakeAsg["refreshes"][number] | undefined {
        return this.refreshes.find((x) => {
            const s = this.view(x, false).status;
            return ![
                "Successful",
                "Failed",
                "Cancelled",
                "RollbackSuccessful",
                "RollbackFailed",
            ].includes(s);
        });
    }

    async cancelInstanceRefresh(): Promise<string | undefined> {
        this.calls.push({ op: "Cancel", args: {} });
        const a = this.active();
        if (a) {
            a.script = [{ status: "Cancelling" }, { status: "Cancelled" }];
            a.i = 0;
        }
        return a?.r.instanceRefreshId;
    }

    async rollbackInstanceRefresh(): Promise<string | undefined> {
        this.calls.push({ op: "Rollback", args: {} });
        const a = this.active();
        if (a) {
            a.script = [
                { status: "RollbackInProgress" },
                { status: "RollbackSuccessful", statusReason: "rolled back" },
            ];
            a.i = 0;
        }
        return a?.r.instanceRefreshId;
    }

    groupExists = true;

    async describeAutoScalingGroup(name: string) {
        this.calls.push({ op: "DescribeAutoScalingGroups", args: name });
        return this.groupExists
            ? {
                  autoScalingGroupName: name,
                  instances: 4,
                  launchTemplate: { launchTemplateId: "lt-0123456789abcdef0", version: "6" },
              }
            : undefined;
    }

    async resolveLaunchTemplateVersion(spec: LaunchTemplateSpec): Promise<string> {
        this.calls.push({ op: "DescribeLaunchTemplates", args: spec });
        return String(spec.version === "$Latest" ? this.latest : 1);
    }
}

/** An Auto Scaling error as the client throws it. */
export function asgError(code: string, message: string, httpStatus = 400): CloudError {
    return new CloudError({
        service: "Auto Scaling",
        operation: "StartInstanceRefresh",
        code,
        cloudMessage: message,
        requestId: "req-aws-1",
        httpStatus,
        transient: httpStatus >= 500,
    });
}
