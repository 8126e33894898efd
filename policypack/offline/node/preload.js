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

let sdkRoot;

function sdkModule(...parts) {
    // A module of the program's own @pulumi/pulumi (the one the run script loads), resolved as Node resolves it.
    if (sdkRoot === undefined) {
        sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [programRoot] }));
    }
    return require(path.join(sdkRoot, ...parts));
}

// An object that answers every field it lacks with `valueFor(field)`: what a program reads from a value the
// preview cannot know (a secure config object, a secret's invented JSON text). Not a promise, not iterable.
function standIn(target, valueFor) {
    return new Proxy(target, {
        get(object, prop, receiver) {
            if (typeof prop === "symbol" || prop in object || prop === "then" || prop === "toJSON") {
                return Reflect.get(object, prop, receiver);
            }
            return valueFor(prop);
        },
    });
}

function patchConstruction() {
    const runtimeResource = sdkModule("runtime", "resource.js");
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

function patchSourcePositions() {
    const { Resource } = sdkModule("resource.js");
    // The SDK reads positions only from frames written `at fn (file:line:col)`, so a resource constructed in an
    // anonymous function (`at file:line:col`: an arrow in .map, an apply or then callback) got the position of
    // an outer frame, or none. Both forms are read.
    if (Resource && Resource.framePositionRegExp instanceof RegExp) {
        Resource.framePositionRegExp = /^\s*at (?:.* \()?(?<file>[^()]*?):(?<line>[0-9]+):(?<column>[0-9]+)\)?$/;
    }
    // An ES module's frames carry the transpiled JavaScript's lines: source-map-support, which the run script
    // installs, maps CommonJS frames only. With --enable-source-maps (set for programs run through a loader)
    // Node keeps each module's map; the positions the SDK sends are mapped through it here.
    const { findSourceMap } = require("module");
    if (typeof findSourceMap !== "function" || !process.execArgv.includes("--enable-source-maps")) return;
    const original = Resource && Resource.stackTrace;
    if (typeof original !== "function") return;
    Resource.stackTrace = function (...args) {
        return original.apply(this, args).map((frame) => {
            if (!frame || !frame.uri) return frame;
            try {
                // the SDK made a URL of a frame that already was one: file:///<cwd>/file:/abs/x.ts
                const at = frame.uri.lastIndexOf("file:");
                const url = at > 0 ? "file://" + frame.uri.slice(at + 5).replace(/^\/*/, "/") : frame.uri;
                const map = findSourceMap(url) || findSourceMap(require("url").fileURLToPath(url));
                const entry = map && map.findEntry(frame.line - 1, frame.column - 1);
                if (!entry || entry.originalLine === undefined) return frame;
                const source = entry.originalSource || url;
                return { uri: source.startsWith("file:") ? source : require("url").pathToFileURL(source).toString(),
                         line: entry.originalLine + 1, column: entry.originalColumn + 1 };
            } catch (e) {
                return frame;
            }
        });
    };
}

function patchSecretObjects() {
    // A `secure:` value is never decrypted offline: the program reads a placeholder string. Read as an object
    // (`requireSecretObject`, `getObject`, ...), a string is not JSON, so such a read gets an object whose every
    // field is the placeholder instead: the program runs on, and nothing secret is ever in it.
    const placeholder = process.env.HIPAA_GUARD_SECRET_PLACEHOLDER;
    if (!placeholder) return;
    const config = JSON.parse(process.env.PULUMI_CONFIG || "{}");
    const secretKeys = new Set(JSON.parse(process.env.PULUMI_CONFIG_SECRET_KEYS || "[]"));
    const { Config } = sdkModule("config.js");
    for (const impl of ["getObjectImpl", "requireObjectImpl"]) {
        const original = Config.prototype[impl];
        if (typeof original !== "function") continue;
        Config.prototype[impl] = function (key, ...rest) {
            const full = this.fullKey(key);
            if (secretKeys.has(full) && config[full] === placeholder) return standIn({}, () => placeholder);
            return original.call(this, key, ...rest);
        };
    }
}

function patchStandInParsing() {
    // JSON.parse of a document the mocks invented (a secret's text; it carries the marker key) answers every
    // field the program reads, as the runner's json.loads does for Python programs.
    const marker = process.env.HIPAA_GUARD_STAND_IN_MARKER;
    if (!marker) return;
    const parse = JSON.parse;
    JSON.parse = function (text, reviver) {
        const value = parse.call(this, text, reviver);
        if (!value || typeof value !== "object" || value[marker] !== true) return value;
        return standIn(value, (field) => `offline-${field}`);
    };
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
        // Not an Error and not convertible to text: under Node 20 an error of the ESM loader (ts-node/esm runs on
        // its own thread) reaches the main thread as a null-prototype object, and String() throws on it.
        let message;
        try {
            message = String(err);
        } catch (e2) {
            message = require("util").inspect(err, { depth: 2 });
        }
        facts.errors.push({ name: "Error", code: null, message, stack: "", diagnostics: [] });
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
    patchStandInParsing();
} catch (e) {
    // parsing stays as it is
}
try {
    patchSecretObjects();
} catch (e) {
    // typed reads of secure values fail as they did
}
try {
    patchSourcePositions();
} catch (e) {
    // positions stay as the SDK computed them
}
try {
    patchConstruction();
} catch (e) {
    // No @pulumi/pulumi where the program is: the run script itself cannot start; the capture says so.
}
