// Starts govuk-frontend's JavaScript components. Loaded as a module from the same
// origin, so the Content-Security-Policy needs no inline script. Pages work without it:
// it only adds enhancements (error summary focus, skip link focus, header menu).
import { initAll } from "/assets/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// govuk-frontend's Radios component marks a radio that reveals more questions with
// aria-expanded, which ARIA 1.2 does not allow on the radio role (axe-core's
// aria-allowed-attr, WCAG 4.1.2; govuk-frontend issue 979 lists it as a known issue).
// The revealed questions follow their radio in the page, so a screen reader reaches
// them next without it. The attribute is removed whenever the component sets it;
// aria-controls, which the radio role allows, stays.
const stripExpanded = (radio) => radio.removeAttribute("aria-expanded");
document.querySelectorAll('input[type="radio"][aria-expanded]').forEach(stripExpanded);
new MutationObserver((changes) => {
  for (const change of changes) {
    if (change.target.type === "radio" && change.target.hasAttribute("aria-expanded")) stripExpanded(change.target);
  }
}).observe(document.body, { subtree: true, attributes: true, attributeFilter: ["aria-expanded"] });
