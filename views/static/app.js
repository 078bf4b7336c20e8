// crosstrain's only page script: small behaviours that CSP forbids inline.
// Controls only a page without JavaScript needs (a "Show the fields" button) hide once this runs.
document.documentElement.classList.add('js');
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.error-summary');
  if (summary instanceof HTMLElement) summary.focus();
  // A result on a freshly loaded page (no htmx) is only announced, not focused: it may sit mid-page.
  for (const result of document.querySelectorAll('[data-focus-result]')) result.removeAttribute('data-focus-result');
});
// Forms that htmx answers with an error status still show the returned form with its messages.
document.addEventListener('htmx:beforeSwap', (event) => {
  const status = event.detail.xhr.status;
  if (status === 400 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
  }
});
// After an in-place answer, move focus to its result so keyboard and screen-reader users hear what happened.
document.addEventListener('htmx:afterSettle', () => {
  const results = document.querySelectorAll('[data-focus-result]');
  const result = results[results.length - 1];
  if (result instanceof HTMLElement) {
    result.removeAttribute('data-focus-result');
    result.focus();
  }
});
// Navigation menus: one open at a time, Escape or a click elsewhere closes them (without JS they still open and close).
const navMenus = () => document.querySelectorAll('details.nav-menu');
document.addEventListener(
  'toggle',
  (event) => {
    const opened = event.target;
    if (!(opened instanceof HTMLDetailsElement) || !opened.classList.contains('nav-menu') || !opened.open) return;
    for (const menu of navMenus()) if (menu !== opened) menu.open = false;
  },
  true,
);
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Escape') return;
  const open = document.querySelector('details.nav-menu[open]');
  if (!(open instanceof HTMLDetailsElement)) return;
  open.open = false;
  open.querySelector('summary')?.focus();
});
document.addEventListener('click', (event) => {
  for (const menu of navMenus()) if (menu.open && !menu.contains(event.target)) menu.open = false;
});
