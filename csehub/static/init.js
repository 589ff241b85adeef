// Starts the GOV.UK Frontend components on every page.
import { initAll } from "./dist/govuk-frontend.min.js";
initAll();
