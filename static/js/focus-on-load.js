// A page that answers a step (e.g. the idea preview) marks its heading with data-focus-on-load
// (and tabindex="-1"): focus starts there, so screen-reader and keyboard users land on the result.
document.addEventListener("DOMContentLoaded", () => {
  const target = document.querySelector("[data-focus-on-load]");
  if (target && !document.querySelector(":focus")) target.focus({ preventScroll: false });
});
