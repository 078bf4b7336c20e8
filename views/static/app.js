// crosstrain's only page script: small behaviours that CSP forbids inline.
document.addEventListener('submit', (event) => {
  const form = event.target;
  if (form instanceof HTMLFormElement && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
});
document.addEventListener('DOMContentLoaded', () => {
  const summary = document.querySelector('.error-summary');
  if (summary instanceof HTMLElement) summary.focus();
});
// Forms that htmx answers with an error status still show the returned form with its messages.
document.addEventListener('htmx:beforeSwap', (event) => {
  const status = event.detail.xhr.status;
  if (status === 400 || status === 409 || status === 422) {
    event.detail.shouldSwap = true;
    event.detail.isError = false;
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
