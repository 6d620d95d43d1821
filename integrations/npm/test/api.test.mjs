// The npm package as a user gets it: installed from its tarball into a scratch project (the
// test script does that and runs this file there). Each test holds the package to the CLI or
// to a fact that could fail: same findings, same rewrite, typed errors, both builds.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
const dfharden = require("dfharden");
const DFHARDEN = process.env.DFHARDEN;
const EXAMPLES = process.env.EXAMPLES;
const TODAY = "2026-12-03";
assert.ok(DFHARDEN && existsSync(DFHARDEN), "DFHARDEN must name the CLI binary");
assert.ok(EXAMPLES && existsSync(EXAMPLES), "EXAMPLES must name the examples directory");

const examples = readdirSync(EXAMPLES)
  .filter((name) => existsSync(path.join(EXAMPLES, name, "Dockerfile")))
  .map((name) => ({ name, text: readFileSync(path.join(EXAMPLES, name, "Dockerfile"), "utf8") }));

function cli(args, input) {
  try {
    return execFileSync(DFHARDEN, [...args, "--isolated", "--today", TODAY, "-"], { input, encoding: "utf8" });
  } catch (e) {
    if (typeof e.stdout === "string" && e.status === 1) return e.stdout; // findings: exit 1
    throw e;
  }
}

test("the examples exist", () => assert.ok(examples.length >= 8, `${examples.length} examples`));

test("check gives the CLI's JSON findings for every example", () => {
  for (const { name, text } of examples) {
    const fromCli = JSON.parse(cli(["check", "--output-format", "json"], text)).files[0];
    const fromPackage = dfharden.check(text, { today: TODAY });
    assert.deepEqual(fromPackage.findings, fromCli.findings, name);
    assert.deepEqual(fromPackage.syntax_errors, fromCli.syntax_errors, name);
    assert.ok(fromPackage.findings.length > 0, `${name} has findings`);
  }
});

test("fix writes the CLI's rewrite for every example, in both profiles", () => {
  for (const { name, text } of examples) {
    for (const profile of ["strict", "basic"]) {
      const fromCli = cli(["fix", "--profile", profile], text);
      const result = dfharden.fix(text, { today: TODAY, profile });
      assert.equal(result.output, fromCli, `${name} (${profile})`);
      assert.equal(result.changed, result.output !== text);
    }
  }
});

test("fix explains every hunk and leaves the remaining findings", () => {
  const text = "FROM alpine:3.20\nRUN apk add curl\nCMD [\"curl\", \"--version\"]\n";
  const result = dfharden.fix(text, { today: TODAY, profile: "basic" });
  assert.match(result.output, /apk add --no-cache curl/);
  assert.ok(result.applied.some((a) => a.code === "DH305" && a.applicability === "safe"));
  assert.ok(result.hunks.length > 0);
  for (const hunk of result.hunks) assert.ok(hunk.codes.length > 0, hunk.text);
  assert.match(result.diff, /^--- a\/Dockerfile\n\+\+\+ b\/Dockerfile\n/);
  // basic: no user is added, so the root finding remains, with its position.
  const root = result.remaining.findings.find((f) => f.code === "DH101");
  assert.ok(root, JSON.stringify(result.remaining.findings.map((f) => f.code)));
  assert.equal(root.location.line, 1);
});

test("positions count UTF-16 units as JavaScript strings do", () => {
  const text = "FROM alpine:3.20\n# 🐳\nRUN apk add curl # ✓\n";
  const finding = dfharden.check(text, { today: TODAY }).findings.find((f) => f.code === "DH305");
  assert.ok(finding);
  const { offset, end_offset, line, column_utf16 } = finding.location;
  assert.equal(line, 3);
  const lineStart = text.split("\n").slice(0, 2).join("\n").length + 1;
  const inJs = text.slice(lineStart + column_utf16 - 1);
  assert.ok(inJs.startsWith("apk add") || inJs.startsWith("RUN"), inJs);
  assert.ok(end_offset > offset);
});

test("options are validated: unknown fields, unsafe users, unknown rules, bad digests", () => {
  const text = "FROM alpine:3.20\n";
  assert.throws(() => dfharden.check(text, { selct: ["DH1"] }), /unknown field `selct`/);
  assert.throws(() => dfharden.check(text, { user: { uid: 0 } }), /uid 0 is root/);
  assert.throws(() => dfharden.fix(text, { user: { name: "x; curl e|sh" } }), /not a portable user name/);
  assert.throws(() => dfharden.check(text, { select: ["DH999"] }), /select `DH999` matches no rule/);
  assert.throws(() => dfharden.check(text, { digests: { "alpine:3.20": "sha256:nope" } }), /digests\["alpine:3.20"\]/);
  assert.throws(() => dfharden.check(text, { today: "tomorrow" }), /not a date/);
  // select narrows, ignore wins.
  const only = dfharden.check("FROM alpine\nRUN apk add curl\n", { select: ["DH305"], today: TODAY }).findings;
  assert.deepEqual([...new Set(only.map((f) => f.code))], ["DH305"]);
  const none = dfharden.check("FROM alpine\nRUN apk add curl\n", { select: ["DH305"], ignore: ["DL3019"], today: TODAY });
  assert.deepEqual(none.findings, []);
});

test("digests given are written; none is made up", () => {
  const digest = "sha256:" + "ab".repeat(32);
  const text = "FROM alpine:3.20\nCMD [\"true\"]\n";
  const pinned = dfharden.fix(text, { today: TODAY, digests: { "alpine:3.20": digest } }).output;
  assert.match(pinned, new RegExp(`alpine:3\\.20@${digest}`));
  const unpinned = dfharden.fix(text, { today: TODAY }).output;
  assert.doesNotMatch(unpinned, /@sha256:/);
});

test("a file BuildKit refuses throws with its syntax errors, unless force", () => {
  const text = "FROM alpine:3.20\nRUN <<EOF\necho unterminated\n";
  assert.throws(
    () => dfharden.fix(text),
    (e) => e instanceof Error && /BuildKit would refuse/.test(e.message) && e.syntax_errors[0].location.line >= 2,
  );
  assert.equal(typeof dfharden.fix(text, { force: true }).output, "string");
  const report = dfharden.check(text);
  assert.equal(report.syntax_errors[0].severity, "error");
});

test("explain finds a rule by code, name or another tool's id", () => {
  const byCode = dfharden.explain("dh101");
  assert.equal(byCode.code, "DH101");
  assert.match(byCode.explanation, /## Why is this bad\?/);
  assert.equal(dfharden.explain(byCode.name).code, "DH101");
  assert.equal(dfharden.explain("DL3002").code, "DH101");
  assert.equal(dfharden.explain("DL3019").code, "DH305");
  assert.equal(dfharden.explain("no-such-rule"), undefined);
  const all = dfharden.rules();
  assert.deepEqual(all, JSON.parse(execFileSync(DFHARDEN, ["rules", "--format", "json"], { encoding: "utf8" })).rules);
});

test("context files: the start script decides the user", () => {
  const text = "FROM debian:trixie-slim\nCOPY run.sh /run.sh\nCMD [\"/run.sh\"]\n";
  assert.deepEqual(dfharden.contextFilesWanted(text), ["run.sh"]);
  const unseen = dfharden.fix(text, { today: TODAY }).output;
  assert.doesNotMatch(unseen, /^USER /m, "no USER while the start script is unseen");
  const stepsDown = { files: { "run.sh": "#!/bin/sh\nchown -R app /data\nexec gosu app server\n" }, read: true };
  assert.doesNotMatch(dfharden.fix(text, { today: TODAY, context: stepsDown }).output, /^USER /m);
  const plain = { files: { "run.sh": "#!/bin/sh\nexec server --port 8080\n" }, read: true };
  assert.match(dfharden.fix(text, { today: TODAY, context: plain }).output, /^USER /m);
});

test("dataAge dates the image data and warns when it is old", () => {
  const fresh = dfharden.dataAge(TODAY);
  assert.match(fresh.checked, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(fresh.notice, null);
  assert.match(dfharden.dataAge("2031-01-01").notice, /months ago/);
  assert.equal(dfharden.version(), require("dfharden/package.json").version);
});

test("the web build (ES module with init) gives the same results", async () => {
  const web = await import("dfharden/web");
  const wasm = readFileSync(require.resolve("dfharden/web").replace(/dfharden\.js$/, "dfharden_bg.wasm"));
  await web.default({ module_or_path: wasm });
  for (const { name, text } of examples) {
    assert.deepEqual(web.check(text, { today: TODAY }), dfharden.check(text, { today: TODAY }), name);
  }
});
