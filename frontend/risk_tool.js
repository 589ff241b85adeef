// The risk identification tool's enhancements. The page works without them: the server shows
// the 999 banner, the counts and the result whenever the form is sent. With scripts, the banner
// appears the moment "yes" is chosen, and each section's count follows the ticks. (The result
// so far is fetched from the server by htmx, so the rating has one implementation.)
const form = document.querySelector("[data-risk-tool]");

function showDanger(banner, yes) {
  banner.hidden = !yes;
}

function updateCount(section) {
  const count = section.querySelector("[data-ticked-count]");
  if (!count) return;
  const ticked = section.querySelectorAll("input[type=checkbox]:checked").length;
  count.textContent = `${ticked} ticked`;
}

if (form) {
  const banner = document.getElementById("danger-banner");
  // A browser going back to the page may restore the answers: show what they say.
  const yes = form.querySelector("input[name=immediate_danger][value=yes]");
  if (banner && yes) showDanger(banner, yes.checked);
  form.querySelectorAll("[data-tool-section]").forEach(updateCount);
  form.addEventListener("change", (event) => {
    const input = event.target;
    if (input.name === "immediate_danger" && banner) {
      showDanger(banner, input.value === "yes" && input.checked);
    }
    if (input.type === "checkbox") {
      const section = input.closest("[data-tool-section]");
      if (section) updateCount(section);
    }
  });
}
