import { z } from 'zod';

export type ApiOperation = {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  /** OpenAPI path with {param} placeholders, e.g. /api/v1/people/{id}. */
  path: string;
  summary: string;
  tags: string[];
  roles?: string;
  query?: z.ZodObject;
  body?: z.ZodType;
  bodyContentType?: 'application/json' | 'text/csv';
  response?: z.ZodType;
  status?: number;
};

const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  }),
});

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
};

/** The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with. */
export function buildOpenApiDocument(operations: ApiOperation[], serverUrl = '/') {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const parameters: unknown[] = [];
    for (const match of op.path.matchAll(/\{(\w+)\}/g)) parameters.push({ name: match[1], in: 'path', required: true, schema: { type: 'string' } });
    if (op.query) {
      const shape = jsonSchema(op.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      for (const [name, schema] of Object.entries(shape.properties ?? {})) {
        parameters.push({ name, in: 'query', required: shape.required?.includes(name) ?? false, schema });
      }
    }
    const errorContent = { 'application/json': { schema: jsonSchema(errorResponseSchema, 'output') } };
    const responses: Record<string, unknown> = {
      [String(op.status ?? 200)]: {
        description: 'Success',
        content: op.response ? { 'application/json': { schema: jsonSchema(op.response, 'output') } } : undefined,
      },
      '400': { description: 'Invalid input', content: errorContent },
      '401': { description: 'Not signed in or bad API token', content: errorContent },
      '403': { description: 'Not allowed for this role', content: errorContent },
    };
    if (op.path.includes('{')) responses['404'] = { description: 'Not found', content: errorContent };
    if (op.method !== 'get') responses['409'] = { description: 'Conflict with the current state', content: errorContent };
    (paths[op.path] ??= {})[op.method] = {
      summary: op.summary,
      description: op.roles ? `Roles: ${op.roles}` : undefined,
      tags: op.tags,
      operationId: `${op.method}${op.path
        .replace(/\/api\/v1/, '')
        .replace(/[{}]/g, '')
        .replace(/[/-](\w)/g, (_, ch: string) => ch.toUpperCase())}`,
      parameters: parameters.length ? parameters : undefined,
      requestBody: op.body
        ? {
            required: true,
            content: {
              [op.bodyContentType ?? 'application/json']: { schema: op.bodyContentType === 'text/csv' ? { type: 'string' } : jsonSchema(op.body, 'input') },
            },
          }
        : undefined,
      responses,
      security: [{ bearerAuth: [] }, { cookieAuth: [] }],
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'crosstrain API',
      version: '1.0.0',
      description:
        'Integrations with crosstrain. Authenticate with an API token HR creates (Authorization: Bearer …) or the session cookie (state changes then need the X-CSRF-Token header).',
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'ct_session' },
      },
    },
    paths,
  };
}
