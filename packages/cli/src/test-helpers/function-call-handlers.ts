// Handlers shared by the function-call integration tests (local and Docker platforms).

/** A function.yaml with one HTTP trigger named `web` and a long readiness wait (a first Go build). */
export const functionYaml = (name: string, runtime: string, handler: string): string => `apiVersion: nuclio.io/v1
kind: NuclioFunction
metadata:
  name: ${name}
spec:
  runtime: ${runtime}
  handler: ${handler}
  readinessTimeoutSeconds: 270
  triggers:
    web:
      kind: http
`;

/** The callee: adds `a` and `b`, answers 201 with `x-sum` and what it saw of the request. */
export const CALLEE = `
def handler(context, event):
    total = event.body['a'] + event.body['b']
    return context.Response(status_code=201, content_type='application/json', headers={'x-sum': str(total)},
                            body={'sum': total, 'path': event.path, 'method': event.method,
                                  'trace': event.headers.get('x-trace'), 'caller': event.headers.get('x-nucleon-caller')})
`;

/** A Python caller: `?callee=NAME` calls it and returns its answer; `/fields` returns Nuclio's event fields. */
export const PY_CALLER = `
import nuclio_sdk

def handler(context, event):
    if event.path == '/fields':
        return {'kind': event.trigger.kind, 'name': event.trigger.name, 'id': event.id, 'url': event.url,
                'timestamp': event.timestamp.timestamp(), 'type': event.type, 'type_version': event.type_version,
                'version': event.version}
    callee = event.fields.get('callee', 'adder')
    try:
        response = context.platform.call_function(callee, nuclio_sdk.Event(
            body={'a': 2, 'b': 3}, path='/add', method='POST', headers={'x-trace': 't-py'}), timeout=10)
    except Exception as err:
        return context.Response(status_code=502, body='{0}: {1}'.format(type(err).__name__, err))
    return {'status': response.status_code, 'sum': response.headers.get('x-sum'), 'body': response.body}
`;

