"use strict";
/**
 * Runs the test files that wait longest first, so that the run is not bounded by one long file
 * started last: end-to-end files first (each knows its weight from the last run's timings, else its
 * size), then the rest, longest first.
 */
const fs = require("fs");
const path = require("path");
const Sequencer = require("@jest/test-sequencer").default;
const { TIMES_FILE } = require("./timing-reporter");

function lastTimes() {
    try {
        return JSON.parse(fs.readFileSync(TIMES_FILE, "utf8")).files || {};
    } catch {
        return {};
    }
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
