// Starts Swagger UI on /api/docs; kept in a file of its own because the CSP forbids inline scripts.
window.addEventListener('DOMContentLoaded', () => {
  const target = document.getElementById('swagger-ui');
  if (!target || typeof window.SwaggerUIBundle !== 'function') return;
  window.SwaggerUIBundle({ url: target.dataset.specUrl, domNode: target, deepLinking: true, tryItOutEnabled: false });
});
