// pantau web: a little progressive enhancement. Everything works without it.
"use strict";

// The coding screen: number keys choose values, arrows move between variables and items,
// Enter saves and opens the next item.
function setupCoding(root) {
  const form = document.getElementById("code-form");
  const fieldsets = Array.from(form.querySelectorAll("fieldset.variable"));
  const keys = form.dataset.keys || "1234567890";
  let active = 0;

  function activate(i) {
    if (!fieldsets.length) return;
    active = (i + fieldsets.length) % fieldsets.length;
    fieldsets.forEach((f, k) => f.classList.toggle("active", k === active));
    fieldsets[active].scrollIntoView({block: "nearest"});
  }

  fieldsets.forEach((f, k) => f.addEventListener("click", () => activate(k)));

  document.addEventListener("keydown", (event) => {
    const tag = (event.target && event.target.tagName) || "";
    if (["INPUT", "TEXTAREA", "SELECT"].includes(tag) && event.target.type !== "radio"
        && event.target.type !== "checkbox") return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const key = event.key;
    if (key.length === 1 && keys.includes(key) && fieldsets.length) {
      const index = keys.indexOf(key);
      const inputs = fieldsets[active].querySelectorAll("input");
      const input = inputs[index];
      if (!input) return;
      event.preventDefault();
      if (input.type === "checkbox") {
        input.checked = !input.checked;
      } else {
        input.checked = true;
        if (active < fieldsets.length - 1) activate(active + 1);
      }
    } else if (key === "ArrowDown" || key === "j" || (key === "Tab" && !event.shiftKey)) {
      event.preventDefault();
      activate(active + 1);
    } else if (key === "ArrowUp" || key === "k" || (key === "Tab" && event.shiftKey)) {
      event.preventDefault();
      activate(active - 1);
    } else if (key === "Enter") {
      event.preventDefault();
      form.querySelector("#save").click();
    } else if (key === "t") {
      const context = document.getElementById("context");
      if (context) { event.preventDefault(); context.open = !context.open; }
    } else if (key === "ArrowLeft" && root.dataset.prev) {
      event.preventDefault();
      window.location.href = root.dataset.prev;
    } else if (key === "ArrowRight" && root.dataset.next) {
      event.preventDefault();
      window.location.href = root.dataset.next;
    }
  });
  activate(0);
}

// The sample form: show only the variables of the chosen target.
function setupSampleForm(select) {
  const boxes = document.querySelectorAll("input[name=variables][data-target]");
  function update() {
    boxes.forEach((box) => {
      const label = box.closest("label");
      const match = box.dataset.target === select.value;
      label.hidden = !match;
      if (!match) box.checked = false;
    });
  }
  select.addEventListener("change", update);
  update();
}

document.addEventListener("DOMContentLoaded", () => {
  const coding = document.getElementById("coding");
  if (coding) setupCoding(coding);
  const target = document.getElementById("sample-target");
  if (target) setupSampleForm(target);
});
