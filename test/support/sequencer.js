"use strict";
/**
 * Runs the test files that wait longest first, so that the run is not bounded by one long file
 * started last: end-to-end files first, then the rest, longest first. A file's weight is its time in
 * this checkout's last run (.pulumi-work/test-times.json), else its time in the last full run on
 * 2 cores that was committed (test/support/file-times.json: a fresh clone has no run of its own),
 * else its size.
 */
const fs = require("fs");
const path = require("path");
const Sequencer = require("@jest/test-sequencer").default;
const { TIMES_FILE } = require("./timing-reporter");

const COMMITTED_TIMES = path.join(__dirname, "file-times.json");

function timesIn(file) {
    try {
        const times = JSON.parse(fs.readFileSync(file, "utf8"));
        return times.known || times.files || {};
    } catch {
        return {};
    }
}

function lastTimes() {
    return { ...timesIn(COMMITTED_TIMES), ...timesIn(TIMES_FILE) };
}

class LongestFirst extends Sequencer {
    sort(tests) {
        const times = lastTimes();
        const weight = (t) => {
            const rel = path.relative(path.resolve(__dirname, "..", ".."), t.path);
            const e2e = rel.startsWith(path.join("test", "e2e")) ? 1e9 : 0;
            const seconds = times[rel];
            return e2e + (seconds !== undefined ? seconds * 1e6 : fs.statSync(t.path).size);
        };
        return [...tests].sort((a, b) => weight(b) - weight(a));
    }
}

module.exports = LongestFirst;
