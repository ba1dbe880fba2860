"use strict";
/**
 * A jest reporter that records how long each test file took (and the run's wall time) in
 * .pulumi-work/test-times.json: scripts/test.js prints the slowest files at the end of `npm test`,
 * and the sequencer starts the longest first next time.
 */
const fs = require("fs");
const path = require("path");

const ROOT = path.resolve(__dirname, "..", "..");
const TIMES_FILE = path.join(ROOT, ".pulumi-work", "test-times.json");

function earlierTimes() {
    try {
        const last = JSON.parse(fs.readFileSync(TIMES_FILE, "utf8"));
        return last.known || last.files || {};
    } catch {
        return {};
    }
}

class TimingReporter {
    onRunStart() {
        this.started = Date.now();
    }

    onRunComplete(_contexts, results) {
        const files = {};
        for (const r of results.testResults) {
            const seconds = (r.perfStats.end - r.perfStats.start) / 1000;
            files[path.relative(ROOT, r.testFilePath)] = Math.round(seconds * 10) / 10;
        }
        const summary = {
            wallSeconds: Math.round((Date.now() - this.started) / 100) / 10,
            tests: results.numTotalTests,
            passed: results.numPassedTests,
            files,
            // This run's times over earlier runs': a run of some files keeps the others' (for
            // the sequencer).
            known: { ...earlierTimes(), ...files },
        };
        fs.mkdirSync(path.dirname(TIMES_FILE), { recursive: true });
        fs.writeFileSync(TIMES_FILE, JSON.stringify(summary, null, 2));
    }
}

module.exports = TimingReporter;
module.exports.TIMES_FILE = TIMES_FILE;
