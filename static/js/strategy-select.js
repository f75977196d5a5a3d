// Select a passage in the section's text: it becomes the quote of the proposed change, with a
// little text around it so the server can tell apart a passage that occurs twice. Without
// this script the passage is simply copied into the field by hand.
(() => {
  const text = document.querySelector("[data-strategy-text]");
  const quote = document.querySelector("textarea[name=quote]");
  const prefix = document.querySelector("input[name=prefix]");
  const suffix = document.querySelector("input[name=suffix]");
  const button = document.querySelector("[data-strategy-take-selection]");
  if (!text || !quote) return;

  const CONTEXT = 32;

  function selectionInText() {
    const selection = window.getSelection();
    if (!selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    const range = selection.getRangeAt(0);
    if (!text.contains(range.commonAncestorContainer)) return null;
    const selected = selection.toString().trim();
    if (!selected) return null;
    const before = document.createRange();
    before.setStart(text, 0);
    before.setEnd(range.startContainer, range.startOffset);
    const after = document.createRange();
    after.setStart(range.endContainer, range.endOffset);
    after.setEnd(text, text.childNodes.length);
    return {
      selected,
      prefix: before.toString().slice(-CONTEXT),
      suffix: after.toString().slice(0, CONTEXT),
    };
  }

  function take() {
    const found = selectionInText();
    if (!found) return false;
    quote.value = found.selected;
    if (prefix) prefix.value = found.prefix;
    if (suffix) suffix.value = found.suffix;
    const change = document.querySelector("input[name=kind][value=change]");
    if (change) change.checked = true;
    return true;
  }

  text.addEventListener("mouseup", take);
  text.addEventListener("keyup", (event) => {
    if (event.shiftKey) take();
  });
  if (button) {
    button.hidden = false;
    button.addEventListener("click", () => {
      if (take()) quote.focus();
    });
  }
})();
