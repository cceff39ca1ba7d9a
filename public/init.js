import { initAll } from '/assets/govuk-frontend.min.js'

initAll()

// The browser tests check the scripts started (test/helpers/browser.ts).
document.documentElement.dataset.scripts = 'started'

// Print buttons exist only with JavaScript; without it, the browser's own print works the same.
for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false
  button.addEventListener('click', () => window.print())
}
