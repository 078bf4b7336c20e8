import { raw } from 'hono/html';

/** The API reference: Swagger UI over our own openapi.json, every script and style served by crosstrain (CSP allows no inline code). */
export function ApiDocsPage() {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>API reference · crosstrain</title>
          <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
          <link rel="stylesheet" href="/static/swagger-ui.css" />
          <script src="/static/swagger-ui-bundle.js" defer></script>
          <script src="/static/api-docs.js" defer></script>
        </head>
        <body>
          <main>
            <p>
              <a href="/">crosstrain</a> · API reference for <code>/api/v1</code>. Authenticate with an API token HR creates (
              <code>Authorization: Bearer …</code>) or with your session cookie and the <code>X-CSRF-Token</code> that <code>GET /api/v1/me</code> returns. The
              document itself: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
            </p>
            <div id="swagger-ui" data-spec-url="/api/v1/openapi.json">
              <noscript>The interactive reference needs JavaScript; the document above reads in any OpenAPI tool.</noscript>
            </div>
          </main>
        </body>
      </html>
    </>
  );
}
