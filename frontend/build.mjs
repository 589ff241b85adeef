// Compiles the stylesheet and copies the GOV.UK Frontend script, htmx and the page scripts into the static
// folder Django serves. Run by `make` after `npm ci`; the output is not committed.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "csehub", "static", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });
const css = sass.compile(join(root, "frontend", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "app.css"), css.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(root, "node_modules", "htmx.org", "dist", "htmx.min.js"), join(out, "htmx.min.js"));
// Page scripts: plain ES modules, copied as they are (the CSP forbids inline scripts).
cpSync(join(root, "frontend", "risk_tool.js"), join(out, "risk_tool.js"));
console.log(`front-end assets written to ${out}`);
