// Starts govuk-frontend's JavaScript components. Loaded as a module from the same
// origin, so the Content-Security-Policy needs no inline script. Pages work without it:
// it only adds enhancements (error summary focus, skip link focus, header menu).
import { initAll } from "/assets/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
