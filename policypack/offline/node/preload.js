// Loaded with `node -r` before @pulumi/pulumi's own run script (cmd/run), which runs the program exactly as
// `pulumi preview` does (TypeScript through ts-node, source maps, `main`, exports as stack outputs).
// The registrations themselves reach the Python capture monitor over the real ResourceMonitor gRPC
// protocol; this file only records what the protocol cannot carry:
//  - construction order: requests are sent after their inputs resolve (dependency order), so the order in
//    which the program constructed its resources is taken here, where the SDK's Resource constructor
//    hands them to runtime/resource.js;
//  - the program's uncaught errors as structured facts (kind, message, source-mapped frames, TypeScript
//    diagnostics), which the run script only logs as text.
// Everything is written as JSON to HIPAA_GUARD_NODE_FACTS when the process exits. Node built-ins only.
"use strict";
const fs = require("fs");
const path = require("path");

const factsPath = process.env.HIPAA_GUARD_NODE_FACTS;
const programRoot = process.env.HIPAA_GUARD_PROGRAM_ROOT || process.cwd();
const facts = { constructed: [], errors: [] };

function patchConstruction() {
    // The program's own @pulumi/pulumi (the one the run script loads), resolved as Node resolves it.
    const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [programRoot] }));
    const runtimeResource = require(path.join(sdkRoot, "runtime", "resource.js"));
    // registerResource(res, parent, t, name, ...) and readResource(res, parent, t, name, ...)
    for (const fn of ["registerResource", "readResource"]) {
        const original = runtimeResource[fn];
        if (typeof original !== "function") continue;
        runtimeResource[fn] = function (res, parent, t, name, ...rest) {
            facts.constructed.push([t, name]);
            return original.call(this, res, parent, t, name, ...rest);
        };
    }
}

function diagnosticsOf(err) {
    // ts-node's TSError carries the compiler's diagnostics: positions in the .ts source itself.
    const out = [];
    for (const d of err.diagnostics || []) {
        let file = null;
        let line = null;
        if (d.file && typeof d.start === "number") {
            file = d.file.fileName;
            line = d.file.getLineAndCharacterOfPosition(d.start).line + 1;
        }
        let text = d.messageText;
        while (text && typeof text === "object") text = text.messageText;
        out.push({ code: d.code, file, line, message: String(text || "") });
    }
    return out;
}

function record(err) {
    try {
        const isError = err instanceof Error;
        facts.errors.push({
            name: isError ? err.name || (err.constructor && err.constructor.name) || "Error" : typeof err,
            code: isError && typeof err.code === "string" ? err.code : null,
            message: isError ? String(err.message) : String(err),
            stack: isError && typeof err.stack === "string" ? err.stack : "",  // source-mapped by source-map-support
            diagnostics: isError ? diagnosticsOf(err) : [],
        });
    } catch (e) {
        facts.errors.push({ name: "Error", code: null, message: String(err), stack: "", diagnostics: [] });
    }
}

// The first uncaught error ends the run: the preview's outcome is then fixed (exit 2 with this error), and the
// run script's own handler, which runs after this one, can spin for good formatting some errors with
// util.inspect (seen with a missing entry point and with a throw in an apply over a plain output: the main
// thread busy in inspect's markNodeModules, never reaching its exit).
const EXIT_CODE_ERROR_REPORTED = 32; // the run script's "error already reported to the user" code

function recordAndExit(err) {
    record(err);
    process.exit(EXIT_CODE_ERROR_REPORTED);
}

process.on("uncaughtException", recordAndExit);
process.on("unhandledRejection", recordAndExit);
process.on("exit", () => {
    if (factsPath) fs.writeFileSync(factsPath, JSON.stringify(facts));
});

try {
    patchConstruction();
} catch (e) {
    // No @pulumi/pulumi where the program is: the run script itself cannot start; the capture says so.
}
