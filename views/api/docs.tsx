import { HtmlDocument } from '../layout';

/** The API reference: Swagger UI over our own openapi.json, every script and style served by crosstrain (CSP allows no inline code). */
export function ApiDocsPage() {
  return (
    <HtmlDocument
      title="API reference"
      head={
        <>
          <link rel="stylesheet" href="/static/swagger-ui.css" />
          <script src="/static/swagger-ui-bundle.js" defer></script>
          <script src="/static/api-docs.js" defer></script>
        </>
      }
    >
      <main>
        <p>
          <a href="/">crosstrain</a> · API reference for <code>/api/v1</code>. Authenticate with an API token HR creates (<code>Authorization: Bearer …</code>)
          or with your session cookie and the <code>X-CSRF-Token</code> that <code>GET /api/v1/me</code> returns. The document itself:{' '}
          <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.
        </p>
        <div id="swagger-ui" data-spec-url="/api/v1/openapi.json">
          <noscript>The interactive reference needs JavaScript; the document above reads in any OpenAPI tool.</noscript>
        </div>
      </main>
    </HtmlDocument>
  );
}
