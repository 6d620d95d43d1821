// Validates every file listed in argv[2] with dockerfile-utils' `validate` in one process;
// prints {"files", "secs", "findings", "flagged"} (secs: the validation loop alone).
const fs = require('fs');
const t0 = process.hrtime.bigint();
const utils = require('dockerfile-utils');
const paths = fs.readFileSync(process.argv[2], 'utf8').split('\n').filter(Boolean);
const texts = paths.map((p) => fs.readFileSync(p, 'utf8'));
const start = process.hrtime.bigint();
let findings = 0, flagged = 0, failed = 0;
for (const text of texts) {
  try {
    const items = utils.validate(text);
    findings += items.length;
    flagged += items.length > 0 ? 1 : 0;
  } catch (e) {
    failed += 1;
    if (failed === 1) console.error(String(e && e.stack || e).slice(0, 500));
  }
}
const end = process.hrtime.bigint();
console.log(JSON.stringify({ files: texts.length, secs: Number(end - start) / 1e9, load_secs: Number(start - t0) / 1e9, findings, flagged, failed }));
