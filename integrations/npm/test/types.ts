// Compiled with `tsc --noEmit --strict` against the installed package: the declarations are
// valid and typed (not `any`): each @ts-expect-error below must be an error, or tsc fails.
import { check, fix, explain, type Options, type Finding, type FixResult, type Rule } from "dfharden";

const options: Options = { profile: "basic", select: ["DH3"], user: { name: "app", uid: 10001 }, today: "2026-12-03" };
const findings: Finding[] = check("FROM alpine\n", options).findings;
const first: number | undefined = findings[0]?.location.column_utf16;
const result: FixResult = fix("FROM alpine\n");
const output: string = result.output;
const rule: Rule | undefined = explain("DL3002");
const severity: "info" | "warning" | "error" | undefined = rule?.severity;

// @ts-expect-error: not a profile
check("FROM alpine\n", { profile: "extreme" });
// @ts-expect-error: output is a string, not a number
const wrong: number = fix("FROM alpine\n").output;
// @ts-expect-error: findings have no `line`; it is in `location`
findings[0].line;

export { first, output, severity, wrong };
