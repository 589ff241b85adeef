// The Awareness Plus briefing: moving between slides with the keyboard, the presenter's timer,
// the audience view's full-screen button, keeping presenter and audience views in step
// (BroadcastChannel, same browser), and the filter on the attendance list.
//
// Every slide is already on the page (hidden but for the current one) with its own address, and
// previous/next are ordinary links, so without this script the pages still work.

const NEXT_KEYS = new Set(["ArrowRight", "PageDown", "n", "N"]);
const PREVIOUS_KEYS = new Set(["ArrowLeft", "PageUp", "p", "P"]);

function isTyping(target) {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

function startSlides(root) {
  const mode = root.dataset.appBriefing; // "presenter" or "audience"
  const total = Number(root.dataset.total);
  const frames = new Map(
    [...root.querySelectorAll("[data-app-frame]")].map((frame) => [
      Number(frame.dataset.appFrame),
      frame,
    ]),
  );
  const announcer = root.querySelector("[data-app-announcer]");
  const audienceLink = document.querySelector("[data-app-audience-link]");
  const presenterLink = document.querySelector("[data-app-presenter-link]");
  let current = Number(root.dataset.current);
  let channel = null;
  if ("BroadcastChannel" in window) {
    channel = new BroadcastChannel(root.dataset.channel);
  }

  function show(number, { announce = true, broadcast = true, history = "push", focus = null } = {}) {
    const target = Math.min(Math.max(number, 1), total);
    const frame = frames.get(target);
    if (!frame) return;
    if (target !== current) {
      frames.get(current)?.setAttribute("hidden", "");
      frame.removeAttribute("hidden");
      current = target;
      root.dataset.current = String(target);
      document.title = frame.dataset.pageTitle;
      if (history === "push") {
        window.history.pushState({ slide: target }, "", frame.dataset.url);
      } else if (history === "replace") {
        window.history.replaceState({ slide: target }, "", frame.dataset.url);
      }
      if (audienceLink && frame.dataset.audienceUrl) audienceLink.href = frame.dataset.audienceUrl;
      if (presenterLink) {
        presenterLink.href = presenterLink.href.replace(/\/slides\/\d+\//, `/slides/${target}/`);
      }
      if (announce && announcer) {
        // Cleared first so that the same words said twice are still read out.
        announcer.textContent = "";
        window.setTimeout(() => {
          announcer.textContent = frame.dataset.announce;
        }, 50);
      }
    }
    if (focus) {
      // The link that was used is now hidden: move focus to its twin on the new slide, or to
      // the slide's heading, so keyboard users do not lose their place.
      const twin = focus === "heading" ? null : frame.querySelector(`a[rel="${focus}"]`);
      (twin || frame.querySelector("h2"))?.focus();
    }
    if (broadcast && channel) channel.postMessage({ type: "slide", slide: target, from: mode });
  }

  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (isTyping(event.target)) return;
    let target = null;
    if (NEXT_KEYS.has(event.key)) target = current + 1;
    else if (PREVIOUS_KEYS.has(event.key)) target = current - 1;
    else if (event.key === "Home") target = 1;
    else if (event.key === "End") target = total;
    if (target === null) return;
    event.preventDefault();
    show(target);
  });

  root.addEventListener("click", (event) => {
    const link = event.target instanceof Element ? event.target.closest("a[data-app-go]") : null;
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    show(Number(link.dataset.appGo), { focus: link.getAttribute("rel") || "heading" });
  });

  window.addEventListener("popstate", (event) => {
    const slide = event.state && event.state.slide;
    if (slide) show(slide, { history: "none" });
  });
  window.history.replaceState({ slide: current }, "", window.location.href);

  if (channel) {
    channel.addEventListener("message", (event) => {
      const message = event.data || {};
      if (message.type === "slide" && message.from !== mode) {
        show(Number(message.slide), { broadcast: false, history: "replace" });
      } else if (message.type === "where" && mode === "presenter") {
        channel.postMessage({ type: "slide", slide: current, from: mode });
      }
    });
    // A view opened later asks where the presenter is, and the presenter answers.
    if (mode === "audience") channel.postMessage({ type: "where" });
  }

  return { current: () => current };
}

function formatElapsed(milliseconds) {
  const seconds = Math.floor(milliseconds / 1000);
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = String(seconds % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${rest}` : `${minutes}:${rest}`;
}

function startTimer(panel, key) {
  const display = panel.querySelector("[data-app-timer-display]");
  const toggle = panel.querySelector("[data-app-timer-toggle]");
  const reset = panel.querySelector("[data-app-timer-reset]");
  // Kept for the browser tab's session, so reloading the page does not lose the time.
  let state = { elapsed: 0, startedAt: null };
  try {
    state = { ...state, ...JSON.parse(window.sessionStorage.getItem(key) || "{}") };
  } catch {
    // A corrupt or blocked store just starts the timer from nought.
  }
  let ticker = null;

  const elapsed = () => state.elapsed + (state.startedAt ? Date.now() - state.startedAt : 0);
  const save = () => {
    try {
      window.sessionStorage.setItem(key, JSON.stringify(state));
    } catch {
      // Not saved; the timer still runs on this page.
    }
  };
  const render = () => {
    display.textContent = formatElapsed(elapsed());
    toggle.textContent = state.startedAt ? "Pause timer" : "Start timer";
  };
  const run = () => {
    window.clearInterval(ticker);
    ticker = state.startedAt ? window.setInterval(render, 500) : null;
    render();
  };

  toggle.addEventListener("click", () => {
    if (state.startedAt) {
      state = { elapsed: elapsed(), startedAt: null };
    } else {
      state = { elapsed: state.elapsed, startedAt: Date.now() };
    }
    save();
    run();
  });
  reset.addEventListener("click", () => {
    state = { elapsed: 0, startedAt: state.startedAt ? Date.now() : null };
    save();
    run();
  });
  panel.removeAttribute("hidden");
  run();
}

function startFullscreen(button) {
  if (!document.fullscreenEnabled) return;
  const label = () => {
    button.textContent = document.fullscreenElement ? "Exit full screen" : "Full screen";
  };
  button.addEventListener("click", async () => {
    try {
      if (document.fullscreenElement) await document.exitFullscreen();
      else await document.documentElement.requestFullscreen();
    } catch {
      // Refused by the browser (for example inside a frame): the page stays as it is.
    }
  });
  document.addEventListener("fullscreenchange", label);
  button.removeAttribute("hidden");
  label();
}

function startAttendeeFilter(wrapper) {
  const input = wrapper.querySelector("input");
  const status = wrapper.querySelector("[data-app-filter-status]");
  const items = [...document.querySelectorAll("[data-app-attendee]")];
  const apply = () => {
    const words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let shown = 0;
    for (const item of items) {
      const text = item.dataset.appAttendee.toLowerCase();
      const match = words.every((word) => text.includes(word));
      item.toggleAttribute("hidden", !match);
      if (match) shown += 1;
    }
    status.textContent = words.length
      ? `${shown} of ${items.length} ${items.length === 1 ? "person" : "people"} shown`
      : "";
  };
  input.addEventListener("input", apply);
  // Enter in the filter would otherwise submit the whole form.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  wrapper.removeAttribute("hidden");
}

const slides = document.querySelector("[data-app-briefing]");
if (slides) {
  startSlides(slides);
  const timer = slides.querySelector("[data-app-timer]");
  if (timer) startTimer(timer, `csehub-briefing-timer-${slides.dataset.channel}`);
  const fullscreen = document.querySelector("[data-app-fullscreen]");
  if (fullscreen) startFullscreen(fullscreen);
}

const filter = document.querySelector("[data-app-filter]");
if (filter) startAttendeeFilter(filter);
