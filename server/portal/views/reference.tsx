// The API reference page: the OpenAPI document, read by people.
import { renderPortal, type PageProps } from './layout.tsx';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is plain JSON read back */
export function referencePage(p: PageProps & { doc: any }): string {
  const { doc, locale } = p;
  const schemas = doc.components.schemas as Record<string, unknown>;
  const nameOf = (ref: string | undefined) => ref?.split('/').pop() ?? '';
  return renderPortal({
    ...p,
    title: doc.info.title,
    children: (
      <>
        <p>{doc.info.description}</p>
        <p>
          <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI {doc.openapi})
        </p>
        {Object.entries<any>(doc.paths).map(([path, item]) =>
          Object.entries<any>(item).map(([method, op]) => {
            const body = nameOf(op.requestBody?.content['application/json'].schema.$ref);
            return (
              <section aria-labelledby={`op-${op.operationId}`}>
                <h2 id={`op-${op.operationId}`}>
                  <code>
                    {method.toUpperCase()} /api/v1{path}
                  </code>
                </h2>
                <p>{op.summary}</p>
                <p>{op.description}</p>
                {body && (
                  <details>
                    <summary>
                      {locale === 'ru' ? 'Тело запроса' : 'Request body'}: {body}
                    </summary>
                    <pre tabIndex={0}>{JSON.stringify(schemas[body], null, 2)}</pre>
                  </details>
                )}
                {Object.entries<any>(op.responses).map(([status, answer]) => {
                  const examples = Object.entries<any>(answer.content['application/json'].examples ?? {});
                  return (
                    <details>
                      <summary>
                        HTTP {status}: {nameOf(answer.content['application/json'].schema.$ref)}
                      </summary>
                      {examples.map(([name, ex]) => (
                        <>
                          <h3>{`${name}: ${ex.summary}`}</h3>
                          {op.requestBody?.content['application/json'].examples?.[name] && (
                            <pre tabIndex={0}>
                              {JSON.stringify(op.requestBody.content['application/json'].examples[name].value, null, 2)}
                            </pre>
                          )}
                          <pre tabIndex={0}>{JSON.stringify(ex.value, null, 2)}</pre>
                        </>
                      ))}
                    </details>
                  );
                })}
              </section>
            );
          }),
        )}
      </>
    ),
  });
}
